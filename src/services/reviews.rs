//! Technical reviews before certify, reinstate and withdraw decisions (ISO/IEC 17021-1 §9.5).
//!
//! What a review is attached to: a `certify` review to the audit the certification would rest
//! on (a finalized stage-2 or recertification audit); a `reinstate` or `withdraw` review to the
//! agency's current certificate (by number) and the decision kind, and, when the decision rests
//! on a follow-up or special audit, to that audit too. A decision rests on the latest review of
//! its subject, which must agree and not have supported a decision already; the decision spends
//! it.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::agency::CertificationStatus;
use crate::domain::assessment::{AssessmentKind, AssessmentStatus};
use crate::domain::events::EventType;
use crate::domain::fields::{not_blank, uuid};
use crate::domain::review::{LatestReview, ReviewOutcome, ReviewedDecision, review_refusal};
use crate::error::{AppError, AppResult};
use crate::services::events::{self, Draft};
use crate::services::{agencies, certification, new_id, validate};
use crate::store;
use crate::store::assessments::AssessmentRow;
use crate::store::reviews::{ReviewRow, Subject};

/// A review of the audit a certification would rest on.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"outcome": "agree", "reasons": "Findings, evidence and corrective actions support certification."}))]
pub struct AuditReviewInput {
    pub outcome: ReviewOutcome,
    /// Why; required when the file is returned.
    #[serde(default)]
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub reasons: Option<String>,
}

/// A review of a reinstatement or withdrawal of the agency's certificate.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "reinstate", "outcome": "agree", "reasons": "Follow-up audit saw the passports returned.", "assessment_id": "0193f0c1-5d2e-7a10-9c35-2b8e4f1a6d90"}))]
pub struct CertificateReviewInput {
    /// `reinstate` or `withdraw`; a `certify` review is on the audit.
    pub decision: ReviewedDecision,
    pub outcome: ReviewOutcome,
    /// Why; required when the file is returned.
    #[serde(default)]
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub reasons: Option<String>,
    /// The follow-up or special audit the decision rests on, if any; its lead may not review.
    #[serde(default)]
    #[validate(custom(function = "uuid"))]
    #[schema(format = Uuid)]
    pub assessment_id: Option<String>,
}

fn reasons_of(outcome: ReviewOutcome, reasons: Option<String>) -> AppResult<Option<String>> {
    let reasons = reasons.map(|r| r.trim().to_owned());
    if reasons.as_deref().is_some_and(|r| r.contains('\0')) {
        return Err(AppError::field("reasons", "must not contain NUL characters"));
    }
    if outcome == ReviewOutcome::Returned && reasons.is_none() {
        return Err(AppError::field("reasons", "required when the file is returned"));
    }
    Ok(reasons)
}

fn person_of(conn: &mut DbConnection, client_id: &str) -> AppResult<Option<String>> {
    Ok(store::clients::find(conn, client_id)?.and_then(|c| c.person_ref))
}

fn audit(conn: &mut DbConnection, id: &str) -> AppResult<AssessmentRow> {
    store::assessments::find(conn, id)?.ok_or_else(|| AppError::NotFound(format!("no assessment with id {id}")))
}

/// Records a review of the audit a certification would rest on, by an auditor or certifier
/// of the body that carried it out who did not lead it.
pub fn review_audit(
    conn: &mut DbConnection,
    who: &Principal,
    assessment_id: &str,
    input: AuditReviewInput,
    now: DateTime<Utc>,
) -> AppResult<ReviewRow> {
    validate(&input)?;
    let audit = audit(conn, assessment_id)?;
    authorize(who, Action::ReviewCertification { body_id: audit.certification_body_id.as_deref() })?;
    let reasons = reasons_of(input.outcome, input.reasons)?;
    if !matches!(audit.kind, AssessmentKind::Stage2 | AssessmentKind::Recertification) {
        return Err(AppError::Conflict(format!(
            "a {} audit does not support a certification; reviews are of stage-2 and recertification audits",
            audit.kind
        )));
    }
    if audit.status != AssessmentStatus::Finalized {
        return Err(AppError::Conflict("the audit is not finalized; it is reviewed once finalized".into()));
    }
    if store::certifications::decision_on(conn, &audit.id)?.is_some() {
        return Err(AppError::Conflict("the audit already supported a certification decision".into()));
    }
    if certification::led_audit(conn, &audit, &who.client_id)? {
        return Err(AppError::Conflict(
            "four-eyes: the auditor who led the audit may not review it (or no person reference shows otherwise)"
                .into(),
        ));
    }
    let row = ReviewRow {
        id: new_id(),
        agency_id: audit.agency_id.clone(),
        certification_body_id: audit.certification_body_id.clone().unwrap_or_default(),
        decision: ReviewedDecision::Certify,
        assessment_id: Some(audit.id.clone()),
        certificate_number: None,
        outcome: input.outcome,
        reasons,
        reviewer: who.client_id.clone(),
        reviewer_person_ref: person_of(conn, &who.client_id)?,
        reviewed_at: now,
        used_at: None,
    };
    recorded(conn, row)
}

/// Records a review of a reinstatement or withdrawal of the agency's certificate, by an auditor
/// or certifier of the certificate's body, who led neither the audit the certificate rests on
/// nor the audit named, if one is.
pub fn review_certificate(
    conn: &mut DbConnection,
    who: &Principal,
    agency_id: &str,
    input: CertificateReviewInput,
    now: DateTime<Utc>,
) -> AppResult<ReviewRow> {
    validate(&input)?;
    let agency = agencies::find(conn, agency_id)?;
    let Some(cert) = store::certifications::certificate_of(conn, agency_id)? else {
        return Err(AppError::Conflict("the agency has no certificate to reinstate or withdraw".into()));
    };
    authorize(who, Action::ReviewCertification { body_id: Some(&cert.certification_body_id) })?;
    if input.decision == ReviewedDecision::Certify {
        return Err(AppError::field("decision", "a certify review is on the audit: POST /v1/assessments/{id}/reviews"));
    }
    let reasons = reasons_of(input.outcome, input.reasons)?;
    let allowed = match input.decision {
        ReviewedDecision::Reinstate => agency.certification_status == CertificationStatus::Suspended,
        _ => agency.certification_status.holds_certificate(),
    };
    if !allowed {
        return Err(AppError::Conflict(format!(
            "the agency is {}; there is no {} decision to review",
            agency.certification_status, input.decision
        )));
    }
    if let Some(id) = input.assessment_id.as_deref() {
        let audit = store::assessments::find(conn, id)?
            .filter(|a| a.agency_id == agency_id)
            .ok_or_else(|| AppError::field("assessment_id", format!("no assessment {id} of this agency")))?;
        if audit.certification_body_id.as_deref() != Some(cert.certification_body_id.as_str()) {
            return Err(AppError::field("assessment_id", "not an audit by the certificate's body"));
        }
        if audit.status != AssessmentStatus::Finalized {
            return Err(AppError::Conflict("the audit named is not finalized".into()));
        }
        if certification::led_audit(conn, &audit, &who.client_id)? {
            return Err(AppError::Conflict(
                "four-eyes: the auditor who led the audit may not review the decision resting on it".into(),
            ));
        }
    }
    // Nor may the lead of the audit the certificate rests on: who judged the agency fit should
    // not be the one to check a decision to take that judgement back, or to restore it.
    if let Some(original) = store::assessments::find(conn, &cert.assessment_id)?
        && certification::led_audit(conn, &original, &who.client_id)?
    {
        return Err(AppError::Conflict(
            "four-eyes: the auditor who led the audit the certificate rests on may not review a decision on it".into(),
        ));
    }
    let row = ReviewRow {
        id: new_id(),
        agency_id: agency_id.to_owned(),
        certification_body_id: cert.certification_body_id.clone(),
        decision: input.decision,
        assessment_id: input.assessment_id,
        certificate_number: Some(cert.number.clone()),
        outcome: input.outcome,
        reasons,
        reviewer: who.client_id.clone(),
        reviewer_person_ref: person_of(conn, &who.client_id)?,
        reviewed_at: now,
        used_at: None,
    };
    recorded(conn, row)
}

fn recorded(conn: &mut DbConnection, row: ReviewRow) -> AppResult<ReviewRow> {
    store::reviews::insert(conn, &row)?;
    let draft = Draft::new(EventType::TechnicalReviewRecorded, "technical_review", &row.id)
        .agency(&row.agency_id)
        .body(Some(&row.certification_body_id))
        .values(
            None,
            Some(serde_json::json!({
                "decision": row.decision,
                "outcome": row.outcome,
                "reasons": row.reasons,
                "assessment_id": row.assessment_id,
                "certificate_number": row.certificate_number,
            })),
        );
    events::record(&row.reviewer, draft, row.reviewed_at)?;
    Ok(row)
}

/// The review `decision` by `decider` would rest on, or why it may not: see
/// [`review_refusal`]. `distinct` is the standard's three-people policy for this decision.
pub(crate) fn check(
    conn: &mut DbConnection,
    agency_id: &str,
    decision: ReviewedDecision,
    subject: Subject<'_>,
    decider: &Principal,
    distinct: bool,
) -> AppResult<Result<ReviewRow, String>> {
    let latest = store::reviews::latest(conn, agency_id, decision, subject)?;
    let decider_person = person_of(conn, &decider.client_id)?;
    let facts = latest.as_ref().map(|r| LatestReview {
        outcome: r.outcome,
        used_at: r.used_at,
        reviewer: r.reviewer.clone(),
        reviewer_person: r.reviewer_person_ref.clone(),
    });
    let refusal = review_refusal(decision, facts.as_ref(), distinct, &decider.client_id, decider_person.as_deref());
    Ok(match (refusal, latest) {
        (None, Some(review)) => Ok(review),
        (Some(why), _) => Err(why),
        (None, None) => Err(format!("no technical review agrees to {decision}")),
    })
}

/// Spends the review a decision rested on; of two decisions racing on it, the second is refused.
pub(crate) fn spend(conn: &mut DbConnection, review: &ReviewRow, now: DateTime<Utc>) -> AppResult<()> {
    if store::reviews::mark_used(conn, &review.id, now)? {
        Ok(())
    } else {
        Err(AppError::Conflict("the technical review already supported a decision; a new review is needed".into()))
    }
}

/// Reviews of one audit, for a caller who may read them.
pub fn of_audit(conn: &mut DbConnection, who: &Principal, assessment_id: &str) -> AppResult<Vec<ReviewRow>> {
    let audit = audit(conn, assessment_id)?;
    authorize(who, Action::ReadReviews { body_id: audit.certification_body_id.as_deref() })?;
    store::reviews::list(conn, &audit.agency_id, Some(&audit.id), None)
}

/// Reviews of an agency: all of them for an admin, those of the caller's body for its staff.
pub fn of_agency(conn: &mut DbConnection, who: &Principal, agency_id: &str) -> AppResult<Vec<ReviewRow>> {
    agencies::find(conn, agency_id)?;
    let body = who.certification_body_id.as_deref();
    authorize(who, Action::ReadReviews { body_id: body })?;
    let only_body = if who.is(crate::domain::roles::Role::Admin) { None } else { body };
    store::reviews::list(conn, agency_id, None, only_body)
}
