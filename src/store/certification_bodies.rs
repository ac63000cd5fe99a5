//! Certification bodies and the agencies that applied to them.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use crate::db::schema::{applications, certification_bodies};
use crate::db::types::{At, MaybeAt};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::certification_body::{AccreditationStatus, ApplicationStatus};
use crate::error::AppResult;
use crate::store::{InTable, versioned};

const BODIES: &str = "certification_bodies";
const APPLICATIONS: &str = "applications";

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = certification_bodies, treat_none_as_null = true)]
pub struct BodyRow {
    pub id: String,
    pub name: String,
    pub country: String,
    pub website: Option<String>,
    pub accreditation_status: AccreditationStatus,
    pub accredited_until: Option<NaiveDate>,
    pub version: i64,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
    #[diesel(serialize_as = At)]
    pub updated_at: DateTime<Utc>,
}

versioned!(BodyRow, certification_bodies, "certification body");

pub fn insert(conn: &mut DbConnection, row: &BodyRow) -> AppResult<()> {
    diesel::insert_into(certification_bodies::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<BodyRow>> {
    certification_bodies::table.find(id).first(conn).optional().in_table(BODIES)
}

/// The bodies with these ids (those that exist), in one query per 500 ids.
pub fn find_many(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<BodyRow>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(500) {
        found.extend(
            certification_bodies::table.filter(certification_bodies::id.eq_any(chunk)).load(conn).in_table(BODIES)?,
        );
    }
    Ok(found)
}

pub fn exists(conn: &mut DbConnection, id: &str) -> AppResult<bool> {
    let n: i64 = certification_bodies::table.filter(certification_bodies::id.eq(id)).count().get_result(conn)?;
    Ok(n > 0)
}

pub fn page(conn: &mut DbConnection, after: Option<&str>, limit: i64) -> AppResult<Vec<BodyRow>> {
    let mut query = certification_bodies::table.into_boxed();
    if let Some(after) = after {
        query = query.filter(certification_bodies::id.gt(after.to_owned()));
    }
    query.order(certification_bodies::id.asc()).limit(limit).load(conn).in_table(BODIES)
}

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = applications)]
pub struct ApplicationRow {
    pub id: String,
    pub agency_id: String,
    pub certification_body_id: String,
    pub status: ApplicationStatus,
    pub reason: Option<String>,
    pub created_by: String,
    pub decided_by: Option<String>,
    #[diesel(serialize_as = MaybeAt)]
    pub decided_at: Option<DateTime<Utc>>,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
    #[diesel(serialize_as = At)]
    pub updated_at: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub deferred_until: Option<DateTime<Utc>>,
}

pub fn insert_application(conn: &mut DbConnection, row: &ApplicationRow) -> AppResult<()> {
    diesel::insert_into(applications::table).values(row.clone()).execute(conn)?;
    Ok(())
}

/// True when the agency has an accepted application with the body: its auditors may then
/// assess the agency.
pub fn has_accepted_application(conn: &mut DbConnection, agency_id: &str, body_id: &str) -> AppResult<bool> {
    let n: i64 = applications::table
        .filter(applications::agency_id.eq(agency_id))
        .filter(applications::certification_body_id.eq(body_id))
        .filter(applications::status.eq(ApplicationStatus::Accepted))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// An application of the agency to the body that is still open (pending or accepted).
pub fn open_application(conn: &mut DbConnection, agency_id: &str, body_id: &str) -> AppResult<Option<ApplicationRow>> {
    applications::table
        .filter(applications::agency_id.eq(agency_id))
        .filter(applications::certification_body_id.eq(body_id))
        .filter(applications::status.eq_any([ApplicationStatus::Pending, ApplicationStatus::Accepted]))
        .first(conn)
        .optional()
        .in_table(APPLICATIONS)
}

/// Which applications a caller may list: all of them, those made to one body, or one agency's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApplicationScope {
    All,
    Body(String),
    Agency(String),
}

#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub certification_body_id: Option<String>,
    pub agency_id: Option<String>,
    pub status: Option<ApplicationStatus>,
}

/// One page of the applications in `scope` that match `filter`, in id order, after `after`.
pub fn applications_page(
    conn: &mut DbConnection,
    scope: &ApplicationScope,
    filter: &ApplicationFilter,
    after: Option<&str>,
    limit: i64,
) -> AppResult<Vec<ApplicationRow>> {
    let mut query = applications::table.into_boxed::<MultiBackend>();
    query = match scope {
        ApplicationScope::All => query,
        ApplicationScope::Body(body) => query.filter(applications::certification_body_id.eq(body.clone())),
        ApplicationScope::Agency(agency) => query.filter(applications::agency_id.eq(agency.clone())),
    };
    if let Some(body) = &filter.certification_body_id {
        query = query.filter(applications::certification_body_id.eq(body.clone()));
    }
    if let Some(agency) = &filter.agency_id {
        query = query.filter(applications::agency_id.eq(agency.clone()));
    }
    if let Some(status) = filter.status {
        query = query.filter(applications::status.eq(status));
    }
    if let Some(after) = after {
        query = query.filter(applications::id.gt(after.to_owned()));
    }
    query.order(applications::id.asc()).limit(limit).load(conn).in_table(APPLICATIONS)
}

pub fn find_application(conn: &mut DbConnection, id: &str) -> AppResult<Option<ApplicationRow>> {
    applications::table.find(id).first(conn).optional().in_table(APPLICATIONS)
}

pub fn update_application(conn: &mut DbConnection, row: &ApplicationRow) -> AppResult<()> {
    diesel::update(applications::table.find(&row.id))
        .set((
            applications::status.eq(row.status),
            applications::reason.eq(&row.reason),
            applications::decided_by.eq(&row.decided_by),
            applications::decided_at.eq(MaybeAt(row.decided_at)),
            applications::deferred_until.eq(MaybeAt(row.deferred_until)),
            applications::updated_at.eq(At(row.updated_at)),
        ))
        .execute(conn)?;
    Ok(())
}

/// Closes the agency's accepted applications: the certification they led to has ended, and
/// a new cycle starts with a new application.
/// The applications of the agency a withdrawal at `closed_at` closed.
pub fn closed_applications(
    conn: &mut DbConnection,
    agency_id: &str,
    closed_at: DateTime<Utc>,
) -> AppResult<Vec<ApplicationRow>> {
    applications::table
        .filter(applications::agency_id.eq(agency_id))
        .filter(applications::status.eq(ApplicationStatus::Closed))
        .filter(applications::updated_at.eq(At(closed_at)))
        .load(conn)
        .in_table("applications")
}

pub fn close_applications(
    conn: &mut DbConnection,
    agency_id: &str,
    now: DateTime<Utc>,
) -> AppResult<Vec<ApplicationRow>> {
    let open = applications::table
        .filter(applications::agency_id.eq(agency_id))
        .filter(applications::status.eq(ApplicationStatus::Accepted));
    let closing: Vec<ApplicationRow> = open.load(conn).in_table("applications")?;
    diesel::update(open)
        .set((applications::status.eq(ApplicationStatus::Closed), applications::updated_at.eq(At(now))))
        .execute(conn)?;
    Ok(closing)
}
