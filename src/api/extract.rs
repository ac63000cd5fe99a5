//! Request extractors that turn every way a request can be wrong into the right problem:
//! unreadable → 400, too large → 413, not JSON → 415, well-formed but invalid → 422.

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use validator::Validate;

use crate::error::{AppError, FieldError};
use crate::state::AppState;

/// A JSON body, deserialized and validated.
pub struct ValidJson<T>(pub T);

/// A JSON body, deserialized and validated, with the raw bytes kept (for idempotency hashing).
pub struct ValidJsonWithBytes<T> {
    pub value: T,
    pub bytes: web::Bytes,
}

/// Query parameters, deserialized and validated.
pub struct ValidQuery<T>(pub T);

fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads the whole body, refusing more than `limit` bytes.
pub async fn read_body(headers: &HeaderMap, payload: &mut Payload, limit: usize) -> Result<web::Bytes, AppError> {
    let too_large = || AppError::PayloadTooLarge(format!("the body exceeds {limit} bytes"));
    let declared =
        headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(1024).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(format!("the body could not be read: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// Parses a JSON object, telling a syntax error (400) from a value of the wrong shape (422,
/// with the path of the field).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // Syntax first, so that a truncated document is a 400 and not a complaint about its shape.
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| json_error(".", &e))?;
    if !value.is_object() {
        return Err(AppError::field("body", "must be a JSON object"));
    }
    if let Some(field) = nul_at(&value, "") {
        return Err(AppError::field(field, "must not contain NUL characters"));
    }
    serde_path_to_error::deserialize::<_, T>(value).map_err(|e| {
        let path = e.path().to_string();
        json_error(&path, e.inner())
    })
}

/// The path of the first string (or key) holding a NUL character. PostgreSQL cannot store one
/// in text, and no field has a use for it, so it is refused for every backend alike.
fn nul_at(value: &serde_json::Value, path: &str) -> Option<String> {
    let here = || if path.is_empty() { "body".to_owned() } else { path.to_owned() };
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(here()),
        serde_json::Value::Array(items) => {
            items.iter().enumerate().find_map(|(i, v)| nul_at(v, &format!("{}[{i}]", here())))
        }
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let field = if path.is_empty() { k.clone() } else { format!("{path}.{k}") };
            if k.contains('\0') { Some(here()) } else { nul_at(v, &field) }
        }),
        _ => None,
    }
}

fn json_error(path: &str, e: &serde_json::Error) -> AppError {
    use serde_json::error::Category;
    // serde_json appends " at line L column C"; keep the position only for syntax errors.
    let full = e.to_string();
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => AppError::BadRequest(format!("malformed JSON: {full}")),
        Category::Data => {
            let message = full.split(" at line ").next().unwrap_or(&full).to_owned();
            let parent = if path == "." || path.is_empty() { None } else { Some(path) };
            // serde names a missing field only in its message; point at the field itself.
            let missing = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next());
            let field = match (parent, missing) {
                (Some(parent), Some(name)) => format!("{parent}.{name}"),
                (None, Some(name)) => name.to_owned(),
                (Some(parent), None) => parent.to_owned(),
                (None, None) => "body".to_owned(),
            };
            AppError::Validation(vec![FieldError::new(field, message)])
        }
    }
}

fn json_limit(req: &HttpRequest) -> usize {
    req.app_data::<web::Data<AppState>>().map(|s| s.config.limits.json_body_bytes).unwrap_or(256 * 1024)
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJsonWithBytes<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req.headers());
        let limit = json_limit(req);
        let headers = req.headers().clone();
        let mut payload = payload.take();
        Box::pin(async move {
            if !json {
                return Err(AppError::UnsupportedMediaType("send the body as application/json".into()));
            }
            let bytes = read_body(&headers, &mut payload, limit).await?;
            let value: T = parse_json(&bytes)?;
            crate::services::validate(&value)?;
            Ok(ValidJsonWithBytes { value, bytes })
        })
    }
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let inner = ValidJsonWithBytes::<T>::from_request(req, payload);
        Box::pin(async move { inner.await.map(|b| ValidJson(b.value)) })
    }
}

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidQuery<T> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parsed = serde_urlencoded::from_str::<T>(req.query_string())
            .map_err(|e| AppError::BadRequest(format!("malformed query string: {e}")))
            .and_then(|v| crate::services::validate(&v).map(|_| ValidQuery(v)));
        std::future::ready(parsed)
    }
}

/// The `Idempotency-Key` header, if sent: 1–255 visible ASCII characters.
pub fn idempotency_key(req: &HttpRequest) -> Result<Option<String>, AppError> {
    let Some(value) = req.headers().get("idempotency-key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("");
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AppError::BadRequest("Idempotency-Key must be 1 to 255 visible ASCII characters".into()));
    }
    Ok(Some(key.to_owned()))
}

/// The raw `If-Match` header, if sent.
pub fn if_match(req: &HttpRequest) -> Result<Option<String>, AppError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| AppError::BadRequest("If-Match is not readable".into()))?;
    if !is_if_match(value) {
        return Err(AppError::BadRequest(
            "If-Match must be * or a list of entity tags such as \"v3\" (RFC 9110 §13.1.1)".into(),
        ));
    }
    Ok(Some(value.to_owned()))
}

/// `*`, or one or more comma-separated entity tags (`"…"` or `W/"…"`). An empty or otherwise
/// malformed header is a client's mistake (400), not a condition that failed (412).
fn is_if_match(value: &str) -> bool {
    let value = value.trim();
    if value == "*" {
        return true;
    }
    let mut rest = value;
    loop {
        rest = rest.trim_start();
        let tag = rest.strip_prefix("W/").unwrap_or(rest);
        let Some(inner) = tag.strip_prefix('"') else {
            return false;
        };
        let Some(end) = inner.find('"') else {
            return false;
        };
        if !inner[..end].bytes().all(|b| b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80) {
            return false;
        }
        rest = inner[end + 1..].trim_start();
        match rest.strip_prefix(',') {
            Some(more) => rest = more,
            None => return rest.is_empty(),
        }
    }
}

/// An `{id}` path segment that is a UUID. A malformed id names nothing, so it is answered 404
/// before any query runs; `what` says which kind of resource was asked for.
pub struct PathId<R>(pub String, std::marker::PhantomData<R>);

impl<R> PathId<R> {
    pub fn into_inner(self) -> String {
        self.0
    }
}

/// A kind of resource addressed by id, for [`PathId`]'s 404.
pub trait Named {
    const WHAT: &'static str;
}

macro_rules! named {
    ($($name:ident => $what:literal),* $(,)?) => {$(
        pub struct $name;
        impl Named for $name {
            const WHAT: &'static str = $what;
        }
    )*};
}

named!(
    AgencyRes => "agency",
    AssessmentRes => "assessment",
    BodyRes => "certification body",
    ApplicationRes => "application",
    ActionRes => "corrective action",
    ClientRes => "API client",
);

impl<R: Named> FromRequest for PathId<R> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let raw = req.match_info().get("id").unwrap_or("");
        let parsed = match uuid::Uuid::try_parse(raw) {
            Ok(id) => Ok(PathId(id.hyphenated().to_string(), std::marker::PhantomData)),
            Err(_) => Err(AppError::NotFound(format!("no {} with id {raw}", R::WHAT))),
        };
        std::future::ready(parsed)
    }
}

pub type AgencyId = PathId<AgencyRes>;
pub type AssessmentId = PathId<AssessmentRes>;
pub type BodyId = PathId<BodyRes>;
pub type ApplicationId = PathId<ApplicationRes>;
pub type ActionId = PathId<ActionRes>;
pub type ClientId = PathId<ClientRes>;

#[cfg(test)]
mod tests {
    use super::is_if_match;

    #[test]
    fn if_match_is_a_star_or_a_list_of_entity_tags() {
        for good in ["*", "\"v3\"", " \"v3\" ", "\"v3\", W/\"v4\"", "\"\""] {
            assert!(is_if_match(good), "{good}");
        }
        for bad in ["", " ", "v3", "\"v3", "\"v3\",", "*, \"v3\"", "\"v3\" \"v4\"", "W/v3"] {
            assert!(!is_if_match(bad), "{bad}");
        }
    }
}
