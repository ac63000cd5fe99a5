//! The one error type. Every failure a client can see leaves the service as an RFC 9457
//! `application/problem+json` document; internal causes are logged, never sent.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

/// One field that failed validation.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FieldError {
    /// Dotted path of the offending field in the request (`licence.country`, `limit`).
    #[schema(example = "licence.country", max_length = 300)]
    pub field: String,
    /// What is wrong with it, for a person.
    #[schema(example = "must be an ISO 3166-1 alpha-2 country code", max_length = 1000)]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }
}

/// An RFC 9457 problem document, as sent on the wire.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "https://fairhire.dev/problems/validation",
    "title": "The request is not valid",
    "status": 422,
    "detail": "1 field is not valid",
    "instance": "/v1/agencies",
    "errors": [{"field": "licence.country", "message": "must be an ISO 3166-1 alpha-2 country code"}]
}))]
pub struct Problem {
    /// A stable URI naming the kind of problem; clients branch on it.
    #[serde(rename = "type")]
    #[schema(
        example = "https://fairhire.dev/problems/not-found",
        max_length = 100,
        pattern = "^https://fairhire[.]dev/problems/[a-z-]+$"
    )]
    pub kind: String,
    /// A short summary of the kind of problem, the same for every occurrence.
    #[schema(max_length = 100)]
    pub title: String,
    /// The HTTP status code.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    /// What went wrong this time, for a person (clipped to 2,000 characters).
    #[schema(max_length = 2000)]
    pub detail: String,
    /// The path of the request that failed (clipped to 2,048 characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 2048)]
    pub instance: Option<String>,
    /// Per-field validation errors (only on `validation` problems), at most 1,000.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 1000)]
    pub errors: Option<Vec<FieldError>>,
    /// OAuth 2.0 error code (RFC 6749 §5.2), only on token endpoint problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 32, pattern = "^[a-z_]+$")]
    pub error: Option<String>,
}

pub const PROBLEM_BASE: &str = "https://fairhire.dev/problems/";

// The most a problem says, as its schema documents: a field named in a request, or the path,
// can be as long as the client made it.
const MAX_DETAIL_CHARS: usize = 2000;
const MAX_INSTANCE_CHARS: usize = 2048;
const MAX_FIELD_CHARS: usize = 300;
const MAX_MESSAGE_CHARS: usize = 1000;
/// More faults than this are counted in `detail` and not each named.
const MAX_FIELD_ERRORS: usize = 1000;

/// `text` cut to `max` characters, the last of them `…` when it was cut.
fn clip(mut text: String, max: usize) -> String {
    if let Some((cut, _)) = text.char_indices().nth(max.saturating_sub(1))
        && text[cut..].chars().nth(1).is_some()
    {
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// The `Retry-After` of a 503: long enough for a restarting database or a failover to come
/// back, short enough that a client does not give up on a blip.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 2;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// A token-endpoint failure, carrying the OAuth error code.
    #[error("oauth error {code}: {detail}")]
    OAuth { status: StatusCode, code: &'static str, detail: String },
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("method not allowed")]
    MethodNotAllowed { allowed: String },
    /// The `Accept` header names no media type the operation answers with.
    #[error("not acceptable: {0}")]
    NotAcceptable(String),
    #[error("conflict: {0}")]
    Conflict(String),
    /// The resource existed and was removed on purpose (an erased evidence file).
    #[error("gone: {0}")]
    Gone(String),
    #[error("precondition failed: {0}")]
    PreconditionFailed(String),
    #[error("payload too large: {0}")]
    PayloadTooLarge(String),
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    #[error("too many requests")]
    TooManyRequests { retry_after_secs: u64 },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// Something broke on our side. The cause is logged with the request id and never sent.
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        AppError::Internal(cause.to_string())
    }

    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    /// The stable slug of this kind of problem (the last segment of `type`).
    pub fn slug(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation",
            AppError::BadRequest(_) => "bad-request",
            AppError::Unauthorized(_) => "unauthorized",
            AppError::OAuth { code, .. } => match *code {
                "invalid_client" => "invalid-client",
                "unsupported_grant_type" => "unsupported-grant-type",
                "invalid_scope" => "invalid-scope",
                _ => "invalid-request",
            },
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound(_) => "not-found",
            AppError::MethodNotAllowed { .. } => "method-not-allowed",
            AppError::NotAcceptable(_) => "not-acceptable",
            AppError::Conflict(_) => "conflict",
            AppError::Gone(_) => "gone",
            AppError::PreconditionFailed(_) => "precondition-failed",
            AppError::PayloadTooLarge(_) => "payload-too-large",
            AppError::UnsupportedMediaType(_) => "unsupported-media-type",
            AppError::TooManyRequests { .. } => "rate-limited",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "The request is not valid",
            AppError::BadRequest(_) => "The request could not be read",
            AppError::Unauthorized(_) => "Authentication is required",
            AppError::OAuth { .. } => "The token request was refused",
            AppError::Forbidden(_) => "Not permitted",
            AppError::NotFound(_) => "Not found",
            AppError::MethodNotAllowed { .. } => "Method not allowed",
            AppError::NotAcceptable(_) => "Not acceptable",
            AppError::Conflict(_) => "Conflict with the current state",
            AppError::Gone(_) => "Gone",
            AppError::PreconditionFailed(_) => "Precondition failed",
            AppError::PayloadTooLarge(_) => "Request body too large",
            AppError::UnsupportedMediaType(_) => "Unsupported media type",
            AppError::TooManyRequests { .. } => "Too many requests",
            AppError::Unavailable(_) => "Service unavailable",
            AppError::Internal(_) => "Internal error",
        }
    }

    fn detail(&self) -> String {
        match self {
            AppError::Validation(errors) => match errors.len() {
                1 => format!("{}: {}", errors[0].field, errors[0].message),
                n => format!("{n} fields are not valid"),
            },
            AppError::BadRequest(d)
            | AppError::Unauthorized(d)
            | AppError::Forbidden(d)
            | AppError::NotFound(d)
            | AppError::NotAcceptable(d)
            | AppError::Conflict(d)
            | AppError::Gone(d)
            | AppError::PreconditionFailed(d)
            | AppError::PayloadTooLarge(d)
            | AppError::UnsupportedMediaType(d)
            | AppError::Unavailable(d) => d.clone(),
            AppError::OAuth { detail, .. } => detail.clone(),
            AppError::MethodNotAllowed { allowed } => {
                format!("this resource supports only: {allowed}")
            }
            AppError::TooManyRequests { retry_after_secs } => {
                format!("rate limit reached; retry in {retry_after_secs} s")
            }
            AppError::Internal(_) => {
                "an internal error occurred; quote the x-request-id header when reporting it".to_owned()
            }
        }
    }

    /// The problem document for this error, for the request at `instance`. Texts that may echo
    /// the request (a field's name, the path) are clipped to the documented maxima.
    pub fn to_problem(&self, instance: Option<String>) -> Problem {
        Problem {
            kind: format!("{PROBLEM_BASE}{}", self.slug()),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            detail: clip(self.detail(), MAX_DETAIL_CHARS),
            instance: instance.map(|path| clip(path, MAX_INSTANCE_CHARS)),
            errors: match self {
                AppError::Validation(errors) => Some(
                    errors
                        .iter()
                        .take(MAX_FIELD_ERRORS)
                        .map(|e| FieldError {
                            field: clip(e.field.clone(), MAX_FIELD_CHARS),
                            message: clip(e.message.clone(), MAX_MESSAGE_CHARS),
                        })
                        .collect(),
                ),
                _ => None,
            },
            error: match self {
                AppError::OAuth { code, .. } => Some((*code).to_owned()),
                _ => None,
            },
        }
    }
}

/// Renders `err` as a problem response. Internal causes are logged here, once.
pub fn problem_response(err: &AppError, instance: Option<String>) -> HttpResponse {
    if let AppError::Internal(cause) = err {
        tracing::error!(cause = %cause, "internal error");
    }
    let mut builder = HttpResponse::build(err.status_code());
    builder.insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json")));
    match err {
        AppError::MethodNotAllowed { allowed } => {
            if let Ok(v) = HeaderValue::from_str(allowed) {
                builder.insert_header((header::ALLOW, v));
            }
        }
        AppError::TooManyRequests { retry_after_secs } => {
            builder.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        AppError::Unavailable(_) => {
            builder.insert_header((header::RETRY_AFTER, UNAVAILABLE_RETRY_AFTER_SECS.to_string()));
        }
        AppError::Unauthorized(_) => {
            builder.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"fairhire\""));
        }
        AppError::OAuth { status, .. } if *status == StatusCode::UNAUTHORIZED => {
            builder.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"fairhire\""));
        }
        _ => {}
    }
    let body = serde_json::to_vec(&err.to_problem(instance)).unwrap_or_default();
    builder.body(body)
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            AppError::OAuth { status, .. } => *status,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            AppError::NotAcceptable(_) => StatusCode::NOT_ACCEPTABLE,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Gone(_) => StatusCode::GONE,
            AppError::PreconditionFailed(_) => StatusCode::PRECONDITION_FAILED,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        // The instance is filled in by the request-id middleware, which knows the path.
        problem_response(self, None)
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => AppError::NotFound("no such resource".into()),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                AppError::Conflict("a resource with the same unique key already exists".into())
            }
            // A commit that failed is judged by why it failed.
            Error::RollbackErrorOnCommit { commit_error, .. } => AppError::from(*commit_error),
            other if lost_database(&other) => {
                // The message can name hosts and users: log it, send a generic detail.
                tracing::warn!(cause = %other, "the database is unavailable");
                if crate::db::is_locked(&other.to_string()) {
                    AppError::Unavailable("the database is busy; try again shortly".into())
                } else {
                    unavailable()
                }
            }
            other => AppError::Internal(format!("database: {other}")),
        }
    }
}

/// Whether a query failed because the database went away or is held by another process, rather
/// than because of the query: the server stopped or restarted under an open connection, or a
/// SQLite file stayed locked past the busy timeout. These are worth a retry, so they are a 503.
fn lost_database(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _) => true,
        // The rollback after a failure could not be sent: the connection is gone.
        Error::BrokenTransactionManager => true,
        // diesel names the kind only when libpq has already marked the connection as bad; these
        // are libpq's and the server's words for the same events, seen before it has.
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            let message = info.message();
            [
                "server closed the connection unexpectedly",
                "no connection to the server",
                "terminating connection due to administrator command",
            ]
            .iter()
            .any(|m| message.contains(m))
                || crate::db::is_locked(message)
        }
        _ => false,
    }
}

pub(crate) fn unavailable() -> AppError {
    AppError::Unavailable("the database is not reachable; try again shortly".into())
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> Self {
        // The pool's message can name hosts and users: log it, send a generic detail.
        tracing::error!(cause = %e, "database connection unavailable");
        unavailable()
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Flattens validator's nested errors into `field.path` / message pairs, sorted by field.
pub fn field_errors(errors: &validator::ValidationErrors) -> Vec<FieldError> {
    fn walk(prefix: &str, errors: &validator::ValidationErrors, out: &mut Vec<FieldError>) {
        for (field, kind) in errors.errors() {
            let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
            let path = if field == "__all__" { prefix.to_owned() } else { path };
            match kind {
                validator::ValidationErrorsKind::Field(list) => {
                    for e in list {
                        let message = e.message.as_ref().map(|m| m.to_string()).unwrap_or_else(|| describe(e));
                        out.push(FieldError::new(if path.is_empty() { "body".into() } else { path.clone() }, message));
                    }
                }
                validator::ValidationErrorsKind::Struct(inner) => walk(&path, inner, out),
                validator::ValidationErrorsKind::List(items) => {
                    for (i, inner) in items {
                        walk(&format!("{path}[{i}]"), inner, out);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk("", errors, &mut out);
    out.sort_by(|a, b| a.field.cmp(&b.field).then_with(|| a.message.cmp(&b.message)));
    out
}

/// A message for the built-in rules, which carry their parameters but no text.
fn describe(e: &validator::ValidationError) -> String {
    let p = |k: &str| e.params.get(k).map(|v| v.to_string());
    match e.code.as_ref() {
        "length" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("length must be between {min} and {max}"),
            (Some(min), None) => format!("length must be at least {min}"),
            (None, Some(max)) => format!("length must be at most {max}"),
            _ => "length is out of range".into(),
        },
        "range" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            _ => "is out of range".into(),
        },
        "email" => "must be an email address".into(),
        "url" => "must be an http or https URL".into(),
        code => format!("is not valid ({code})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_that_echo_the_request_are_clipped_to_the_documented_maxima() {
        assert_eq!(clip("abc".into(), 3), "abc");
        assert_eq!(clip("abcd".into(), 3), "ab…");
        assert_eq!(clip("ééé".into(), 3), "ééé", "characters, not bytes");
        let err = AppError::field("x".repeat(400), "y".repeat(2000));
        let problem = err.to_problem(Some(format!("/{}", "p".repeat(3000))));
        assert_eq!(problem.detail.chars().count(), MAX_DETAIL_CHARS);
        assert_eq!(problem.instance.unwrap().chars().count(), MAX_INSTANCE_CHARS);
        let errors = problem.errors.unwrap();
        assert_eq!(errors[0].field.chars().count(), MAX_FIELD_CHARS);
        assert_eq!(errors[0].message.chars().count(), MAX_MESSAGE_CHARS);
        let many = AppError::Validation((0..1500).map(|i| FieldError::new(format!("f{i}"), "m")).collect());
        let problem = many.to_problem(None);
        assert_eq!(problem.errors.unwrap().len(), MAX_FIELD_ERRORS);
        assert_eq!(problem.detail, "1500 fields are not valid");
    }

    #[test]
    fn an_internal_error_never_shows_its_cause() {
        let err = AppError::Internal("database: relation \"agencies\" does not exist at /srv".into());
        let problem = serde_json::to_string(&err.to_problem(Some("/v1/agencies".into()))).unwrap();
        assert!(!problem.contains("relation") && !problem.contains("/srv"), "{problem}");
        assert!(problem.contains("x-request-id"));
        assert_eq!(err.status_code(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn every_kind_has_a_stable_type_uri() {
        let err = AppError::Validation(vec![FieldError::new("limit", "must be between 1 and 200")]);
        let problem = err.to_problem(None);
        assert_eq!(problem.kind, "https://fairhire.dev/problems/validation");
        assert_eq!(problem.detail, "limit: must be between 1 and 200");
        let oauth = AppError::OAuth { status: StatusCode::UNAUTHORIZED, code: "invalid_client", detail: "x".into() };
        assert_eq!(oauth.to_problem(None).kind, "https://fairhire.dev/problems/invalid-client");
        assert_eq!(oauth.to_problem(None).error.as_deref(), Some("invalid_client"));
    }

    #[test]
    fn a_lost_or_locked_database_is_a_503_and_other_database_errors_a_500() {
        use diesel::result::{DatabaseErrorKind, Error};
        let db = |kind, message: &str| Error::DatabaseError(kind, Box::new(message.to_owned()));
        for lost in [
            db(DatabaseErrorKind::ClosedConnection, "server closed the connection unexpectedly"),
            db(DatabaseErrorKind::Unknown, "server closed the connection unexpectedly\n\tThis probably means..."),
            db(DatabaseErrorKind::UnableToSendCommand, "no connection to the server"),
            db(DatabaseErrorKind::Unknown, "terminating connection due to administrator command"),
            db(DatabaseErrorKind::Unknown, "database is locked"),
            Error::BrokenTransactionManager,
            Error::RollbackErrorOnCommit {
                rollback_error: Box::new(Error::BrokenTransactionManager),
                commit_error: Box::new(db(DatabaseErrorKind::ClosedConnection, "connection lost")),
            },
        ] {
            let err = AppError::from(lost);
            assert_eq!(err.slug(), "unavailable", "{err}");
            let res = err.error_response();
            assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
            assert_eq!(
                res.headers().get(header::RETRY_AFTER).unwrap(),
                UNAVAILABLE_RETRY_AFTER_SECS.to_string().as_str()
            );
        }
        for broken in [db(DatabaseErrorKind::Unknown, "syntax error at or near \"SELEC\""), Error::AlreadyInTransaction]
        {
            assert_eq!(AppError::from(broken).slug(), "internal");
        }
    }
}
