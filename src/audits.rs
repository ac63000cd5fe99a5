//! What finalizing an audit does, in one transaction: the score is fixed, corrective actions
//! open with their deadlines, the agency takes the audit's score and grade, and the certificate
//! learns of it. The API and the demo seed both finalize through here.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::db::DbConnection;
use crate::domain::assessment::AssessmentKind;
use crate::domain::corrective::{ActionStatus, deadlines};
use crate::domain::scoring;
use crate::domain::standard::Severity;
use crate::domain::{from_wire, wire_name};
use crate::error::{AppError, AppResult};
use crate::store;
use crate::store::assessments::{AssessmentRow, FindingRow};
use crate::store::corrective_actions::ActionRow;

/// The recorded findings by criterion code.
pub fn severities(findings: &[FindingRow]) -> BTreeMap<String, Severity> {
    findings.iter().filter_map(|f| from_wire(&f.severity).map(|s| (f.criterion_code.clone(), s))).collect()
}

/// Scores a complete assessment for good, opens its corrective actions and, for an independent
/// audit, makes it the agency's latest score and grade. Runs inside the step's transaction.
pub fn finalize(c: &mut DbConnection, row: &mut AssessmentRow, now: DateTime<Utc>) -> AppResult<()> {
    let standard = store::standards::content_of_version(c, &row.standard_version)?;
    let findings = store::assessments::findings_of(c, &row.id)?;
    let found = severities(&findings);
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
    let db_now = store::to_db_time(now);
    row.overall_score = result.overall;
    row.grade = result.grade.map(|g| g.as_str().to_owned());
    row.score = Some(serde_json::to_string(&result).map_err(AppError::internal)?);
    row.finalized_at = Some(db_now);
    // A self-assessment is shown, never certifies: it opens no corrective actions and does not
    // become the agency's grade.
    let Some(body_id) = row.certification_body_id.clone() else {
        return Ok(());
    };
    for (code, severity) in &found {
        let Some((plan_due, closure_due)) = deadlines(*severity, now) else {
            continue;
        };
        store::corrective_actions::insert(
            c,
            &ActionRow {
                id: Uuid::now_v7().to_string(),
                assessment_id: row.id.clone(),
                agency_id: row.agency_id.clone(),
                certification_body_id: body_id.clone(),
                criterion_code: code.clone(),
                severity: wire_name(severity),
                status: ActionStatus::Open.as_str().into(),
                plan: None,
                plan_submitted_at: None,
                evidence: None,
                evidence_submitted_at: None,
                verified_by: None,
                verified_at: None,
                rejection_reason: None,
                plan_due: store::to_db_time(plan_due),
                closure_due: store::to_db_time(closure_due),
                version: 1,
                created_at: db_now,
                updated_at: db_now,
            },
        )?;
    }
    let mut agency =
        store::agencies::find(c, &row.agency_id)?.ok_or_else(|| AppError::internal("assessed agency missing"))?;
    let expected = agency.version;
    agency.latest_score = result.overall;
    agency.grade = row.grade.clone();
    agency.version += 1;
    agency.updated_at = db_now;
    if !store::agencies::update(c, &agency, expected)? {
        return Err(AppError::Conflict("the agency changed meanwhile; try again".into()));
    }
    let critical: Vec<String> =
        found.iter().filter(|(_, s)| **s == Severity::Critical).map(|(code, _)| code.clone()).collect();
    let kind = from_wire(&row.kind).unwrap_or(AssessmentKind::Special);
    crate::certification::audit_finalized(c, &row.agency_id, &body_id, kind, &critical, now)
}
