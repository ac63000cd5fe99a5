//! The OpenAPI document: the parts no route declares (info, tags, security schemes, shared
//! responses). Routes add themselves when registered through utoipa-actix-web.

use utoipa::openapi::security::{ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme};
use utoipa::openapi::{ComponentsBuilder, OpenApi as OpenApiDoc};
use utoipa::{Modify, OpenApi};

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
        (name = "clients", description = "API clients (admins only)."),
        (name = "auth", description = "Tokens and the keys that verify them."),
        (name = "operations", description = "Probes for orchestrators.")
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
            [crate::api::schema::country_code_component(), crate::api::schema::currency_code_component()]
        {
            components.schemas.insert(name, schema);
        }
        for (name, schema) in problems::schemas() {
            components.schemas.insert(name, schema);
        }
        doc.components = Some(components);
    }
}

/// The base document that route registration fills in.
pub fn base() -> OpenApiDoc {
    ApiDoc::openapi()
}
