//! Corrective actions.

use chrono::NaiveDateTime;
use diesel::BoolExpressionMethods;
use diesel::prelude::*;

use crate::db::schema::corrective_actions;
use crate::db::{DbConnection, MultiBackend};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = corrective_actions, treat_none_as_null = true)]
pub struct ActionRow {
    pub id: String,
    pub assessment_id: String,
    pub agency_id: String,
    pub certification_body_id: String,
    pub criterion_code: String,
    pub severity: String,
    pub status: String,
    pub plan: Option<String>,
    pub plan_submitted_at: Option<NaiveDateTime>,
    pub evidence: Option<String>,
    pub evidence_submitted_at: Option<NaiveDateTime>,
    pub verified_by: Option<String>,
    pub verified_at: Option<NaiveDateTime>,
    pub rejection_reason: Option<String>,
    pub plan_due: NaiveDateTime,
    pub closure_due: NaiveDateTime,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub agency_id: Option<String>,
    /// The caller's own agency (for agency callers), on top of any `agency_id` asked for.
    pub scope_agency_id: Option<String>,
    pub certification_body_id: Option<String>,
    pub assessment_id: Option<String>,
    pub status: Option<String>,
    pub severity: Option<String>,
    /// Only actions overdue (true) or not overdue (false) at this time; the same rule as
    /// `domain::corrective::is_overdue`.
    pub overdue: Option<(bool, NaiveDateTime)>,
}

pub fn insert(conn: &mut DbConnection, row: &ActionRow) -> AppResult<()> {
    diesel::insert_into(corrective_actions::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<ActionRow>> {
    Ok(corrective_actions::table.find(id).first(conn).optional()?)
}

pub fn update(conn: &mut DbConnection, row: &ActionRow, expected_version: i64) -> AppResult<bool> {
    let n = diesel::update(
        corrective_actions::table
            .filter(corrective_actions::id.eq(&row.id))
            .filter(corrective_actions::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

pub fn page(conn: &mut DbConnection, filter: &Filter, after: Option<&str>, limit: i64) -> AppResult<Vec<ActionRow>> {
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
    if let Some(v) = &filter.status {
        query = query.filter(ca::status.eq(v.clone()));
    }
    if let Some(v) = &filter.severity {
        query = query.filter(ca::severity.eq(v.clone()));
    }
    if let Some((overdue, now)) = filter.overdue {
        // The same rule as domain::corrective::is_overdue, as SQL.
        let late_plan = ca::status.eq("open").and(ca::plan_due.lt(now));
        let is_overdue = ca::status.ne("verified").and(BoolExpressionMethods::or(ca::closure_due.lt(now), late_plan));
        query = if overdue { query.filter(is_overdue) } else { query.filter(diesel::dsl::not(is_overdue)) };
    }
    if let Some(after) = after {
        query = query.filter(ca::id.gt(after.to_owned()));
    }
    Ok(query.order(ca::id.asc()).limit(limit).load(conn)?)
}
