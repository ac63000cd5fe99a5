//! Corrective actions: opened when an audit is finalized, answered by the agency (plan, then
//! evidence) and judged by an auditor of the body that raised them.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::corrective::{ActionStatus, ActionStep, deadlines};
use crate::domain::events::EventType;
use crate::domain::fields::not_blank;
use crate::domain::standard::Severity;
use crate::error::{AppError, AppResult};
use crate::services::events::{self, Draft};
use crate::services::{new_id, validate};
use crate::store;
use crate::store::assessments::AssessmentRow;
use crate::store::corrective_actions::ActionRow;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"plan": "Refund the fee to all 7 workers by 15 January; end the sub-agent contract; add fee questions to monthly worker calls."}))]
pub struct PlanInput {
    #[validate(length(min = 1, max = 5000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub plan: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"evidence": "Bank transfer receipts for 7 refunds attached to file RF-2026-114; termination letter to sub-agent dated 10 January."}))]
pub struct EvidenceInput {
    #[validate(length(min = 1, max = 5000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub evidence: String,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Receipts cover 5 of the 7 workers."}))]
pub struct RejectInput {
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub reason: String,
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("no corrective action with id {id}"))
}

/// A corrective action the caller may see; others are answered as absent (404).
pub fn find_visible(conn: &mut DbConnection, who: &Principal, id: &str) -> AppResult<ActionRow> {
    let row = store::corrective_actions::find(conn, id)?.ok_or_else(|| not_found(id))?;
    authorize(who, Action::ReadCorrectiveAction { agency_id: &row.agency_id, body_id: &row.certification_body_id })
        .map_err(|_| not_found(id))?;
    Ok(row)
}

/// Opens one corrective action per minor, major and critical finding of a finalized audit,
/// with deadlines counted from `now`.
pub(crate) fn open_for(
    conn: &mut DbConnection,
    actor: &str,
    audit: &AssessmentRow,
    body_id: &str,
    findings: &BTreeMap<String, Severity>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    for (code, severity) in findings {
        let Some((plan_due, closure_due)) = deadlines(*severity, now) else {
            continue;
        };
        let row = ActionRow {
            id: new_id(),
            assessment_id: audit.id.clone(),
            agency_id: audit.agency_id.clone(),
            certification_body_id: body_id.to_owned(),
            criterion_code: code.clone(),
            severity: *severity,
            status: ActionStatus::Open,
            plan: None,
            plan_submitted_at: None,
            evidence: None,
            evidence_submitted_at: None,
            verified_by: None,
            verified_at: None,
            rejection_reason: None,
            plan_due,
            closure_due,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        store::corrective_actions::insert(conn, &row)?;
        events::record(actor, about(&row, EventType::CorrectiveActionOpened).values(None, Some(logged(&row))), now)?;
    }
    Ok(())
}

/// An event about a corrective action, readable by those who may read the action.
fn about(row: &ActionRow, event_type: EventType) -> Draft {
    Draft::new(event_type, "corrective_action", &row.id).agency(&row.agency_id).body(Some(&row.certification_body_id))
}

/// What the log keeps of an action's state.
fn logged(row: &ActionRow) -> serde_json::Value {
    serde_json::json!({
        "assessment_id": row.assessment_id,
        "criterion_code": row.criterion_code,
        "severity": row.severity,
        "status": row.status,
        "plan": row.plan,
        "evidence": row.evidence,
        "verified_by": row.verified_by,
        "verified_at": row.verified_at,
        "rejection_reason": row.rejection_reason,
        "plan_due": row.plan_due,
        "closure_due": row.closure_due,
    })
}

/// Applies one workflow step: the agency submits a plan or evidence (`text`), an auditor of the
/// body verifies, or rejects with a reason (`text`).
pub fn act(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    step: ActionStep,
    text: Option<String>,
    now: DateTime<Utc>,
) -> AppResult<ActionRow> {
    let mut row = find_visible(conn, who, id)?;
    match step {
        ActionStep::SubmitPlan | ActionStep::SubmitEvidence => {
            authorize(who, Action::AnswerCorrectiveAction { agency_id: &row.agency_id })?
        }
        ActionStep::Verify | ActionStep::Reject => {
            authorize(who, Action::JudgeCorrectiveAction { body_id: &row.certification_body_id })?
        }
    }
    let next = row.status.after(step).map_err(AppError::Conflict)?;
    let before = logged(&row);
    let text = text.map(|t| t.trim().to_owned());
    match step {
        ActionStep::SubmitPlan => {
            row.plan = text;
            row.plan_submitted_at = Some(now);
        }
        ActionStep::SubmitEvidence => {
            row.evidence = text;
            row.evidence_submitted_at = Some(now);
        }
        ActionStep::Verify => {
            row.verified_by = Some(who.client_id.clone());
            row.verified_at = Some(now);
        }
        ActionStep::Reject => row.rejection_reason = text,
    }
    row.status = next;
    store::save(conn, &mut row, now)?;
    let (was, is) = crate::domain::events::changes(&before, &logged(&row));
    events::record(&who.client_id, about(&row, EventType::CorrectiveActionUpdated).values(Some(was), Some(is)), now)?;
    Ok(row)
}

pub fn submit_plan(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    input: PlanInput,
    now: DateTime<Utc>,
) -> AppResult<ActionRow> {
    validate(&input)?;
    act(conn, who, id, ActionStep::SubmitPlan, Some(input.plan), now)
}

pub fn submit_evidence(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    input: EvidenceInput,
    now: DateTime<Utc>,
) -> AppResult<ActionRow> {
    validate(&input)?;
    act(conn, who, id, ActionStep::SubmitEvidence, Some(input.evidence), now)
}

pub fn verify(conn: &mut DbConnection, who: &Principal, id: &str, now: DateTime<Utc>) -> AppResult<ActionRow> {
    act(conn, who, id, ActionStep::Verify, None, now)
}

pub fn reject(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    input: RejectInput,
    now: DateTime<Utc>,
) -> AppResult<ActionRow> {
    validate(&input)?;
    act(conn, who, id, ActionStep::Reject, Some(input.reason), now)
}
