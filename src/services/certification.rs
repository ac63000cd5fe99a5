//! Certification decisions: each gathers the facts from the store, asks the pure rules in
//! `domain::certification`, and writes the new state together with its history entry. The
//! API, the sweeper and the demo seed all decide here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::agency::CertificationStatus;
use crate::domain::assessment::{AssessmentKind, AssessmentStatus};
use crate::domain::certification::{
    self as rules, AutoRule, CertificateFacts, CertifyFacts, DueTransition, Event, FollowUpAudit, GraveAction,
    ReinstateFacts,
};
use crate::domain::certification_body::accreditation_problem;
use crate::domain::events::EventType;
use crate::domain::fields::{not_blank, uuid};
use crate::domain::review::ReviewedDecision;
use crate::domain::standard::Severity;
use crate::error::{AppError, AppResult};
use crate::services::events::{self, Draft, SYSTEM};
use crate::services::{agencies, reviews, validate};
use crate::store;
use crate::store::agencies::AgencyRow;
use crate::store::certifications::{CertificateRow, DecisionRow, EventRow};
use crate::store::reviews::Subject;

const SERIOUS: [Severity; 2] = [Severity::Major, Severity::Critical];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransitionAction {
    Certify,
    Suspend,
    Reinstate,
    Withdraw,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"action": "certify", "assessment_id": "0193f0c1-5d2e-7a10-9c35-2b8e4f1a6d90", "reason": "Stage-2 audit of 3 March: score 88.5, no open major findings."}))]
pub struct TransitionInput {
    pub action: TransitionAction,
    /// The stage-2 or recertification audit a certification rests on; only for `certify`.
    #[serde(default)]
    #[validate(custom(function = "uuid"))]
    #[schema(format = Uuid)]
    pub assessment_id: Option<String>,
    /// A substantiated worker report of a critical breach (fees charged, documents withheld,
    /// contract substitution, threats or violence) that grounds a suspension; only for
    /// `suspend`. The recorded reason then names the report.
    #[serde(default)]
    #[validate(custom(function = "uuid"))]
    #[schema(format = Uuid)]
    pub report_id: Option<String>,
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub reason: String,
}

/// Takes the decision a client asked for (certify, suspend, reinstate or withdraw), with the
/// permission that decision needs: certifying is for a certifier of the body that audited the
/// agency; the others for a certifier of the certificate's body or an admin.
pub fn decide(
    conn: &mut DbConnection,
    who: &Principal,
    agency_id: &str,
    input: TransitionInput,
    now: DateTime<Utc>,
) -> AppResult<()> {
    validate(&input)?;
    agencies::find(conn, agency_id)?;
    let reason = input.reason.trim();
    if input.report_id.is_some() && input.action != TransitionAction::Suspend {
        return Err(AppError::field("report_id", "only for suspend"));
    }
    match input.action {
        TransitionAction::Certify => {
            let assessment_id = input
                .assessment_id
                .as_deref()
                .ok_or_else(|| AppError::field("assessment_id", "required to certify"))?;
            let audit_body = audit_of(conn, agency_id, assessment_id)?.certification_body_id;
            authorize(who, Action::DecideCertification { body_id: audit_body.as_deref(), certify: true })?;
            certify(conn, who, agency_id, assessment_id, reason, now).map(drop)
        }
        action => {
            if input.assessment_id.is_some() {
                return Err(AppError::field("assessment_id", "only for certify"));
            }
            let cert_body = store::certifications::certificate_of(conn, agency_id)?.map(|c| c.certification_body_id);
            authorize(who, Action::DecideCertification { body_id: cert_body.as_deref(), certify: false })?;
            let actor = who.client_id.as_str();
            match action {
                TransitionAction::Suspend => match input.report_id.as_deref() {
                    Some(report_id) => {
                        let report = crate::services::reports::grounds_for_suspension(conn, agency_id, report_id)?;
                        let reason = format!(
                            "{reason} (worker report {}, substantiated: {})",
                            report.reference, report.category
                        );
                        suspend(conn, actor, agency_id, None, &reason, now)
                    }
                    None => suspend(conn, actor, agency_id, None, reason, now),
                },
                // The rules of the transition answer first; the review it needs after them
                // (read before the change, so that it is the certificate's review).
                TransitionAction::Reinstate => {
                    let review = reviewed_certificate_decision(conn, who, agency_id, ReviewedDecision::Reinstate)?;
                    reinstate(conn, actor, agency_id, reason, now)?;
                    reviews::spend(conn, &review.map_err(AppError::Conflict)?, now)
                }
                _ => {
                    let review = reviewed_certificate_decision(conn, who, agency_id, ReviewedDecision::Withdraw)?;
                    end(conn, Event::Withdraw, actor, agency_id, None, reason, now)?;
                    reviews::spend(conn, &review.map_err(AppError::Conflict)?, now)
                }
            }
        }
    }
}

/// Whether the client `client_id` led the audit, as its lead client or as the same person
/// (`person_ref`). Without a person on both sides, nothing shows they are two people: the rule
/// answers yes rather than trusts (new staff clients always carry one; this guards older ones).
pub(crate) fn led_audit(
    conn: &mut DbConnection,
    audit: &store::assessments::AssessmentRow,
    client_id: &str,
) -> AppResult<bool> {
    if audit.lead_client_id == client_id {
        return Ok(true);
    }
    let lead_person = store::clients::find(conn, &audit.lead_client_id)?.and_then(|l| l.person_ref);
    let person = store::clients::find(conn, client_id)?.and_then(|d| d.person_ref);
    Ok(match (&person, &lead_person) {
        (Some(a), Some(b)) => a == b,
        _ => true,
    })
}

/// The technical review a reinstatement or withdrawal by `who` would rest on, or why there is
/// none (see `services::reviews`), with the standard's three-people policy of the certificate's
/// audit. Without a certificate the transition's own rules answer.
fn reviewed_certificate_decision(
    conn: &mut DbConnection,
    who: &Principal,
    agency_id: &str,
    decision: ReviewedDecision,
) -> AppResult<Result<store::reviews::ReviewRow, String>> {
    let Some(cert) = store::certifications::certificate_of(conn, agency_id)? else {
        return Ok(Err("the agency has no certificate".into()));
    };
    let version = store::assessments::find(conn, &cert.assessment_id)?
        .map(|a| a.standard_version)
        .ok_or_else(|| AppError::internal("certificate of a missing assessment"))?;
    let distinct = store::standards::content_of_version(conn, &version)?.decision_policy.reviewer_must_differ(decision);
    reviews::check(conn, agency_id, decision, Subject::Certificate(&cert.number), who, distinct)
}

fn audit_of(
    conn: &mut DbConnection,
    agency_id: &str,
    assessment_id: &str,
) -> AppResult<store::assessments::AssessmentRow> {
    store::assessments::find(conn, assessment_id)?
        .filter(|a| a.agency_id == agency_id)
        .ok_or_else(|| AppError::field("assessment_id", format!("no assessment {assessment_id} of this agency")))
}

/// Moves the agency to `to` and records the transition.
#[allow(clippy::too_many_arguments)]
fn record(
    conn: &mut DbConnection,
    agency: &mut AgencyRow,
    to: CertificationStatus,
    actor: &str,
    rule: Option<AutoRule>,
    reason: &str,
    certificate_number: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    store::certifications::insert_event(
        conn,
        &EventRow {
            id: crate::services::new_id(),
            agency_id: agency.id.clone(),
            from_status: agency.certification_status,
            to_status: to,
            actor: actor.into(),
            rule,
            reason: reason.into(),
            certificate_number: certificate_number.map(str::to_owned),
            occurred_at: now,
        },
    )?;
    let from = agency.certification_status;
    agency.certification_status = to;
    store::save(conn, agency, now)?;
    let body = store::certifications::certificate_of(conn, &agency.id)?.map(|c| c.certification_body_id);
    let draft = Draft::new(EventType::CertificationStatusChanged, "agency", &agency.id)
        .agency(&agency.id)
        .body(body.as_deref())
        .values(
            Some(serde_json::json!({ "status": from })),
            Some(serde_json::json!({
                "status": to,
                "certificate_number": certificate_number,
                "rule": rule,
                "reason": reason,
            })),
        );
    events::record(actor, draft, now)
}

/// An application moves a new, withdrawn or expired agency into the cycle as an applicant.
pub(crate) fn applied(
    conn: &mut DbConnection,
    agency: &mut AgencyRow,
    actor: &str,
    body_name: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let current = agency.certification_status;
    match rules::next(current, Event::Apply) {
        Ok(to) if to != current => record(conn, agency, to, actor, None, &format!("applied to {body_name}"), None, now),
        _ => Ok(()),
    }
}

fn refuse(refusals: Vec<String>) -> AppResult<()> {
    if refusals.is_empty() { Ok(()) } else { Err(AppError::Conflict(refusals.join("; "))) }
}

/// A certification (or recertification) decision resting on `assessment_id`, by a client of a
/// certification body (the four-eyes rule compares it, and its `person_ref`, with the audit's
/// lead).
pub fn certify(
    conn: &mut DbConnection,
    decider: &Principal,
    agency_id: &str,
    assessment_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<CertificateRow> {
    let mut agency = agencies::find(conn, agency_id)?;
    let audit = audit_of(conn, agency_id, assessment_id)?;
    let standard = store::standards::content_of_version(conn, &audit.standard_version)?;
    let minimum = standard.policy.certification_minimum;
    let decider_led_audit = led_audit(conn, &audit, &decider.client_id)?;
    let body = match &audit.certification_body_id {
        Some(id) => store::certification_bodies::find(conn, id)?,
        None => None,
    };
    let facts = CertifyFacts {
        current: agency.certification_status,
        audit_kind: audit.kind,
        audit_finalized_at: if audit.status == AssessmentStatus::Finalized { audit.finalized_at } else { None },
        audit_by_deciders_body: audit.certification_body_id.is_some()
            && audit.certification_body_id == decider.certification_body_id,
        decider_led_audit,
        score: audit.overall_score,
        minimum_score: minimum,
        open_major_or_critical: store::corrective_actions::unverified(conn, agency_id, &SERIOUS, None)?,
        minors_without_plan: store::corrective_actions::minors_without_plan(conn, agency_id)?,
        unresolved_grave: unresolved_grave_findings(conn, agency_id)?,
        audit_already_used: store::certifications::decision_on(conn, &audit.id)?.is_some(),
        accreditation_problem: body
            .as_ref()
            .and_then(|b| accreditation_problem(&b.name, b.accreditation_status, b.accredited_until, now)),
        licence_valid_until: agency.licence_valid_until,
        now,
    };
    refuse(rules::certify_refusals(&facts))?;
    // The rules answer first; then the technical review the decision rests on (§9.5).
    let distinct = standard.decision_policy.reviewer_must_differ(ReviewedDecision::Certify);
    let review =
        reviews::check(conn, agency_id, ReviewedDecision::Certify, Subject::Audit(&audit.id), decider, distinct)?
            .map_err(AppError::Conflict)?;
    reviews::spend(conn, &review, now)?;
    // A recertification before expiry continues the cycle of the certificate in force.
    let in_force_until = match agency.certification_status {
        CertificationStatus::Certified => {
            store::certifications::certificate_of(conn, agency_id)?.map(|c| c.valid_until)
        }
        _ => None,
    };
    let period = rules::period_after(now, in_force_until);
    let certificate = CertificateRow {
        agency_id: agency_id.into(),
        number: certificate_number(now),
        certification_body_id: audit.certification_body_id.clone().unwrap_or_default(),
        assessment_id: audit.id.clone(),
        decided_by: decider.client_id.clone(),
        valid_from: period.valid_from,
        valid_until: period.valid_until,
        next_surveillance_due: period.first_surveillance_due,
        suspended_at: None,
        suspension_reason: None,
        updated_at: now,
    };
    // First, so that of two decisions racing on one audit exactly one is kept.
    store::certifications::insert_decision(
        conn,
        &DecisionRow {
            assessment_id: audit.id.clone(),
            agency_id: agency_id.into(),
            certificate_number: certificate.number.clone(),
            decided_by: decider.client_id.clone(),
            decided_at: now,
        },
    )?;
    let replaced = store::certifications::certificate_of(conn, agency_id)?;
    store::certifications::put_certificate(conn, &certificate)?;
    let draft = Draft::new(EventType::CertificateIssued, "agency", agency_id)
        .agency(agency_id)
        .body(Some(&certificate.certification_body_id))
        .values(replaced.as_ref().map(certificate_values), Some(certificate_values(&certificate)));
    events::record(&decider.client_id, draft, now)?;
    let number = certificate.number.clone();
    record(conn, &mut agency, CertificationStatus::Certified, &decider.client_id, None, reason, Some(&number), now)?;
    Ok(certificate)
}

/// The agency's grave findings (critical, or major on a criterion the standard flags critical)
/// not yet cleared by a follow-up audit; see `domain::certification::unresolved_grave_findings`.
fn unresolved_grave_findings(conn: &mut DbConnection, agency_id: &str) -> AppResult<Vec<String>> {
    use std::collections::HashMap;

    use crate::domain::assessment::AssessmentKind;
    use crate::store::assessments::{Filter, Visibility};

    let actions = store::corrective_actions::page(
        conn,
        &store::corrective_actions::Filter {
            agency_id: Some(agency_id.to_owned()),
            severities: Some(SERIOUS.to_vec()),
            ..Default::default()
        },
        None,
        i64::MAX,
    )?;
    if actions.is_empty() {
        return Ok(Vec::new());
    }
    // Whether a major is grave depends on its criterion in the standard its audit used.
    let mut versions: HashMap<String, String> = HashMap::new();
    let mut critical_criteria: HashMap<String, Vec<String>> = HashMap::new();
    let mut grave = Vec::new();
    for action in actions {
        if action.severity == Severity::Major {
            if !versions.contains_key(&action.assessment_id) {
                let version = store::assessments::find(conn, &action.assessment_id)?
                    .map(|a| a.standard_version)
                    .ok_or_else(|| AppError::internal("corrective action of a missing assessment"))?;
                versions.insert(action.assessment_id.clone(), version);
            }
            let version = &versions[&action.assessment_id];
            if !critical_criteria.contains_key(version) {
                let standard = store::standards::content_of_version(conn, version)?;
                let codes = standard.criteria.iter().filter(|c| c.critical).map(|c| c.code.clone()).collect();
                critical_criteria.insert(version.clone(), codes);
            }
            if !critical_criteria[version].contains(&action.criterion_code) {
                continue;
            }
        }
        grave.push(GraveAction {
            criterion_code: action.criterion_code,
            severity: action.severity,
            body_id: action.certification_body_id,
            found_at: action.created_at,
            verified_at: action.verified_at,
        });
    }
    if grave.is_empty() {
        return Ok(Vec::new());
    }
    let mut follow_ups = Vec::new();
    for kind in [AssessmentKind::FollowUp, AssessmentKind::Special] {
        let filter = Filter {
            agency_id: Some(agency_id.to_owned()),
            status: Some(AssessmentStatus::Finalized),
            kind: Some(kind),
        };
        for audit in store::assessments::page(conn, &Visibility::All, &filter, None, i64::MAX)? {
            let (Some(body_id), Some(finalized_at)) = (audit.certification_body_id, audit.finalized_at) else {
                continue;
            };
            let findings = crate::services::assessments::severities(&store::assessments::findings_of(conn, &audit.id)?);
            follow_ups.push(FollowUpAudit { body_id, finalized_at, findings });
        }
    }
    Ok(rules::unresolved_grave_findings(&grave, &follow_ups))
}

/// What the log and the webhooks show of a certificate: what the public page shows.
fn certificate_values(c: &CertificateRow) -> serde_json::Value {
    serde_json::json!({
        "number": c.number,
        "certification_body_id": c.certification_body_id,
        "valid_from": c.valid_from,
        "valid_until": c.valid_until,
    })
}

/// `FH-<year>-<8 hex>`: unique (from a UUIDv7's random bits) and readable over the phone.
fn certificate_number(now: DateTime<Utc>) -> String {
    let random = uuid::Uuid::now_v7().simple().to_string();
    format!("FH-{}-{}", now.format("%Y"), random[random.len() - 8..].to_uppercase())
}

fn certificate(conn: &mut DbConnection, agency_id: &str) -> AppResult<CertificateRow> {
    store::certifications::certificate_of(conn, agency_id)?
        .ok_or_else(|| AppError::Conflict("the agency has no certificate".into()))
}

/// Suspends a certified agency's certificate.
pub fn suspend(
    conn: &mut DbConnection,
    actor: &str,
    agency_id: &str,
    rule: Option<AutoRule>,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut agency = agencies::find(conn, agency_id)?;
    let to = rules::next(agency.certification_status, Event::Suspend).map_err(AppError::Conflict)?;
    let mut cert = certificate(conn, agency_id)?;
    cert.suspended_at = Some(now);
    cert.suspension_reason = Some(reason.into());
    cert.updated_at = now;
    store::certifications::update_certificate(conn, &cert)?;
    record(conn, &mut agency, to, actor, rule, reason, Some(&cert.number), now)
}

/// Lifts a suspension once its cause is resolved; the original expiry stands.
pub fn reinstate(
    conn: &mut DbConnection,
    actor: &str,
    agency_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut agency = agencies::find(conn, agency_id)?;
    let mut cert = certificate(conn, agency_id)?;
    refuse(rules::reinstate_refusals(&ReinstateFacts {
        current: agency.certification_status,
        unverified_major_or_critical: store::corrective_actions::unverified(conn, agency_id, &SERIOUS, None)?,
        next_surveillance_due: cert.next_surveillance_due,
        unresolved_grave: unresolved_grave_findings(conn, agency_id)?,
        licence_valid_until: agency.licence_valid_until,
        now,
    }))?;
    cert.suspended_at = None;
    cert.suspension_reason = None;
    cert.updated_at = now;
    store::certifications::update_certificate(conn, &cert)?;
    record(conn, &mut agency, CertificationStatus::Certified, actor, None, reason, Some(&cert.number), now)
}

/// Withdraws or expires a certificate; the applications it rested on close with it.
pub fn end(
    conn: &mut DbConnection,
    event: Event,
    actor: &str,
    agency_id: &str,
    rule: Option<AutoRule>,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut agency = agencies::find(conn, agency_id)?;
    let to = rules::next(agency.certification_status, event).map_err(AppError::Conflict)?;
    let number = store::certifications::certificate_of(conn, agency_id)?.map(|c| c.number);
    for closed in store::certification_bodies::close_applications(conn, agency_id, now)? {
        let before = store::certification_bodies::ApplicationRow {
            status: crate::domain::certification_body::ApplicationStatus::Accepted,
            ..closed.clone()
        };
        let after = store::certification_bodies::ApplicationRow {
            status: crate::domain::certification_body::ApplicationStatus::Closed,
            updated_at: now,
            ..closed
        };
        crate::services::applications::record_decision(actor, &before, &after, now)?;
    }
    record(conn, &mut agency, to, actor, rule, reason, number.as_deref(), now)
}

/// Carries out an automatic transition the rules found due.
fn apply_due(conn: &mut DbConnection, agency_id: &str, due: &DueTransition, now: DateTime<Utc>) -> AppResult<()> {
    let rule = Some(due.rule);
    match due.event {
        Event::Suspend => suspend(conn, SYSTEM, agency_id, rule, &due.reason, now),
        event => end(conn, event, SYSTEM, agency_id, rule, &due.reason, now),
    }
}

/// What a finalized audit means for a certificate: a surveillance audit by the certifying body
/// moves the next surveillance date on; a critical finding suspends a certified agency at once.
pub(crate) fn audit_finalized(
    conn: &mut DbConnection,
    actor: &str,
    agency_id: &str,
    body_id: &str,
    kind: AssessmentKind,
    critical_findings: &[String],
    now: DateTime<Utc>,
) -> AppResult<()> {
    let Some(mut cert) = store::certifications::certificate_of(conn, agency_id)? else {
        return Ok(());
    };
    let status = agencies::find(conn, agency_id)?.certification_status;
    if !status.holds_certificate() {
        return Ok(());
    }
    // A surveillance audit satisfies the earliest unmet anniversary, if it is not too early;
    // later anniversaries stay where they are.
    if kind == AssessmentKind::Surveillance
        && cert.certification_body_id == body_id
        && rules::satisfies_surveillance(cert.next_surveillance_due, now)
    {
        let before = cert.next_surveillance_due;
        cert.next_surveillance_due = rules::following_surveillance(cert.next_surveillance_due);
        cert.updated_at = now;
        store::certifications::update_certificate(conn, &cert)?;
        let draft = Draft::new(EventType::CertificateUpdated, "agency", agency_id)
            .agency(agency_id)
            .body(Some(body_id))
            .values(
                Some(serde_json::json!({ "next_surveillance_due": before })),
                Some(serde_json::json!({ "next_surveillance_due": cert.next_surveillance_due })),
            );
        events::record(actor, draft, now)?;
    }
    match rules::on_audit_finalized(status, kind, critical_findings) {
        Some(due) => apply_due(conn, agency_id, &due, now),
        None => Ok(()),
    }
}

/// The transition the automatic rules find due for a certified or suspended agency at `now`.
pub(crate) fn due_for(
    conn: &mut DbConnection,
    agency_id: &str,
    status: CertificationStatus,
    licence_valid_until: Option<chrono::NaiveDate>,
    cert: &CertificateRow,
    now: DateTime<Utc>,
) -> AppResult<Option<DueTransition>> {
    let overdue = match status {
        CertificationStatus::Certified => store::corrective_actions::unverified(conn, agency_id, &SERIOUS, Some(now))?,
        _ => 0,
    };
    let facts = CertificateFacts {
        status,
        certificate_number: cert.number.clone(),
        valid_until: cert.valid_until,
        next_surveillance_due: cert.next_surveillance_due,
        suspended_at: cert.suspended_at,
        overdue_major_or_critical: overdue,
        licence_valid_until,
    };
    Ok(rules::due_transition(&facts, now))
}

/// Applies the rule found due for one agency now, if any (the seed uses it to play a story
/// forward); returns the rule applied.
pub(crate) fn apply_rules_to(
    conn: &mut DbConnection,
    agency_id: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<DueTransition>> {
    let agency = agencies::find(conn, agency_id)?;
    let Some(cert) = store::certifications::certificate_of(conn, agency_id)? else {
        return Ok(None);
    };
    let due = due_for(conn, agency_id, agency.certification_status, agency.licence_valid_until, &cert, now)?;
    if let Some(due) = &due {
        apply_due(conn, agency_id, due, now)?;
    }
    Ok(due)
}

/// What one sweep did.
#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct SweepReport {
    pub suspended: Vec<String>,
    pub withdrawn: Vec<String>,
    pub expired: Vec<String>,
    pub lapsed_applications: usize,
    /// What the same pass erased under the retention policy (`services::retention::sweep`, in
    /// its own transaction).
    pub personal_data_erased: crate::services::retention::RetentionReport,
}

/// Logs, once each, the corrective actions that have become overdue (the event integrators and
/// the agency watch for; whether it suspends a certificate is `due_for`'s rule).
fn report_overdue_actions(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<()> {
    let kind: &'static str = EventType::CorrectiveActionOverdue.into();
    for action in store::corrective_actions::overdue_unreported(conn, now, kind)? {
        let draft = Draft::new(EventType::CorrectiveActionOverdue, "corrective_action", &action.id)
            .agency(&action.agency_id)
            .body(Some(&action.certification_body_id))
            .values(
                None,
                Some(serde_json::json!({
                    "criterion_code": action.criterion_code,
                    "severity": action.severity,
                    "status": action.status,
                    "plan_due": action.plan_due,
                    "closure_due": action.closure_due,
                })),
            );
        events::record(SYSTEM, draft, now)?;
    }
    Ok(())
}

/// Applies the automatic rules as of `now`. Running it twice in a row changes nothing the
/// second time: each rule only fires on the state it changes.
pub fn sweep(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<SweepReport> {
    let lapsed = store::certifications::lapse_deferred_applications(conn, now)?;
    for before in &lapsed {
        let after = store::certification_bodies::ApplicationRow {
            status: crate::domain::certification_body::ApplicationStatus::Lapsed,
            reason: Some(store::certifications::LAPSE_REASON.into()),
            updated_at: now,
            ..before.clone()
        };
        crate::services::applications::record_decision(SYSTEM, before, &after, now)?;
    }
    report_overdue_actions(conn, now)?;
    let mut report = SweepReport { lapsed_applications: lapsed.len(), ..SweepReport::default() };
    for (agency_id, status, licence_valid_until, cert) in store::certifications::certified_or_suspended(conn)? {
        let Some(due) = due_for(conn, &agency_id, status, licence_valid_until, &cert, now)? else {
            continue;
        };
        apply_due(conn, &agency_id, &due, now)?;
        match due.event {
            Event::Suspend => report.suspended.push(agency_id),
            Event::Withdraw => report.withdrawn.push(agency_id),
            _ => report.expired.push(agency_id),
        }
    }
    Ok(report)
}

/// Reverses or reopens a decision an upheld appeal found wrong, recording a transition whose
/// reason names the appeal (so that the history, the feed and webhooks carry it):
/// - a suspension: the certificate is back in force; the original expiry stands;
/// - a withdrawal: the agency goes back to where the withdrawal found it (certified, or still
///   suspended for its own cause) if the certificate has not expired since; if it has, it ends
///   as expired rather than withdrawn, so that the record no longer shows a sanction found
///   wrong. The applications the withdrawal closed are open again;
/// - a refusal: the rejected application is pending again, for the body to decide anew.
pub(crate) fn reverse_on_appeal(
    conn: &mut DbConnection,
    actor: &str,
    appeal: &store::appeals::AppealRow,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    use crate::domain::appeals::AppealedDecision;
    use crate::domain::certification_body::ApplicationStatus;

    let reason = format!("appeal {} upheld: {reason}", appeal.id);
    let mut agency = agencies::find(conn, &appeal.agency_id)?;
    let stands = |status: CertificationStatus| {
        AppError::Conflict(format!("the decision appealed no longer stands: the agency is {status}"))
    };
    match appeal.decision {
        AppealedDecision::Suspension => {
            if agency.certification_status != CertificationStatus::Suspended {
                return Err(stands(agency.certification_status));
            }
            let mut cert = certificate(conn, &agency.id)?;
            cert.suspended_at = None;
            cert.suspension_reason = None;
            cert.updated_at = now;
            store::certifications::update_certificate(conn, &cert)?;
            record(conn, &mut agency, CertificationStatus::Certified, actor, None, &reason, Some(&cert.number), now)
        }
        AppealedDecision::Withdrawal => {
            if agency.certification_status != CertificationStatus::Withdrawn {
                return Err(stands(agency.certification_status));
            }
            let cert = certificate(conn, &agency.id)?;
            let withdrawal = store::appeals::latest_transition_to(conn, &agency.id, CertificationStatus::Withdrawn)?
                .ok_or_else(|| AppError::internal("a withdrawn agency without its withdrawal"))?;
            if cert.valid_until <= now {
                let reason = format!(
                    "{reason}; the certificate expired on {} meanwhile, so it ends as expired",
                    cert.valid_until.format("%Y-%m-%d")
                );
                return record(
                    conn,
                    &mut agency,
                    CertificationStatus::Expired,
                    actor,
                    None,
                    &reason,
                    Some(&cert.number),
                    now,
                );
            }
            for closed in store::certification_bodies::closed_applications(conn, &agency.id, withdrawal.occurred_at)? {
                let reopened = store::certification_bodies::ApplicationRow {
                    status: ApplicationStatus::Accepted,
                    updated_at: now,
                    ..closed.clone()
                };
                store::certification_bodies::update_application(conn, &reopened)?;
                crate::services::applications::record_decision(actor, &closed, &reopened, now)?;
            }
            let back = withdrawal.from_status;
            record(conn, &mut agency, back, actor, None, &reason, Some(&cert.number), now)
        }
        AppealedDecision::Refusal => {
            let mut application = store::certification_bodies::find_application(conn, &appeal.decision_ref)?
                .ok_or_else(|| AppError::internal("an appeal of a missing application"))?;
            if application.status != ApplicationStatus::Rejected {
                return Err(AppError::Conflict(format!(
                    "the refusal appealed no longer stands: the application is {}",
                    application.status
                )));
            }
            let before = application.clone();
            application.status = ApplicationStatus::Pending;
            application.reason = Some(reason);
            application.decided_by = None;
            application.decided_at = None;
            application.updated_at = now;
            store::certification_bodies::update_application(conn, &application)?;
            crate::services::applications::record_decision(actor, &before, &application, now)
        }
    }
}
