//! Liveness and readiness probes.

use actix_web::{HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{AppError, AppResult};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    #[schema(max_length = 5, pattern = "^(ok|ready)$")]
    pub status: &'static str,
}

/// The process is up.
///
/// A liveness probe: 200 as long as the process serves HTTP. It does not touch the database. No token needed.
#[utoipa::path(operation_id = "healthz", tag = "operations", security(()), responses((status = 200, description = "Up.", body = Health)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// The database answers; ready for traffic.
///
/// A readiness probe: 200 when the database answers, otherwise a 503 problem with `Retry-After`. No token
/// needed.
#[utoipa::path(
    operation_id = "readyz",
    tag = "operations",
    security(()),
    responses((status = 200, description = "Ready.", body = Health))
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> AppResult<HttpResponse> {
    state.db.ping().await.map_err(|e| {
        tracing::warn!(cause = %e, "readiness check failed");
        AppError::Unavailable("the database is not answering".into())
    })?;
    Ok(HttpResponse::Ok().json(Health { status: "ready" }))
}
