//! Applications: `POST /v1/agencies/{id}/applications`, by which an agency comes under a
//! certification body, the body's decision on it, and reading them back.

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::extract::{AgencyId, ApplicationId, ValidJson, ValidQuery};
use crate::api::pagination::{self, Page};
use crate::api::problems::*;
use crate::auth::permissions::application_scope;
use crate::auth::{Action, Principal, authorize};
use crate::domain::certification_body::ApplicationStatus;
use crate::domain::fields::uuid;
use crate::domain::schema;
use crate::error::AppResult;
use crate::services::applications::{self, ApplicationInput, DecisionInput};
use crate::state::AppState;
use crate::store;
use crate::store::certification_bodies::{ApplicationFilter, ApplicationRow};

crate::api::pagination::documented_page!(ApplicationPage, Application, "applications");

#[derive(Debug, Serialize, ToSchema)]
pub struct Application {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub agency_id: String,
    #[schema(format = Uuid)]
    pub certification_body_id: String,
    pub status: ApplicationStatus,
    /// Why the application was deferred or rejected.
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The API client that decided (an admin's, for an application it assigned at once).
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub decided_by: Option<String>,
    /// For a deferred application: when it lapses.
    pub deferred_until: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
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
            decided_by: row.decided_by,
            deferred_until: row.deferred_until,
            updated_at: row.updated_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ApplicationQuery {
    #[validate(custom(function = "uuid"))]
    #[param(format = Uuid)]
    pub certification_body_id: Option<String>,
    #[validate(custom(function = "uuid"))]
    #[param(format = Uuid)]
    pub agency_id: Option<String>,
    pub status: Option<ApplicationStatus>,
    /// Page size, 1–200 (default 50).
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(schema_with = schema::cursor)]
    pub cursor: Option<String>,
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
    #[schema(max_length = 2000)]
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
        (status = 201, description = "Application recorded.", body = Application, headers(
            ("Location" = String, description = "The new application's URL.")
        )),
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
    let location = format!("/v1/applications/{}", row.id);
    Ok(HttpResponse::Created().insert_header((header::LOCATION, location)).json(Application::from(row)))
}

/// List applications.
///
/// Certifiers find the applications waiting for their decision here (`status=pending`).
/// Auditors and certifiers see the applications made to their body, an agency its own, admins
/// all. Integrators may not list applications.
#[utoipa::path(
    operation_id = "list_applications",
    tag = "certification",
    params(ApplicationQuery),
    responses((status = 200, description = "A page of applications, oldest first.", body = ApplicationPage), Forbidden),
    security(("bearer" = []))
)]
#[get("/applications")]
pub async fn list_applications(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<ApplicationQuery>,
) -> AppResult<HttpResponse> {
    let q = query.0;
    let window = pagination::window(q.limit, q.cursor.as_deref())?;
    let scope = application_scope(&who)?;
    let filter =
        ApplicationFilter { certification_body_id: q.certification_body_id, agency_id: q.agency_id, status: q.status };
    let (limit, after) = (window.fetch(), window.after.clone());
    let rows = state
        .db
        .read(move |c| store::certification_bodies::applications_page(c, &scope, &filter, after.as_deref(), limit))
        .await?;
    Ok(HttpResponse::Ok().json(Page::of(rows, window.limit, |r| &r.id, Application::from)))
}

/// Read an application.
///
/// An application the caller may not see (another body's, another agency's) is answered 404.
#[utoipa::path(
    operation_id = "get_application",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Application id.")),
    responses((status = 200, description = "The application.", body = Application)),
    security(("bearer" = []))
)]
#[get("/applications/{id}")]
pub async fn get_application(state: web::Data<AppState>, who: Principal, id: ApplicationId) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let row = state.db.read(move |c| applications::find_visible(c, &who, &id)).await?;
    Ok(HttpResponse::Ok().json(Application::from(row)))
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
