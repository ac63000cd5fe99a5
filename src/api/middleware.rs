//! Cross-cutting request handling, outermost first: CORS headers on the public paths; a request
//! id on every request, its log line and response header; every error rendered as problem+json
//! naming its `instance`; a panic turned into a 500 instead of a dropped connection;
//! rate limits per client (API client or address); `HEAD` answered as `GET`.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::panic::AssertUnwindSafe;
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse, web};
use futures_util::FutureExt;
use governor::clock::{Clock, DefaultClock, QuantaInstant};
use governor::middleware::{StateInformationMiddleware, StateSnapshot};
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{NotUntil, Quota, RateLimiter};
use tracing::Instrument;
use uuid::Uuid;

use crate::api::forwarded::client_address;
use crate::auth::principal::{VerifiedToken, verify_bearer};
use crate::config::{Config, Network};
use crate::error::{AppError, problem_response};
use crate::metrics::UNMATCHED;
use crate::state::AppState;

pub const REQUEST_ID: &str = "x-request-id";

/// Keeps a caller's request id if it is short and plain, so ids can be followed across services;
/// otherwise makes one.
fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty() && v.len() <= 64 && v.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        })
        .map(str::to_owned)
        .unwrap_or_else(|| Uuid::now_v7().to_string())
}

/// The problem for an error response that did not come from an [`AppError`] (actix's own).
fn problem_for_status(status: actix_web::http::StatusCode) -> AppError {
    match status.as_u16() {
        400 => AppError::BadRequest("the request could not be read".into()),
        404 => AppError::NotFound("no such resource".into()),
        405 => AppError::MethodNotAllowed { allowed: String::new() },
        413 => AppError::PayloadTooLarge("the request body is too large".into()),
        415 => AppError::UnsupportedMediaType("unsupported media type".into()),
        s if s < 500 => AppError::BadRequest(format!("the request was refused ({s})")),
        _ => AppError::Internal(format!("unhandled error response {status}")),
    }
}

pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let id = request_id(&req);
    let method = req.method().clone();
    let path = req.path().to_owned();
    let span = tracing::info_span!("request", request_id = %id);
    let started = Instant::now();
    // Every answer is counted by route template. The monitoring system's scrapes are not
    // logged: a line for each would say nothing and drown the rest.
    let metrics = req.app_data::<web::Data<AppState>>().map(|state| state.metrics.clone());
    let observe = |route: &str, status: StatusCode| {
        if let Some(metrics) = &metrics {
            metrics.observe_request(&method, route, status, started.elapsed());
        }
    };
    let logged = path != "/metrics";

    // A NUL in the path or query can never name anything, and PostgreSQL refuses it in text.
    let uri = req.uri().to_string();
    if uri.contains("%00") {
        let err = AppError::BadRequest("the URL must not contain NUL characters (%00)".into());
        let mut res = req.into_response(span.in_scope(|| problem_response(&err, Some(path.clone()))));
        if let Ok(v) = HeaderValue::from_str(&id) {
            res.headers_mut().insert(header::HeaderName::from_static(REQUEST_ID), v);
        }
        observe(UNMATCHED, res.status());
        return Ok(res);
    }
    let outcome = AssertUnwindSafe(next.call(req)).catch_unwind().instrument(span.clone()).await;
    let mut res = match outcome {
        Ok(Ok(res)) => {
            let res = res.map_into_boxed_body();
            if res.status().is_client_error() || res.status().is_server_error() {
                let content_type = res.headers().get(header::CONTENT_TYPE).map(HeaderValue::as_bytes);
                // The pages' error pages are HTML in the reader's language, and stay so.
                let is_problem = content_type
                    .is_some_and(|ct| ct.starts_with(b"application/problem+json") || ct.starts_with(b"text/html"));
                let app_error = res.response().error().and_then(|e| e.as_error::<AppError>());
                if let Some(err) = app_error {
                    // Render again, now that the path is known.
                    let body = span.in_scope(|| problem_response(err, Some(path.clone())));
                    keeping_headers(res, body)
                } else if !is_problem {
                    let err = problem_for_status(res.status());
                    let body = span.in_scope(|| problem_response(&err, Some(path.clone())));
                    keeping_headers(res, body)
                } else {
                    res
                }
            } else {
                res
            }
        }
        // The request is gone with the failed call, so these are answered by actix from the
        // error itself: still problem+json, without `instance`.
        Ok(Err(err)) => {
            let status = err.as_response_error().status_code();
            observe(UNMATCHED, status);
            if logged {
                tracing::info!(parent: &span, method = %method, path = %path, status = status.as_u16(), "request");
            }
            return match err.as_error::<AppError>() {
                Some(_) => Err(err),
                None => Err(problem_for_status(status).into()),
            };
        }
        Err(_) => {
            let err = AppError::Internal("a request handler panicked".into());
            observe(UNMATCHED, StatusCode::INTERNAL_SERVER_ERROR);
            span.in_scope(|| tracing::error!(method = %method, path = %path, "request handler panicked"));
            return Err(err.into());
        }
    };
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(header::HeaderName::from_static(REQUEST_ID), v);
    }
    let status = res.status();
    observe(res.request().match_pattern().as_deref().unwrap_or(UNMATCHED), status);
    if logged {
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        // One line per request: no query string, headers or body, which can carry personal data.
        let status = status.as_u16();
        span.in_scope(|| tracing::info!(method = %method, path = %path, status, elapsed_ms, "request"));
    }
    Ok(res)
}

/// `res` answered with `problem` instead, keeping the headers the layers inside added to it
/// (the rate limit's) unless the problem sets them itself.
fn keeping_headers(res: ServiceResponse<BoxBody>, mut problem: HttpResponse) -> ServiceResponse<BoxBody> {
    for (name, value) in res.headers() {
        if !problem.headers().contains_key(name) {
            problem.headers_mut().append(name.clone(), value.clone());
        }
    }
    res.into_response(problem)
}

/// Who a request counts against: the API client whose valid bearer token it carries, else the
/// address it came from (behind a trusted proxy, the address the proxy reports).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClientKey {
    Client(String),
    Address(IpAddr),
}

/// The address a request came from, as [`client_address`] finds it behind trusted proxies. Put
/// in the request's extensions by [`rate_limit`], for the handlers that decide by address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

type Limiter = RateLimiter<ClientKey, DefaultKeyedStateStore<ClientKey>, DefaultClock, StateInformationMiddleware>;

/// The token buckets, one per client (see [`ClientKey`]): a strict one for the token endpoint
/// and report follow-ups (guessing secrets, each try an argon2 hash), one per hour for filing
/// worker reports, a generous one for everything else. Clients and addresses live in memory
/// only, never in a log or the database.
pub struct RateLimits {
    token: Limiter,
    reports: Limiter,
    api: Limiter,
    trusted_proxies: Vec<Network>,
}

/// A bucket, as the `RateLimit-Policy` and `RateLimit` headers name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Policy {
    Api,
    Token,
    Reports,
}

impl Policy {
    fn name(self) -> &'static str {
        match self {
            Policy::Api => "api",
            Policy::Token => "token",
            Policy::Reports => "reports",
        }
    }
}

/// What a request left in one bucket: how many more it holds, and how long until it is full.
#[derive(Debug, Clone, Copy)]
struct Taken {
    policy: Policy,
    quota: Quota,
    remaining: u32,
    full_in: Duration,
}

impl Taken {
    fn allowed(policy: Policy, state: &StateSnapshot) -> Taken {
        let quota = state.quota();
        let remaining = state.remaining_burst_capacity();
        // An upper bound: the part of a cell already refilled is not counted.
        let full_in = quota.replenish_interval() * quota.burst_size().get().saturating_sub(remaining);
        Taken { policy, quota, remaining, full_in }
    }

    /// The bucket of a refused request, and how long until it would take one.
    fn refused(policy: Policy, not_until: &NotUntil<QuantaInstant>, limiter: &Limiter) -> (Taken, Duration) {
        let quota = not_until.quota();
        let wait = not_until.wait_time_from(limiter.clock().now());
        let full_in = wait + quota.replenish_interval() * (quota.burst_size().get() - 1);
        (Taken { policy, quota, remaining: 0, full_in }, wait)
    }
}

/// The buckets a request drew from, kept in its extensions for the `RateLimit` headers of its
/// answer: the one the middleware took from (`api` or `token`; a bulk call takes more from it),
/// and the hourly one once a report was filed.
#[derive(Debug, Clone, Copy)]
struct Drawn {
    request: Taken,
    reports: Option<Taken>,
}

/// Whole seconds, rounded up: a client told to wait less would be refused again.
fn whole_seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// `RateLimit-Policy` (each bucket's size `q` and the seconds `w` it takes to refill it whole)
/// and `RateLimit` (what is left, `r`, and the seconds `t` until the bucket is full again), as
/// draft-ietf-httpapi-ratelimit-headers writes them: lists of structured-field items.
fn write_rate_limit_headers(headers: &mut header::HeaderMap, drawn: &Drawn) {
    let mut policy = String::new();
    let mut state = String::new();
    for taken in std::iter::once(&drawn.request).chain(&drawn.reports) {
        let separator = if policy.is_empty() { "" } else { ", " };
        let (name, burst) = (taken.policy.name(), taken.quota.burst_size().get());
        let refill = whole_seconds(taken.quota.burst_size_replenished_in());
        policy.push_str(&format!("{separator}\"{name}\";q={burst};w={refill}"));
        let (remaining, full_in) = (taken.remaining, whole_seconds(taken.full_in));
        state.push_str(&format!("{separator}\"{name}\";r={remaining};t={full_in}"));
    }
    for (name, value) in [(RATELIMIT_POLICY, policy), (RATELIMIT, state)] {
        if let Ok(value) = HeaderValue::try_from(value) {
            headers.insert(name, value);
        }
    }
}

const RATELIMIT_POLICY: header::HeaderName = header::HeaderName::from_static("ratelimit-policy");
const RATELIMIT: header::HeaderName = header::HeaderName::from_static("ratelimit");

/// Whether a request draws from the strict bucket: asking for a token, or trying a report's
/// follow-up code (by the API or the form).
fn is_guess(method: &Method, path: &str) -> bool {
    path == "/v1/oauth/token"
        || path.starts_with("/v1/public/reports/")
        || (method == Method::POST && path.starts_with("/report/"))
}

/// Who `req` counts against, as [`rate_limit`] decided.
fn client_key(req: &actix_web::HttpRequest) -> Option<ClientKey> {
    req.extensions().get::<ClientKey>().cloned().or_else(|| req.peer_addr().map(|peer| ClientKey::Address(peer.ip())))
}

/// Takes one report from the caller's hourly allowance, or answers 429. Called by the handlers
/// once a report has passed validation, not by the middleware: a worker correcting a mistake
/// on the form must not use up the allowance.
pub fn take_report_allowance(req: &actix_web::HttpRequest) -> Result<(), AppError> {
    let (Some(limits), Some(key)) = (req.app_data::<web::Data<RateLimits>>(), client_key(req)) else {
        return Ok(());
    };
    let (taken, outcome) = match limits.reports.check_key(&key) {
        Ok(state) => (Taken::allowed(Policy::Reports, &state), Ok(())),
        Err(not_until) => {
            let (taken, wait) = Taken::refused(Policy::Reports, &not_until, &limits.reports);
            (taken, Err(too_many(wait)))
        }
    };
    if let Some(drawn) = req.extensions_mut().get_mut::<Drawn>() {
        drawn.reports = Some(taken);
    }
    outcome
}

/// How many items of a bulk call cost as much as one request: a bulk call is cheaper per item
/// than as many single calls (its lookups are batched), but never as cheap as one lookup.
pub const ITEMS_PER_REQUEST: usize = 10;

/// Takes what a bulk call of `items` costs beyond the one request the middleware already took
/// from the caller's `api` bucket: one request per [`ITEMS_PER_REQUEST`] items, so 1,000 items
/// cost 100 requests. A cost above the bucket's burst is capped at the burst (the call is
/// possible, once the bucket is full). Over the limit: 429 with `Retry-After`.
pub fn take_bulk_allowance(req: &actix_web::HttpRequest, items: usize) -> Result<(), AppError> {
    let (Some(limits), Some(key)) = (req.app_data::<web::Data<RateLimits>>(), client_key(req)) else {
        return Ok(());
    };
    let extra = items.div_ceil(ITEMS_PER_REQUEST).saturating_sub(1);
    let Some(cost) = NonZeroU32::new(u32::try_from(extra).unwrap_or(u32::MAX)) else {
        return Ok(());
    };
    let checked = match limits.api.check_key_n(&key, cost) {
        Ok(checked) => checked,
        Err(governor::InsufficientCapacity(burst)) => {
            let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
            match limits.api.check_key_n(&key, burst) {
                Ok(checked) => checked,
                // The burst always fits a bucket of that burst.
                Err(_) => return Ok(()),
            }
        }
    };
    match checked {
        Ok(state) => {
            if let Some(drawn) = req.extensions_mut().get_mut::<Drawn>() {
                drawn.request = Taken::allowed(Policy::Api, &state);
            }
            Ok(())
        }
        // Nothing was taken: what the middleware saw left is still left, only not enough.
        Err(not_until) => Err(too_many(not_until.wait_time_from(limits.api.clock().now()))),
    }
}

fn too_many(wait: Duration) -> AppError {
    AppError::TooManyRequests { retry_after_secs: whole_seconds(wait).max(1) }
}

fn quota(per_second: u32, burst: u32) -> Quota {
    let per_second = NonZeroU32::new(per_second.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::per_second(per_second).allow_burst(burst)
}

fn hourly(per_hour: u32, burst: u32) -> Quota {
    let period = Duration::from_secs(3600) / per_hour.max(1);
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(period).unwrap_or_else(|| Quota::per_hour(NonZeroU32::MIN)).allow_burst(burst)
}

impl RateLimits {
    pub fn new(config: &Config) -> RateLimits {
        let limits = &config.limits;
        let limiter = |quota| RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>();
        RateLimits {
            token: limiter(quota(limits.token_per_second, limits.token_burst)),
            reports: limiter(hourly(limits.reports_per_hour, limits.reports_burst)),
            api: limiter(quota(limits.api_per_second, limits.api_burst)),
            trusted_proxies: config.trusted_proxies.clone(),
        }
    }

    /// Forgets clients whose buckets are full again, so the tables do not grow without bound.
    pub fn forget_idle(&self) {
        for limiter in [&self.token, &self.reports, &self.api] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// Finds the client's address (behind trusted proxies, the one they report), and takes one
/// request from the client's bucket or answers 429; every answer that drew from a bucket says
/// what is left in `RateLimit-Policy` and `RateLimit`. A request with a valid bearer token
/// counts against its API client, wherever it goes; the token is verified here once, and the
/// [`Principal`](crate::auth::principal::Principal) extractor takes it as verified. A request
/// without one, or with one that does not verify (which the extractor then answers 401),
/// counts against its address. `/metrics` is not limited: its allow-list guards it, and the
/// monitoring system scrapes it at its own pace.
pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(limits) = req.app_data::<web::Data<RateLimits>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let address = req.peer_addr().map(|peer| client_address(peer.ip(), req.headers(), &limits.trusted_proxies));
    if let Some(address) = address {
        req.extensions_mut().insert(ClientAddress(address));
    }
    if req.path() == "/metrics" {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let claims = req.app_data::<web::Data<AppState>>().and_then(|state| verify_bearer(req.request(), state));
    let key = match (claims, address) {
        (Some(claims), _) => {
            let key = ClientKey::Client(claims.sub.clone());
            req.extensions_mut().insert(VerifiedToken(claims));
            key
        }
        (None, Some(address)) => ClientKey::Address(address),
        (None, None) => return Ok(next.call(req).await?.map_into_boxed_body()),
    };
    let policy = if is_guess(req.method(), req.path()) { Policy::Token } else { Policy::Api };
    let limiter = if policy == Policy::Token { &limits.token } else { &limits.api };
    let taken = match limiter.check_key(&key) {
        Ok(state) => Taken::allowed(policy, &state),
        Err(not_until) => {
            let (taken, wait) = Taken::refused(policy, &not_until, limiter);
            let err = too_many(wait);
            // A page's 429 is a page, in the reader's language, with the same `Retry-After`.
            let mut res: HttpResponse = match &err {
                AppError::TooManyRequests { retry_after_secs } if crate::web::is_page_path(req.path()) => {
                    crate::web::too_many_requests(req.request(), *retry_after_secs)
                }
                _ => problem_response(&err, Some(req.path().to_owned())),
            };
            write_rate_limit_headers(res.headers_mut(), &Drawn { request: taken, reports: None });
            return Ok(req.into_response(res));
        }
    };
    req.extensions_mut().insert(key);
    req.extensions_mut().insert(Drawn { request: taken, reports: None });
    let mut res = next.call(req).await?.map_into_boxed_body();
    let drawn = res.request().extensions().get::<Drawn>().copied();
    if let Some(drawn) = drawn {
        write_rate_limit_headers(res.headers_mut(), &drawn);
    }
    Ok(res)
}

/// Answers `HEAD` wherever `GET` is answered, with the same status and headers (RFC 9110
/// §9.3.2): the request runs as a `GET`, and actix sends no body because the connection keeps
/// the method the client sent (its HTTP/1 codec and HTTP/2 dispatcher decide that, not the
/// request seen here), while `Content-Length` still gives the size of the body a `GET` would
/// get. Routes are registered for `GET` only, so this is the one place that knows about `HEAD`.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

/// Whether a browser page of any origin may read the answers at `path`: the public registry and
/// the published keys, which need no token. The rest of the API sends no CORS headers: it is
/// for servers holding client credentials, and a page has no business reading its answers.
pub fn is_cross_origin(path: &str) -> bool {
    path.starts_with("/v1/public/") || path == "/.well-known/jwks.json"
}

/// The request headers a page may send on the cross-origin paths: besides the CORS-safelisted
/// ones, `Accept` and `Content-Type` with any value (the attestation is negotiated on `Accept`)
/// and the request id, so a page can follow its calls in our logs.
const CORS_ALLOW_HEADERS: &str = "Accept, Content-Type, X-Request-Id";

/// The response headers a page may read besides the safelisted ones: the request id that a 500
/// asks to quote, how long a rate-limited caller should wait, and what is left of its limits.
const CORS_EXPOSE_HEADERS: &str = "X-Request-Id, Retry-After, RateLimit, RateLimit-Policy";

/// How long a browser may reuse a preflight answer, in seconds (Chromium caps it at 7200).
const CORS_MAX_AGE: &str = "7200";

/// CORS (the Fetch standard) on the paths of [`is_cross_origin`]: every answer, errors included,
/// carries `Access-Control-Allow-Origin: *` and never `Access-Control-Allow-Credentials`, since
/// these routes need no credentials and ignore them. A preflight (`OPTIONS`) is routed like any
/// request, so it is logged and rate-limited; the fallback answers it 204 with `Allow` when the
/// path exists, and this layer turns that `Allow` into `Access-Control-Allow-Methods`. It sits
/// outside `request_context`, which renders problems anew, so that no header added here is lost.
/// actix-cors does not fit: it wraps a whole app or scope, while these paths are two branches of
/// the route tree; it answers a preflight for any path with 200; and it refuses a preflight it
/// dislikes with a plain-text 400 instead of a problem.
pub async fn cross_origin(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if !is_cross_origin(req.path()) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let preflight = req.method() == Method::OPTIONS;
    let mut res = match next.call(req).await {
        Ok(res) => res.map_into_boxed_body(),
        // A handler that panicked: the request is gone, so the error carries its own answer,
        // with the headers that let the page read the 500.
        Err(err) => {
            let mut answer = err.error_response();
            allow_any_origin(answer.headers_mut(), false);
            return Err(actix_web::error::InternalError::from_response(err, answer).into());
        }
    };
    let preflight_answered = preflight && res.status().is_success();
    allow_any_origin(res.headers_mut(), preflight_answered);
    Ok(res)
}

/// The CORS headers of an answer; a successful preflight also gets the methods (from `Allow`),
/// the request headers allowed and how long to keep it.
fn allow_any_origin(headers: &mut header::HeaderMap, preflight: bool) {
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    if preflight {
        if let Some(allowed) = headers.get(header::ALLOW).cloned() {
            headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, allowed);
        }
        headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static(CORS_ALLOW_HEADERS));
        headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static(CORS_MAX_AGE));
    } else {
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(CORS_EXPOSE_HEADERS));
    }
}
