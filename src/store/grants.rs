//! Sharing grants and the reads made under them.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{grant_reads, sharing_grants};
use crate::db::types::{At, MaybeAt};
use crate::domain::grants::GrantedRead;
use crate::error::AppResult;
use crate::store::InTable;

const GRANTS: &str = "sharing_grants";
const READS: &str = "grant_reads";

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = sharing_grants)]
pub struct GrantRow {
    pub id: String,
    pub agency_id: String,
    pub client_id: String,
    pub valid_until: NaiveDate,
    pub created_by: String,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
    pub revoked_by: Option<String>,
    #[diesel(serialize_as = MaybeAt)]
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = grant_reads)]
pub struct ReadRow {
    pub id: String,
    pub grant_id: String,
    pub client_id: String,
    pub assessment_id: String,
    pub what: GrantedRead,
    #[diesel(serialize_as = At)]
    pub read_at: DateTime<Utc>,
}

pub fn insert(conn: &mut DbConnection, row: &GrantRow) -> AppResult<()> {
    diesel::insert_into(sharing_grants::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<GrantRow>> {
    sharing_grants::table.find(id).first(conn).optional().in_table(GRANTS)
}

/// The agency's grant to this client that is in force at `now` (not revoked, last day not
/// passed), if any.
pub fn active(
    conn: &mut DbConnection,
    agency_id: &str,
    client_id: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<GrantRow>> {
    sharing_grants::table
        .filter(sharing_grants::agency_id.eq(agency_id))
        .filter(sharing_grants::client_id.eq(client_id))
        .filter(sharing_grants::revoked_at.is_null())
        .filter(sharing_grants::valid_until.ge(now.date_naive()))
        .order(sharing_grants::id.asc())
        .first(conn)
        .optional()
        .in_table(GRANTS)
}

/// Marks a grant revoked; false if it already was.
pub fn revoke(conn: &mut DbConnection, id: &str, by: &str, at: DateTime<Utc>) -> AppResult<bool> {
    let n = diesel::update(sharing_grants::table.find(id).filter(sharing_grants::revoked_at.is_null()))
        .set((sharing_grants::revoked_by.eq(by), sharing_grants::revoked_at.eq(At(at))))
        .execute(conn)?;
    Ok(n == 1)
}

/// One page of the agency's grants, in id order.
pub fn page(conn: &mut DbConnection, agency_id: &str, after: Option<&str>, limit: i64) -> AppResult<Vec<GrantRow>> {
    let mut query = sharing_grants::table.filter(sharing_grants::agency_id.eq(agency_id)).into_boxed();
    if let Some(after) = after {
        query = query.filter(sharing_grants::id.gt(after.to_owned()));
    }
    query.order(sharing_grants::id.asc()).limit(limit).load(conn).in_table(GRANTS)
}

pub fn insert_read(conn: &mut DbConnection, row: &ReadRow) -> AppResult<()> {
    diesel::insert_into(grant_reads::table).values(row.clone()).execute(conn)?;
    Ok(())
}

/// How many reads a grant had, and when the last one was.
pub type ReadSummary = (i64, Option<DateTime<Utc>>);

/// For each of these grants with reads: how many, and the time of the last; in one query.
pub fn read_summaries(conn: &mut DbConnection, grant_ids: &[String]) -> AppResult<HashMap<String, ReadSummary>> {
    if grant_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, i64, Option<DateTime<Utc>>)> = grant_reads::table
        .filter(grant_reads::grant_id.eq_any(grant_ids))
        .group_by(grant_reads::grant_id)
        .select((grant_reads::grant_id, diesel::dsl::count_star(), diesel::dsl::max(grant_reads::read_at)))
        .load(conn)
        .in_table(READS)?;
    Ok(rows.into_iter().map(|(id, n, last)| (id, (n, last))).collect())
}

/// One page of the reads under a grant, in id order (the order they were made).
pub fn reads_page(conn: &mut DbConnection, grant_id: &str, after: Option<&str>, limit: i64) -> AppResult<Vec<ReadRow>> {
    let mut query = grant_reads::table.filter(grant_reads::grant_id.eq(grant_id)).into_boxed();
    if let Some(after) = after {
        query = query.filter(grant_reads::id.gt(after.to_owned()));
    }
    query.order(grant_reads::id.asc()).limit(limit).load(conn).in_table(READS)
}
