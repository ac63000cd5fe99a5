//! Applications: `POST /v1/agencies/{id}/applications`, by which an agency comes under a
//! certification body, and the body's decision on it.

use actix_web::{HttpResponse, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::{AgencyId, ApplicationId, ValidJson};
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::domain::certification_body::ApplicationStatus;
use crate::error::AppResult;
use crate::services::applications::{self, ApplicationInput, DecisionInput};
use crate::state::AppState;
use crate::store::certification_bodies::ApplicationRow;

#[derive(Debug, Serialize, ToSchema)]
pub struct Application {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub agency_id: String,
    #[schema(format = Uuid)]
    pub certification_body_id: String,
    pub status: ApplicationStatus,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl From<ApplicationRow> for Application {
    fn from(row: ApplicationRow) -> Self {
        Application {
            id: row.id,
            agency_id: row.agency_id,
            certification_body_id: row.certification_body_id,
            status: row.status,
            reason: row.reason,
            created_at: row.created_at,
            decided_at: row.decided_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDecision {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub agency_id: String,
    #[schema(format = Uuid)]
    pub certification_body_id: String,
    pub status: ApplicationStatus,
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// For a deferred application: when it lapses.
    pub deferred_until: Option<DateTime<Utc>>,
}

impl From<ApplicationRow> for ApplicationDecision {
    fn from(row: ApplicationRow) -> Self {
        ApplicationDecision {
            id: row.id,
            agency_id: row.agency_id,
            certification_body_id: row.certification_body_id,
            status: row.status,
            reason: row.reason,
            decided_at: row.decided_at,
            deferred_until: row.deferred_until,
        }
    }
}

/// Apply to a certification body.
///
/// An agency applies for itself and its application waits for the body's decision. An admin
/// applying for an agency assigns it to the body at once (accepted). Once accepted, the body's
/// auditors may assess the agency. The body must be accredited, and an agency has at most one
/// open application per body.
#[utoipa::path(
    operation_id = "create_application",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    request_body = ApplicationInput,
    responses(
        (status = 201, description = "Application recorded.", body = Application),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/agencies/{id}/applications")]
pub async fn create_application(
    state: web::Data<AppState>,
    who: Principal,
    id: AgencyId,
    body: ValidJson<ApplicationInput>,
) -> AppResult<HttpResponse> {
    let agency_id = id.into_inner();
    authorize(&who, Action::Apply { agency_id: &agency_id })?;
    let now = state.clock.now();
    let row = state.db.write(move |c| applications::apply(c, &who, &agency_id, body.0, now)).await?;
    Ok(HttpResponse::Created().json(Application::from(row)))
}

/// Decide on an application.
///
/// A certifier of the body (or an admin) accepts it, defers it (it then lapses unless accepted
/// within 60 days) or rejects it. Deferring and rejecting need a reason. Pending and deferred
/// applications can be decided; others are settled (409).
#[utoipa::path(
    operation_id = "decide_application",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Application id.")),
    request_body = DecisionInput,
    responses(
        (status = 200, description = "Decided.", body = ApplicationDecision),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/applications/{id}/decision")]
pub async fn decide_application(
    state: web::Data<AppState>,
    who: Principal,
    id: ApplicationId,
    body: ValidJson<DecisionInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.clock.now();
    let row = state.db.write(move |c| applications::decide(c, &who, &id, body.0, now)).await?;
    Ok(HttpResponse::Ok().json(ApplicationDecision::from(row)))
}
