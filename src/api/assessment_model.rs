//! Assessments and findings as the API reads and writes them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::api::fields::{uuid, whole_i64, whole_u32};
use crate::api::schema;
use crate::domain::agency::Grade;
use crate::domain::assessment::{AssessmentKind, AssessmentStatus, FeeCategory};
use crate::domain::scoring::ScoreResult;
use crate::domain::standard::Severity;
use crate::domain::{from_wire, roles::Role};
use crate::error::AppError;
use crate::store;
use crate::store::assessments::{AssessmentRow, FindingRow};

/// How the audit was carried out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AuditMethods {
    pub documents_reviewed: bool,
    #[validate(range(max = 100000))]
    #[schema(maximum = 100000)]
    #[serde(deserialize_with = "whole_u32")]
    pub management_interviews: u32,
    #[validate(range(max = 100000))]
    #[schema(maximum = 100000)]
    #[serde(deserialize_with = "whole_u32")]
    pub staff_interviews: u32,
    #[validate(range(max = 100000))]
    #[schema(maximum = 100000)]
    #[serde(deserialize_with = "whole_u32")]
    pub employer_client_interviews: u32,
    /// Migrant workers interviewed: the heart of an ethical-recruitment audit.
    #[validate(range(max = 100000))]
    #[schema(maximum = 100000)]
    #[serde(deserialize_with = "whole_u32")]
    pub worker_interviews: u32,
    #[validate(range(max = 10000))]
    #[schema(maximum = 10000)]
    #[serde(deserialize_with = "whole_u32")]
    pub sites_visited: u32,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"agency_id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90", "kind": "stage2", "methods": {"documents_reviewed": true, "management_interviews": 2, "staff_interviews": 4, "worker_interviews": 25, "sites_visited": 1}}))]
pub struct AssessmentInput {
    #[schema(format = Uuid)]
    pub agency_id: String,
    pub kind: AssessmentKind,
    /// A published standard version; the latest published one when absent.
    #[serde(default)]
    #[schema(example = "ers-1.0")]
    pub standard_version: Option<String>,
    #[serde(default)]
    #[validate(nested)]
    pub methods: AuditMethods,
}

fn currency(code: &str) -> Result<(), ValidationError> {
    if code.len() == 3 && iso_currency::Currency::from_code(code).is_some() {
        Ok(())
    } else {
        Err(ValidationError::new("currency").with_message("must be an ISO 4217 currency code, e.g. NPR".into()))
    }
}

/// A fee or related cost found charged to workers, in integer minor units of the currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"category": "recruitment_fee", "amount_minor": 15000000, "currency": "NPR"}))]
pub struct FeeAmount {
    pub category: FeeCategory,
    /// Integer minor units (e.g. paisa for NPR): 150000.00 NPR is 15000000.
    #[validate(range(min = 0, max = 1_000_000_000_000i64))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000i64)]
    #[serde(deserialize_with = "whole_i64")]
    pub amount_minor: i64,
    #[validate(custom(function = "currency"))]
    #[schema(schema_with = schema::currency)]
    pub currency: String,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"severity": "major", "evidence": "7 of 25 workers interviewed paid a 'visa processing' fee to a sub-agent.", "workers_interviewed": 25, "fees": [{"category": "administrative", "amount_minor": 4500000, "currency": "NPR"}]}))]
pub struct FindingInput {
    pub severity: Severity,
    /// What was seen, read or heard. Do not name workers.
    #[serde(default)]
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub evidence: String,
    /// Workers interviewed about this criterion.
    #[serde(default, deserialize_with = "whole_u32")]
    #[validate(range(max = 100000))]
    #[schema(maximum = 100000)]
    pub workers_interviewed: u32,
    /// Fees found charged; only on criteria of principle C.
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub fees: Vec<FeeAmount>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Finding {
    #[schema(example = "C.1")]
    pub criterion_code: String,
    pub severity: Severity,
    pub evidence: String,
    pub workers_interviewed: u32,
    pub fees: Vec<FeeAmount>,
    #[schema(format = Uuid)]
    pub recorded_by: String,
    pub updated_at: DateTime<Utc>,
}

/// How far the findings have got.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Progress {
    pub recorded: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Assessment {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub agency_id: String,
    /// Null for a self-assessment.
    pub certification_body_id: Option<String>,
    pub standard_version: String,
    pub kind: AssessmentKind,
    pub status: AssessmentStatus,
    /// The API client (auditor, or the agency for a self-assessment) that opened it.
    pub lead_client_id: String,
    pub methods: AuditMethods,
    pub progress: Progress,
    /// Set at finalization.
    pub overall_score: Option<f64>,
    pub grade: Option<Grade>,
    /// The findings, for those allowed to see them; absent for integrators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<Vec<Finding>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub finalized_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssessmentPage {
    pub data: Vec<Assessment>,
    pub next_cursor: Option<String>,
}

/// The explained score: every number that produced it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreExplanation {
    #[schema(format = Uuid)]
    pub assessment_id: String,
    pub standard_version: String,
    pub status: AssessmentStatus,
    /// True once finalized: the score is then fixed. Before, it is a preview of the findings so far.
    pub fixed: bool,
    pub score: ScoreResult,
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AssessmentQuery {
    #[validate(custom(function = "uuid"))]
    #[param(format = Uuid)]
    pub agency_id: Option<String>,
    pub status: Option<AssessmentStatus>,
    pub kind: Option<AssessmentKind>,
    /// Page size, 1–200 (default 50).
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(schema_with = schema::cursor)]
    pub cursor: Option<String>,
}

pub fn to_finding(row: FindingRow) -> AppResult<Finding> {
    Ok(Finding {
        severity: from_wire(&row.severity)
            .ok_or_else(|| AppError::internal(format!("finding severity {}", row.severity)))?,
        fees: serde_json::from_str(&row.fees).map_err(AppError::internal)?,
        criterion_code: row.criterion_code,
        evidence: row.evidence,
        workers_interviewed: u32::try_from(row.workers_interviewed).unwrap_or(0),
        recorded_by: row.recorded_by,
        updated_at: store::from_db_time(row.updated_at),
    })
}

type AppResult<T> = Result<T, AppError>;

/// The API view of an assessment. `findings` is `None` when the caller may not see them.
pub fn to_assessment(
    row: AssessmentRow,
    findings: Option<Vec<FindingRow>>,
    total: usize,
    recorded: usize,
) -> AppResult<Assessment> {
    let findings = findings.map(|f| f.into_iter().map(to_finding).collect::<AppResult<Vec<_>>>()).transpose()?;
    Ok(Assessment {
        kind: from_wire(&row.kind).ok_or_else(|| AppError::internal(format!("assessment kind {}", row.kind)))?,
        status: from_wire(&row.status)
            .ok_or_else(|| AppError::internal(format!("assessment status {}", row.status)))?,
        methods: serde_json::from_str(&row.methods).map_err(AppError::internal)?,
        grade: row.grade.as_deref().and_then(Grade::parse),
        progress: Progress { recorded, total },
        findings,
        id: row.id,
        agency_id: row.agency_id,
        certification_body_id: row.certification_body_id,
        standard_version: row.standard_version,
        lead_client_id: row.lead_client_id,
        overall_score: row.overall_score,
        version: row.version,
        created_at: store::from_db_time(row.created_at),
        updated_at: store::from_db_time(row.updated_at),
        submitted_at: row.submitted_at.map(store::from_db_time),
        finalized_at: row.finalized_at.map(store::from_db_time),
        cancelled_at: row.cancelled_at.map(store::from_db_time),
    })
}

/// Whether `role` sees findings at all (integrators see scores and grades only).
pub fn role_sees_findings(role: Role) -> bool {
    role != Role::Integrator
}
