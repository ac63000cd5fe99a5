//! Appeals and complaints (ISO/IEC 17021-1 §9.7, §9.8): the decisions an agency may appeal, the
//! window to do it in, and the states a case moves through.

use chrono::{DateTime, Duration, Utc};

use crate::domain::named_enum;

named_enum! {
    /// A decision about an agency that it may appeal. A refusal is an application the body
    /// rejected: the only refusal the service records (a certify the rules refuse is a 409 to
    /// the certifier, not a decision about the agency).
    pub enum AppealedDecision {
        Refusal,
        Suspension,
        Withdrawal,
    }
}

named_enum! {
    /// Where an appeal or a complaint stands: `received` → `under_review` → `upheld` or
    /// `rejected`. An outcome stands.
    pub enum CaseState {
        Received,
        UnderReview,
        Upheld,
        Rejected,
    }
}

impl CaseState {
    /// Whether a case may move from this state to `to`: each is reviewed before it is decided.
    pub fn can_move_to(self, to: CaseState) -> Result<(), String> {
        use CaseState::*;
        match (self, to) {
            (Received, UnderReview) | (UnderReview, Upheld | Rejected) => Ok(()),
            (Received, Upheld | Rejected) => Err("a case is put under review before it is decided".into()),
            (from, to) if from == to => Err(format!("the case is already {from}")),
            (Upheld | Rejected, _) => Err(format!("the case was decided ({self}); an outcome stands")),
            _ => Err(format!("a case cannot move from {self} to {to}")),
        }
    }

    pub fn is_open(self) -> bool {
        matches!(self, CaseState::Received | CaseState::UnderReview)
    }
}

/// Why an appeal of a decision taken at `decided_at` is too late at `now`, with a window of
/// `days` days; `None` when in time (the last instant of the window included).
pub fn late_appeal(decided_at: DateTime<Utc>, now: DateTime<Utc>, days: u32) -> Option<String> {
    let closes = decided_at + Duration::days(i64::from(days));
    (now > closes).then(|| {
        format!(
            "the decision of {} could be appealed for {days} days, until {}",
            decided_at.format("%Y-%m-%d"),
            closes.format("%Y-%m-%d %H:%M UTC")
        )
    })
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    use super::*;

    #[test]
    fn a_case_is_reviewed_then_decided_once() {
        use CaseState::*;
        assert!(Received.can_move_to(UnderReview).is_ok());
        assert!(UnderReview.can_move_to(Upheld).is_ok() && UnderReview.can_move_to(Rejected).is_ok());
        assert!(Received.can_move_to(Upheld).is_err());
        for to in CaseState::iter() {
            assert!(Upheld.can_move_to(to).is_err() && Rejected.can_move_to(to).is_err());
        }
        assert!(Received.is_open() && UnderReview.is_open() && !Upheld.is_open());
    }

    #[test]
    fn the_window_includes_its_last_instant() {
        let at = DateTime::parse_from_rfc3339("2026-01-05T09:00:00Z").unwrap().to_utc();
        assert_eq!(late_appeal(at, at + Duration::days(30), 30), None);
        assert!(late_appeal(at, at + Duration::days(30) + Duration::seconds(1), 30).unwrap().contains("30 days"));
    }
}
