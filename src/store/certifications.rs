//! Certificates and the history of certification decisions.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{agencies, applications, assessments, certificates, certification_events, corrective_actions};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = certificates, treat_none_as_null = true)]
pub struct CertificateRow {
    pub agency_id: String,
    pub number: String,
    pub certification_body_id: String,
    pub assessment_id: String,
    pub decided_by: String,
    pub valid_from: NaiveDateTime,
    pub valid_until: NaiveDateTime,
    pub next_surveillance_due: NaiveDateTime,
    pub suspended_at: Option<NaiveDateTime>,
    pub suspension_reason: Option<String>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = certification_events)]
pub struct EventRow {
    pub id: String,
    pub agency_id: String,
    pub from_status: String,
    pub to_status: String,
    pub actor: String,
    pub rule: Option<String>,
    pub reason: String,
    pub certificate_number: Option<String>,
    pub occurred_at: NaiveDateTime,
}

pub fn certificate_of(conn: &mut DbConnection, agency_id: &str) -> AppResult<Option<CertificateRow>> {
    Ok(certificates::table.find(agency_id).first(conn).optional()?)
}

/// Stores the agency's certificate, replacing the previous one (a recertification issues a new
/// certificate).
pub fn put_certificate(conn: &mut DbConnection, row: &CertificateRow) -> AppResult<()> {
    diesel::delete(certificates::table.find(&row.agency_id)).execute(conn)?;
    diesel::insert_into(certificates::table).values(row).execute(conn)?;
    Ok(())
}

pub fn update_certificate(conn: &mut DbConnection, row: &CertificateRow) -> AppResult<()> {
    diesel::update(certificates::table.find(&row.agency_id)).set(row).execute(conn)?;
    Ok(())
}

pub fn insert_event(conn: &mut DbConnection, row: &EventRow) -> AppResult<()> {
    diesel::insert_into(certification_events::table).values(row).execute(conn)?;
    Ok(())
}

pub fn history(conn: &mut DbConnection, agency_id: &str) -> AppResult<Vec<EventRow>> {
    Ok(certification_events::table
        .filter(certification_events::agency_id.eq(agency_id))
        .order((certification_events::occurred_at.asc(), certification_events::id.asc()))
        .load(conn)?)
}

/// Agencies whose status is one of `statuses`, with their certificate: what the sweeper looks at.
pub fn certified_or_suspended(conn: &mut DbConnection) -> AppResult<Vec<(String, String, CertificateRow)>> {
    Ok(agencies::table
        .inner_join(certificates::table.on(certificates::agency_id.eq(agencies::id)))
        .filter(agencies::certification_status.eq_any(["certified", "suspended"]))
        .select((agencies::id, agencies::certification_status, certificates::all_columns))
        .load(conn)?)
}

/// Corrective actions of the agency of these severities that are not verified yet; with
/// `overdue_at`, only those past their closure date then (or past their plan date still open).
pub fn unverified_actions(
    conn: &mut DbConnection,
    agency_id: &str,
    severities: &[&str],
    overdue_at: Option<NaiveDateTime>,
) -> AppResult<i64> {
    use corrective_actions as ca;
    let mut query = ca::table
        .filter(ca::agency_id.eq(agency_id))
        .filter(ca::severity.eq_any(severities.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
        .filter(ca::status.ne("verified"))
        .into_boxed();
    if let Some(now) = overdue_at {
        query = query.filter(ca::closure_due.lt(now).or(ca::status.eq("open").and(ca::plan_due.lt(now))));
    }
    Ok(query.count().get_result(conn)?)
}

/// Minor corrective actions of the agency still waiting for a plan.
pub fn minors_without_plan(conn: &mut DbConnection, agency_id: &str) -> AppResult<i64> {
    use corrective_actions as ca;
    Ok(ca::table
        .filter(ca::agency_id.eq(agency_id))
        .filter(ca::severity.eq("minor"))
        .filter(ca::status.eq("open"))
        .count()
        .get_result(conn)?)
}

/// The latest finalized independent audit of the agency: its kind and finalization time.
pub fn last_audit(conn: &mut DbConnection, agency_id: &str) -> AppResult<Option<(String, NaiveDateTime)>> {
    let found: Option<(String, Option<NaiveDateTime>)> = assessments::table
        .filter(assessments::agency_id.eq(agency_id))
        .filter(assessments::status.eq("finalized"))
        .filter(assessments::kind.ne("self_assessment"))
        .order(assessments::finalized_at.desc())
        .select((assessments::kind, assessments::finalized_at))
        .first(conn)
        .optional()?;
    Ok(found.and_then(|(kind, at)| at.map(|at| (kind, at))))
}

/// Deferred applications whose time to complete has run out by `now`; marks them lapsed and
/// returns how many.
pub fn lapse_deferred_applications(conn: &mut DbConnection, now: NaiveDateTime) -> AppResult<usize> {
    Ok(diesel::update(
        applications::table.filter(applications::status.eq("deferred")).filter(applications::deferred_until.lt(now)),
    )
    .set((
        applications::status.eq("lapsed"),
        applications::reason.eq("not completed within 60 days of deferral"),
        applications::updated_at.eq(now),
    ))
    .execute(conn)?)
}

/// The certificates of these agencies (at most one each), in one query.
pub fn certificates_of(conn: &mut DbConnection, agency_ids: &[String]) -> AppResult<Vec<CertificateRow>> {
    if agency_ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(certificates::table.filter(certificates::agency_id.eq_any(agency_ids)).load(conn)?)
}

/// For each of these agencies that has one, when its latest finalized independent audit (not a
/// self-assessment) was finalized; in one query.
pub fn last_audits(
    conn: &mut DbConnection,
    agency_ids: &[String],
) -> AppResult<std::collections::HashMap<String, NaiveDateTime>> {
    if agency_ids.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let rows: Vec<(String, Option<NaiveDateTime>)> = assessments::table
        .filter(assessments::agency_id.eq_any(agency_ids))
        .filter(assessments::status.eq("finalized"))
        .filter(assessments::kind.ne("self_assessment"))
        .group_by(assessments::agency_id)
        .select((assessments::agency_id, diesel::dsl::max(assessments::finalized_at)))
        .load(conn)?;
    Ok(rows.into_iter().filter_map(|(id, at)| at.map(|at| (id, at))).collect())
}
