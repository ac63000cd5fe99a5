//! Corrective actions.

use chrono::{DateTime, Utc};
use diesel::dsl::not;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::db::schema::{corrective_actions, events};
use crate::db::types::{At, MaybeAt};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::corrective::ActionStatus;
use crate::domain::standard::Severity;
use crate::error::AppResult;
use crate::store::{InTable, versioned};

const TABLE: &str = "corrective_actions";

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = corrective_actions, treat_none_as_null = true)]
pub struct ActionRow {
    pub id: String,
    pub assessment_id: String,
    pub agency_id: String,
    pub certification_body_id: String,
    pub criterion_code: String,
    pub severity: Severity,
    pub status: ActionStatus,
    pub plan: Option<String>,
    #[diesel(serialize_as = MaybeAt)]
    pub plan_submitted_at: Option<DateTime<Utc>>,
    pub evidence: Option<String>,
    #[diesel(serialize_as = MaybeAt)]
    pub evidence_submitted_at: Option<DateTime<Utc>>,
    pub verified_by: Option<String>,
    #[diesel(serialize_as = MaybeAt)]
    pub verified_at: Option<DateTime<Utc>>,
    pub rejection_reason: Option<String>,
    #[diesel(serialize_as = At)]
    pub plan_due: DateTime<Utc>,
    #[diesel(serialize_as = At)]
    pub closure_due: DateTime<Utc>,
    pub version: i64,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
    #[diesel(serialize_as = At)]
    pub updated_at: DateTime<Utc>,
}

versioned!(ActionRow, corrective_actions, "corrective action");

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub agency_id: Option<String>,
    /// The caller's own agency (for agency callers), on top of any `agency_id` asked for.
    pub scope_agency_id: Option<String>,
    pub certification_body_id: Option<String>,
    pub assessment_id: Option<String>,
    pub status: Option<ActionStatus>,
    pub severities: Option<Vec<Severity>>,
    /// Only actions overdue (true) or not overdue (false) at this time.
    pub overdue: Option<(bool, DateTime<Utc>)>,
}

type Condition = Box<dyn BoxableExpression<corrective_actions::table, MultiBackend, SqlType = Bool>>;

/// Overdue at `now`: not verified by the closure date, or still without a plan after the plan
/// date. The one SQL form of `domain::corrective::is_overdue`; every query that counts or
/// filters overdue actions uses it.
pub fn overdue_at(now: DateTime<Utc>) -> Condition {
    use corrective_actions as ca;
    let late_plan = ca::status.eq(ActionStatus::Open).and(ca::plan_due.lt(At(now)));
    Box::new(ca::status.ne(ActionStatus::Verified).and(ca::closure_due.lt(At(now)).or(late_plan)))
}

pub fn insert(conn: &mut DbConnection, row: &ActionRow) -> AppResult<()> {
    diesel::insert_into(corrective_actions::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<ActionRow>> {
    corrective_actions::table.find(id).first(conn).optional().in_table(TABLE)
}

fn filtered(filter: &Filter) -> corrective_actions::BoxedQuery<'static, MultiBackend> {
    use corrective_actions as ca;
    let mut query = ca::table.into_boxed::<MultiBackend>();
    if let Some(v) = &filter.agency_id {
        query = query.filter(ca::agency_id.eq(v.clone()));
    }
    if let Some(v) = &filter.scope_agency_id {
        query = query.filter(ca::agency_id.eq(v.clone()));
    }
    if let Some(v) = &filter.certification_body_id {
        query = query.filter(ca::certification_body_id.eq(v.clone()));
    }
    if let Some(v) = &filter.assessment_id {
        query = query.filter(ca::assessment_id.eq(v.clone()));
    }
    if let Some(v) = filter.status {
        query = query.filter(ca::status.eq(v));
    }
    if let Some(v) = &filter.severities {
        query = query.filter(ca::severity.eq_any(v.clone()));
    }
    if let Some((overdue, now)) = filter.overdue {
        query = if overdue { query.filter(overdue_at(now)) } else { query.filter(not(overdue_at(now))) };
    }
    query
}

pub fn page(conn: &mut DbConnection, filter: &Filter, after: Option<&str>, limit: i64) -> AppResult<Vec<ActionRow>> {
    use corrective_actions as ca;
    let mut query = filtered(filter);
    if let Some(after) = after {
        query = query.filter(ca::id.gt(after.to_owned()));
    }
    query.order(ca::id.asc()).limit(limit).load(conn).in_table(TABLE)
}

pub fn count(conn: &mut DbConnection, filter: &Filter) -> AppResult<i64> {
    Ok(filtered(filter).count().get_result(conn)?)
}

/// The agency's corrective actions of these severities that are not verified yet; with
/// `overdue_at`, only those overdue then.
pub fn unverified(
    conn: &mut DbConnection,
    agency_id: &str,
    severities: &[Severity],
    overdue: Option<DateTime<Utc>>,
) -> AppResult<usize> {
    use corrective_actions as ca;
    let mut query = filtered(&Filter {
        agency_id: Some(agency_id.to_owned()),
        severities: Some(severities.to_vec()),
        ..Filter::default()
    })
    .filter(ca::status.ne(ActionStatus::Verified));
    if let Some(now) = overdue {
        query = query.filter(overdue_at(now));
    }
    let n: i64 = query.count().get_result(conn)?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// The agency's minor corrective actions still waiting for a plan.
pub fn minors_without_plan(conn: &mut DbConnection, agency_id: &str) -> AppResult<usize> {
    let n = count(
        conn,
        &Filter {
            agency_id: Some(agency_id.to_owned()),
            severities: Some(vec![Severity::Minor]),
            status: Some(ActionStatus::Open),
            ..Filter::default()
        },
    )?;
    Ok(usize::try_from(n).unwrap_or(usize::MAX))
}

/// Actions overdue at `now` for which no event of type `reported` was written yet.
pub fn overdue_unreported(conn: &mut DbConnection, now: DateTime<Utc>, reported: &str) -> AppResult<Vec<ActionRow>> {
    use corrective_actions as ca;
    let already = events::table.select(events::subject_id).filter(events::event_type.eq(reported.to_owned()));
    ca::table
        .into_boxed::<MultiBackend>()
        .filter(overdue_at(now))
        .filter(not(ca::id.eq_any(already)))
        .order(ca::id.asc())
        .load(conn)
        .in_table(TABLE)
}

/// For each of these agencies, how many of its corrective actions of each severity are not
/// verified and overdue at `now` (pairs with none are missing). One query per 500 agencies.
pub fn overdue_by_agency(
    conn: &mut DbConnection,
    agency_ids: &[String],
    now: DateTime<Utc>,
) -> AppResult<std::collections::HashMap<(String, Severity), usize>> {
    use corrective_actions as ca;
    let mut counts = std::collections::HashMap::new();
    for chunk in agency_ids.chunks(500) {
        let rows: Vec<(String, Severity, i64)> = ca::table
            .filter(ca::agency_id.eq_any(chunk))
            .filter(ca::status.ne(ActionStatus::Verified))
            .filter(overdue_at(now))
            .group_by((ca::agency_id, ca::severity))
            .select((ca::agency_id, ca::severity, diesel::dsl::count_star()))
            .load(conn)
            .in_table(TABLE)?;
        counts.extend(
            rows.into_iter()
                .map(|(agency, severity, n)| ((agency, severity), usize::try_from(n).unwrap_or(usize::MAX))),
        );
    }
    Ok(counts)
}
