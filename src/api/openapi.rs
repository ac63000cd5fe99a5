//! The OpenAPI document: the parts no route declares (info, tags, security schemes, shared
//! responses). Routes add themselves when registered through utoipa-actix-web.

use utoipa::openapi::schema::{KnownFormat, Object, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::security::{ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, OpenApi as OpenApiDoc, RefOr};
use utoipa::{Modify, OpenApi};

use crate::api::event_model::WebhookPayload;
use crate::api::problems;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "fairhire",
        description = "Recruitment-integrity due diligence: a registry of labour-recruitment agencies, \
their audits against an ethical-recruitment standard, and their certification status.\n\n\
Authenticate with `POST /v1/oauth/token` (client credentials) and send the token as \
`Authorization: Bearer <token>`. Every error is an RFC 9457 `application/problem+json` document \
whose `type` names the kind of problem.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    tags(
        (name = "agencies", description = "The registry of recruitment agencies."),
        (name = "public", description = "The public registry and signed status attestations; no token needed."),
        (name = "standards", description = "Versioned ethical-recruitment standards and their scoring policies."),
        (name = "certification bodies", description = "Accredited bodies whose auditors assess agencies."),
        (name = "certification", description = "Applications and the certification cycle."),
        (name = "assessments", description = "Audits filed criterion by criterion, and their explained scores."),
        (name = "corrective actions", description = "What an agency must put right after an audit."),
        (name = "evidence files", description = "Files attached to assessments, findings and corrective actions: kinds judged by content, stored once by SHA-256. An upload's body is the file's bytes as they are (send `Content-Type: application/octet-stream`; the declared type is ignored). Accepted, judged from the content: PDF, PNG, JPEG, WebP, XLSX, ODS and CSV (UTF-8 text); anything else is a 415. A file larger than `files.max_bytes` (25 MiB by default) is a 413, refused as soon as the limit is passed. The name goes in `name`; `names_workers=true` marks a file that names workers, erased when its retention period ends."),
        (name = "events", description = "The tamper-evident event log: the change feed and its verification."),
        (name = "watchlist", description = "The agencies an integrator works with; narrows the feed and webhooks."),
        (name = "verifications", description = "Bulk verification of agencies, by id, licence or name, with a signed attestation of the answer."),
        (name = "webhooks", description = "Signed pushes of events to an integrator's URL (Standard Webhooks)."),
        (name = "grants", description = "Sharing grants: an agency lets an integrator read its full findings until a date; every read is recorded."),
        (name = "appeals", description = "Appeals of decisions about an agency, and complaints about certification bodies and their auditors."),
        (name = "reports", description = "Worker reports of abuse: filed and followed up without a token, moderated by admins."),
        (name = "personal data", description = "Erasing a person's data on request (admins only); the retention policy erases it on its own."),
        (name = "clients", description = "API clients (admins only)."),
        (name = "auth", description = "Tokens and the keys that verify them."),
        (name = "operations", description = "Probes for orchestrators, and metrics for the operator's monitoring.")
    ),
    modifiers(&Shared)
)]
struct ApiDoc;

struct Shared;

impl Modify for Shared {
    fn modify(&self, doc: &mut OpenApiDoc) {
        let mut components = doc.components.take().unwrap_or_else(|| ComponentsBuilder::new().build());
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "An access token from `POST /v1/oauth/token`: a JWT handled as RFC8725 (JSON Web Token Best \
Current Practices) advises. One algorithm only (EdDSA), explicitly typed (`typ: at+jwt`), with a `kid` the \
JWKS publishes; issuer and audience are checked, `exp` and `nbf` are required. It lives 15 minutes by default.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "client_credentials",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::ClientCredentials(ClientCredentials::new("/v1/oauth/token", Scopes::new()))],
                "How an API client gets the bearer token: OAuth 2.0 client credentials (RFC 6749 §4.4). The token is a \
short-lived JWT handled as RFC8725 advises (see `bearer`); no refresh token is issued (RFC 6749 §4.4.3): ask for a \
new token with the same credentials.",
            )),
        );
        for (name, header) in shared_headers() {
            components.headers.insert(name.into(), RefOr::T(header));
        }
        for (name, response) in problems::all() {
            components.responses.insert(name, response);
        }
        for (name, schema) in
            [crate::domain::schema::country_code_component(), crate::domain::schema::currency_code_component()]
        {
            components.schemas.insert(name, schema);
        }
        for (name, schema) in problems::schemas() {
            components.schemas.insert(name, schema);
        }
        let mut payload = Vec::new();
        <WebhookPayload as utoipa::ToSchema>::schemas(&mut payload);
        payload.push(("WebhookPayload".into(), <WebhookPayload as utoipa::PartialSchema>::schema()));
        for (name, schema) in payload {
            components.schemas.entry(name).or_insert(schema);
        }
        doc.components = Some(components);
        doc.webhooks = Some(webhooks());
        doc.servers = Some(vec![server()]);
    }
}

/// The requests the service sends to a subscription's URL (OpenAPI 3.1 `webhooks`): one
/// `POST` per event, signed per the Standard Webhooks specification.
fn webhooks() -> utoipa::openapi::Paths {
    use utoipa::openapi::content::ContentBuilder;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, PathItem};
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::response::ResponseBuilder;
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    use utoipa::openapi::{PathsBuilder, Ref, Required};

    let header = |name: &str, description: &str, example: &str, longest: usize, pattern: &str| {
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some(description))
            .schema(Some(
                ObjectBuilder::new().schema_type(Type::String).max_length(Some(longest)).pattern(Some(pattern)),
            ))
            .example(Some(serde_json::json!(example)))
            .build()
    };
    let operation = OperationBuilder::new()
        .operation_id(Some("event_webhook"))
        .tag("webhooks")
        .summary(Some("An event, pushed to a subscription's URL"))
        .description(Some(
            "Sent once per event a subscription matches, from an outbox written with the event.              Verify the signature before trusting the body: HMAC-SHA256, keyed with the secret's              bytes after `whsec_` (base64-decoded), over `{webhook-id}.{webhook-timestamp}.{body}`.              Answer any 2xx to acknowledge. Anything else, or no answer within the timeout, is              retried with exponential backoff and jitter (a `Retry-After` on 429 or 503 is              honoured); 410 disables the subscription, as do three days of failures. Retries              keep the `webhook-id`: drop a delivery whose id you have already processed.",
        ))
        .parameter(header(
            "webhook-id",
            "The delivery's id (a UUID), the same on every retry.",
            "0193f0c1-9a00-7c3e-8d55-3c1f0a7b2e11",
            36,
            "^[0-9a-f-]{36}$",
        ))
        .parameter(header(
            "webhook-timestamp",
            "When this attempt was signed, in Unix seconds.",
            "1773108000",
            20,
            "^[0-9]{1,20}$",
        ))
        .parameter(header(
            "webhook-signature",
            "`v1,` and the base64 signature; during a secret rotation, one per secret, space-separated.",
            "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
            200,
            "^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$",
        ))
        .request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("WebhookPayload"))).build())
                .build(),
        ))
        .response("200", ResponseBuilder::new().description("Acknowledged (any 2xx)."))
        .response("410", ResponseBuilder::new().description("Gone: the subscription is disabled and no more events are sent."))
        .build();
    PathsBuilder::new().path("event", PathItem::new(HttpMethod::Post, operation)).build()
}

/// The base document that route registration fills in.
pub fn base() -> OpenApiDoc {
    ApiDoc::openapi()
}

/// The rate-limit headers every answer carries (draft-ietf-httpapi-ratelimit-headers):
/// `RateLimit-Policy` names the quota that applies to the request, `RateLimit` what is left of it.
pub const RATE_LIMIT_HEADERS: [&str; 2] = ["RateLimit", "RateLimit-Policy"];

/// The CORS headers every answer on a cross-origin path carries (see `middleware::cross_origin`).
const CORS_HEADERS: [&str; 2] = ["Access-Control-Allow-Origin", "Access-Control-Expose-Headers"];

/// The one server: wherever the document was served from. A deployment's address is the
/// operator's to choose, so the document names none.
fn server() -> utoipa::openapi::Server {
    use utoipa::openapi::extensions::ExtensionsBuilder;
    utoipa::openapi::ServerBuilder::new()
        .url("/")
        .description(Some(
            "This deployment, whichever it is (production, staging or a local test): the host that served this document.",
        ))
        .extensions(Some(ExtensionsBuilder::new().add("x-internal", false).build()))
        .build()
}

/// Response headers documented once and referred to by every response that carries them.
fn shared_headers() -> Vec<(&'static str, utoipa::openapi::Header)> {
    use utoipa::openapi::{HeaderBuilder, ObjectBuilder, Type};
    let text = |max: usize, pattern: &str| {
        ObjectBuilder::new().schema_type(Type::String).max_length(Some(max)).pattern(Some(pattern))
    };
    // An RFC 9651 list of items: a quoted policy name and its parameters (`"api";r=97;t=1`).
    let list = r#"^"[^"\\]{1,64}"(;[a-z][a-z0-9_.*-]*=[^;,\s]{1,64})*(, *"[^"\\]{1,64}"(;[a-z][a-z0-9_.*-]*=[^;,\s]{1,64})*)*$"#;
    vec![
        (
            "RateLimit",
            HeaderBuilder::new()
                .schema(Some(text(512, list)))
                .description(Some(
                    "What is left of the quota that applies to this request (draft-ietf-httpapi-ratelimit-headers): \
the policy's name, `r` the requests remaining and `t` the seconds until the quota is full again, e.g. \
`\"api\";r=97;t=1`.",
                ))
                .build(),
        ),
        (
            "RateLimit-Policy",
            HeaderBuilder::new()
                .schema(Some(text(512, list)))
                .description(Some(
                    "The quota that applies to this request (draft-ietf-httpapi-ratelimit-headers): the policy's \
name, `q` the requests allowed per window and `w` the window in seconds, e.g. `\"api\";q=100;w=1`.",
                ))
                .build(),
        ),
        (
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::Integer)
                        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
                        .minimum(Some(1))
                        .maximum(Some(86_400)),
                ))
                .description(Some("Seconds to wait before trying again (at least 1)."))
                .build(),
        ),
        (
            "Access-Control-Allow-Origin",
            HeaderBuilder::new()
                .schema(Some(ObjectBuilder::new().schema_type(Type::String).enum_values(Some(["*"]))))
                .description(Some("`*`: a page on any origin may read this answer (it needs no credentials)."))
                .build(),
        ),
        (
            "Access-Control-Expose-Headers",
            HeaderBuilder::new()
                .schema(Some(text(256, "^[A-Za-z0-9-]+(, *[A-Za-z0-9-]+)*$")))
                .description(Some(
                    "The headers a page may read besides the safelisted ones: `X-Request-Id`, `Retry-After`.",
                ))
                .build(),
        ),
    ]
}

/// Completes what every operation of a kind documents alike, so that routes list only what is
/// particular to them (403, 409):
///
/// | the operation | answers besides |
/// |---|---|
/// | any | 400 (an unreadable URL, query or header), 500 |
/// | any rate-limited (all but `metrics`) | 429 |
/// | any that needs the database (all but `healthz`, `get_jwks` and `metrics`) | 503 |
/// | with a bearer token | 401 |
/// | with a path parameter | 404 |
/// | with query parameters, or a body that is JSON only | 422 |
/// | with a body | 413, 415 |
/// | with an `If-Match` header | 412 |
///
/// Every answer documents the rate-limit headers, and every answer on a cross-origin path the
/// CORS headers. Then every schema gets the limits that are the same wherever they appear
/// ([`constrain`]).
pub fn add_common_responses(doc: &mut OpenApiDoc) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{Ref, RefOr};

    let shared = doc.components.as_ref().map(|c| c.responses.clone()).unwrap_or_default();
    for (path, item) in doc.paths.paths.iter_mut() {
        let cross_origin = crate::api::middleware::is_cross_origin(path);
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in operations.into_iter().flatten() {
            let id = op.operation_id.clone().unwrap_or_default();
            let params: Vec<(ParameterIn, String)> = op
                .parameters
                .iter()
                .flatten()
                .filter_map(|p| match p {
                    RefOr::T(p) => Some((p.parameter_in.clone(), p.name.clone())),
                    RefOr::Ref(_) => None,
                })
                .collect();
            let has = |place: ParameterIn| params.iter().any(|(p, _)| *p == place);
            let body = op.request_body.as_ref().map(|b| match b {
                RefOr::T(b) => b.content.keys().all(|c| c.contains("json")),
                RefOr::Ref(_) => true,
            });
            let secured = op.security.as_ref().is_some_and(|s| s.iter().any(|r| r != &Default::default()));
            let mut add = vec!["BadRequest", "InternalError"];
            if id != "metrics" {
                add.push("TooManyRequests");
            }
            if !matches!(id.as_str(), "healthz" | "get_jwks" | "metrics") {
                add.push("ServiceUnavailable");
            }
            if secured {
                add.push("Unauthorized");
            }
            if has(ParameterIn::Path) {
                add.push("NotFound");
            }
            if has(ParameterIn::Query) || body == Some(true) {
                add.push("Unprocessable");
            }
            if body.is_some() {
                add.extend(["PayloadTooLarge", "UnsupportedMediaType"]);
            }
            if params.iter().any(|(p, name)| *p == ParameterIn::Header && name == "If-Match") {
                add.push("PreconditionFailed");
            }
            for name in add {
                let status = problems::status_of(name);
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
            }
            for response in op.responses.responses.values_mut() {
                let mut headers: Vec<&str> = Vec::new();
                if let RefOr::Ref(to) = response {
                    // A shared problem already carries the rate-limit headers; on a cross-origin
                    // path it is copied here to carry the CORS headers too.
                    if !cross_origin {
                        continue;
                    }
                    let name = to.ref_location.rsplit('/').next().unwrap_or_default();
                    if let Some(RefOr::T(copy)) = shared.get(name) {
                        *response = RefOr::T(copy.clone());
                    }
                } else {
                    headers.extend(RATE_LIMIT_HEADERS);
                }
                if cross_origin {
                    headers.extend(CORS_HEADERS);
                }
                if let RefOr::T(response) = response {
                    for name in headers {
                        response
                            .headers
                            .entry(name.to_owned())
                            .or_insert_with(|| RefOr::Ref(Ref::new(format!("#/components/headers/{name}"))));
                    }
                }
            }
        }
    }
    // A problem that only cross-origin paths answer (406) now lives in their copies alone.
    let used = serde_json::to_string(&doc.paths).unwrap_or_default();
    if let Some(components) = doc.components.as_mut() {
        components.responses.retain(|name, _| used.contains(&format!("\"#/components/responses/{name}\"")));
    }
    constrain_all(doc);
    add_links(doc);
}

/// Where an id one operation answers with is taken by others: the operation, its status, the
/// pointer of the id in its body, and the path of the operations that take it (the last path
/// parameter being that id; the others come from the same request's path). Documented as
/// OpenAPI links, so that clients, and the stateful contract tests, can follow them.
const LINKS: &[(&str, &str, &str, &str)] = &[
    ("create_agency", "201", "/id", "/v1/agencies/{id}"),
    ("list_agencies", "200", "/data/0/id", "/v1/agencies/{id}"),
    ("create_application", "201", "/id", "/v1/applications/{id}"),
    ("list_applications", "200", "/data/0/id", "/v1/applications/{id}"),
    ("create_assessment", "201", "/id", "/v1/assessments/{id}"),
    ("list_assessments", "200", "/data/0/id", "/v1/assessments/{id}"),
    ("create_certification_body", "201", "/id", "/v1/certification-bodies/{id}"),
    ("list_certification_bodies", "200", "/data/0/id", "/v1/certification-bodies/{id}"),
    ("create_client", "201", "/client_id", "/v1/clients/{id}"),
    ("list_corrective_actions", "200", "/data/0/id", "/v1/corrective-actions/{id}"),
    ("list_reports", "200", "/data/0/id", "/v1/reports/{id}"),
    ("create_appeal", "201", "/id", "/v1/appeals/{id}"),
    ("list_appeals", "200", "/data/0/id", "/v1/appeals/{id}"),
    ("create_complaint", "201", "/id", "/v1/complaints/{id}"),
    ("list_complaints", "200", "/data/0/id", "/v1/complaints/{id}"),
    ("create_webhook", "201", "/id", "/v1/webhooks/{id}"),
    ("list_webhook_deliveries", "200", "/data/0/id", "/v1/webhooks/{id}/deliveries/{delivery_id}"),
    ("create_standard", "201", "/version", "/v1/standards/{version}"),
    ("save_translation", "201", "/language", "/v1/standards/{version}/translations/{language}"),
    ("create_grant", "201", "/id", "/v1/agencies/{id}/grants/{grant_id}"),
    ("create_sub_agent", "201", "/id", "/v1/agencies/{id}/sub-agents/{link_id}"),
    ("create_report", "201", "/reference", "/v1/public/reports/{reference}"),
];

/// Adds the [`LINKS`]. A worker report is followed up with its code, which only its filing
/// answers with.
fn add_links(doc: &mut OpenApiDoc) {
    use utoipa::openapi::link::LinkBuilder;
    use utoipa::openapi::path::{Operation, ParameterIn};

    fn path_parameters(op: &Operation) -> Vec<String> {
        op.parameters
            .iter()
            .flatten()
            .filter_map(|p| match p {
                RefOr::T(p) if p.parameter_in == ParameterIn::Path => Some(p.name.clone()),
                _ => None,
            })
            .collect()
    }
    let mut targets: Vec<(String, String, Vec<String>)> = Vec::new();
    for (path, item) in &doc.paths.paths {
        let operations = [&item.get, &item.put, &item.post, &item.delete, &item.patch];
        for op in operations.into_iter().flatten() {
            targets.push((path.clone(), op.operation_id.clone().unwrap_or_default(), path_parameters(op)));
        }
    }
    for item in doc.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in operations.into_iter().flatten() {
            let id = op.operation_id.clone().unwrap_or_default();
            let own = path_parameters(op);
            for (_, status, pointer, prefix) in LINKS.iter().filter(|l| l.0 == id) {
                let taken = prefix.rsplit('{').next().unwrap_or_default().trim_end_matches('}');
                let Some(RefOr::T(response)) = op.responses.responses.get_mut(*status) else { continue };
                let takers =
                    targets.iter().filter(|(path, ..)| path == prefix || path.starts_with(&format!("{prefix}/")));
                for (_, target, parameters) in takers {
                    let mut link = LinkBuilder::new().operation_id(target).description(format!(
                        "`{taken}` is the `{}` of this answer.",
                        pointer.rsplit('/').next().unwrap_or_default()
                    ));
                    for parameter in parameters {
                        if parameter == taken {
                            link = link.parameter(parameter, format!("$response.body#{pointer}"));
                        } else if own.contains(parameter) {
                            link = link.parameter(parameter, format!("$request.path.{parameter}"));
                        }
                    }
                    if id == "create_report" {
                        link = link.parameter("header.X-Follow-Up-Code", "$response.body#/follow_up_code");
                    }
                    response.links.insert(target.clone(), RefOr::T(link.build()));
                }
            }
        }
    }
}

/// The longest time the service writes or reads: RFC 3339 with nine fraction digits and an
/// offset (`2026-11-28T09:30:00.123456789+05:45`). It writes UTC to the microsecond.
pub const DATE_TIME_MAX_CHARS: usize = 35;

/// A string holding no NUL character: every string field refuses one (422), and a URL holding
/// `%00` is a 400.
pub const NO_NUL: &str = r"^[^\u0000]*$";

/// A compact JWS (or JWT): three base64url parts.
pub const JWS: &str = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$";

/// The longest status attestation: its claims hold an agency's names and licence, each bounded.
pub const JWS_MAX_CHARS: usize = 8192;

/// The longest id in a path: a UUID may be written there in any form the `uuid` crate reads,
/// the longest being `urn:uuid:` and the hyphenated form.
const PATH_UUID_MAX_CHARS: usize = 45;

/// Applies [`constrain`] to every schema of the document: components, parameters, bodies,
/// answers and their headers.
fn constrain_all(doc: &mut OpenApiDoc) {
    use utoipa::openapi::path::ParameterIn;

    if let Some(components) = doc.components.as_mut() {
        for schema in components.schemas.values_mut() {
            each_schema(schema, &mut constrain);
        }
    }
    let webhooks = doc.webhooks.iter_mut().flat_map(|w| w.paths.values_mut());
    for item in doc.paths.paths.values_mut().chain(webhooks) {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for op in operations.into_iter().flatten() {
            for parameter in op.parameters.iter_mut().flatten() {
                let RefOr::T(parameter) = parameter else { continue };
                let Some(schema) = parameter.schema.as_mut() else { continue };
                if parameter.parameter_in == ParameterIn::Path {
                    each_schema(schema, &mut |o| {
                        if is_uuid(o) {
                            o.max_length.get_or_insert(PATH_UUID_MAX_CHARS);
                        }
                    });
                }
                each_schema(schema, &mut constrain);
            }
            if let Some(RefOr::T(body)) = op.request_body.as_mut() {
                for content in body.content.values_mut() {
                    if let RefOr::T(content) = content {
                        content.schema.iter_mut().for_each(|s| each_schema(s, &mut constrain));
                    }
                }
            }
            for response in op.responses.responses.values_mut() {
                let RefOr::T(response) = response else { continue };
                for (name, header) in response.headers.iter_mut() {
                    let RefOr::T(header) = header else { continue };
                    if let Some(RefOr::T(Schema::Object(schema))) = header.schema.as_mut() {
                        response_header(name, schema);
                    }
                    header.schema.iter_mut().for_each(|s| each_schema(s, &mut constrain));
                }
                for (media, content) in response.content.iter_mut() {
                    let RefOr::T(content) = content else { continue };
                    match media.as_str() {
                        // A CSV (or plain-text) answer is as long as the registry or the upload
                        // it answers, and a JSON Schema string says nothing of its lines: the
                        // example shows them.
                        "text/csv" | "text/plain" => content.schema = None,
                        // A compact JWS: three base64url parts, its claims bounded by the fields
                        // they carry.
                        "application/jose" => {
                            if let Some(RefOr::T(Schema::Object(jws))) = content.schema.as_mut() {
                                jws.max_length.get_or_insert(JWS_MAX_CHARS);
                                jws.pattern.get_or_insert_with(|| JWS.to_owned());
                            }
                        }
                        _ => content.schema.iter_mut().for_each(|s| each_schema(s, &mut constrain)),
                    }
                }
            }
        }
    }
}

/// Calls `f` on every object schema within `schema`: properties, items, branches.
fn each_schema(schema: &mut RefOr<Schema>, f: &mut impl FnMut(&mut Object)) {
    use utoipa::openapi::schema::{AdditionalProperties, ArrayItems};
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(object) => {
            f(object);
            for property in object.properties.values_mut() {
                each_schema(property, f);
            }
            if let Some(more) = object.additional_properties.as_deref_mut()
                && let AdditionalProperties::RefOr(more) = more
            {
                each_schema(more, f);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                each_schema(items, f);
            }
        }
        Schema::OneOf(one) => one.items.iter_mut().for_each(|s| each_schema(s, f)),
        Schema::AllOf(all) => all.items.iter_mut().for_each(|s| each_schema(s, f)),
        Schema::AnyOf(any) => any.items.iter_mut().for_each(|s| each_schema(s, f)),
        _ => {}
    }
}

fn is_string(object: &Object) -> bool {
    match &object.schema_type {
        SchemaType::Type(Type::String) => true,
        SchemaType::Array(types) => types.contains(&Type::String),
        _ => false,
    }
}

fn is_uuid(object: &Object) -> bool {
    matches!(object.format, Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
}

/// The limits a string has wherever it appears: a UUID, a date or a time is never longer than
/// its form, and no string holds a NUL. Every other maximum is the field's own, declared
/// beside it.
fn constrain(object: &mut Object) {
    if !is_string(object) || object.enum_values.is_some() {
        return;
    }
    let longest = match &object.format {
        Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)) => Some(36),
        Some(SchemaFormat::KnownFormat(KnownFormat::Date)) => Some(10),
        Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)) => Some(DATE_TIME_MAX_CHARS),
        _ => None,
    };
    if object.max_length.is_none() {
        object.max_length = longest;
    }
    if object.pattern.is_none() && object.format.is_none() {
        object.pattern = Some(NO_NUL.to_owned());
    }
}

/// The form of a response header, by name: the same on every answer that carries it.
fn response_header(name: &str, schema: &mut Object) {
    if name == "X-Event-Cursor" {
        // An event sequence number.
        schema.minimum.get_or_insert(utoipa::Number::Int(0));
        schema.maximum.get_or_insert(utoipa::Number::Int(isize::MAX));
        return;
    }
    let (longest, pattern) = match name {
        // `"v3"` for a row; a digest or an event sequence for an export.
        "ETag" => (80, r#"^(W/)?"[!#-~]*"$"#),
        // The created resource's path.
        "Location" => (200, r"^/[A-Za-z0-9._~/-]*$"),
        "Cache-Control" => (100, r"^[a-z-]+(=[0-9]+)?(, *[a-z-]+(=[0-9]+)?)*$"),
        "Link" => (200, r#"^<[^<>\s]+>; *rel="?[a-z]+"?$"#),
        "Vary" => (100, r"^[A-Za-z-]+(, *[A-Za-z-]+)*$"),
        // A BCP 47 language tag.
        "Content-Language" => (35, "^[A-Za-z0-9-]{2,35}$"),
        "X-Data-License" => (32, r"^[A-Za-z0-9.-]+$"),
        "Fairhire-Attestation" => (2048, JWS),
        // An evidence file's download: its sniffed type, and the name it is saved under (an
        // ASCII fallback and the name percent-encoded, up to 255 characters of 4 bytes).
        "Content-Type" => (100, r"^[a-z]+/[A-Za-z0-9.+-]+$"),
        "Content-Disposition" => (4096, r"^attachment; filename=.*$"),
        "X-Content-Type-Options" => (7, "^nosniff$"),
        _ => return,
    };
    if is_string(schema) {
        schema.max_length.get_or_insert(longest);
        schema.pattern.get_or_insert_with(|| pattern.to_owned());
    }
}
