//! Assessments and findings as the API reads and writes them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::domain::agency::Grade;
use crate::domain::assessment::{AssessmentKind, AssessmentStatus, AuditMethods, FeeAmount};
use crate::domain::fields::uuid;
use crate::domain::schema;
use crate::domain::scoring::ScoreResult;
use crate::domain::standard::Severity;
use crate::store::assessments::{AssessmentRow, FindingRow};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Finding {
    #[schema(example = "C.1")]
    #[schema(max_length = 5, pattern = "^[A-Z][.][0-9]{1,3}$")]
    pub criterion_code: String,
    pub severity: Severity,
    #[schema(max_length = 5000)]
    pub evidence: String,
    #[schema(maximum = 100000)]
    pub workers_interviewed: u32,
    #[schema(max_items = 20)]
    pub fees: Vec<FeeAmount>,
    /// The sub-agent links the finding is about (the sub-agent due-diligence criterion only).
    #[schema(max_items = 50, value_type = Vec<uuid::Uuid>)]
    pub sub_agent_ids: Vec<String>,
    #[schema(format = Uuid)]
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub recorded_by: String,
    pub updated_at: DateTime<Utc>,
}

/// How far the findings have got.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Progress {
    #[schema(format = Int32, minimum = 0, maximum = 500)]
    pub recorded: usize,
    #[schema(format = Int32, minimum = 0, maximum = 500)]
    pub total: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Assessment {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub agency_id: String,
    /// Null for a self-assessment.
    #[schema(format = Uuid)]
    pub certification_body_id: Option<String>,
    #[schema(max_length = 40, pattern = "^[a-z0-9.-]{1,40}$")]
    pub standard_version: String,
    pub kind: AssessmentKind,
    pub status: AssessmentStatus,
    /// The API client (auditor, or the agency for a self-assessment) that opened it.
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub lead_client_id: String,
    pub methods: AuditMethods,
    pub progress: Progress,
    /// Set at finalization.
    pub overall_score: Option<f64>,
    pub grade: Option<Grade>,
    /// The findings, for those allowed to see them; absent for integrators.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(max_items = 500)]
    pub findings: Option<Vec<Finding>>,
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub finalized_at: Option<DateTime<Utc>>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// The explained score: every number that produced it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ScoreExplanation {
    #[schema(format = Uuid)]
    pub assessment_id: String,
    #[schema(max_length = 40, pattern = "^[a-z0-9.-]{1,40}$")]
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

impl From<FindingRow> for Finding {
    fn from(row: FindingRow) -> Self {
        Finding {
            criterion_code: row.criterion_code,
            severity: row.severity,
            evidence: row.evidence,
            workers_interviewed: u32::try_from(row.workers_interviewed).unwrap_or(0),
            fees: row.fees.into_inner(),
            sub_agent_ids: row.sub_agent_ids.into_inner(),
            recorded_by: row.recorded_by,
            updated_at: row.updated_at,
        }
    }
}

impl Assessment {
    /// The API view of an assessment: `findings` is `None` when the caller may not see them;
    /// `total` is the number of criteria of its standard and `recorded` of findings recorded.
    pub fn of(row: AssessmentRow, findings: Option<Vec<FindingRow>>, total: usize, recorded: usize) -> Assessment {
        Assessment {
            kind: row.kind,
            status: row.status,
            methods: row.methods.into_inner(),
            grade: row.grade,
            progress: Progress { recorded, total },
            findings: findings.map(|f| f.into_iter().map(Finding::from).collect()),
            id: row.id,
            agency_id: row.agency_id,
            certification_body_id: row.certification_body_id,
            standard_version: row.standard_version,
            lead_client_id: row.lead_client_id,
            overall_score: row.overall_score,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
            submitted_at: row.submitted_at,
            finalized_at: row.finalized_at,
            cancelled_at: row.cancelled_at,
        }
    }
}
