//! Certification decisions as transactions: each gathers the facts from the store, asks the
//! pure rules in `domain::certification`, and writes the new state together with its event.
//! The API, the sweeper and the demo seed all go through here, so a rule holds for all of them.
//! Every function runs inside the caller's transaction.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::db::DbConnection;
use crate::domain::agency::CertificationStatus;
use crate::domain::assessment::AssessmentKind;
use crate::domain::certification::{self as rules, CertifyFacts, Event};
use crate::domain::from_wire;
use crate::error::{AppError, AppResult};
use crate::store;
use crate::store::agencies::AgencyRow;
use crate::store::certifications::{CertificateRow, EventRow};
use crate::store::{from_db_time, to_db_time};

/// The actor recorded for automatic decisions.
pub const SYSTEM: &str = "system";

/// Who takes a decision: an API client (with its certification body and person, when it has
/// them), or the system.
#[derive(Debug, Clone)]
pub struct Decider {
    pub client_id: String,
    pub certification_body_id: Option<String>,
    pub person_ref: Option<String>,
}

impl Decider {
    pub fn system() -> Decider {
        Decider { client_id: SYSTEM.into(), certification_body_id: None, person_ref: None }
    }
}

fn status_of(agency: &AgencyRow) -> AppResult<CertificationStatus> {
    CertificationStatus::parse(&agency.certification_status)
        .ok_or_else(|| AppError::internal(format!("agency {} has status {}", agency.id, agency.certification_status)))
}

fn load_agency(conn: &mut DbConnection, agency_id: &str) -> AppResult<AgencyRow> {
    store::agencies::find(conn, agency_id)?.ok_or_else(|| AppError::NotFound(format!("no agency with id {agency_id}")))
}

/// Moves the agency to `to` and records the event.
#[allow(clippy::too_many_arguments)]
fn record(
    conn: &mut DbConnection,
    agency: &mut AgencyRow,
    to: CertificationStatus,
    actor: &str,
    rule: Option<&str>,
    reason: &str,
    certificate_number: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let from = agency.certification_status.clone();
    let db_now = to_db_time(now);
    store::certifications::insert_event(
        conn,
        &EventRow {
            id: Uuid::now_v7().to_string(),
            agency_id: agency.id.clone(),
            from_status: from,
            to_status: to.as_str().into(),
            actor: actor.into(),
            rule: rule.map(str::to_owned),
            reason: reason.into(),
            certificate_number: certificate_number.map(str::to_owned),
            occurred_at: db_now,
        },
    )?;
    let expected = agency.version;
    agency.certification_status = to.as_str().into();
    agency.version += 1;
    agency.updated_at = db_now;
    if !store::agencies::update(conn, agency, expected)? {
        return Err(AppError::Conflict("the agency changed meanwhile; try again".into()));
    }
    Ok(())
}

/// An application moves a new, withdrawn or expired agency into the cycle as an applicant.
pub fn applied(
    conn: &mut DbConnection,
    agency: &mut AgencyRow,
    actor: &str,
    body_name: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let current = status_of(agency)?;
    match rules::next(current, Event::Apply) {
        Ok(to) if to != current => record(conn, agency, to, actor, None, &format!("applied to {body_name}"), None, now),
        _ => Ok(()),
    }
}

fn refuse(refusals: Vec<String>) -> AppResult<()> {
    if refusals.is_empty() { Ok(()) } else { Err(AppError::Conflict(refusals.join("; "))) }
}

/// A certification (or recertification) decision resting on `assessment_id`.
pub fn certify(
    conn: &mut DbConnection,
    decider: &Decider,
    agency_id: &str,
    assessment_id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<CertificateRow> {
    let mut agency = load_agency(conn, agency_id)?;
    let audit = store::assessments::find(conn, assessment_id)?
        .filter(|a| a.agency_id == agency_id)
        .ok_or_else(|| AppError::field("assessment_id", format!("no assessment {assessment_id} of this agency")))?;
    let standard = store::standards::find(conn, &audit.standard_version)?
        .ok_or_else(|| AppError::internal("assessment bound to a missing standard"))?;
    let minimum = standard.content()?.policy.certification_minimum;
    let lead = store::clients::find(conn, &audit.lead_client_id)?;
    let same_person = match (&decider.person_ref, lead.as_ref().and_then(|l| l.person_ref.as_ref())) {
        (Some(a), Some(b)) => a == b,
        _ => false,
    };
    let facts = CertifyFacts {
        current: status_of(&agency)?,
        audit_kind: from_wire(&audit.kind).unwrap_or(AssessmentKind::SelfAssessment),
        audit_finalized_at: if audit.status == "finalized" { audit.finalized_at.map(from_db_time) } else { None },
        audit_by_deciders_body: audit.certification_body_id.is_some()
            && audit.certification_body_id == decider.certification_body_id,
        decider_led_audit: audit.lead_client_id == decider.client_id || same_person,
        score: audit.overall_score,
        minimum_score: minimum,
        open_major_or_critical: store::certifications::unverified_actions(
            conn,
            agency_id,
            &["major", "critical"],
            None,
        )? as usize,
        minors_without_plan: store::certifications::minors_without_plan(conn, agency_id)? as usize,
        now,
    };
    refuse(rules::certify_refusals(&facts))?;
    let period = rules::period(now);
    let certificate = CertificateRow {
        agency_id: agency_id.into(),
        number: certificate_number(now),
        certification_body_id: audit.certification_body_id.clone().unwrap_or_default(),
        assessment_id: audit.id.clone(),
        decided_by: decider.client_id.clone(),
        valid_from: to_db_time(period.valid_from),
        valid_until: to_db_time(period.valid_until),
        next_surveillance_due: to_db_time(period.first_surveillance_due),
        suspended_at: None,
        suspension_reason: None,
        updated_at: to_db_time(now),
    };
    store::certifications::put_certificate(conn, &certificate)?;
    record(
        conn,
        &mut agency,
        CertificationStatus::Certified,
        &decider.client_id,
        None,
        reason,
        Some(&certificate.number),
        now,
    )?;
    Ok(certificate)
}

/// `FH-<year>-<8 hex>`: unique (from a UUIDv7's random bits) and readable over the phone.
fn certificate_number(now: DateTime<Utc>) -> String {
    let random = Uuid::now_v7().simple().to_string();
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
    rule: Option<&str>,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut agency = load_agency(conn, agency_id)?;
    let to = rules::next(status_of(&agency)?, Event::Suspend).map_err(AppError::Conflict)?;
    let mut cert = certificate(conn, agency_id)?;
    cert.suspended_at = Some(to_db_time(now));
    cert.suspension_reason = Some(reason.into());
    cert.updated_at = to_db_time(now);
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
    let mut agency = load_agency(conn, agency_id)?;
    let mut cert = certificate(conn, agency_id)?;
    let overdue =
        store::certifications::unverified_actions(conn, agency_id, &["major", "critical"], Some(to_db_time(now)))?;
    refuse(rules::reinstate_refusals(
        status_of(&agency)?,
        overdue as usize,
        from_db_time(cert.next_surveillance_due),
        now,
    ))?;
    cert.suspended_at = None;
    cert.suspension_reason = None;
    cert.updated_at = to_db_time(now);
    store::certifications::update_certificate(conn, &cert)?;
    record(conn, &mut agency, CertificationStatus::Certified, actor, None, reason, Some(&cert.number), now)
}

/// Withdraws or expires a certificate.
pub fn end(
    conn: &mut DbConnection,
    event: Event,
    actor: &str,
    agency_id: &str,
    rule: Option<&str>,
    reason: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let mut agency = load_agency(conn, agency_id)?;
    let to = rules::next(status_of(&agency)?, event).map_err(AppError::Conflict)?;
    let number = store::certifications::certificate_of(conn, agency_id)?.map(|c| c.number);
    store::certification_bodies::close_applications(conn, agency_id, to_db_time(now))?;
    record(conn, &mut agency, to, actor, rule, reason, number.as_deref(), now)
}

/// What a finalized audit means for a certificate: a surveillance audit by the certifying body
/// moves the next surveillance date on; a critical finding suspends a certified agency at once.
pub fn audit_finalized(
    conn: &mut DbConnection,
    agency_id: &str,
    body_id: &str,
    kind: AssessmentKind,
    critical_findings: &[String],
    now: DateTime<Utc>,
) -> AppResult<()> {
    let Some(mut cert) = store::certifications::certificate_of(conn, agency_id)? else {
        return Ok(());
    };
    let agency = load_agency(conn, agency_id)?;
    let status = status_of(&agency)?;
    if !matches!(status, CertificationStatus::Certified | CertificationStatus::Suspended) {
        return Ok(());
    }
    if kind == AssessmentKind::Surveillance && cert.certification_body_id == body_id {
        cert.next_surveillance_due =
            to_db_time(rules::following_surveillance(from_db_time(cert.next_surveillance_due)));
        cert.updated_at = to_db_time(now);
        store::certifications::update_certificate(conn, &cert)?;
    }
    if !critical_findings.is_empty() && status == CertificationStatus::Certified {
        let reason = format!(
            "critical finding on {} in a {} audit",
            critical_findings.join(", "),
            crate::domain::wire_name(&kind)
        );
        suspend(conn, SYSTEM, agency_id, Some("critical_finding"), &reason, now)?;
    }
    Ok(())
}

/// What one sweep did.
#[derive(Debug, Default, Clone, PartialEq, Serialize, ToSchema)]
pub struct SweepReport {
    pub suspended: Vec<String>,
    pub withdrawn: Vec<String>,
    pub expired: Vec<String>,
    pub lapsed_applications: usize,
}

/// Applies the automatic rules as of `now`. Running it twice in a row changes nothing the
/// second time: each rule only fires on the state it changes.
pub fn sweep(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<SweepReport> {
    let mut report = SweepReport {
        lapsed_applications: store::certifications::lapse_deferred_applications(conn, to_db_time(now))?,
        ..SweepReport::default()
    };
    for (agency_id, status, cert) in store::certifications::certified_or_suspended(conn)? {
        let valid_until = from_db_time(cert.valid_until);
        if rules::expired(valid_until, now) {
            let reason = format!("certificate {} expired on {}", cert.number, valid_until.format("%Y-%m-%d"));
            end(conn, Event::Expire, SYSTEM, &agency_id, Some("certificate_expired"), &reason, now)?;
            report.expired.push(agency_id);
            continue;
        }
        match status.as_str() {
            "certified" => {
                let overdue = store::certifications::unverified_actions(
                    conn,
                    &agency_id,
                    &["major", "critical"],
                    Some(to_db_time(now)),
                )?;
                let surveillance_due = from_db_time(cert.next_surveillance_due);
                let cause = if overdue > 0 {
                    Some((
                        "overdue_corrective_action",
                        format!("{overdue} major or critical corrective action(s) overdue"),
                    ))
                } else if rules::surveillance_overdue(surveillance_due, now) {
                    Some((
                        "surveillance_overdue",
                        format!(
                            "surveillance audit due {} is more than 30 days late",
                            surveillance_due.format("%Y-%m-%d")
                        ),
                    ))
                } else {
                    None
                };
                if let Some((rule, reason)) = cause {
                    suspend(conn, SYSTEM, &agency_id, Some(rule), &reason, now)?;
                    report.suspended.push(agency_id);
                }
            }
            "suspended" => {
                if let Some(since) = cert.suspended_at.map(from_db_time)
                    && rules::withdrawal_due(since, now)
                {
                    let reason = format!("suspended since {} without the cause resolved", since.format("%Y-%m-%d"));
                    end(conn, Event::Withdraw, SYSTEM, &agency_id, Some("suspended_six_months"), &reason, now)?;
                    report.withdrawn.push(agency_id);
                }
            }
            _ => {}
        }
    }
    Ok(report)
}
