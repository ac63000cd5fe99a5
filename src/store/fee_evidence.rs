//! The records fee evidence is built from, in keyset pages: fee amounts on findings of finalized
//! independent audits, and substantiated worker reports that name amounts, each with the
//! corridors its agency serves.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{agencies, assessments, findings, worker_reports};
use crate::db::types::Json;
use crate::domain::assessment::{AssessmentKind, AssessmentStatus, FeeAmount};
use crate::domain::reports::ReportState;
use crate::error::AppResult;
use crate::store::InTable;

/// How an empty list of fees is stored.
const NO_FEES: &str = "[]";

/// A finding's fee amounts, with what places its audit.
#[derive(Debug, Clone, Queryable)]
pub struct AuditFees {
    pub assessment_id: String,
    pub criterion_code: String,
    pub fees: Json<Vec<FeeAmount>>,
    pub finalized_at: Option<DateTime<Utc>>,
    pub origins: Json<Vec<String>>,
    pub destinations: Json<Vec<String>>,
}

/// Findings with fees of finalized audits, in (assessment, criterion) order after `after`.
/// Self-assessments are not evidence: the agency would be grading itself.
pub fn audit_fees(conn: &mut DbConnection, after: Option<(&str, &str)>, limit: i64) -> AppResult<Vec<AuditFees>> {
    let mut query = findings::table
        .inner_join(assessments::table.inner_join(agencies::table))
        .filter(assessments::status.eq(AssessmentStatus::Finalized))
        .filter(assessments::kind.ne(AssessmentKind::SelfAssessment))
        .filter(findings::fees.ne(NO_FEES))
        .select((
            findings::assessment_id,
            findings::criterion_code,
            findings::fees,
            assessments::finalized_at,
            agencies::origin_countries,
            agencies::destination_countries,
        ))
        .into_boxed();
    if let Some((assessment, criterion)) = after {
        query = query.filter(findings::assessment_id.gt(assessment.to_owned()).or(
            findings::assessment_id.eq(assessment.to_owned()).and(findings::criterion_code.gt(criterion.to_owned())),
        ));
    }
    query
        .order((findings::assessment_id.asc(), findings::criterion_code.asc()))
        .limit(limit)
        .load(conn)
        .in_table("findings")
}

/// A substantiated report's amounts, with where and when it happened and the corridors of its
/// agency (none when the agency is not in the registry). Never its text, contact or reference.
#[derive(Debug, Clone, Queryable)]
pub struct ReportFees {
    pub id: String,
    pub fees: Json<Vec<FeeAmount>>,
    pub country: Option<String>,
    pub occurred_on: Option<NaiveDate>,
    pub received_at: DateTime<Utc>,
    pub origins: Option<Json<Vec<String>>>,
    pub destinations: Option<Json<Vec<String>>>,
}

/// Substantiated reports that name amounts, in id order after `after`.
pub fn report_fees(conn: &mut DbConnection, after: Option<&str>, limit: i64) -> AppResult<Vec<ReportFees>> {
    let mut query = worker_reports::table
        .left_join(agencies::table)
        .filter(worker_reports::state.eq(ReportState::Substantiated))
        .filter(worker_reports::fees.ne(NO_FEES))
        .select((
            worker_reports::id,
            worker_reports::fees,
            worker_reports::country,
            worker_reports::occurred_on,
            worker_reports::received_at,
            agencies::origin_countries.nullable(),
            agencies::destination_countries.nullable(),
        ))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(worker_reports::id.gt(after.to_owned()));
    }
    query.order(worker_reports::id.asc()).limit(limit).load(conn).in_table("worker_reports")
}
