//! Request extractors that turn every way a request can be wrong into the right problem:
//! unreadable → 400, too large → 413, not JSON → 415, well-formed but invalid → 422.

use std::sync::OnceLock;

use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use utoipa::ToSchema;
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

pub(crate) fn is_json(headers: &HeaderMap) -> bool {
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
/// naming every field that is missing, of the wrong type, unknown or not one of the allowed
/// values, with its path; see [`shape_errors`]).
pub fn parse_json<T: DeserializeOwned + ToSchema>(bytes: &[u8]) -> Result<T, AppError> {
    // Syntax first, so that a truncated document is a 400 and not a complaint about its shape.
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| json_error(".", &e))?;
    if !value.is_object() {
        return Err(AppError::field("body", "must be a JSON object"));
    }
    if let Some(field) = nul_at(&value, "") {
        return Err(AppError::field(field, "must not contain NUL characters"));
    }
    match serde_path_to_error::deserialize::<_, T>(&value) {
        Ok(parsed) => Ok(parsed),
        Err(first) => Err(AppError::Validation(shape_errors::<T>(value, first))),
    }
}

/// At most this many shape errors are named, since each one costs a pass over the body.
const MAX_SHAPE_ERRORS: usize = 20;

/// Every shape error of a body that `T` refused, starting with `first`.
///
/// serde stops at the first error, so the body is deserialized again after each one, with the
/// faulty spot mended so that serde can get past it: a missing or wrongly typed field gets the
/// simplest value its documented schema allows (the first enum value, `""`, `0`, `false`, `[]`,
/// `null` where null is allowed, an object of such values), an unknown field is taken out.
/// serde stays the judge of what is wrong, so no error is reported that serde would not report
/// itself; the schema only supplies stand-ins. (Checking the body against the schema instead
/// would judge by the document, which differs from the readers in places: `CountryCode` is an
/// enum there and a plain string to serde, checked later by the validator.) A stand-in that serde
/// refuses in turn ends the search, as does a spot the schema does not describe. This costs
/// nothing on a valid body, and one pass per error on an invalid one, up to
/// [`MAX_SHAPE_ERRORS`]. The errors come sorted by field, like the validator's.
fn shape_errors<T: DeserializeOwned + ToSchema>(
    mut value: serde_json::Value,
    first: serde_path_to_error::Error<serde_json::Error>,
) -> Vec<FieldError> {
    let root = serde_json::to_value(T::schema()).unwrap_or_default();
    let mut errors: Vec<FieldError> = Vec::new();
    let mut mended: Vec<String> = Vec::new();
    let mut next = Some(first);
    while let Some(err) = next.take() {
        let error = match json_error(&err.path().to_string(), err.inner()) {
            AppError::Validation(mut list) if list.len() == 1 => list.remove(0),
            _ => break,
        };
        // An error at or under a stand-in of ours is about the stand-in, not the request.
        if mended.iter().any(|spot| within(&error.field, spot)) {
            break;
        }
        let mend = mend(&mut value, err.path(), &error.message, &root);
        mended.push(error.field.clone());
        errors.push(error);
        if !mend || errors.len() >= MAX_SHAPE_ERRORS {
            break;
        }
        next = serde_path_to_error::deserialize::<_, T>(&value).err();
    }
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    errors
}

/// Whether the dotted `field` is `spot` or lies under it.
fn within(field: &str, spot: &str) -> bool {
    field.strip_prefix(spot).is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
}

/// Mends `value` at the spot of an error so that deserializing can go on; false if it cannot.
fn mend(
    value: &mut serde_json::Value,
    path: &serde_path_to_error::Path,
    message: &str,
    root: &serde_json::Value,
) -> bool {
    use serde_path_to_error::Segment;
    let segments: Vec<&Segment> = path.iter().collect();
    let named = |prefix: &str| message.strip_prefix(prefix).and_then(|rest| rest.split('`').next());
    if let Some(name) = named("missing field `") {
        // The path is the object that lacks the field.
        let Some(schema) = schema_at(root, &segments).and_then(|s| property(s, name, 0)) else {
            return false;
        };
        let (Some(stand_in), Some(serde_json::Value::Object(object))) =
            (stand_in(schema, 0), value_at(value, &segments))
        else {
            return false;
        };
        object.insert(name.to_owned(), stand_in);
        return true;
    }
    let Some((last, parent)) = segments.split_last() else {
        return false;
    };
    if named("unknown field `").is_some() {
        // The path ends with the unknown key itself.
        return match (last, value_at(value, parent)) {
            (Segment::Map { key }, Some(serde_json::Value::Object(object))) => object.shift_remove(key).is_some(),
            _ => false,
        };
    }
    let (Some(stand_in), Some(spot)) =
        (schema_at(root, &segments).and_then(|s| stand_in(s, 0)), value_at(value, &segments))
    else {
        return false;
    };
    *spot = stand_in;
    true
}

/// The value at `segments` of a serde path.
fn value_at<'v>(
    value: &'v mut serde_json::Value,
    segments: &[&serde_path_to_error::Segment],
) -> Option<&'v mut serde_json::Value> {
    use serde_path_to_error::Segment;
    segments.iter().try_fold(value, |value, segment| match segment {
        Segment::Map { key } => value.get_mut(key.as_str()),
        Segment::Seq { index } => value.get_mut(*index),
        _ => None,
    })
}

/// References are followed this deep at most, and stand-ins are built this deep at most, so a
/// recursive schema cannot loop.
const MAX_SCHEMA_DEPTH: usize = 16;

/// The documented schemas, by name, that `$ref`s point to: the ones of the OpenAPI document, so
/// that the hand-written components (`CountryCode`, `CurrencyCode`) are there too.
fn components() -> &'static serde_json::Value {
    static COMPONENTS: OnceLock<serde_json::Value> = OnceLock::new();
    COMPONENTS.get_or_init(|| {
        let doc = crate::api::openapi();
        doc.components.and_then(|c| serde_json::to_value(c.schemas).ok()).unwrap_or_default()
    })
}

/// `schema` with its `$ref`s followed.
fn resolved(mut schema: &serde_json::Value) -> Option<&serde_json::Value> {
    for _ in 0..MAX_SCHEMA_DEPTH {
        let Some(reference) = schema.get("$ref").and_then(|r| r.as_str()) else {
            return Some(schema);
        };
        schema = components().get(reference.strip_prefix("#/components/schemas/")?)?;
    }
    None
}

/// The branches of a composed schema (`oneOf`, `anyOf`, `allOf`).
fn branches(schema: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
    ["oneOf", "anyOf", "allOf"].into_iter().filter_map(|k| schema.get(k)?.as_array()).flatten()
}

/// The schema of the value at `segments`, from the schema of the body.
fn schema_at<'s>(
    root: &'s serde_json::Value,
    segments: &[&serde_path_to_error::Segment],
) -> Option<&'s serde_json::Value> {
    use serde_path_to_error::Segment;
    segments.iter().try_fold(root, |schema, segment| match segment {
        Segment::Map { key } => property(schema, key, 0),
        Segment::Seq { .. } => items(schema, 0),
        _ => None,
    })
}

/// The schema of property `name` of an object schema, looking into composed schemas.
fn property<'s>(schema: &'s serde_json::Value, name: &str, depth: usize) -> Option<&'s serde_json::Value> {
    let schema = resolved(schema)?;
    if depth > MAX_SCHEMA_DEPTH {
        return None;
    }
    schema
        .get("properties")
        .and_then(|p| p.get(name))
        .or_else(|| branches(schema).find_map(|b| property(b, name, depth + 1)))
}

/// The schema of the items of an array schema, looking into composed schemas.
fn items(schema: &serde_json::Value, depth: usize) -> Option<&serde_json::Value> {
    let schema = resolved(schema)?;
    if depth > MAX_SCHEMA_DEPTH {
        return None;
    }
    schema.get("items").or_else(|| branches(schema).find_map(|b| items(b, depth + 1)))
}

/// The simplest value `schema` allows, as far as its types and enums tell; `None` when it does
/// not say. Lengths, patterns and ranges are not the business of deserializing (the validator
/// checks them afterwards), so they are ignored.
fn stand_in(schema: &serde_json::Value, depth: usize) -> Option<serde_json::Value> {
    use serde_json::Value;
    let schema = resolved(schema)?;
    if depth > MAX_SCHEMA_DEPTH {
        return None;
    }
    if let Some(first) = schema.get("enum").and_then(|e| e.as_array()).and_then(|e| e.first()) {
        return Some(first.clone());
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if types.contains(&"null") {
        return Some(Value::Null);
    }
    match types.first() {
        Some(&"string") => Some(Value::from(match schema.get("format").and_then(Value::as_str) {
            Some("uuid") => "00000000-0000-0000-0000-000000000000",
            Some("date") => "2000-01-01",
            Some("date-time") => "2000-01-01T00:00:00Z",
            _ => "",
        })),
        Some(&"integer" | &"number") => Some(Value::from(0)),
        Some(&"boolean") => Some(Value::Bool(false)),
        Some(&"array") => Some(Value::Array(Vec::new())),
        Some(&"object") => {
            let mut object = serde_json::Map::new();
            for name in schema.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str)
            {
                object.insert(name.to_owned(), stand_in(property(schema, name, 0)?, depth + 1)?);
            }
            Some(Value::Object(object))
        }
        Some(_) => None,
        // A composition: null if a branch allows it, else the first branch's stand-in.
        None => {
            let allows_null =
                branches(schema).any(|b| resolved(b).and_then(|b| b.get("type")) == Some(&Value::from("null")));
            if allows_null { Some(Value::Null) } else { branches(schema).next().and_then(|b| stand_in(b, depth + 1)) }
        }
    }
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

impl<T: DeserializeOwned + Validate + ToSchema + 'static> FromRequest for ValidJsonWithBytes<T> {
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

impl<T: DeserializeOwned + Validate + ToSchema + 'static> FromRequest for ValidJson<T> {
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

/// The longest `If-Match` or `If-None-Match` read: room for dozens of entity tags.
pub const MAX_IF_MATCH_CHARS: usize = 1024;

/// The raw `If-Match` header, if sent.
pub fn if_match(req: &HttpRequest) -> Result<Option<String>, AppError> {
    let Some(value) = req.headers().get(header::IF_MATCH) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| AppError::BadRequest("If-Match is not readable".into()))?;
    if value.len() > MAX_IF_MATCH_CHARS {
        return Err(AppError::BadRequest(format!("If-Match must be at most {MAX_IF_MATCH_CHARS} characters")));
    }
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
    WebhookRes => "webhook subscription",
    DeliveryRes => "delivery",
    ReportRes => "report",
    SubAgentRes => "sub-agent link",
    FileRes => "evidence file",
    GrantRes => "sharing grant",
    AppealRes => "appeal",
    ComplaintRes => "complaint",
);

/// A path segment that must be a UUID naming an `R`: the id in canonical form, or 404.
pub fn path_uuid<R: Named>(raw: &str) -> Result<String, AppError> {
    uuid::Uuid::try_parse(raw)
        .map(|id| id.hyphenated().to_string())
        .map_err(|_| AppError::NotFound(format!("no {} with id {raw}", R::WHAT)))
}

impl<R: Named> FromRequest for PathId<R> {
    type Error = AppError;
    type Future = std::future::Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let raw = req.match_info().get("id").unwrap_or("");
        std::future::ready(path_uuid::<R>(raw).map(|id| PathId(id, std::marker::PhantomData)))
    }
}

pub type AgencyId = PathId<AgencyRes>;
pub type AssessmentId = PathId<AssessmentRes>;
pub type BodyId = PathId<BodyRes>;
pub type ApplicationId = PathId<ApplicationRes>;
pub type ActionId = PathId<ActionRes>;
pub type ClientId = PathId<ClientRes>;
pub type WebhookId = PathId<WebhookRes>;
pub type FileId = PathId<FileRes>;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services;

    /// Whether serde accepts the stand-in of `T`'s whole schema: if it does, every required
    /// field of `T` can be mended, so every missing one is named.
    fn stand_in_is_accepted<T: DeserializeOwned + ToSchema>() -> Result<(), String> {
        let schema = serde_json::to_value(T::schema()).map_err(|e| e.to_string())?;
        let value = stand_in(&schema, 0).ok_or_else(|| format!("{}: no stand-in", T::name()))?;
        serde_json::from_value::<T>(value.clone())
            .map(|_| ())
            .map_err(|e| format!("{}: {value} refused: {e}", T::name()))
    }

    #[test]
    fn every_request_body_has_a_stand_in_serde_accepts() {
        let results = [
            stand_in_is_accepted::<services::agencies::AgencyInput>(),
            stand_in_is_accepted::<services::agencies::AgencyPatch>(),
            stand_in_is_accepted::<services::applications::ApplicationInput>(),
            stand_in_is_accepted::<services::applications::DecisionInput>(),
            stand_in_is_accepted::<services::assessments::AssessmentInput>(),
            stand_in_is_accepted::<services::assessments::FindingInput>(),
            stand_in_is_accepted::<services::certification::TransitionInput>(),
            stand_in_is_accepted::<services::certification_bodies::BodyInput>(),
            stand_in_is_accepted::<services::certification_bodies::BodyPatch>(),
            stand_in_is_accepted::<services::clients::ClientInput>(),
            stand_in_is_accepted::<services::sub_agents::SubAgentInput>(),
            stand_in_is_accepted::<services::grants::GrantInput>(),
            stand_in_is_accepted::<services::watchlist::WatchlistChange>(),
            stand_in_is_accepted::<services::verifications::VerificationRequest>(),
            stand_in_is_accepted::<services::webhooks::SubscriptionInput>(),
            stand_in_is_accepted::<services::reports::ReportInput>(),
            stand_in_is_accepted::<services::reports::Moderation>(),
            stand_in_is_accepted::<services::corrective_actions::PlanInput>(),
            stand_in_is_accepted::<services::corrective_actions::EvidenceInput>(),
            stand_in_is_accepted::<services::corrective_actions::RejectInput>(),
            stand_in_is_accepted::<crate::domain::standard::StandardContent>(),
            stand_in_is_accepted::<crate::api::oauth::TokenRequest>(),
        ];
        let refused: Vec<String> = results.into_iter().filter_map(Result::err).collect();
        assert!(refused.is_empty(), "{refused:#?}");
    }

    #[test]
    fn every_missing_and_mistyped_field_is_named_with_its_path() {
        let body = serde_json::json!({
            "legal_name": 7,
            "licence": {"issuing_authority": ["x"], "valid_from": "yesterday"},
            "sectors": ["construction", "astronaut", 3],
            "nickname": "Himal"
        });
        let err = parse_json::<services::agencies::AgencyInput>(body.to_string().as_bytes()).err();
        let Some(AppError::Validation(errors)) = err else { panic!("{err:?}") };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "destination_countries",
                "legal_name",
                "licence.country",
                "licence.issuing_authority",
                "licence.number",
                "licence.valid_from",
                "nickname",
                "origin_countries",
                "sectors[1]",
                "sectors[2]",
            ],
            "{errors:#?}"
        );
    }

    #[test]
    fn a_path_is_within_itself_and_its_children_only() {
        assert!(within("licence", "licence"));
        assert!(within("licence.country", "licence"));
        assert!(within("sectors[1]", "sectors"));
        assert!(!within("licences", "licence"));
    }

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
