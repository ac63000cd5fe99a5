//! The open data exports' reads: the registry in keyset pages (whole, or the agencies changed
//! after an event cursor), and what names the registry's version.

use diesel::prelude::*;

use crate::db::schema::{agencies, events, worker_reports};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::events::EventType;
use crate::domain::open_data::{REGISTRY_EVENTS, report_made_public};
use crate::domain::reports::{PUBLIC_COUNT_THRESHOLD, ReportState};
use crate::error::AppResult;
use crate::store::InTable;
use crate::store::agencies::AgencyRow;

fn registry_event_names() -> Vec<&'static str> {
    REGISTRY_EVENTS.iter().map(|t| <&'static str>::from(*t)).collect()
}

/// What the registry export's version is made of: the sequence of the last event that changed
/// an agency's exported record, and the total of the report counts the registry shows (an
/// agency's count shows from 3 on, and a decided report stays decided, so the total moves
/// exactly when a shown count does).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistryVersion {
    pub last_change: i64,
    pub shown_reports: i64,
}

pub fn registry_version(conn: &mut DbConnection) -> AppResult<RegistryVersion> {
    let last_change: Option<i64> = events::table
        .filter(events::event_type.eq_any(registry_event_names()))
        .order(events::sequence.desc())
        .select(events::sequence)
        .first(conn)
        .optional()?;
    let counts: Vec<i64> = worker_reports::table
        .filter(worker_reports::state.eq(ReportState::Substantiated))
        .filter(worker_reports::agency_id.is_not_null())
        .group_by(worker_reports::agency_id)
        .select(diesel::dsl::count_star())
        .load(conn)
        .in_table("worker_reports")?;
    let threshold = i64::try_from(PUBLIC_COUNT_THRESHOLD).unwrap_or(i64::MAX);
    let shown_reports = counts.into_iter().filter(|n| *n >= threshold).sum();
    Ok(RegistryVersion { last_change: last_change.unwrap_or(0), shown_reports })
}

/// Which agencies a delta covers: those with a registry event in `(since, until]`, and
/// `by_reports`, the agencies whose shown report count moved in that window.
#[derive(Debug, Clone)]
pub struct Delta {
    pub since: i64,
    pub until: i64,
    pub by_reports: Vec<String>,
}

/// The agencies whose shown count of substantiated reports a substantiation in `(since, until]`
/// changed: those it concerns that have at least 3. Report events carry no agency column (they
/// are for admins only), so the agency is read from the event's values.
pub fn changed_by_reports(conn: &mut DbConnection, since: i64, until: i64) -> AppResult<Vec<String>> {
    let moved = <&'static str>::from(EventType::ReportStateChanged);
    let values: Vec<Option<String>> = events::table
        .filter(events::event_type.eq(moved))
        .filter(events::sequence.gt(since))
        .filter(events::sequence.le(until))
        .select(events::current_values)
        .load(conn)?;
    let mut agencies: Vec<String> = values.iter().flatten().filter_map(|v| report_made_public(v)).collect();
    agencies.sort();
    agencies.dedup();
    let counts = crate::store::reports::substantiated_counts(conn, &agencies)?;
    agencies.retain(|id| counts.get(id).is_some_and(|n| *n >= PUBLIC_COUNT_THRESHOLD));
    Ok(agencies)
}

/// One page of the registry in id order after `after`: every agency, or those `delta` covers.
pub fn registry_page(
    conn: &mut DbConnection,
    delta: Option<&Delta>,
    after: Option<&str>,
    limit: i64,
) -> AppResult<Vec<AgencyRow>> {
    let mut query = agencies::table.into_boxed::<MultiBackend>();
    if let Some(delta) = delta {
        let changed = events::table
            .select(events::agency_id.assume_not_null())
            .filter(events::sequence.gt(delta.since))
            .filter(events::sequence.le(delta.until))
            .filter(events::event_type.eq_any(registry_event_names()))
            .filter(events::agency_id.is_not_null());
        query = query.filter(agencies::id.eq_any(changed).or(agencies::id.eq_any(delta.by_reports.clone())));
    }
    if let Some(after) = after {
        query = query.filter(agencies::id.gt(after.to_owned()));
    }
    query.order(agencies::id.asc()).limit(limit).load(conn).in_table("agencies")
}
