//! The certificate lifecycle (domain.md §6, after ISO/IEC 17021-1): the states, which event may
//! move which state, the guards a certification decision must pass, and the dates a
//! certificate carries.

use chrono::{DateTime, Duration, Months, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::agency::CertificationStatus;
use crate::domain::assessment::AssessmentKind;

/// What can happen to an agency's certification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// An application to a certification body.
    Apply,
    /// A certification (or recertification) decision.
    Certify,
    Suspend,
    /// The cause of a suspension is resolved; the original expiry stands.
    Reinstate,
    Withdraw,
    /// `valid_until` passed without a recertification decision.
    Expire,
}

/// The state after `event`, or why the event is not allowed in `from`.
pub fn next(from: CertificationStatus, event: Event) -> Result<CertificationStatus, String> {
    use CertificationStatus::*;
    let to = match (from, event) {
        (NeverCertified | Applicant | Withdrawn | Expired, Event::Apply) => Applicant,
        (Applicant | Certified, Event::Certify) => Certified,
        (Certified, Event::Suspend) => Suspended,
        (Suspended, Event::Reinstate) => Certified,
        (Certified | Suspended, Event::Withdraw) => Withdrawn,
        (Certified | Suspended, Event::Expire) => Expired,
        (from, event) => {
            let hint = match (from, event) {
                (NeverCertified | Withdrawn | Expired, Event::Certify) => "; the agency must apply first",
                (Suspended, Event::Certify) => "; reinstate it instead",
                (Certified | Suspended, Event::Apply) => "; it is already in a certification cycle",
                _ => "",
            };
            return Err(format!("an agency that is {} cannot be {}{hint}", from.as_str(), past_tense(event)));
        }
    };
    Ok(to)
}

fn past_tense(event: Event) -> &'static str {
    match event {
        Event::Apply => "an applicant again",
        Event::Certify => "certified",
        Event::Suspend => "suspended",
        Event::Reinstate => "reinstated",
        Event::Withdraw => "withdrawn",
        Event::Expire => "expired",
    }
}

/// How long a certificate is valid.
pub const VALIDITY_MONTHS: u32 = 36;
/// Surveillance audits are due every 12 months.
pub const SURVEILLANCE_MONTHS: u32 = 12;
/// A surveillance audit more than this late suspends the certificate.
pub const SURVEILLANCE_GRACE_DAYS: i64 = 30;
/// A certificate suspended this long is withdrawn.
pub const SUSPENSION_LIMIT_MONTHS: u32 = 6;
/// A certification decision needs an audit finalized this recently.
pub const AUDIT_RECENCY_MONTHS: u32 = 6;
/// A deferred application has this long to be completed before it lapses.
pub const DEFERRAL_DAYS: i64 = 60;

fn plus_months(at: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    at.checked_add_months(Months::new(months)).unwrap_or(at)
}

fn minus_months(at: DateTime<Utc>, months: u32) -> DateTime<Utc> {
    at.checked_sub_months(Months::new(months)).unwrap_or(at)
}

/// The dates of a certificate decided at `decided_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub first_surveillance_due: DateTime<Utc>,
}

pub fn period(decided_at: DateTime<Utc>) -> Period {
    Period {
        valid_from: decided_at,
        valid_until: plus_months(decided_at, VALIDITY_MONTHS),
        first_surveillance_due: plus_months(decided_at, SURVEILLANCE_MONTHS),
    }
}

/// The next surveillance date once the one due at `due` is done.
pub fn following_surveillance(due: DateTime<Utc>) -> DateTime<Utc> {
    plus_months(due, SURVEILLANCE_MONTHS)
}

pub fn surveillance_overdue(next_due: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now > next_due + Duration::days(SURVEILLANCE_GRACE_DAYS)
}

pub fn withdrawal_due(suspended_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= plus_months(suspended_at, SUSPENSION_LIMIT_MONTHS)
}

pub fn expired(valid_until: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= valid_until
}

/// Everything a certification decision is judged on, gathered by the caller.
#[derive(Debug, Clone)]
pub struct CertifyFacts {
    pub current: CertificationStatus,
    pub audit_kind: AssessmentKind,
    pub audit_finalized_at: Option<DateTime<Utc>>,
    /// The audit was carried out by the decider's certification body.
    pub audit_by_deciders_body: bool,
    /// The decider led the audit (same client, or the same person behind two clients).
    pub decider_led_audit: bool,
    pub score: Option<f64>,
    pub minimum_score: f64,
    /// Major or critical corrective actions of the agency not yet verified.
    pub open_major_or_critical: usize,
    /// Minor corrective actions still without a plan.
    pub minors_without_plan: usize,
    pub now: DateTime<Utc>,
}

/// Every guard the decision fails, in words; empty when it may go ahead.
pub fn certify_refusals(f: &CertifyFacts) -> Vec<String> {
    let mut refusals = Vec::new();
    if let Err(e) = next(f.current, Event::Certify) {
        refusals.push(e);
    }
    if !matches!(f.audit_kind, AssessmentKind::Stage2 | AssessmentKind::Recertification) {
        refusals.push("the decision must rest on a stage-2 or recertification audit".into());
    }
    if f.current == CertificationStatus::Certified && f.audit_kind != AssessmentKind::Recertification {
        refusals.push("a certified agency is certified again only on a recertification audit".into());
    }
    match f.audit_finalized_at {
        None => refusals.push("the audit is not finalized".into()),
        Some(at) if at < minus_months(f.now, AUDIT_RECENCY_MONTHS) => {
            refusals.push("the audit was finalized more than 6 months ago".into())
        }
        Some(_) => {}
    }
    if !f.audit_by_deciders_body {
        refusals.push("the audit was not carried out by your certification body".into());
    }
    if f.decider_led_audit {
        refusals.push("four-eyes rule: you may not decide on an audit you led".into());
    }
    match f.score {
        Some(score) if score >= f.minimum_score => {}
        Some(score) => refusals.push(format!("the score {score} is below the minimum {}", f.minimum_score)),
        None => refusals.push("the audit has no score".into()),
    }
    if f.open_major_or_critical > 0 {
        refusals.push(format!("{} major or critical corrective action(s) are not verified", f.open_major_or_critical));
    }
    if f.minors_without_plan > 0 {
        refusals.push(format!("{} minor corrective action(s) have no plan yet", f.minors_without_plan));
    }
    refusals
}

/// What stands in the way of reinstating a suspended certificate.
pub fn reinstate_refusals(
    current: CertificationStatus,
    overdue_major_or_critical: usize,
    next_surveillance_due: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<String> {
    let mut refusals = Vec::new();
    if let Err(e) = next(current, Event::Reinstate) {
        refusals.push(e);
    }
    if overdue_major_or_critical > 0 {
        refusals.push(format!("{overdue_major_or_critical} major or critical corrective action(s) are still overdue"));
    }
    if surveillance_overdue(next_surveillance_due, now) {
        refusals.push("the overdue surveillance audit has not been done".into());
    }
    refusals
}

#[cfg(test)]
mod tests {
    use super::*;
    use CertificationStatus::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    const STATES: [CertificationStatus; 6] = [NeverCertified, Applicant, Certified, Suspended, Withdrawn, Expired];
    const EVENTS: [Event; 6] =
        [Event::Apply, Event::Certify, Event::Suspend, Event::Reinstate, Event::Withdraw, Event::Expire];

    fn t(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 12, 0, 0).unwrap()
    }

    #[test]
    fn the_cycle_of_domain_md_section_6() {
        assert_eq!(next(NeverCertified, Event::Apply), Ok(Applicant));
        assert_eq!(next(Applicant, Event::Certify), Ok(Certified));
        assert_eq!(next(Certified, Event::Suspend), Ok(Suspended));
        assert_eq!(next(Suspended, Event::Reinstate), Ok(Certified));
        assert_eq!(next(Suspended, Event::Withdraw), Ok(Withdrawn));
        assert_eq!(next(Certified, Event::Expire), Ok(Expired));
        assert_eq!(next(Withdrawn, Event::Apply), Ok(Applicant));
        assert_eq!(next(Expired, Event::Apply), Ok(Applicant));
        assert!(next(NeverCertified, Event::Certify).unwrap_err().contains("apply first"));
        assert!(next(Suspended, Event::Certify).is_err());
        assert!(next(Applicant, Event::Suspend).is_err());
        assert!(next(Withdrawn, Event::Reinstate).is_err());
        assert!(next(Expired, Event::Expire).is_err());
    }

    #[test]
    fn a_certificate_runs_three_years_with_yearly_surveillance() {
        let p = period(t(2026, 1, 31));
        assert_eq!(p.valid_until, t(2029, 1, 31));
        assert_eq!(p.first_surveillance_due, t(2027, 1, 31));
        assert_eq!(following_surveillance(p.first_surveillance_due), t(2028, 1, 31));
        assert!(!surveillance_overdue(t(2027, 1, 31), t(2027, 3, 2)));
        assert!(surveillance_overdue(t(2027, 1, 31), t(2027, 3, 3)));
        assert!(!withdrawal_due(t(2027, 1, 1), t(2027, 6, 30)));
        assert!(withdrawal_due(t(2027, 1, 1), t(2027, 7, 1)));
        assert!(expired(p.valid_until, p.valid_until));
    }

    fn facts() -> CertifyFacts {
        CertifyFacts {
            current: Applicant,
            audit_kind: AssessmentKind::Stage2,
            audit_finalized_at: Some(t(2026, 3, 1)),
            audit_by_deciders_body: true,
            decider_led_audit: false,
            score: Some(80.0),
            minimum_score: 75.0,
            open_major_or_critical: 0,
            minors_without_plan: 0,
            now: t(2026, 4, 1),
        }
    }

    #[test]
    fn every_guard_of_a_certification_decision_is_enforced() {
        assert_eq!(certify_refusals(&facts()), Vec::<String>::new());
        let refused = |change: fn(&mut CertifyFacts)| {
            let mut f = facts();
            change(&mut f);
            certify_refusals(&f)
        };
        assert!(refused(|f| f.decider_led_audit = true)[0].contains("four-eyes"));
        assert!(refused(|f| f.audit_kind = AssessmentKind::Stage1)[0].contains("stage-2"));
        assert!(refused(|f| f.now = t(2026, 9, 2))[0].contains("6 months"));
        assert!(refused(|f| f.score = Some(74.99))[0].contains("below the minimum"));
        assert!(refused(|f| f.open_major_or_critical = 1)[0].contains("major or critical"));
        assert!(refused(|f| f.minors_without_plan = 2)[0].contains("no plan"));
        assert!(refused(|f| f.audit_by_deciders_body = false)[0].contains("your certification body"));
        assert!(refused(|f| f.current = NeverCertified)[0].contains("apply first"));
        assert!(refused(|f| f.current = Certified).iter().any(|r| r.contains("recertification")));
        assert_eq!(
            refused(|f| {
                f.current = Certified;
                f.audit_kind = AssessmentKind::Recertification;
            }),
            Vec::<String>::new()
        );
    }

    #[test]
    fn reinstatement_needs_the_cause_resolved() {
        let now = t(2027, 3, 1);
        assert!(reinstate_refusals(Suspended, 0, t(2027, 6, 1), now).is_empty());
        assert_eq!(reinstate_refusals(Suspended, 1, t(2027, 6, 1), now).len(), 1);
        assert_eq!(reinstate_refusals(Suspended, 0, t(2027, 1, 1), now).len(), 1);
        assert_eq!(reinstate_refusals(Certified, 0, t(2027, 6, 1), now).len(), 1);
    }

    proptest! {
        /// No sequence of events leads outside the six states, and every refused event leaves
        /// the state as it was; withdrawn and expired agencies can always start again.
        #[test]
        fn no_sequence_of_events_reaches_an_undefined_state(events in proptest::collection::vec(0usize..6, 0..60)) {
            let mut state = NeverCertified;
            for i in events {
                let event = EVENTS[i];
                match next(state, event) {
                    Ok(to) => {
                        prop_assert!(STATES.contains(&to));
                        if event == Event::Certify || event == Event::Reinstate {
                            prop_assert_eq!(to, Certified);
                        }
                        state = to;
                    }
                    Err(reason) => prop_assert!(!reason.is_empty()),
                }
            }
            if matches!(state, Withdrawn | Expired) {
                prop_assert_eq!(next(state, Event::Apply), Ok(Applicant));
            }
        }
    }
}
