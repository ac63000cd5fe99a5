//! Assessments and their findings.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::schema::{assessments, findings};
use crate::db::types::{At, Json, JsonText, MaybeAt, NullableJsonText};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::agency::Grade;
use crate::domain::assessment::{AssessmentKind, AssessmentStatus, AuditMethods, FeeAmount};
use crate::domain::scoring::ScoreResult;
use crate::domain::standard::Severity;
use crate::error::AppResult;
use crate::store::{InTable, versioned};

const ASSESSMENTS: &str = "assessments";
const FINDINGS: &str = "findings";

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = assessments, treat_none_as_null = true)]
pub struct AssessmentRow {
    pub id: String,
    pub agency_id: String,
    pub certification_body_id: Option<String>,
    pub standard_version: String,
    pub kind: AssessmentKind,
    pub status: AssessmentStatus,
    pub lead_client_id: String,
    #[diesel(serialize_as = JsonText)]
    pub methods: Json<AuditMethods>,
    pub overall_score: Option<f64>,
    pub grade: Option<Grade>,
    /// Fixed at finalization.
    #[diesel(serialize_as = NullableJsonText)]
    pub score: Option<Json<ScoreResult>>,
    pub version: i64,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
    #[diesel(serialize_as = At)]
    pub updated_at: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub submitted_at: Option<DateTime<Utc>>,
    #[diesel(serialize_as = MaybeAt)]
    pub finalized_at: Option<DateTime<Utc>>,
    #[diesel(serialize_as = MaybeAt)]
    pub cancelled_at: Option<DateTime<Utc>>,
}

versioned!(AssessmentRow, assessments, "assessment");

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = findings)]
pub struct FindingRow {
    pub assessment_id: String,
    pub criterion_code: String,
    pub severity: Severity,
    pub evidence: String,
    pub workers_interviewed: i32,
    #[diesel(serialize_as = JsonText)]
    pub fees: Json<Vec<FeeAmount>>,
    pub recorded_by: String,
    #[diesel(serialize_as = At)]
    pub updated_at: DateTime<Utc>,
    /// Sub-agent links the finding names (the sub-agent criterion only).
    #[diesel(serialize_as = JsonText)]
    pub sub_agent_ids: Json<Vec<String>>,
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
    pub status: Option<AssessmentStatus>,
    pub kind: Option<AssessmentKind>,
}

pub fn insert(conn: &mut DbConnection, row: &AssessmentRow) -> AppResult<()> {
    diesel::insert_into(assessments::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<AssessmentRow>> {
    assessments::table.find(id).first(conn).optional().in_table(ASSESSMENTS)
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
        Visibility::Finalized => query.filter(assessments::status.eq(AssessmentStatus::Finalized)),
    };
    if let Some(agency) = &filter.agency_id {
        query = query.filter(assessments::agency_id.eq(agency.clone()));
    }
    if let Some(status) = filter.status {
        query = query.filter(assessments::status.eq(status));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(assessments::kind.eq(kind));
    }
    if let Some(after) = after {
        query = query.filter(assessments::id.gt(after.to_owned()));
    }
    query.order(assessments::id.asc()).limit(limit).load(conn).in_table(ASSESSMENTS)
}

pub fn findings_of(conn: &mut DbConnection, assessment_id: &str) -> AppResult<Vec<FindingRow>> {
    findings::table
        .filter(findings::assessment_id.eq(assessment_id))
        .order(findings::criterion_code.asc())
        .load(conn)
        .in_table(FINDINGS)
}

/// Records a finding, replacing the one already recorded for the criterion.
pub fn put_finding(conn: &mut DbConnection, row: &FindingRow) -> AppResult<()> {
    let existing = findings::table
        .filter(findings::assessment_id.eq(&row.assessment_id))
        .filter(findings::criterion_code.eq(&row.criterion_code));
    // Upsert differs by backend; delete-then-insert inside the caller's transaction is portable.
    diesel::delete(existing).execute(conn)?;
    diesel::insert_into(findings::table).values(row.clone()).execute(conn)?;
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
