//! Certification bodies and the agencies that applied to them.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{applications, certification_bodies};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = certification_bodies, treat_none_as_null = true)]
pub struct BodyRow {
    pub id: String,
    pub name: String,
    pub country: String,
    pub website: Option<String>,
    pub accreditation_status: String,
    pub accredited_until: Option<NaiveDate>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConnection, row: &BodyRow) -> AppResult<()> {
    diesel::insert_into(certification_bodies::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<BodyRow>> {
    Ok(certification_bodies::table.find(id).first(conn).optional()?)
}

pub fn page(conn: &mut DbConnection, after: Option<&str>, limit: i64) -> AppResult<Vec<BodyRow>> {
    let mut query = certification_bodies::table.into_boxed();
    if let Some(after) = after {
        query = query.filter(certification_bodies::id.gt(after.to_owned()));
    }
    Ok(query.order(certification_bodies::id.asc()).limit(limit).load(conn)?)
}

/// Writes `row` if the stored version is still `expected_version`.
pub fn update(conn: &mut DbConnection, row: &BodyRow, expected_version: i64) -> AppResult<bool> {
    let n = diesel::update(
        certification_bodies::table
            .filter(certification_bodies::id.eq(&row.id))
            .filter(certification_bodies::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = applications)]
pub struct ApplicationRow {
    pub id: String,
    pub agency_id: String,
    pub certification_body_id: String,
    pub status: String,
    pub reason: Option<String>,
    pub created_by: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deferred_until: Option<NaiveDateTime>,
}

pub fn insert_application(conn: &mut DbConnection, row: &ApplicationRow) -> AppResult<()> {
    diesel::insert_into(applications::table).values(row).execute(conn)?;
    Ok(())
}

/// True when the agency has an accepted application with the body: its auditors may then
/// assess the agency.
pub fn has_accepted_application(conn: &mut DbConnection, agency_id: &str, body_id: &str) -> AppResult<bool> {
    let n: i64 = applications::table
        .filter(applications::agency_id.eq(agency_id))
        .filter(applications::certification_body_id.eq(body_id))
        .filter(applications::status.eq("accepted"))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// An application of the agency to the body that is still open (pending or accepted).
pub fn open_application(conn: &mut DbConnection, agency_id: &str, body_id: &str) -> AppResult<Option<ApplicationRow>> {
    Ok(applications::table
        .filter(applications::agency_id.eq(agency_id))
        .filter(applications::certification_body_id.eq(body_id))
        .filter(applications::status.eq_any(["pending", "accepted"]))
        .first(conn)
        .optional()?)
}

pub fn find_application(conn: &mut DbConnection, id: &str) -> AppResult<Option<ApplicationRow>> {
    Ok(applications::table.find(id).first(conn).optional()?)
}

pub fn update_application(conn: &mut DbConnection, row: &ApplicationRow) -> AppResult<()> {
    diesel::update(applications::table.find(&row.id))
        .set((
            applications::status.eq(&row.status),
            applications::reason.eq(&row.reason),
            applications::decided_by.eq(&row.decided_by),
            applications::decided_at.eq(row.decided_at),
            applications::deferred_until.eq(row.deferred_until),
            applications::updated_at.eq(row.updated_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Closes the agency's accepted applications: the certification they led to has ended, and
/// a new cycle starts with a new application.
pub fn close_applications(conn: &mut DbConnection, agency_id: &str, now: NaiveDateTime) -> AppResult<()> {
    diesel::update(
        applications::table.filter(applications::agency_id.eq(agency_id)).filter(applications::status.eq("accepted")),
    )
    .set((applications::status.eq("closed"), applications::updated_at.eq(now)))
    .execute(conn)?;
    Ok(())
}
