//! Corrective actions (domain.md §5): their deadlines, workflow and when they are overdue.

use chrono::{DateTime, Duration, Utc};

use crate::domain::standard::Severity;

crate::domain::named_enum! {
    pub enum ActionStatus {
        Open,
        PlanSubmitted,
        EvidenceSubmitted,
        Verified,
    }
}

impl ActionStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionStep {
    SubmitPlan,
    SubmitEvidence,
    Verify,
    Reject,
}

impl ActionStatus {
    /// The status after `step`, or why it is refused.
    pub fn after(self, step: ActionStep) -> Result<ActionStatus, String> {
        use ActionStatus::*;
        match (self, step) {
            (Open | PlanSubmitted, ActionStep::SubmitPlan) => Ok(PlanSubmitted),
            (PlanSubmitted | EvidenceSubmitted, ActionStep::SubmitEvidence) => Ok(EvidenceSubmitted),
            (EvidenceSubmitted, ActionStep::Verify) => Ok(Verified),
            (PlanSubmitted | EvidenceSubmitted, ActionStep::Reject) => Ok(Open),
            (Verified, _) => Err("the corrective action is verified and closed".into()),
            (Open, ActionStep::SubmitEvidence) => Err("submit a plan before evidence".into()),
            (Open | PlanSubmitted, ActionStep::Verify) => Err("there is no evidence to verify yet".into()),
            (Open, ActionStep::Reject) => Err("there is nothing submitted to reject".into()),
            (EvidenceSubmitted, ActionStep::SubmitPlan) => {
                Err("evidence is awaiting verification; wait for the auditor".into())
            }
        }
    }
}

/// When the plan and the closure are due, counted from the finalization of the assessment:
/// plan in 14 days (7 for critical), closure in 30 days (critical), 90 (major) or 365 (minor).
pub fn deadlines(severity: Severity, finalized_at: DateTime<Utc>) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let (plan_days, closure_days) = match severity {
        Severity::Critical => (7, 30),
        Severity::Major => (14, 90),
        Severity::Minor => (14, 365),
        _ => return None,
    };
    Some((finalized_at + Duration::days(plan_days), finalized_at + Duration::days(closure_days)))
}

/// Overdue: not verified by the closure date, or still without a plan after the plan date.
pub fn is_overdue(
    status: ActionStatus,
    plan_due: DateTime<Utc>,
    closure_due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    match status {
        ActionStatus::Verified => false,
        ActionStatus::Open => now > plan_due || now > closure_due,
        ActionStatus::PlanSubmitted | ActionStatus::EvidenceSubmitted => now > closure_due,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 10, 12, 0, 0).unwrap()
    }

    #[test]
    fn deadlines_follow_the_severity() {
        let d = |s| deadlines(s, t0()).map(|(p, c)| ((p - t0()).num_days(), (c - t0()).num_days()));
        assert_eq!(d(Severity::Critical), Some((7, 30)));
        assert_eq!(d(Severity::Major), Some((14, 90)));
        assert_eq!(d(Severity::Minor), Some((14, 365)));
        assert_eq!(d(Severity::Observation), None);
        assert_eq!(d(Severity::Conformant), None);
    }

    #[test]
    fn overdue_is_derived_from_the_clock() {
        let (plan, closure) = deadlines(Severity::Major, t0()).unwrap();
        let day = Duration::days(1);
        assert!(!is_overdue(ActionStatus::Open, plan, closure, plan));
        assert!(is_overdue(ActionStatus::Open, plan, closure, plan + day));
        assert!(!is_overdue(ActionStatus::PlanSubmitted, plan, closure, plan + day));
        assert!(is_overdue(ActionStatus::EvidenceSubmitted, plan, closure, closure + day));
        assert!(!is_overdue(ActionStatus::Verified, plan, closure, closure + day * 1000));
    }

    #[test]
    fn the_workflow_returns_to_open_on_rejection_and_ends_at_verified() {
        use ActionStatus::*;
        assert_eq!(Open.after(ActionStep::SubmitPlan), Ok(PlanSubmitted));
        assert_eq!(PlanSubmitted.after(ActionStep::SubmitEvidence), Ok(EvidenceSubmitted));
        assert_eq!(EvidenceSubmitted.after(ActionStep::Reject), Ok(Open));
        assert_eq!(EvidenceSubmitted.after(ActionStep::Verify), Ok(Verified));
        assert!(Open.after(ActionStep::Verify).is_err());
        assert!(Open.after(ActionStep::SubmitEvidence).is_err());
        for step in [ActionStep::SubmitPlan, ActionStep::SubmitEvidence, ActionStep::Verify, ActionStep::Reject] {
            assert!(Verified.after(step).is_err());
        }
    }
}
