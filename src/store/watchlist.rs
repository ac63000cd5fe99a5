//! Each integrator's watchlist: the agencies it works with.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{agencies, watchlist_entries};
use crate::db::types::At;
use crate::error::AppResult;
use crate::store::InTable;

const TABLE: &str = "watchlist_entries";

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = watchlist_entries)]
pub struct EntryRow {
    pub client_id: String,
    pub agency_id: String,
    #[diesel(serialize_as = At)]
    pub added_at: DateTime<Utc>,
}

pub fn contains(conn: &mut DbConnection, client_id: &str, agency_id: &str) -> AppResult<bool> {
    let n: i64 = watchlist_entries::table
        .filter(watchlist_entries::client_id.eq(client_id))
        .filter(watchlist_entries::agency_id.eq(agency_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// Of these agencies, the ones already on the client's list.
pub fn already_listed(conn: &mut DbConnection, client_id: &str, agency_ids: &[String]) -> AppResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in agency_ids.chunks(500) {
        let part: Vec<String> = watchlist_entries::table
            .filter(watchlist_entries::client_id.eq(client_id))
            .filter(watchlist_entries::agency_id.eq_any(chunk))
            .select(watchlist_entries::agency_id)
            .load(conn)?;
        found.extend(part);
    }
    Ok(found)
}

pub fn insert(conn: &mut DbConnection, rows: &[EntryRow]) -> AppResult<()> {
    // One statement per row: batch inserts do not compile over the two-backend connection.
    for row in rows {
        diesel::insert_into(watchlist_entries::table).values(row.clone()).execute(conn)?;
    }
    Ok(())
}

/// Removes these agencies from the client's list; returns how many were on it.
pub fn remove(conn: &mut DbConnection, client_id: &str, agency_ids: &[String]) -> AppResult<usize> {
    let mut removed = 0;
    for chunk in agency_ids.chunks(500) {
        removed += diesel::delete(
            watchlist_entries::table
                .filter(watchlist_entries::client_id.eq(client_id))
                .filter(watchlist_entries::agency_id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    Ok(removed)
}

/// One page of the client's list in agency id order, with each agency's legal name, licence
/// country and number.
pub fn page(
    conn: &mut DbConnection,
    client_id: &str,
    after: Option<&str>,
    limit: i64,
) -> AppResult<Vec<(EntryRow, String, String, String)>> {
    let mut query = watchlist_entries::table
        .inner_join(agencies::table)
        .filter(watchlist_entries::client_id.eq(client_id))
        .select((
            watchlist_entries::all_columns,
            agencies::legal_name,
            agencies::licence_country,
            agencies::licence_number,
        ))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(watchlist_entries::agency_id.gt(after.to_owned()));
    }
    query.order(watchlist_entries::agency_id.asc()).limit(limit).load(conn).in_table(TABLE)
}
