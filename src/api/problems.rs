//! The documented error responses, one reusable OpenAPI response per kind of problem. An
//! operation lists the ones it can answer: `responses((status = 200, ...), Forbidden)`.

use std::collections::BTreeMap;

use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};
use utoipa::{IntoResponses, ToResponse};

use crate::error::{AppError, FieldError, Problem};

fn problem_response(description: &str, example: &AppError) -> Response {
    let mut example =
        serde_json::to_value(example.to_problem(Some("/v1/agencies/0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90".into())))
            .unwrap_or_default();
    if let Some(obj) = example.as_object_mut() {
        obj.remove("instance");
    }
    let mut response = ResponseBuilder::new().description(description).content(
        "application/problem+json",
        ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).example(Some(example.clone())).build(),
    );
    // A client told to wait is told how long.
    if matches!(example.get("status").and_then(|s| s.as_u64()), Some(429 | 503)) {
        response = response.header_ref("Retry-After", Ref::new("#/components/headers/Retry-After"));
    }
    for name in crate::api::openapi::RATE_LIMIT_HEADERS {
        response = response.header_ref(name, Ref::new(format!("#/components/headers/{name}")));
    }
    response.build()
}

macro_rules! problem_responses {
    ($($name:ident = $status:literal, $description:literal, $example:expr;)*) => {
        $(
            #[doc = $description]
            pub struct $name;

            impl<'s> ToResponse<'s> for $name {
                fn response() -> (&'s str, RefOr<Response>) {
                    (stringify!($name), RefOr::T(problem_response($description, &$example)))
                }
            }

            impl IntoResponses for $name {
                fn responses() -> BTreeMap<String, RefOr<Response>> {
                    BTreeMap::from([($status.to_string(), RefOr::Ref(Ref::from_response_name(stringify!($name))))])
                }
            }
        )*

        /// Every problem response, for the components section of the document.
        pub fn all() -> Vec<(String, RefOr<Response>)> {
            vec![$((stringify!($name).to_string(), <$name as ToResponse>::response().1)),*]
        }

        /// The status of the problem response named `name`.
        pub fn status_of(name: &str) -> u16 {
            match name {
                $(stringify!($name) => $status,)*
                _ => 500,
            }
        }
    };
}

problem_responses! {
    BadRequest = 400, "The request could not be read: malformed JSON, query string, cursor or header.",
        AppError::BadRequest("malformed JSON: expected `,` or `}` at line 1 column 18".into());
    Unauthorized = 401, "No bearer token, or one that is expired, revoked or not ours.",
        AppError::Unauthorized("the bearer token is not valid".into());
    Forbidden = 403, "The token is valid but its role may not do this.",
        AppError::Forbidden("the integrator role may not register agencies".into());
    NotFound = 404, "No such resource.",
        AppError::NotFound("no agency with id 0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90".into());
    NotAcceptable = 406, "The `Accept` header names no media type this operation answers with.",
        AppError::NotAcceptable("an attestation is served as application/jose or application/json".into());
    Conflict = 409, "The request conflicts with the current state, e.g. a duplicate licence.",
        AppError::Conflict("an agency with licence POEA-123-2024 issued in PH is already registered".into());
    Gone = 410, "The resource was removed on purpose and will not come back, e.g. an erased evidence file.",
        AppError::Gone("the contents of evidence file 0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90 were erased".into());
    PreconditionFailed = 412, "`If-Match` names a version that is no longer current.",
        AppError::PreconditionFailed("the agency has changed since \"v1\"; fetch it again".into());
    PayloadTooLarge = 413, "The request body is larger than the service accepts.",
        AppError::PayloadTooLarge("the body exceeds 262144 bytes".into());
    UnsupportedMediaType = 415, "The body is not sent as JSON.",
        AppError::UnsupportedMediaType("send the body as application/json".into());
    Unprocessable = 422, "The body or query parameters are well-formed but not valid; `errors` names each field.",
        AppError::Validation(vec![FieldError::new("licence.country", "must be an ISO 3166-1 alpha-2 country code")]);
    TooManyRequests = 429, "Rate limit reached; `Retry-After` says when to try again.",
        AppError::TooManyRequests { retry_after_secs: 1 };
    ServiceUnavailable = 503, "The database is not reachable; `Retry-After` says when to try again.",
        AppError::Unavailable("the database is not reachable; try again shortly".into());
    InternalError = 500, "Something broke on our side. The detail asks to quote the `x-request-id` header; the cause is logged, never sent.",
        AppError::Internal("never shown".into());
}

/// The schema of every problem response, referenced by name above.
pub fn schemas() -> Vec<(String, RefOr<utoipa::openapi::schema::Schema>)> {
    use utoipa::PartialSchema;
    vec![("Problem".into(), Problem::schema()), ("FieldError".into(), FieldError::schema())]
}

/// An optional request header of string `schema`, for `params(...)` of an operation.
fn optional_header(
    name: &str,
    description: &str,
    schema: utoipa::openapi::ObjectBuilder,
    example: Option<&str>,
) -> Vec<utoipa::openapi::path::Parameter> {
    use utoipa::openapi::Required;
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    vec![
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(description))
            .schema(Some(schema))
            .example(example.map(|e| serde_json::json!(e)))
            .build(),
    ]
}

/// The `If-Match` request header, on operations that change a versioned resource.
pub struct IfMatch;

impl utoipa::IntoParams for IfMatch {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::{ObjectBuilder, Type};
        // The RFC 9110 grammar, so that what the document calls valid is what the service reads
        // (white space around the value is not part of a field value on the wire).
        let tags = r#"^(\*|(W/)?"[!#-~]*"([ \t]*,[ \t]*(W/)?"[!#-~]*")*)$"#;
        optional_header(
            "If-Match",
            "The `ETag` the change is based on: `*`, or one or more entity tags.",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(crate::api::extract::MAX_IF_MATCH_CHARS))
                .pattern(Some(tags)),
            Some("\"v1\""),
        )
    }
}

/// The `Accept-Language` request header, on operations whose texts come in several languages.
pub struct AcceptLanguage;

impl utoipa::IntoParams for AcceptLanguage {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::{ObjectBuilder, Type};
        optional_header(
            "Accept-Language",
            "The languages wanted, with qualities (RFC 9110 §12.5.4). Without it, or when nothing \
             matches, the standard's base language.",
            ObjectBuilder::new().schema_type(Type::String).max_length(Some(1024)),
            Some("fr-CA, fr;q=0.9, en;q=0.5"),
        )
    }
}

/// The `Idempotency-Key` request header, on operations that create.
pub struct IdempotencyKey;

impl utoipa::IntoParams for IdempotencyKey {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::{ObjectBuilder, Type};
        optional_header(
            "Idempotency-Key",
            "Makes a retry return the first answer instead of creating twice (kept 24 hours).",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(255))
                .pattern(Some("^[!-~]+$")),
            None,
        )
    }
}
