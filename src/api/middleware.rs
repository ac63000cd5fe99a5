//! Cross-cutting request handling, outermost first: a request id on every request, its log
//! line and response header; every error rendered as problem+json naming its `instance`; a
//! panic turned into a 500 instead of a dropped connection; per-address rate limits.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::panic::AssertUnwindSafe;
use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use futures_util::FutureExt;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tracing::Instrument;
use uuid::Uuid;

use crate::config::Limits;
use crate::error::{AppError, problem_response};

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
    let method = req.method().to_string();
    let path = req.path().to_owned();
    let span = tracing::info_span!("request", request_id = %id);
    let started = Instant::now();

    // A NUL in the path or query can never name anything, and PostgreSQL refuses it in text.
    let uri = req.uri().to_string();
    if uri.contains("%00") {
        let err = AppError::BadRequest("the URL must not contain NUL characters (%00)".into());
        let mut res = req.into_response(span.in_scope(|| problem_response(&err, Some(path.clone()))));
        if let Ok(v) = HeaderValue::from_str(&id) {
            res.headers_mut().insert(header::HeaderName::from_static(REQUEST_ID), v);
        }
        return Ok(res);
    }
    let outcome = AssertUnwindSafe(next.call(req)).catch_unwind().instrument(span.clone()).await;
    let mut res = match outcome {
        Ok(Ok(res)) => {
            let res = res.map_into_boxed_body();
            if res.status().is_client_error() || res.status().is_server_error() {
                let is_problem = res
                    .headers()
                    .get(header::CONTENT_TYPE)
                    .is_some_and(|ct| ct.as_bytes().starts_with(b"application/problem+json"));
                let app_error = res.response().error().and_then(|e| e.as_error::<AppError>());
                if let Some(err) = app_error {
                    // Render again, now that the path is known.
                    let body = span.in_scope(|| problem_response(err, Some(path.clone())));
                    res.into_response(body)
                } else if !is_problem {
                    let err = problem_for_status(res.status());
                    let body = span.in_scope(|| problem_response(&err, Some(path.clone())));
                    res.into_response(body)
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
            tracing::info!(parent: &span, method = %method, path = %path, status = status.as_u16(), "request");
            return match err.as_error::<AppError>() {
                Some(_) => Err(err),
                None => Err(problem_for_status(status).into()),
            };
        }
        Err(_) => {
            let err = AppError::Internal("a request handler panicked".into());
            span.in_scope(|| tracing::error!(method = %method, path = %path, "request handler panicked"));
            return Err(err.into());
        }
    };
    if let Ok(v) = HeaderValue::from_str(&id) {
        res.headers_mut().insert(header::HeaderName::from_static(REQUEST_ID), v);
    }
    let status = res.status().as_u16();
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    // One line per request: no query string, headers or body, which can carry personal data.
    span.in_scope(|| tracing::info!(method = %method, path = %path, status, elapsed_ms, "request"));
    Ok(res)
}

/// Per-address token buckets: a strict one for the token endpoint (password guessing), a
/// generous one for everything else.
pub struct RateLimits {
    token: DefaultKeyedRateLimiter<IpAddr>,
    api: DefaultKeyedRateLimiter<IpAddr>,
}

fn quota(per_second: u32, burst: u32) -> Quota {
    let per_second = NonZeroU32::new(per_second.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst.max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::per_second(per_second).allow_burst(burst)
}

impl RateLimits {
    pub fn new(limits: &Limits) -> RateLimits {
        RateLimits {
            token: RateLimiter::keyed(quota(limits.token_per_second, limits.token_burst)),
            api: RateLimiter::keyed(quota(limits.api_per_second, limits.api_burst)),
        }
    }

    /// Forgets addresses whose buckets are full again, so the tables do not grow without bound.
    pub fn forget_idle(&self) {
        for limiter in [&self.token, &self.api] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

pub async fn rate_limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let limits = req.app_data::<web::Data<RateLimits>>().cloned();
    let ip = req.peer_addr().map(|a| a.ip());
    if let (Some(limits), Some(ip)) = (limits, ip) {
        let limiter = if req.path() == "/v1/oauth/token" { &limits.token } else { &limits.api };
        if let Err(not_until) = limiter.check_key(&ip) {
            let wait = not_until.wait_time_from(governor::clock::Clock::now(&governor::clock::DefaultClock::default()));
            let err = AppError::TooManyRequests { retry_after_secs: wait.as_secs().max(1) };
            let res: HttpResponse = problem_response(&err, Some(req.path().to_owned()));
            return Ok(req.into_response(res));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}
