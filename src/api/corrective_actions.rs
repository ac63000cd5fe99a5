//! `/v1/corrective-actions`: what an agency must put right after an audit, and proof that it did.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::extract::{ValidJson, ValidQuery};
use crate::api::fields::{not_blank, uuid};
use crate::api::pagination;
use crate::api::problems::*;
use crate::api::schema;
use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::corrective::{ActionStatus, ActionStep, is_overdue};
use crate::domain::roles::Role;
use crate::domain::standard::Severity;
use crate::domain::{from_wire, wire_name};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store;
use crate::store::corrective_actions::{ActionRow, Filter};

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
    pub criterion_code: String,
    pub severity: Severity,
    pub status: ActionStatus,
    /// Past its plan date without a plan, or past its closure date unverified (as of now).
    pub overdue: bool,
    pub plan: Option<String>,
    pub plan_submitted_at: Option<DateTime<Utc>>,
    pub evidence: Option<String>,
    pub evidence_submitted_at: Option<DateTime<Utc>>,
    pub verified_by: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
    /// Why the last submission was sent back.
    pub rejection_reason: Option<String>,
    pub plan_due: DateTime<Utc>,
    pub closure_due: DateTime<Utc>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectiveActionPage {
    pub data: Vec<CorrectiveAction>,
    pub next_cursor: Option<String>,
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

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"plan": "Refund the fee to all 7 workers by 15 January; end the sub-agent contract; add fee questions to monthly worker calls."}))]
pub struct PlanInput {
    #[validate(length(min = 1, max = 5000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"[^\s\u0085]")]
    pub plan: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"evidence": "Bank transfer receipts for 7 refunds attached to file RF-2026-114; termination letter to sub-agent dated 10 January."}))]
pub struct EvidenceInput {
    #[validate(length(min = 1, max = 5000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"[^\s\u0085]")]
    pub evidence: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Receipts cover 5 of the 7 workers."}))]
pub struct RejectInput {
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"[^\s\u0085]")]
    pub reason: String,
}

fn to_action(row: ActionRow, now: DateTime<Utc>) -> AppResult<CorrectiveAction> {
    let status: ActionStatus =
        ActionStatus::parse(&row.status).ok_or_else(|| AppError::internal(format!("action status {}", row.status)))?;
    let plan_due = store::from_db_time(row.plan_due);
    let closure_due = store::from_db_time(row.closure_due);
    Ok(CorrectiveAction {
        severity: from_wire(&row.severity)
            .ok_or_else(|| AppError::internal(format!("action severity {}", row.severity)))?,
        overdue: is_overdue(status, plan_due, closure_due, now),
        status,
        id: row.id,
        assessment_id: row.assessment_id,
        agency_id: row.agency_id,
        certification_body_id: row.certification_body_id,
        criterion_code: row.criterion_code,
        plan: row.plan,
        plan_submitted_at: row.plan_submitted_at.map(store::from_db_time),
        evidence: row.evidence,
        evidence_submitted_at: row.evidence_submitted_at.map(store::from_db_time),
        verified_by: row.verified_by,
        verified_at: row.verified_at.map(store::from_db_time),
        rejection_reason: row.rejection_reason,
        plan_due,
        closure_due,
        version: row.version,
        created_at: store::from_db_time(row.created_at),
        updated_at: store::from_db_time(row.updated_at),
    })
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("no corrective action with id {id}"))
}

fn load_visible(c: &mut DbConnection, who: &Principal, id: &str) -> AppResult<ActionRow> {
    let row = store::corrective_actions::find(c, id)?.ok_or_else(|| not_found(id))?;
    authorize(who, Action::ReadCorrectiveAction { agency_id: &row.agency_id, body_id: &row.certification_body_id })
        .map_err(|_| not_found(id))?;
    Ok(row)
}

/// List corrective actions.
///
/// Auditors and certifiers see their body's, an agency its own, admins all. Integrators use the
/// due-diligence summary instead.
#[utoipa::path(
    operation_id = "list_corrective_actions",
    tag = "corrective actions",
    params(ActionQuery),
    responses((status = 200, description = "A page of corrective actions.", body = CorrectiveActionPage), BadRequest, Unauthorized, Forbidden, Unprocessable, TooManyRequests),
    security(("bearer" = []))
)]
#[get("/corrective-actions")]
pub async fn list_corrective_actions(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<ActionQuery>,
) -> AppResult<HttpResponse> {
    let q = query.0;
    let (limit, after) = pagination::resolve(q.limit, q.cursor.as_deref())?;
    let now = state.clock.now();
    let mut filter = Filter {
        agency_id: q.agency_id,
        assessment_id: q.assessment_id,
        status: q.status.map(|s| s.as_str().to_owned()),
        severity: q.severity.map(|s| wire_name(&s)),
        overdue: q.overdue.map(|o| (o, store::to_db_time(now))),
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
    let rows = state
        .db
        .read(move |c| store::corrective_actions::page(c, &filter, after.as_deref(), i64::from(limit) + 1))
        .await?;
    let (rows, next_cursor) = pagination::split_page(rows, limit, |r| &r.id);
    let data = rows.into_iter().map(|r| to_action(r, now)).collect::<AppResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(CorrectiveActionPage { data, next_cursor }))
}

/// Read a corrective action.
#[utoipa::path(
    operation_id = "get_corrective_action",
    tag = "corrective actions",
    params(("id" = String, Path, format = Uuid, description = "Corrective action id.")),
    responses((status = 200, description = "The corrective action.", body = CorrectiveAction), BadRequest, Unauthorized, NotFound, TooManyRequests),
    security(("bearer" = []))
)]
#[get("/corrective-actions/{id}")]
pub async fn get_corrective_action(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.clock.now();
    let row = state.db.read(move |c| load_visible(c, &who, &id)).await?;
    Ok(HttpResponse::Ok().json(to_action(row, now)?))
}

/// Applies one workflow step to a corrective action the caller may see.
async fn act(
    state: &AppState,
    who: Principal,
    id: String,
    step: ActionStep,
    text: Option<String>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let row = state
        .db
        .write(move |c| {
            let mut row = load_visible(c, &who, &id)?;
            match step {
                ActionStep::SubmitPlan | ActionStep::SubmitEvidence => {
                    authorize(&who, Action::AnswerCorrectiveAction { agency_id: &row.agency_id })?
                }
                ActionStep::Verify | ActionStep::Reject => {
                    authorize(&who, Action::JudgeCorrectiveAction { body_id: &row.certification_body_id })?
                }
            }
            let status = ActionStatus::parse(&row.status).ok_or_else(|| AppError::internal("action status"))?;
            let next = status.after(step).map_err(AppError::Conflict)?;
            let db_now = store::to_db_time(now);
            match step {
                ActionStep::SubmitPlan => {
                    row.plan = text.map(|t| t.trim().to_owned());
                    row.plan_submitted_at = Some(db_now);
                }
                ActionStep::SubmitEvidence => {
                    row.evidence = text.map(|t| t.trim().to_owned());
                    row.evidence_submitted_at = Some(db_now);
                }
                ActionStep::Verify => {
                    row.verified_by = Some(who.client_id.clone());
                    row.verified_at = Some(db_now);
                }
                ActionStep::Reject => row.rejection_reason = text.map(|t| t.trim().to_owned()),
            }
            let expected = row.version;
            row.status = next.as_str().to_owned();
            row.version += 1;
            row.updated_at = db_now;
            if !store::corrective_actions::update(c, &row, expected)? {
                return Err(AppError::Conflict("the corrective action changed meanwhile; fetch it again".into()));
            }
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(to_action(row, now)?))
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
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/plan")]
pub async fn submit_plan(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<String>,
    body: ValidJson<PlanInput>,
) -> AppResult<HttpResponse> {
    act(&state, who, id.into_inner(), ActionStep::SubmitPlan, Some(body.0.plan)).await
}

/// Submit evidence that the plan was carried out.
#[utoipa::path(
    operation_id = "submit_corrective_action_evidence",
    tag = "corrective actions",
    params(("id" = String, Path, format = Uuid, description = "Corrective action id.")),
    request_body = EvidenceInput,
    responses(
        (status = 200, description = "Evidence recorded; awaiting verification.", body = CorrectiveAction),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/evidence")]
pub async fn submit_evidence(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<String>,
    body: ValidJson<EvidenceInput>,
) -> AppResult<HttpResponse> {
    act(&state, who, id.into_inner(), ActionStep::SubmitEvidence, Some(body.0.evidence)).await
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
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/verify")]
pub async fn verify(state: web::Data<AppState>, who: Principal, id: web::Path<String>) -> AppResult<HttpResponse> {
    act(&state, who, id.into_inner(), ActionStep::Verify, None).await
}

/// Send the plan or evidence back, with the reason; the action is open again.
#[utoipa::path(
    operation_id = "reject_corrective_action",
    tag = "corrective actions",
    params(("id" = String, Path, format = Uuid, description = "Corrective action id.")),
    request_body = RejectInput,
    responses(
        (status = 200, description = "Sent back; open again.", body = CorrectiveAction),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/reject")]
pub async fn reject(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<String>,
    body: ValidJson<RejectInput>,
) -> AppResult<HttpResponse> {
    act(&state, who, id.into_inner(), ActionStep::Reject, Some(body.0.reason)).await
}
