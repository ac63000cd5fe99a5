//! Assessments (audits) filed criterion by criterion, their workflow, and what finalizing one
//! does: the score is fixed, corrective actions open with their deadlines, the agency takes the
//! audit's score and grade, and the certificate learns of it, all in one transaction.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::db::types::Json;
use crate::domain::assessment::{
    AssessmentKind, AssessmentStatus, AuditMethods, FeeAmount, Step, criterion_takes_fees,
};
use crate::domain::certification_body::accreditation_problem;
use crate::domain::chain::{SUB_AGENT_CRITERION, criterion_takes_sub_agents};
use crate::domain::events::EventType;
use crate::domain::fields::{uuid, whole_u32};
use crate::domain::scoring;
use crate::domain::standard::{Severity, StandardStatus};
use crate::error::{AppError, AppResult};
use crate::services::events::{self, Draft};
use crate::services::{certification, check_if_match, corrective_actions, new_id, sub_agents, validate};
use crate::store;
use crate::store::assessments::{AssessmentRow, FindingRow};

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"agency_id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90", "kind": "stage2", "methods": {"documents_reviewed": true, "management_interviews": 2, "staff_interviews": 4, "worker_interviews": 25, "sites_visited": 1}}))]
pub struct AssessmentInput {
    #[schema(format = Uuid)]
    pub agency_id: String,
    pub kind: AssessmentKind,
    /// A published standard version; the latest published one when absent.
    #[serde(default)]
    #[validate(length(max = 40))]
    #[schema(example = "ers-1.0", max_length = 40, pattern = "^[a-z0-9.-]{1,40}$")]
    pub standard_version: Option<String>,
    #[serde(default)]
    #[validate(nested)]
    pub methods: AuditMethods,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"severity": "major", "evidence": "7 of 25 workers interviewed paid a 'visa processing' fee to a sub-agent.", "workers_interviewed": 25, "fees": [{"category": "administrative", "amount_minor": 4500000, "currency": "NPR"}]}))]
pub struct FindingInput {
    pub severity: Severity,
    /// What was seen, read or heard. Do not name workers.
    #[serde(default)]
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub evidence: String,
    /// Workers interviewed about this criterion.
    #[serde(default, deserialize_with = "whole_u32")]
    #[validate(range(max = 100000))]
    #[schema(maximum = 100000)]
    pub workers_interviewed: u32,
    /// Fees found charged; only on criteria of principle C.
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub fees: Vec<FeeAmount>,
    /// Sub-agent links of the agency (`GET /v1/agencies/{id}/sub-agents`) the finding is
    /// about; only on the sub-agent due-diligence criterion (`B.3` of `ers-1.0`).
    #[serde(default)]
    #[validate(length(max = 50), custom(function = "uuid_list"))]
    #[schema(max_items = 50, value_type = Vec<uuid::Uuid>)]
    pub sub_agent_ids: Vec<String>,
}

fn uuid_list(ids: &[String]) -> Result<(), validator::ValidationError> {
    ids.iter().try_for_each(|id| uuid(id))
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("no assessment with id {id}"))
}

/// An event about an assessment, readable by those who may read the assessment.
fn about(row: &AssessmentRow, event_type: EventType) -> Draft {
    Draft::new(event_type, "assessment", &row.id).agency(&row.agency_id).body(row.certification_body_id.as_deref())
}

/// What the log keeps of a finding: all of it but the bookkeeping.
fn finding_values(f: &FindingRow) -> AppResult<serde_json::Value> {
    Ok(serde_json::json!({
        "criterion_code": f.criterion_code,
        "severity": f.severity,
        "evidence": f.evidence,
        "workers_interviewed": f.workers_interviewed,
        "fees": events::to_value(&*f.fees)?,
        "sub_agent_ids": *f.sub_agent_ids,
        "recorded_by": f.recorded_by,
    }))
}

/// Logs a status change; finalizing has its own event, with the score.
fn record_status(who: &Principal, row: &AssessmentRow, from: AssessmentStatus, now: DateTime<Utc>) -> AppResult<()> {
    if from == row.status {
        return Ok(());
    }
    let draft = if row.status == AssessmentStatus::Finalized {
        about(row, EventType::AssessmentFinalized).values(
            Some(serde_json::json!({ "status": from })),
            Some(serde_json::json!({
                "status": row.status,
                "overall_score": row.overall_score,
                "grade": row.grade,
                "finalized_at": row.finalized_at,
            })),
        )
    } else {
        about(row, EventType::AssessmentStatusChanged)
            .values(Some(serde_json::json!({ "status": from })), Some(serde_json::json!({ "status": row.status })))
    };
    events::record(&who.client_id, draft, now)
}

/// An assessment the caller may see; one it may not see is answered as absent (404), so that
/// nothing leaks across bodies or agencies.
pub fn find_visible(conn: &mut DbConnection, who: &Principal, id: &str) -> AppResult<AssessmentRow> {
    let row = store::assessments::find(conn, id)?.ok_or_else(|| not_found(id))?;
    authorize(
        who,
        Action::ReadAssessment {
            agency_id: &row.agency_id,
            body_id: row.certification_body_id.as_deref(),
            finalized: row.status == AssessmentStatus::Finalized,
        },
    )
    .map_err(|_| not_found(id))?;
    Ok(row)
}

/// An assessment the caller may see and work on (record findings, submit, finalize, cancel).
fn find_workable(conn: &mut DbConnection, who: &Principal, id: &str) -> AppResult<AssessmentRow> {
    let row = find_visible(conn, who, id)?;
    authorize(
        who,
        Action::WorkOnAssessment { agency_id: &row.agency_id, body_id: row.certification_body_id.as_deref() },
    )?;
    Ok(row)
}

/// Opens an assessment. An auditor opens audits for agencies with an accepted application to
/// the auditor's (accredited) body; an agency opens its own self-assessment. The assessment is
/// bound to one published standard version for good.
pub fn open(
    conn: &mut DbConnection,
    who: &Principal,
    input: AssessmentInput,
    now: DateTime<Utc>,
) -> AppResult<AssessmentRow> {
    validate(&input)?;
    if !store::agencies::exists(conn, &input.agency_id)? {
        return Err(AppError::field("agency_id", format!("no agency with id {}", input.agency_id)));
    }
    let standard = match &input.standard_version {
        Some(version) => {
            store::standards::find(conn, version)?.filter(|s| s.status == StandardStatus::Published).ok_or_else(
                || AppError::field("standard_version", format!("{version} is not a published standard version")),
            )?
        }
        None => store::standards::latest_published(conn)?
            .ok_or_else(|| AppError::Conflict("no standard version is published".into()))?,
    };
    let self_assessment = input.kind == AssessmentKind::SelfAssessment;
    let body_id = if self_assessment { None } else { who.certification_body_id.clone() };
    if let Some(body_id) = &body_id {
        if !store::certification_bodies::has_accepted_application(conn, &input.agency_id, body_id)? {
            return Err(AppError::Forbidden(
                "the agency has no accepted application with your certification body".into(),
            ));
        }
        check_accredited(conn, body_id, now)?;
    }
    let row = AssessmentRow {
        id: new_id(),
        agency_id: input.agency_id,
        certification_body_id: body_id,
        standard_version: standard.version,
        kind: input.kind,
        status: AssessmentStatus::Draft,
        lead_client_id: who.client_id.clone(),
        methods: Json(input.methods),
        overall_score: None,
        grade: None,
        score: None,
        version: 1,
        created_at: now,
        updated_at: now,
        submitted_at: None,
        finalized_at: None,
        cancelled_at: None,
    };
    store::assessments::insert(conn, &row)?;
    let draft = about(&row, EventType::AssessmentOpened).values(
        None,
        Some(serde_json::json!({
            "kind": row.kind,
            "status": row.status,
            "standard_version": row.standard_version,
            "lead_client_id": row.lead_client_id,
            "methods": events::to_value(&*row.methods)?,
        })),
    );
    events::record(&who.client_id, draft, now)?;
    Ok(row)
}

/// Records the finding for one criterion, replacing any earlier one. Allowed in draft, or when
/// submitted (the assessment returns to draft). Fees are recorded on principle C only.
pub fn record_finding(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    code: &str,
    input: FindingInput,
    if_match: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<AssessmentRow> {
    validate(&input)?;
    let mut row = find_workable(conn, who, id)?;
    let next = row.status.after(Step::RecordFinding).map_err(AppError::Conflict)?;
    let standard = store::standards::content_of_version(conn, &row.standard_version)?;
    if standard.criterion(code).is_none() {
        return Err(AppError::NotFound(format!("standard {} has no criterion {code}", row.standard_version)));
    }
    if !input.fees.is_empty() && !criterion_takes_fees(code) {
        return Err(AppError::field("fees", "fee amounts are recorded only on criteria of principle C"));
    }
    // A fee found charged is a breach: it cannot stand beside a finding that says there is none.
    if !input.fees.is_empty() && !matches!(input.severity, Severity::Minor | Severity::Major | Severity::Critical) {
        return Err(AppError::field("fees", "fee amounts are recorded only on minor, major or critical findings"));
    }
    if !input.sub_agent_ids.is_empty() {
        if !criterion_takes_sub_agents(code) {
            return Err(AppError::field(
                "sub_agent_ids",
                format!("sub-agents are named only on the sub-agent due-diligence criterion, {SUB_AGENT_CRITERION}"),
            ));
        }
        sub_agents::check_links_of(conn, &row.agency_id, &input.sub_agent_ids)?;
    }
    let mut sub_agent_ids = input.sub_agent_ids;
    let mut seen = std::collections::HashSet::new();
    sub_agent_ids.retain(|id| seen.insert(id.clone()));
    check_if_match(if_match, row.version)?;
    let earlier = store::assessments::findings_of(conn, &row.id)?.into_iter().find(|f| f.criterion_code == code);
    let finding = FindingRow {
        assessment_id: row.id.clone(),
        criterion_code: code.to_owned(),
        severity: input.severity,
        evidence: input.evidence,
        workers_interviewed: i32::try_from(input.workers_interviewed).unwrap_or(i32::MAX),
        fees: Json(input.fees),
        recorded_by: who.client_id.clone(),
        updated_at: now,
        sub_agent_ids: Json(sub_agent_ids),
    };
    store::assessments::put_finding(conn, &finding)?;
    // The earlier finding stays readable in the log, whole, after it is replaced.
    let draft = about(&row, EventType::FindingRecorded)
        .values(earlier.as_ref().map(finding_values).transpose()?, Some(finding_values(&finding)?));
    events::record(&who.client_id, draft, now)?;
    let from = row.status;
    row.status = next;
    if next != AssessmentStatus::Submitted {
        row.submitted_at = None;
    }
    store::save(conn, &mut row, now)?;
    record_status(who, &row, from, now)?;
    Ok(row)
}

/// Moves an assessment one workflow step (submit, finalize or cancel), with what that step
/// does besides.
pub fn step(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    step: Step,
    if_match: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<AssessmentRow> {
    let mut row = find_workable(conn, who, id)?;
    let next = row.status.after(step).map_err(AppError::Conflict)?;
    check_if_match(if_match, row.version)?;
    match next {
        AssessmentStatus::Submitted => row.submitted_at = Some(now),
        AssessmentStatus::Cancelled => row.cancelled_at = Some(now),
        AssessmentStatus::Finalized => finalize(conn, who, &mut row, now)?,
        AssessmentStatus::Draft => {}
    }
    let from = row.status;
    row.status = next;
    store::save(conn, &mut row, now)?;
    record_status(who, &row, from, now)?;
    Ok(row)
}

/// Refuses (409) work under an accreditation that is not in force: the body must be
/// `accredited`, and `accredited_until` not past.
fn check_accredited(conn: &mut DbConnection, body_id: &str, now: DateTime<Utc>) -> AppResult<()> {
    let body = store::certification_bodies::find(conn, body_id)?
        .ok_or_else(|| AppError::Conflict("your certification body is not registered".into()))?;
    match accreditation_problem(&body.name, body.accreditation_status, body.accredited_until, now) {
        Some(problem) => Err(AppError::Conflict(problem)),
        None => Ok(()),
    }
}

/// The recorded findings by criterion code.
pub fn severities(findings: &[FindingRow]) -> BTreeMap<String, Severity> {
    findings.iter().map(|f| (f.criterion_code.clone(), f.severity)).collect()
}

/// Scores a complete assessment for good, opens its corrective actions and, for an independent
/// audit, makes it the agency's latest score and grade.
fn finalize(conn: &mut DbConnection, who: &Principal, row: &mut AssessmentRow, now: DateTime<Utc>) -> AppResult<()> {
    let standard = store::standards::content_of_version(conn, &row.standard_version)?;
    let found = severities(&store::assessments::findings_of(conn, &row.id)?);
    let missing = scoring::missing_criteria(&standard, &found);
    if !missing.is_empty() {
        return Err(AppError::Conflict(format!(
            "the assessment is incomplete: no finding yet for {}",
            missing.join(", ")
        )));
    }
    let result = scoring::score(&standard, &found);
    if result.overall.is_none() {
        return Err(AppError::Conflict("every criterion is marked not applicable; there is nothing to score".into()));
    }
    row.overall_score = result.overall;
    row.grade = result.grade;
    row.score = Some(Json(result));
    row.finalized_at = Some(now);
    // A self-assessment is shown, never certifies: it opens no corrective actions and does not
    // become the agency's grade.
    let Some(body_id) = row.certification_body_id.clone() else {
        return Ok(());
    };
    // An audit counts only under an accreditation in force when it is finalized.
    check_accredited(conn, &body_id, now)?;
    corrective_actions::open_for(conn, &who.client_id, row, &body_id, &found, now)?;
    // A follow-up checks the corrective actions, usually with the rest not applicable: it
    // cannot stand for the whole standard, so it does not replace the agency's grade.
    if row.kind != AssessmentKind::FollowUp {
        let mut agency = crate::services::agencies::find(conn, &row.agency_id)?;
        let before = serde_json::json!({ "grade": agency.grade, "latest_score": agency.latest_score });
        agency.latest_score = row.overall_score;
        agency.grade = row.grade;
        store::save(conn, &mut agency, now)?;
        let after =
            serde_json::json!({ "grade": agency.grade, "latest_score": agency.latest_score, "assessment_id": row.id });
        let draft = Draft::new(EventType::AgencyGradeChanged, "agency", &agency.id)
            .agency(&agency.id)
            .body(Some(&body_id))
            .values(Some(before), Some(after));
        events::record(&who.client_id, draft, now)?;
    }
    let critical: Vec<String> =
        found.iter().filter(|(_, s)| **s == Severity::Critical).map(|(code, _)| code.clone()).collect();
    certification::audit_finalized(conn, &who.client_id, &row.agency_id, &body_id, row.kind, &critical, now)
}
