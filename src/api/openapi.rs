//! The OpenAPI document: the parts no route declares (info, tags, security schemes, shared
//! responses). Routes add themselves when registered through utoipa-actix-web.

use utoipa::openapi::security::{ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, OpenApi as OpenApiDoc};
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
        (name = "events", description = "The tamper-evident event log: the change feed and its verification."),
        (name = "watchlist", description = "The agencies an integrator works with; narrows the feed and webhooks."),
        (name = "verifications", description = "Bulk verification of agencies, by id, licence or name, with a signed attestation of the answer."),
        (name = "webhooks", description = "Signed pushes of events to an integrator's URL (Standard Webhooks)."),
        (name = "grants", description = "Sharing grants: an agency lets an integrator read its full findings until a date; every read is recorded."),
        (name = "reports", description = "Worker reports of abuse: filed and followed up without a token, moderated by admins."),
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
                    .description(Some("An access token from `POST /v1/oauth/token`."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "client_credentials",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::ClientCredentials(ClientCredentials::new("/v1/oauth/token", Scopes::new()))],
                "How an API client gets the bearer token.",
            )),
        );
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

    let header = |name: &str, description: &str, example: &str| {
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Header)
            .required(Required::True)
            .description(Some(description))
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
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
        .parameter(header("webhook-id", "The delivery's id, the same on every retry.", "msg_0193f0c19a007c3e8d553c1f0a7b2e11"))
        .parameter(header("webhook-timestamp", "When this attempt was signed, in Unix seconds.", "1773108000"))
        .parameter(header(
            "webhook-signature",
            "`v1,` and the base64 signature; during a secret rotation, one per secret, space-separated.",
            "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
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

/// Adds the error responses every operation of a kind can answer, so that routes list only what
/// is particular to them (403, 409). The rules:
///
/// | the operation | answers besides |
/// |---|---|
/// | any | 400 (an unreadable URL, query or header) |
/// | any rate-limited (all but `metrics`) | 429 |
/// | any that needs the database (all but `healthz`, `get_jwks` and `metrics`) | 503 |
/// | with a bearer token | 401 |
/// | with a path parameter | 404 |
/// | with query parameters, or a body that is JSON only | 422 |
/// | with a body | 413, 415 |
/// | with an `If-Match` header | 412 |
pub fn add_common_responses(doc: &mut OpenApiDoc) {
    use utoipa::openapi::path::ParameterIn;
    use utoipa::openapi::{Ref, RefOr};

    for item in doc.paths.paths.values_mut() {
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
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let mut add = vec!["BadRequest"];
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
        }
    }
}
