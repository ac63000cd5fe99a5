//! Worker reports and the counts of substantiated ones that risk and the registry show.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::worker_reports;
use crate::db::types::{At, Json, JsonText, MaybeAt};
use crate::domain::assessment::FeeAmount;
use crate::domain::reports::{ReportCategory, ReportState};
use crate::error::AppResult;
use crate::store::InTable;

const TABLE: &str = "worker_reports";

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = worker_reports, treat_none_as_null = true)]
pub struct ReportRow {
    pub id: String,
    pub reference: String,
    pub follow_up_hash: String,
    pub agency_id: Option<String>,
    pub agency_name: Option<String>,
    pub category: ReportCategory,
    #[diesel(serialize_as = JsonText)]
    pub fees: Json<Vec<FeeAmount>>,
    pub country: Option<String>,
    pub occurred_on: Option<NaiveDate>,
    pub description: String,
    pub contact_sealed: Option<String>,
    pub language: Option<String>,
    pub state: ReportState,
    pub reason: Option<String>,
    pub reason_shareable: bool,
    pub moderated_by: Option<String>,
    #[diesel(serialize_as = At)]
    pub received_at: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub decided_at: Option<DateTime<Utc>>,
    #[diesel(serialize_as = At)]
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

crate::store::versioned!(ReportRow, worker_reports, "report");

pub fn insert(conn: &mut DbConnection, row: &ReportRow) -> AppResult<()> {
    diesel::insert_into(worker_reports::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<ReportRow>> {
    worker_reports::table.find(id).first(conn).optional().in_table(TABLE)
}

pub fn find_by_reference(conn: &mut DbConnection, reference: &str) -> AppResult<Option<ReportRow>> {
    worker_reports::table.filter(worker_reports::reference.eq(reference)).first(conn).optional().in_table(TABLE)
}

/// What the moderators' list can be narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub state: Option<ReportState>,
    pub agency_id: Option<String>,
    pub category: Option<ReportCategory>,
}

/// Reports in id order (UUIDv7: the order they came in), after `after`.
pub fn page(
    conn: &mut DbConnection,
    filter: &ReportFilter,
    after: Option<&str>,
    limit: i64,
) -> AppResult<Vec<ReportRow>> {
    let mut query = worker_reports::table.into_boxed();
    if let Some(state) = filter.state {
        query = query.filter(worker_reports::state.eq(state));
    }
    if let Some(agency) = &filter.agency_id {
        query = query.filter(worker_reports::agency_id.eq(agency.clone()));
    }
    if let Some(category) = filter.category {
        query = query.filter(worker_reports::category.eq(category));
    }
    if let Some(after) = after {
        query = query.filter(worker_reports::id.gt(after.to_owned()));
    }
    query.order(worker_reports::id.asc()).limit(limit).load(conn).in_table(TABLE)
}

/// A substantiated report, as due diligence shows it.
#[derive(Debug, Clone, Queryable)]
pub struct Substantiated {
    pub reference: String,
    pub category: ReportCategory,
    pub decided_at: Option<DateTime<Utc>>,
}

/// An agency's substantiated reports, newest decision first.
pub fn substantiated_of(conn: &mut DbConnection, agency_id: &str) -> AppResult<Vec<Substantiated>> {
    worker_reports::table
        .filter(worker_reports::agency_id.eq(agency_id))
        .filter(worker_reports::state.eq(ReportState::Substantiated))
        .order(worker_reports::decided_at.desc())
        .select((worker_reports::reference, worker_reports::category, worker_reports::decided_at))
        .load(conn)
        .in_table(TABLE)
}

/// How many substantiated reports each of these agencies has, in all (agencies with none are
/// missing from the map).
pub fn substantiated_counts(conn: &mut DbConnection, agency_ids: &[String]) -> AppResult<HashMap<String, usize>> {
    let mut counts = HashMap::new();
    for chunk in agency_ids.chunks(500) {
        let rows: Vec<(Option<String>, i64)> = worker_reports::table
            .filter(worker_reports::agency_id.eq_any(chunk))
            .filter(worker_reports::state.eq(ReportState::Substantiated))
            .group_by(worker_reports::agency_id)
            .select((worker_reports::agency_id, diesel::dsl::count_star()))
            .load(conn)
            .in_table(TABLE)?;
        for (agency, n) in rows {
            if let Some(agency) = agency {
                counts.insert(agency, usize::try_from(n).unwrap_or(usize::MAX));
            }
        }
    }
    Ok(counts)
}

/// How many reports about each of these agencies were substantiated at or after `since` (the
/// risk window); agencies with none are missing from the map. One query per 500 agencies.
pub fn substantiated_since(
    conn: &mut DbConnection,
    agency_ids: &[String],
    since: DateTime<Utc>,
) -> AppResult<HashMap<String, usize>> {
    let mut counts = HashMap::new();
    for chunk in agency_ids.chunks(500) {
        let rows: Vec<(Option<String>, i64)> = worker_reports::table
            .filter(worker_reports::agency_id.eq_any(chunk))
            .filter(worker_reports::state.eq(ReportState::Substantiated))
            .filter(worker_reports::decided_at.ge(At(since)))
            .group_by(worker_reports::agency_id)
            .select((worker_reports::agency_id, diesel::dsl::count_star()))
            .load(conn)
            .in_table(TABLE)?;
        counts.extend(
            rows.into_iter().filter_map(|(agency, n)| Some((agency?, usize::try_from(n).unwrap_or(usize::MAX)))),
        );
    }
    Ok(counts)
}

/// Reports decided before `cutoff` that still hold the reporter's contact: what the retention
/// policy erases.
pub fn contacts_decided_before(conn: &mut DbConnection, cutoff: DateTime<Utc>) -> AppResult<Vec<ReportRow>> {
    worker_reports::table
        .filter(worker_reports::contact_sealed.is_not_null())
        .filter(worker_reports::decided_at.lt(At(cutoff)))
        .order(worker_reports::id.asc())
        .load(conn)
        .in_table(TABLE)
}
