//! Certificates and the history of certification decisions.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{
    agencies, applications, assessments, certificates, certification_decisions, certification_events,
};
use crate::db::types::{At, MaybeAt};
use crate::domain::agency::CertificationStatus;
use crate::domain::assessment::{AssessmentKind, AssessmentStatus};
use crate::domain::certification::AutoRule;
use crate::domain::certification_body::ApplicationStatus;
use crate::error::AppResult;
use crate::store::InTable;

const CERTIFICATES: &str = "certificates";
const EVENTS: &str = "certification_events";

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = certificates, treat_none_as_null = true)]
pub struct CertificateRow {
    pub agency_id: String,
    pub number: String,
    pub certification_body_id: String,
    pub assessment_id: String,
    pub decided_by: String,
    #[diesel(serialize_as = At)]
    pub valid_from: DateTime<Utc>,
    #[diesel(serialize_as = At)]
    pub valid_until: DateTime<Utc>,
    #[diesel(serialize_as = At)]
    pub next_surveillance_due: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub suspended_at: Option<DateTime<Utc>>,
    pub suspension_reason: Option<String>,
    #[diesel(serialize_as = At)]
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = certification_events)]
pub struct EventRow {
    pub id: String,
    pub agency_id: String,
    pub from_status: CertificationStatus,
    pub to_status: CertificationStatus,
    pub actor: String,
    /// The automatic rule that made the transition; none for a decision by a client.
    pub rule: Option<AutoRule>,
    pub reason: String,
    pub certificate_number: Option<String>,
    #[diesel(serialize_as = At)]
    pub occurred_at: DateTime<Utc>,
}

pub fn certificate_of(conn: &mut DbConnection, agency_id: &str) -> AppResult<Option<CertificateRow>> {
    certificates::table.find(agency_id).first(conn).optional().in_table(CERTIFICATES)
}

/// Stores the agency's certificate, replacing the previous one (a recertification issues a new
/// certificate).
pub fn put_certificate(conn: &mut DbConnection, row: &CertificateRow) -> AppResult<()> {
    diesel::delete(certificates::table.find(&row.agency_id)).execute(conn)?;
    diesel::insert_into(certificates::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn update_certificate(conn: &mut DbConnection, row: &CertificateRow) -> AppResult<()> {
    diesel::update(certificates::table.find(&row.agency_id)).set(row.clone()).execute(conn)?;
    Ok(())
}

pub fn insert_event(conn: &mut DbConnection, row: &EventRow) -> AppResult<()> {
    diesel::insert_into(certification_events::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn history(conn: &mut DbConnection, agency_id: &str) -> AppResult<Vec<EventRow>> {
    certification_events::table
        .filter(certification_events::agency_id.eq(agency_id))
        .order((certification_events::occurred_at.asc(), certification_events::id.asc()))
        .load(conn)
        .in_table(EVENTS)
}

/// An agency the automatic rules look at: id, status, the licence's last day, certificate.
pub type Certified = (String, CertificationStatus, Option<NaiveDate>, CertificateRow);

/// Certified and suspended agencies with their licence's end and their certificate: what the
/// automatic rules look at.
pub fn certified_or_suspended(conn: &mut DbConnection) -> AppResult<Vec<Certified>> {
    agencies::table
        .inner_join(certificates::table.on(certificates::agency_id.eq(agencies::id)))
        .filter(agencies::certification_status.eq_any([CertificationStatus::Certified, CertificationStatus::Suspended]))
        .select((
            agencies::id,
            agencies::certification_status,
            agencies::licence_valid_until,
            certificates::all_columns,
        ))
        .load(conn)
        .in_table(CERTIFICATES)
}

/// The latest finalized independent audit of the agency: its kind and finalization time.
pub fn last_audit(conn: &mut DbConnection, agency_id: &str) -> AppResult<Option<(AssessmentKind, DateTime<Utc>)>> {
    let found: Option<(AssessmentKind, Option<DateTime<Utc>>)> = assessments::table
        .filter(assessments::agency_id.eq(agency_id))
        .filter(assessments::status.eq(AssessmentStatus::Finalized))
        .filter(assessments::kind.ne(AssessmentKind::SelfAssessment))
        .order(assessments::finalized_at.desc())
        .select((assessments::kind, assessments::finalized_at))
        .first(conn)
        .optional()
        .in_table("assessments")?;
    Ok(found.and_then(|(kind, at)| at.map(|at| (kind, at))))
}

/// Deferred applications whose time to complete has run out by `now`; marks them lapsed and
/// returns how many.
pub fn lapse_deferred_applications(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
) -> AppResult<Vec<crate::store::certification_bodies::ApplicationRow>> {
    let due: Vec<crate::store::certification_bodies::ApplicationRow> = applications::table
        .filter(applications::status.eq(ApplicationStatus::Deferred))
        .filter(applications::deferred_until.lt(At(now)))
        .load(conn)
        .in_table("applications")?;
    let ids: Vec<&str> = due.iter().map(|a| a.id.as_str()).collect();
    diesel::update(applications::table.filter(applications::id.eq_any(&ids)))
        .set((
            applications::status.eq(ApplicationStatus::Lapsed),
            applications::reason.eq(LAPSE_REASON),
            applications::updated_at.eq(At(now)),
        ))
        .execute(conn)?;
    Ok(due)
}

/// Why a deferred application lapsed.
pub const LAPSE_REASON: &str = "not completed within 60 days of deferral";

/// The certificates of these agencies (at most one each), in one query.
pub fn certificates_of(conn: &mut DbConnection, agency_ids: &[String]) -> AppResult<Vec<CertificateRow>> {
    if agency_ids.is_empty() {
        return Ok(Vec::new());
    }
    certificates::table.filter(certificates::agency_id.eq_any(agency_ids)).load(conn).in_table(CERTIFICATES)
}

/// For each of these agencies that has one, when its latest finalized independent audit (not a
/// self-assessment) was finalized; in one query.
pub fn last_audits(conn: &mut DbConnection, agency_ids: &[String]) -> AppResult<HashMap<String, DateTime<Utc>>> {
    if agency_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, Option<DateTime<Utc>>)> = assessments::table
        .filter(assessments::agency_id.eq_any(agency_ids))
        .filter(assessments::status.eq(AssessmentStatus::Finalized))
        .filter(assessments::kind.ne(AssessmentKind::SelfAssessment))
        .group_by(assessments::agency_id)
        .select((assessments::agency_id, diesel::dsl::max(assessments::finalized_at)))
        .load(conn)
        .in_table("assessments")?;
    Ok(rows.into_iter().filter_map(|(id, at)| at.map(|at| (id, at))).collect())
}

/// A certification decision and the audit it rests on.
#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = certification_decisions)]
pub struct DecisionRow {
    pub assessment_id: String,
    pub agency_id: String,
    pub certificate_number: String,
    pub decided_by: String,
    #[diesel(serialize_as = At)]
    pub decided_at: DateTime<Utc>,
}

/// Records a decision. A second decision on the same audit is refused (409), also when two race:
/// the primary key decides, on both backends.
pub fn insert_decision(conn: &mut DbConnection, row: &DecisionRow) -> AppResult<()> {
    diesel::insert_into(certification_decisions::table).values(row.clone()).execute(conn).map_err(|e| match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            crate::error::AppError::Conflict("the audit already supported a certification decision".into())
        }
        other => other.into(),
    })?;
    Ok(())
}

pub fn decision_on(conn: &mut DbConnection, assessment_id: &str) -> AppResult<Option<DecisionRow>> {
    certification_decisions::table.find(assessment_id).first(conn).optional().in_table("certification_decisions")
}

/// For each of these agencies whose certificate ended (withdrawn or expired), the transition
/// that ended it last; in one query.
pub fn endings(conn: &mut DbConnection, agency_ids: &[String]) -> AppResult<HashMap<String, EventRow>> {
    if agency_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<EventRow> = certification_events::table
        .filter(certification_events::agency_id.eq_any(agency_ids))
        .filter(certification_events::to_status.eq_any([CertificationStatus::Withdrawn, CertificationStatus::Expired]))
        .order((certification_events::occurred_at.asc(), certification_events::id.asc()))
        .load(conn)
        .in_table(EVENTS)?;
    // In time order, so the last one written per agency is its latest ending.
    Ok(rows.into_iter().map(|e| (e.agency_id.clone(), e)).collect())
}
