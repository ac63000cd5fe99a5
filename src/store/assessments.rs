//! Assessments and their findings.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{assessments, findings};
use crate::db::{DbConnection, MultiBackend};
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = assessments, treat_none_as_null = true)]
pub struct AssessmentRow {
    pub id: String,
    pub agency_id: String,
    pub certification_body_id: Option<String>,
    pub standard_version: String,
    pub kind: String,
    pub status: String,
    pub lead_client_id: String,
    pub methods: String,
    pub overall_score: Option<f64>,
    pub grade: Option<String>,
    pub score: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub finalized_at: Option<NaiveDateTime>,
    pub cancelled_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = findings)]
pub struct FindingRow {
    pub assessment_id: String,
    pub criterion_code: String,
    pub severity: String,
    pub evidence: String,
    pub workers_interviewed: i32,
    pub fees: String,
    pub recorded_by: String,
    pub updated_at: NaiveDateTime,
}

/// Who may see which assessments: everything, one body's, one agency's, or only finalized ones.
#[derive(Debug, Clone)]
pub enum Visibility {
    All,
    Body(String),
    Agency(String),
    Finalized,
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub agency_id: Option<String>,
    pub status: Option<String>,
    pub kind: Option<String>,
}

pub fn insert(conn: &mut DbConnection, row: &AssessmentRow) -> AppResult<()> {
    diesel::insert_into(assessments::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<AssessmentRow>> {
    Ok(assessments::table.find(id).first(conn).optional()?)
}

/// Writes `row` if the stored version is still `expected_version`.
pub fn update(conn: &mut DbConnection, row: &AssessmentRow, expected_version: i64) -> AppResult<bool> {
    let n = diesel::update(
        assessments::table.filter(assessments::id.eq(&row.id)).filter(assessments::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)?;
    Ok(n == 1)
}

pub fn page(
    conn: &mut DbConnection,
    visibility: &Visibility,
    filter: &Filter,
    after: Option<&str>,
    limit: i64,
) -> AppResult<Vec<AssessmentRow>> {
    let mut query = assessments::table.into_boxed::<MultiBackend>();
    query = match visibility {
        Visibility::All => query,
        Visibility::Body(body) => query.filter(assessments::certification_body_id.eq(body.clone())),
        Visibility::Agency(agency) => query.filter(assessments::agency_id.eq(agency.clone())),
        Visibility::Finalized => query.filter(assessments::status.eq("finalized")),
    };
    if let Some(agency) = &filter.agency_id {
        query = query.filter(assessments::agency_id.eq(agency.clone()));
    }
    if let Some(status) = &filter.status {
        query = query.filter(assessments::status.eq(status.clone()));
    }
    if let Some(kind) = &filter.kind {
        query = query.filter(assessments::kind.eq(kind.clone()));
    }
    if let Some(after) = after {
        query = query.filter(assessments::id.gt(after.to_owned()));
    }
    Ok(query.order(assessments::id.asc()).limit(limit).load(conn)?)
}

pub fn findings_of(conn: &mut DbConnection, assessment_id: &str) -> AppResult<Vec<FindingRow>> {
    Ok(findings::table
        .filter(findings::assessment_id.eq(assessment_id))
        .order(findings::criterion_code.asc())
        .load(conn)?)
}

/// Records a finding, replacing the one already recorded for the criterion.
pub fn put_finding(conn: &mut DbConnection, row: &FindingRow) -> AppResult<()> {
    let existing = findings::table
        .filter(findings::assessment_id.eq(&row.assessment_id))
        .filter(findings::criterion_code.eq(&row.criterion_code));
    // Upsert differs by backend; delete-then-insert inside the caller's transaction is portable.
    diesel::delete(existing).execute(conn)?;
    diesel::insert_into(findings::table).values(row).execute(conn)?;
    Ok(())
}

/// How many findings each of these assessments has, in one query.
pub fn finding_counts(
    conn: &mut DbConnection,
    assessment_ids: &[String],
) -> AppResult<std::collections::HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = findings::table
        .filter(findings::assessment_id.eq_any(assessment_ids))
        .group_by(findings::assessment_id)
        .select((findings::assessment_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
