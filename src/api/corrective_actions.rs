//! `/v1/corrective-actions`: what an agency must put right after an audit, and proof that it did.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::extract::{ActionId, ValidJson, ValidQuery};
use crate::api::pagination::{self, Page};
use crate::api::problems::*;
use crate::auth::Principal;
use crate::domain::corrective::{ActionStatus, is_overdue};
use crate::domain::fields::uuid;
use crate::domain::roles::Role;
use crate::domain::schema;
use crate::domain::standard::Severity;
use crate::error::{AppError, AppResult};
use crate::services::corrective_actions::{self as actions, EvidenceInput, PlanInput, RejectInput};
use crate::state::AppState;
use crate::store;
use crate::store::corrective_actions::{ActionRow, Filter};

crate::api::pagination::documented_page!(CorrectiveActionPage, CorrectiveAction, "corrective actions");

#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectiveAction {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub assessment_id: String,
    #[schema(format = Uuid)]
    pub agency_id: String,
    #[schema(format = Uuid)]
    pub certification_body_id: String,
    #[schema(example = "C.1")]
    #[schema(max_length = 5, pattern = "^[A-Z][.][0-9]{1,3}$")]
    pub criterion_code: String,
    pub severity: Severity,
    pub status: ActionStatus,
    /// Past its plan date without a plan, or past its closure date unverified (as of now).
    pub overdue: bool,
    #[schema(max_length = 5000)]
    pub plan: Option<String>,
    pub plan_submitted_at: Option<DateTime<Utc>>,
    #[schema(max_length = 5000)]
    pub evidence: Option<String>,
    pub evidence_submitted_at: Option<DateTime<Utc>>,
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub verified_by: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
    /// Why the last submission was sent back.
    #[schema(max_length = 2000)]
    pub rejection_reason: Option<String>,
    pub plan_due: DateTime<Utc>,
    pub closure_due: DateTime<Utc>,
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ActionQuery {
    #[validate(custom(function = "uuid"))]
    #[param(format = Uuid)]
    pub agency_id: Option<String>,
    #[validate(custom(function = "uuid"))]
    #[param(format = Uuid)]
    pub assessment_id: Option<String>,
    pub status: Option<ActionStatus>,
    pub severity: Option<Severity>,
    /// `true`: only overdue actions; `false`: only those not overdue.
    pub overdue: Option<bool>,
    /// Page size, 1–200 (default 50).
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(schema_with = schema::cursor)]
    pub cursor: Option<String>,
}

impl CorrectiveAction {
    /// The API view; `overdue` is derived from the clock.
    fn of(row: ActionRow, now: DateTime<Utc>) -> CorrectiveAction {
        CorrectiveAction {
            overdue: is_overdue(row.status, row.plan_due, row.closure_due, now),
            severity: row.severity,
            status: row.status,
            id: row.id,
            assessment_id: row.assessment_id,
            agency_id: row.agency_id,
            certification_body_id: row.certification_body_id,
            criterion_code: row.criterion_code,
            plan: row.plan,
            plan_submitted_at: row.plan_submitted_at,
            evidence: row.evidence,
            evidence_submitted_at: row.evidence_submitted_at,
            verified_by: row.verified_by,
            verified_at: row.verified_at,
            rejection_reason: row.rejection_reason,
            plan_due: row.plan_due,
            closure_due: row.closure_due,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// List corrective actions.
///
/// Auditors and certifiers see their body's, an agency its own, admins all. Integrators use the
/// due-diligence summary instead.
#[utoipa::path(
    operation_id = "list_corrective_actions",
    tag = "corrective actions",
    params(ActionQuery),
    responses((status = 200, description = "A page of corrective actions.", body = CorrectiveActionPage), Forbidden),
    security(("bearer" = []))
)]
#[get("/corrective-actions")]
pub async fn list_corrective_actions(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<ActionQuery>,
) -> AppResult<HttpResponse> {
    let q = query.0;
    let window = pagination::window(q.limit, q.cursor.as_deref())?;
    let now = state.clock.now();
    let mut filter = Filter {
        agency_id: q.agency_id,
        assessment_id: q.assessment_id,
        status: q.status,
        severities: q.severity.map(|s| vec![s]),
        overdue: q.overdue.map(|o| (o, now)),
        ..Filter::default()
    };
    match who.role {
        Role::Admin => {}
        Role::Auditor | Role::Certifier => filter.certification_body_id = who.certification_body_id.clone(),
        Role::Agency => filter.scope_agency_id = who.agency_id.clone(),
        Role::Integrator => {
            return Err(AppError::Forbidden(
                "the integrator role may not list corrective actions; use the due-diligence summary".into(),
            ));
        }
    }
    let (limit, after) = (window.fetch(), window.after.clone());
    let rows = state.db.read(move |c| store::corrective_actions::page(c, &filter, after.as_deref(), limit)).await?;
    Ok(HttpResponse::Ok().json(Page::of(rows, window.limit, |r| &r.id, |r| CorrectiveAction::of(r, now))))
}

/// Read a corrective action.
///
/// Its status, deadlines, and the plan, evidence and decision recorded so far. To a caller who may not see
/// it, it is a 404.
#[utoipa::path(
    operation_id = "get_corrective_action",
    tag = "corrective actions",
    params(("id" = String, Path, format = Uuid, description = "Corrective action id.")),
    responses((status = 200, description = "The corrective action.", body = CorrectiveAction)),
    security(("bearer" = []))
)]
#[get("/corrective-actions/{id}")]
pub async fn get_corrective_action(
    state: web::Data<AppState>,
    who: Principal,
    id: ActionId,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.clock.now();
    let row = state.db.read(move |c| actions::find_visible(c, &who, &id)).await?;
    Ok(HttpResponse::Ok().json(CorrectiveAction::of(row, now)))
}

/// Runs one workflow step of a corrective action and answers with the action as it now is.
async fn act<F>(state: &AppState, step: F) -> AppResult<HttpResponse>
where
    F: FnOnce(&mut crate::db::DbConnection, DateTime<Utc>) -> AppResult<ActionRow> + Send + 'static,
{
    let now = state.clock.now();
    let row = state.db.write(move |c| step(c, now)).await?;
    Ok(HttpResponse::Ok().json(CorrectiveAction::of(row, now)))
}

/// Submit the agency's plan to put the finding right.
///
/// Allowed while the action is open or its plan is under review; the plan replaces any earlier one.
#[utoipa::path(
    operation_id = "submit_corrective_action_plan",
    tag = "corrective actions",
    params(("id" = String, Path, format = Uuid, description = "Corrective action id.")),
    request_body = PlanInput,
    responses(
        (status = 200, description = "Plan recorded.", body = CorrectiveAction),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/plan")]
pub async fn submit_plan(
    state: web::Data<AppState>,
    who: Principal,
    id: ActionId,
    body: ValidJson<PlanInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    act(&state, move |c, now| actions::submit_plan(c, &who, &id, body.0, now)).await
}

/// Submit evidence that the plan was carried out.
///
/// The agency says how the plan was carried out (up to 5,000 characters); an auditor then verifies or
/// rejects it.
#[utoipa::path(
    operation_id = "submit_corrective_action_evidence",
    tag = "corrective actions",
    params(("id" = String, Path, format = Uuid, description = "Corrective action id.")),
    request_body = EvidenceInput,
    responses(
        (status = 200, description = "Evidence recorded; awaiting verification.", body = CorrectiveAction),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/evidence")]
pub async fn submit_evidence(
    state: web::Data<AppState>,
    who: Principal,
    id: ActionId,
    body: ValidJson<EvidenceInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    act(&state, move |c, now| actions::submit_evidence(c, &who, &id, body.0, now)).await
}

/// Verify the evidence and close the action.
///
/// Only an auditor of the certification body that raised the action.
#[utoipa::path(
    operation_id = "verify_corrective_action",
    tag = "corrective actions",
    params(("id" = String, Path, format = Uuid, description = "Corrective action id.")),
    responses(
        (status = 200, description = "Verified and closed.", body = CorrectiveAction),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/verify")]
pub async fn verify(state: web::Data<AppState>, who: Principal, id: ActionId) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    act(&state, move |c, now| actions::verify(c, &who, &id, now)).await
}

/// Send the plan or evidence back, with the reason; the action is open again.
///
/// An auditor of the action's body gives the reason (up to 2,000 characters); it is kept in
/// `rejection_reason`.
#[utoipa::path(
    operation_id = "reject_corrective_action",
    tag = "corrective actions",
    params(("id" = String, Path, format = Uuid, description = "Corrective action id.")),
    request_body = RejectInput,
    responses(
        (status = 200, description = "Sent back; open again.", body = CorrectiveAction),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    who: Principal,
    id: ActionId,
    body: ValidJson<RejectInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    act(&state, move |c, now| actions::reject(c, &who, &id, body.0, now)).await
}
