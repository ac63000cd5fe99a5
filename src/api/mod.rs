//! HTTP: parse, authorize, shape the answer. Business rules live in `domain`, queries in `store`.

pub mod agencies;
pub mod agency_model;
pub mod clients;
pub mod extract;
pub mod fallback;
pub mod health;
pub mod idempotency;
pub mod middleware;
pub mod oauth;
pub mod openapi;
pub mod pagination;
pub mod problems;
pub mod schema;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route. Routes registered here appear in the OpenAPI document;
/// there is no other way to add one.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz)
        .service(health::readyz)
        .service(oauth::jwks)
        .service(
            scope("/v1")
                .service(oauth::create_token)
                .service(clients::list_clients)
                .service(clients::create_client_route)
                .service(clients::revoke_client)
                .service(agencies::list_agencies)
                .service(agencies::create_agency)
                .service(agencies::get_agency)
                .service(agencies::update_agency),
        );
}

/// The OpenAPI document, as generated from the routes.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, doc) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(openapi::base())
        .configure(routes)
        .split_for_parts();
    doc
}

use utoipa_actix_web::AppExt;
