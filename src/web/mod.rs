//! The public pages for workers: server-rendered HTML that works without JavaScript, on a cheap
//! phone over a slow connection. Pure HTTP and HTML: reads go through `store` and
//! `api::public`, writes through `services`.
//!
//! - `/` search, `/agencies/{id}` the status card, `/report` the report form and
//!   `/report/{reference}` its follow-up; `/assets/site.<hash>.css` the one stylesheet.
//! - Templates are `maud` macros (checked at compile time, every value escaped).
//! - Languages: [`i18n`] (Fluent files under `locales/`, embedded).
//! - Forms carry a [`csrf`] token. Every answer of these routes, errors included, is HTML in
//!   the reader's language; `api::middleware::request_context` leaves `text/html` answers alone.
//! - The pages are not in the OpenAPI document; they register their own routes here, each with
//!   a 405 page (and `Allow`) for other methods.

pub mod assets;
pub mod csrf;
pub mod i18n;
pub mod qr;

mod home;
mod layout;
mod report;
mod status_card;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use maud::Markup;

use crate::error::AppError;
use crate::web::i18n::{Chosen, LANG_COOKIE, Lang, Tr};

/// Registers the pages. Call it before the application's default service.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").route(web::get().to(home::page)).default_service(web::to(only_get)))
        .service(
            web::resource("/agencies/{id}").route(web::get().to(status_card::page)).default_service(web::to(only_get)),
        )
        .service(
            web::resource("/report")
                .route(web::get().to(report::form))
                .route(web::post().to(report::submit))
                .default_service(web::to(get_or_post)),
        )
        .service(
            web::resource("/report/{reference}")
                .route(web::get().to(report::follow_up_form))
                .route(web::post().to(report::follow_up))
                .default_service(web::to(get_or_post)),
        )
        .service(
            web::resource("/assets/{name}").route(web::get().to(assets::serve)).default_service(web::to(only_get)),
        );
}

/// Whether `path` is one of the pages (so its errors, rate limits included, are HTML pages).
pub fn is_page_path(path: &str) -> bool {
    path == "/"
        || path.starts_with("/agencies/")
        || path == "/report"
        || path.starts_with("/report/")
        || path.starts_with("/assets/")
}

/// `Content-Security-Policy` of every page: nothing runs, nothing is fetched from elsewhere, and
/// forms post only here.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; \
                   frame-ancestors 'none'; base-uri 'none'";

/// What a page needs to know about its request: the language and how it was chosen, the path
/// and query (for the language links) and the page's own address.
pub struct Ctx {
    pub tr: Tr,
    chosen: Chosen,
    query: Vec<(String, String)>,
    origin: String,
}

impl Ctx {
    pub fn of(req: &HttpRequest) -> Ctx {
        let (lang, chosen) = i18n::negotiate(req);
        let query = url::form_urlencoded::parse(req.query_string().as_bytes())
            .filter(|(k, _)| k != "lang")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .take(10)
            .collect();
        let configured = req
            .app_data::<web::Data<crate::state::AppState>>()
            .map(|state| state.config.public_url.trim_end_matches('/').to_owned())
            .filter(|url| !url.is_empty());
        let origin = configured.unwrap_or_else(|| {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        });
        Ctx { tr: Tr::new(lang), chosen, query, origin }
    }

    /// Whether the reader chose the language (`?lang=` or the cookie), rather than the browser.
    pub fn lang_was_chosen(&self) -> bool {
        matches!(self.chosen, Chosen::Query | Chosen::Cookie)
    }

    pub fn t(&self, id: &str) -> String {
        self.tr.t(id)
    }

    /// The absolute address of `path` on this site (for the QR code).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.origin)
    }

    /// The query parameter `name`, if given.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The same page in `lang`: `?lang=xx` first, then the page's other query parameters.
    pub fn lang_href(&self, lang: &Lang) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.append_pair("lang", lang.code);
        for (k, v) in &self.query {
            query.append_pair(k, v);
        }
        format!("?{}", query.finish())
    }
}

/// How long an answer may be kept.
#[derive(Clone, Copy)]
pub enum Caching {
    /// Kept, but checked again each time: a status must never be stale.
    Revalidate,
    /// Never kept: forms with a token, secret codes.
    NoStore,
}

/// A page ready to send.
pub struct Page {
    pub status: StatusCode,
    pub title: String,
    pub main: Markup,
    pub caching: Caching,
    pub cookies: Vec<Cookie<'static>>,
    pub headers: Vec<(header::HeaderName, String)>,
}

impl Page {
    pub fn new(status: StatusCode, title: String, main: Markup) -> Page {
        Page { status, title, main, caching: Caching::Revalidate, cookies: Vec::new(), headers: Vec::new() }
    }

    pub fn no_store(mut self) -> Page {
        self.caching = Caching::NoStore;
        self
    }

    /// The HTTP answer: the page in its layout, with the headers every page has.
    pub fn render(self, ctx: &Ctx) -> HttpResponse {
        let body = layout::page(ctx, &self.title, self.main).into_string();
        let mut res = HttpResponseBuilder::new(self.status);
        res.content_type("text/html; charset=utf-8")
            .insert_header((
                header::CACHE_CONTROL,
                match self.caching {
                    Caching::Revalidate => "no-cache",
                    Caching::NoStore => "no-store",
                },
            ))
            .insert_header((header::VARY, "Accept-Language, Cookie"))
            .insert_header((header::CONTENT_SECURITY_POLICY, CSP))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
            // Nothing to other sites; the site itself gets it, and so forms carry a real `Origin`.
            .insert_header((header::REFERRER_POLICY, "same-origin"))
            .insert_header((header::X_FRAME_OPTIONS, "DENY"));
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::from_str(&value) {
                res.insert_header((name, value));
            }
        }
        if ctx.chosen == Chosen::Query {
            res.cookie(
                Cookie::build(LANG_COOKIE, ctx.tr.lang.code)
                    .path("/")
                    .same_site(SameSite::Lax)
                    .http_only(true)
                    .max_age(actix_web::cookie::time::Duration::days(365))
                    .finish(),
            );
        }
        for cookie in self.cookies {
            res.cookie(cookie);
        }
        res.body(body)
    }
}

/// What went wrong, as an error page tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// A form body that could not be read.
    BadRequest,
    NotFound,
    /// A form without a valid token, or from another site.
    Forbidden,
    MethodNotAllowed(&'static str),
    TooLarge,
    TooManyRequests {
        retry_after_secs: u64,
    },
    Unavailable {
        retry_after_secs: u64,
    },
    Internal,
}

/// An error page in the reader's language.
pub fn error_page(ctx: &Ctx, failure: Failure) -> HttpResponse {
    let (status, key) = match failure {
        Failure::BadRequest => (StatusCode::BAD_REQUEST, "400"),
        Failure::NotFound => (StatusCode::NOT_FOUND, "404"),
        Failure::Forbidden => (StatusCode::FORBIDDEN, "403"),
        Failure::MethodNotAllowed(_) => (StatusCode::METHOD_NOT_ALLOWED, "405"),
        Failure::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "413"),
        Failure::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "429"),
        Failure::Unavailable { .. } => (StatusCode::SERVICE_UNAVAILABLE, "500"),
        Failure::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "500"),
    };
    let title = ctx.t(&format!("error-{key}-title"));
    let text = match failure {
        Failure::TooManyRequests { retry_after_secs } => {
            let minutes = i64::try_from(retry_after_secs.div_ceil(60).max(1)).unwrap_or(i64::MAX);
            ctx.tr.t_with("error-429-body", &[("minutes", minutes.into())])
        }
        _ => ctx.t(&format!("error-{key}-body")),
    };
    let main = layout::error_main(ctx, &title, &text);
    let mut page = Page::new(status, title, main).no_store();
    match failure {
        Failure::MethodNotAllowed(allow) => page.headers.push((header::ALLOW, allow.to_owned())),
        Failure::TooManyRequests { retry_after_secs } | Failure::Unavailable { retry_after_secs } => {
            page.headers.push((header::RETRY_AFTER, retry_after_secs.to_string()))
        }
        _ => {}
    }
    page.render(ctx)
}

/// The error page for an error of a lower layer. Causes of a 500 are logged, never shown.
pub fn app_error_page(ctx: &Ctx, err: &AppError) -> HttpResponse {
    let failure = match err {
        AppError::NotFound(_) => Failure::NotFound,
        AppError::Forbidden(_) => Failure::Forbidden,
        AppError::PayloadTooLarge(_) => Failure::TooLarge,
        AppError::TooManyRequests { retry_after_secs } => {
            Failure::TooManyRequests { retry_after_secs: *retry_after_secs }
        }
        AppError::Unavailable(cause) => {
            tracing::warn!(%cause, "a page could not be served: the database is unavailable");
            Failure::Unavailable { retry_after_secs: crate::error::UNAVAILABLE_RETRY_AFTER_SECS }
        }
        other => {
            tracing::error!(error = %other, "a page failed");
            Failure::Internal
        }
    };
    error_page(ctx, failure)
}

/// The 405 page of a route that answers `GET` (and so `HEAD`) only.
async fn only_get(req: HttpRequest) -> HttpResponse {
    error_page(&Ctx::of(&req), Failure::MethodNotAllowed("GET, HEAD"))
}

/// The 405 page of a route that answers `GET` and `POST`.
async fn get_or_post(req: HttpRequest) -> HttpResponse {
    error_page(&Ctx::of(&req), Failure::MethodNotAllowed("GET, HEAD, POST"))
}

/// The HTML 429 of a page path, for the rate limiter.
pub fn too_many_requests(req: &HttpRequest, retry_after_secs: u64) -> HttpResponse {
    error_page(&Ctx::of(req), Failure::TooManyRequests { retry_after_secs })
}

/// The HTML 404 for a path no route has, when a browser asks (it accepts `text/html`) and the
/// path is not under the API.
pub fn wants_html_not_found(req: &HttpRequest) -> bool {
    let path = req.path();
    let api =
        path.starts_with("/v1/") || path == "/v1" || path.starts_with("/.well-known/") || path.starts_with("/docs");
    let html = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.to_ascii_lowercase().contains("text/html"));
    !api && html && matches!(*req.method(), Method::GET | Method::HEAD)
}

/// The HTML 404 page for `req`.
pub fn not_found(req: &HttpRequest) -> HttpResponse {
    error_page(&Ctx::of(req), Failure::NotFound)
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use super::i18n::{LANGS, Tr};
    use crate::domain::agency::CertificationStatus;
    use crate::domain::reports::{ReportCategory, ReportState};

    /// The pages name these messages by an enum's wire name: a new variant needs its words.
    #[test]
    fn every_status_category_and_state_has_its_words_in_every_language() {
        let mut names: Vec<String> = Vec::new();
        for status in CertificationStatus::iter() {
            names.push(format!("status-{status}"));
            names.push(format!("meaning-{status}"));
        }
        names.extend(ReportCategory::iter().map(|c| format!("category-{c}")));
        names.extend(ReportState::iter().map(|s| format!("state-{s}")));
        names.extend((1..=12).map(|m| format!("month-{m}")));
        for lang in &LANGS {
            let tr = Tr::new(lang);
            for name in &names {
                assert_ne!(tr.t(name), *name, "{}: {name}", lang.code);
            }
        }
    }
}
