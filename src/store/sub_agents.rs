//! The sub-agents and branches recorded as recruiting for agencies.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::sub_agent_links;
use crate::db::types::{At, MaybeAt};
use crate::domain::chain::SubAgentKind;
use crate::error::{AppError, AppResult};
use crate::store::InTable;

const TABLE: &str = "sub_agent_links";

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = sub_agent_links)]
pub struct LinkRow {
    pub id: String,
    pub agency_id: String,
    pub kind: SubAgentKind,
    pub sub_agency_id: Option<String>,
    pub name: Option<String>,
    pub country: Option<String>,
    pub licence_number: Option<String>,
    pub created_by: String,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
    pub removed_by: Option<String>,
    #[diesel(serialize_as = MaybeAt)]
    pub removed_at: Option<DateTime<Utc>>,
}

/// Inserts a link. A standing link to the same registered agency, also one written by a
/// concurrent request, is a 409 (a partial unique index on both backends).
pub fn insert(conn: &mut DbConnection, row: &LinkRow) -> AppResult<()> {
    diesel::insert_into(sub_agent_links::table).values(row.clone()).execute(conn).map_err(|e| match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            AppError::Conflict("this agency already lists that registered agency as a sub-agent".into())
        }
        other => other.into(),
    })?;
    Ok(())
}

/// The link, standing or removed.
pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<LinkRow>> {
    sub_agent_links::table.find(id).first(conn).optional().in_table(TABLE)
}

/// Marks a standing link removed; false if it was not standing.
pub fn remove(conn: &mut DbConnection, id: &str, by: &str, at: DateTime<Utc>) -> AppResult<bool> {
    let n = diesel::update(sub_agent_links::table.find(id).filter(sub_agent_links::removed_at.is_null()))
        .set((sub_agent_links::removed_by.eq(by), sub_agent_links::removed_at.eq(At(at))))
        .execute(conn)?;
    Ok(n == 1)
}

/// The standing link from `agency_id` to the registered `sub_agency_id`, if any.
pub fn standing_to(conn: &mut DbConnection, agency_id: &str, sub_agency_id: &str) -> AppResult<Option<LinkRow>> {
    sub_agent_links::table
        .filter(sub_agent_links::agency_id.eq(agency_id))
        .filter(sub_agent_links::sub_agency_id.eq(sub_agency_id))
        .filter(sub_agent_links::removed_at.is_null())
        .first(conn)
        .optional()
        .in_table(TABLE)
}

/// How many standing links the agency has.
pub fn standing_count(conn: &mut DbConnection, agency_id: &str) -> AppResult<usize> {
    let n: i64 = sub_agent_links::table
        .filter(sub_agent_links::agency_id.eq(agency_id))
        .filter(sub_agent_links::removed_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// One page of the agency's standing links, in id order.
pub fn page(conn: &mut DbConnection, agency_id: &str, after: Option<&str>, limit: i64) -> AppResult<Vec<LinkRow>> {
    let mut query = sub_agent_links::table
        .filter(sub_agent_links::agency_id.eq(agency_id))
        .filter(sub_agent_links::removed_at.is_null())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(sub_agent_links::id.gt(after.to_owned()));
    }
    query.order(sub_agent_links::id.asc()).limit(limit).load(conn).in_table(TABLE)
}

/// The standing links of all these agencies, in one query per 500 agencies, in id order.
pub fn standing_of(conn: &mut DbConnection, agency_ids: &[String]) -> AppResult<Vec<LinkRow>> {
    let mut rows = Vec::new();
    for chunk in agency_ids.chunks(500) {
        let part: Vec<LinkRow> = sub_agent_links::table
            .filter(sub_agent_links::agency_id.eq_any(chunk))
            .filter(sub_agent_links::removed_at.is_null())
            .order(sub_agent_links::id.asc())
            .load(conn)
            .in_table(TABLE)?;
        rows.extend(part);
    }
    Ok(rows)
}

/// Of these link ids, the ones the agency ever recorded (standing or removed).
pub fn ids_of_agency(conn: &mut DbConnection, agency_id: &str, ids: &[String]) -> AppResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(500) {
        let part: Vec<String> = sub_agent_links::table
            .filter(sub_agent_links::agency_id.eq(agency_id))
            .filter(sub_agent_links::id.eq_any(chunk))
            .select(sub_agent_links::id)
            .load(conn)?;
        found.extend(part);
    }
    Ok(found)
}
