//! Worker reports (domain.md §8): what a worker may report, how a report is moderated, and what
//! of it may be shown to whom.

use crate::domain::assessment::FeeCategory;
use crate::domain::named_enum;
use chrono::{DateTime, Months, Utc};

named_enum! {
/// What went wrong. The first nine are ILO's fee and related-cost categories (2019).
pub enum ReportCategory {
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
    /// A passport or identity document kept by the agency or the employer.
    DocumentRetention,
    /// A contract different from the one promised, or a new one signed on arrival.
    ContractSubstitution,
    /// False promises about the job, the pay or the conditions.
    Deception,
    ThreatsOrViolence,
    Other,
}
}

impl ReportCategory {
    /// The fee category this report is about, when it is a fee.
    pub fn fee(self) -> Option<FeeCategory> {
        use ReportCategory::*;
        Some(match self {
            RecruitmentFee => FeeCategory::RecruitmentFee,
            Medical => FeeCategory::Medical,
            Insurance => FeeCategory::Insurance,
            SkillsTest => FeeCategory::SkillsTest,
            TrainingOrientation => FeeCategory::TrainingOrientation,
            Equipment => FeeCategory::Equipment,
            TravelLodging => FeeCategory::TravelLodging,
            Administrative => FeeCategory::Administrative,
            Illegitimate => FeeCategory::Illegitimate,
            DocumentRetention | ContractSubstitution | Deception | ThreatsOrViolence | Other => return None,
        })
    }

    /// Whether a substantiated report of this kind is a breach of a critical criterion (fees
    /// charged to workers, documents held, contract substitution, threats or violence as a
    /// sign of forced labour): the kind that harms workers now and may ground a suspension.
    /// Deception and "other" can be as grave, but what they name is only known once moderated,
    /// so they do not suspend on their own.
    pub fn is_critical(self) -> bool {
        self.fee().is_some()
            || matches!(
                self,
                ReportCategory::DocumentRetention
                    | ReportCategory::ContractSubstitution
                    | ReportCategory::ThreatsOrViolence
            )
    }
}

named_enum! {
/// Where a report stands: `received` → `under_review` → `substantiated` / `unsubstantiated` /
/// `referred` (to an authority, a union or another remedy body).
pub enum ReportState {
    Received,
    UnderReview,
    Substantiated,
    Unsubstantiated,
    Referred,
}
}

impl ReportState {
    /// Whether a moderator may move a report from this state to `to`. Every report is reviewed
    /// before it is decided, and a decision stands: a new fact is a new report, so the history a
    /// worker was shown never changes under them.
    pub fn can_move_to(self, to: ReportState) -> Result<(), String> {
        use ReportState::*;
        match (self, to) {
            (Received, UnderReview) => Ok(()),
            (UnderReview, Substantiated | Unsubstantiated | Referred) => Ok(()),
            (Received, Substantiated | Unsubstantiated | Referred) => {
                Err("a report is put under review before it is decided".into())
            }
            (from, to) if from == to => Err(format!("the report is already {from}")),
            (Substantiated | Unsubstantiated | Referred, _) => {
                Err(format!("the report was decided ({self}); a decision stands"))
            }
            (_, Received) => Err("a report cannot go back to received".into()),
            _ => Err(format!("a report cannot move from {self} to {to}")),
        }
    }

    pub fn is_decided(self) -> bool {
        matches!(self, ReportState::Substantiated | ReportState::Unsubstantiated | ReportState::Referred)
    }
}

/// Public pages show a count of substantiated reports only from this many on, so that no
/// reporter can be singled out by a count of one or two.
pub const PUBLIC_COUNT_THRESHOLD: usize = 3;

/// The count the public may see: none below the threshold.
pub fn public_count(substantiated: usize) -> Option<usize> {
    (substantiated >= PUBLIC_COUNT_THRESHOLD).then_some(substantiated)
}

/// Substantiated reports weigh on an agency's risk for this long after their decision.
pub const RISK_WINDOW_MONTHS: u32 = 12;

/// The start of the window of substantiated reports that count for risk at `now`.
pub fn risk_window_start(now: DateTime<Utc>) -> DateTime<Utc> {
    now.checked_sub_months(Months::new(RISK_WINDOW_MONTHS)).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ReportState::*;
    use strum::IntoEnumIterator;

    #[test]
    fn a_report_is_reviewed_then_decided_once() {
        assert_eq!(Received.can_move_to(UnderReview), Ok(()));
        for end in [Substantiated, Unsubstantiated, Referred] {
            assert_eq!(UnderReview.can_move_to(end), Ok(()));
            assert!(Received.can_move_to(end).is_err(), "{end} before review");
            for to in ReportState::iter() {
                assert!(end.can_move_to(to).is_err(), "{end} -> {to}");
            }
            assert!(end.is_decided());
        }
        assert!(UnderReview.can_move_to(Received).is_err());
        assert!(UnderReview.can_move_to(UnderReview).is_err());
        assert!(!Received.is_decided() && !UnderReview.is_decided());
    }

    #[test]
    fn fees_documents_substitution_and_threats_are_critical() {
        let critical: Vec<_> = ReportCategory::iter().filter(|c| c.is_critical()).collect();
        assert_eq!(critical.len(), 12);
        assert!(!ReportCategory::Deception.is_critical());
        assert!(!ReportCategory::Other.is_critical());
        assert_eq!(ReportCategory::Medical.fee(), Some(FeeCategory::Medical));
        assert_eq!(ReportCategory::DocumentRetention.fee(), None);
    }

    #[test]
    fn counts_are_public_from_three() {
        assert_eq!(public_count(0), None);
        assert_eq!(public_count(2), None);
        assert_eq!(public_count(3), Some(3));
    }

    #[test]
    fn names_round_trip() {
        for c in ReportCategory::iter() {
            let wire = serde_json::to_value(c).unwrap();
            assert_eq!(wire, serde_json::json!(c.to_string()));
        }
        for s in ReportState::iter() {
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.to_string()));
        }
    }
}
