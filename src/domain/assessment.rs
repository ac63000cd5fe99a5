//! Assessments (audits) and their workflow (domain.md §3).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::domain::fields::{whole_i64, whole_u32};
use crate::domain::schema;

crate::domain::named_enum! {
    pub enum AssessmentKind {
        /// By the agency itself: shown, never certifies.
        SelfAssessment,
        /// Desk review.
        Stage1,
        /// Certification audit.
        Stage2,
        Surveillance,
        Recertification,
        /// Short-notice, e.g. after a grievance.
        Special,
        /// Verifies corrective actions.
        FollowUp,
    }
}

crate::domain::named_enum! {
    pub enum AssessmentStatus {
        Draft,
        Submitted,
        Finalized,
        Cancelled,
    }
}

/// What can be asked of an assessment's workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    RecordFinding,
    Submit,
    Finalize,
    Cancel,
}

impl AssessmentStatus {
    /// The status after `step`, or why the step is refused. Findings are recorded in draft only;
    /// a submitted assessment goes back to draft if a finding must change. A finalized or
    /// cancelled assessment never changes again.
    pub fn after(self, step: Step) -> Result<AssessmentStatus, String> {
        use AssessmentStatus::*;
        match (self, step) {
            (Draft, Step::RecordFinding) => Ok(Draft),
            (Submitted, Step::RecordFinding) => Ok(Draft),
            (Draft, Step::Submit) => Ok(Submitted),
            (Submitted, Step::Finalize) => Ok(Finalized),
            (Draft | Submitted, Step::Cancel) => Ok(Cancelled),
            (Finalized, _) => Err("the assessment is finalized and can no longer change".into()),
            (Cancelled, _) => Err("the assessment is cancelled and can no longer change".into()),
            (Draft, Step::Finalize) => Err("submit the assessment before finalizing it".into()),
            (Submitted, Step::Submit) => Err("the assessment is already submitted".into()),
        }
    }
}

/// ILO's categories of recruitment fees and related costs (2019).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema, strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum FeeCategory {
    RecruitmentFee,
    Medical,
    Insurance,
    SkillsTest,
    TrainingOrientation,
    Equipment,
    TravelLodging,
    Administrative,
    /// Bribes, kickbacks, bonds, deposits.
    Illegitimate,
}

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

pub fn currency(code: &str) -> Result<(), ValidationError> {
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

/// Only principle C (fees and related costs) records fee amounts.
pub fn criterion_takes_fees(criterion_code: &str) -> bool {
    criterion_code.starts_with("C.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssessmentStatus::*;

    #[test]
    fn the_workflow_only_moves_forward_and_ends_for_good() {
        assert_eq!(Draft.after(Step::Submit), Ok(Submitted));
        assert_eq!(Submitted.after(Step::Finalize), Ok(Finalized));
        assert_eq!(Submitted.after(Step::RecordFinding), Ok(Draft));
        assert!(Draft.after(Step::Finalize).is_err());
        for end in [Finalized, Cancelled] {
            for step in [Step::RecordFinding, Step::Submit, Step::Finalize, Step::Cancel] {
                assert!(end.after(step).is_err(), "{end:?} {step:?}");
            }
        }
    }

    #[test]
    fn names_round_trip() {
        for kind in ["self_assessment", "stage1", "stage2", "surveillance", "recertification", "special", "follow_up"] {
            let parsed: AssessmentKind = serde_json::from_value(serde_json::json!(kind)).unwrap();
            assert_eq!(parsed.to_string(), kind);
        }
    }
}
