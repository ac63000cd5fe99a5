//! The certificate lifecycle (domain.md §6, after ISO/IEC 17021-1): the states, which event may
//! move which state, the guards a certification decision must pass, and the dates a
//! certificate carries.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::agency::CertificationStatus;
use crate::domain::assessment::AssessmentKind;
use crate::domain::standard::Severity;

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
/// A surveillance audit counts for an anniversary at most this early.
pub const SURVEILLANCE_EARLY_MONTHS: u32 = 3;

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
    cycle_from(decided_at, decided_at)
}

/// A certificate valid from `valid_from` whose 3-year cycle starts at `cycle_start`; the
/// surveillance audits fall on the cycle's anniversaries.
fn cycle_from(valid_from: DateTime<Utc>, cycle_start: DateTime<Utc>) -> Period {
    Period {
        valid_from,
        valid_until: plus_months(cycle_start, VALIDITY_MONTHS),
        first_surveillance_due: plus_months(cycle_start, SURVEILLANCE_MONTHS),
    }
}

/// The dates of a certificate decided at `decided_at`, where `in_force_until` is the end of the
/// certificate the agency holds now, if it holds one. A recertification decided before expiry
/// starts the new cycle where the old one ends, so an agency that recertifies early loses no
/// time and gains none; otherwise the cycle starts at the decision.
pub fn period_after(decided_at: DateTime<Utc>, in_force_until: Option<DateTime<Utc>>) -> Period {
    match in_force_until {
        Some(until) if until > decided_at => cycle_from(decided_at, until),
        _ => period(decided_at),
    }
}

/// The next surveillance date once the one due at `due` is done.
pub fn following_surveillance(due: DateTime<Utc>) -> DateTime<Utc> {
    plus_months(due, SURVEILLANCE_MONTHS)
}

/// Whether a surveillance audit finalized at `finalized_at` satisfies the anniversary due at
/// `due`: it may come at most 3 months early (an audit on the day of certification is no
/// surveillance of the year to come), and late ones count (the sweep suspends past the grace).
pub fn satisfies_surveillance(due: DateTime<Utc>, finalized_at: DateTime<Utc>) -> bool {
    finalized_at >= minus_months(due, SURVEILLANCE_EARLY_MONTHS)
}

/// A licence with a validity end before `now`'s day has expired; one without an end date is
/// taken as valid (the registry records the end date where the authority publishes one).
pub fn licence_expired(valid_until: Option<NaiveDate>, now: DateTime<Utc>) -> bool {
    valid_until.is_some_and(|until| until < now.date_naive())
}

/// A corrective action for a grave finding: a critical finding, or a major one on a criterion
/// the standard flags as critical.
#[derive(Debug, Clone, PartialEq)]
pub struct GraveAction {
    pub criterion_code: String,
    pub severity: Severity,
    /// The body whose audit raised it: only that body's follow-up can clear it.
    pub body_id: String,
    /// When the audit that found it was finalized.
    pub found_at: DateTime<Utc>,
    pub verified_at: Option<DateTime<Utc>>,
}

/// A finalized follow-up or special audit and what it recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUpAudit {
    pub body_id: String,
    pub finalized_at: DateTime<Utc>,
    pub findings: BTreeMap<String, Severity>,
}

/// The grave findings not yet cleared, one sentence each. A grave finding is cleared only when
/// its corrective action is verified and a later follow-up or special audit by the same body
/// records the criterion as conformant or observation: a certificate must rest on an auditor
/// having seen the breach end, not on paper.
pub fn unresolved_grave_findings(actions: &[GraveAction], follow_ups: &[FollowUpAudit]) -> Vec<String> {
    let cleared = |a: &GraveAction| {
        a.verified_at.is_some_and(|verified| {
            follow_ups.iter().any(|f| {
                f.body_id == a.body_id
                    && f.finalized_at > verified
                    && matches!(f.findings.get(&a.criterion_code), Some(Severity::Conformant | Severity::Observation))
            })
        })
    };
    actions
        .iter()
        .filter(|a| !cleared(a))
        .map(|a| {
            let state = if a.verified_at.is_some() { "verified" } else { "not verified yet" };
            format!(
                "{} ({} finding of {}, corrective action {state}): a follow_up or special audit by the same body, \
                 after the corrective action is verified, must record it as conformant or observation",
                a.criterion_code,
                a.severity,
                day(a.found_at)
            )
        })
        .collect()
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
    /// The decider led the audit (same client, or the same person behind two clients, or a
    /// client of either without a `person_ref`, so that it cannot be shown they differ).
    pub decider_led_audit: bool,
    pub score: Option<f64>,
    pub minimum_score: f64,
    /// Major or critical corrective actions of the agency not yet verified.
    pub open_major_or_critical: usize,
    /// Minor corrective actions still without a plan.
    pub minors_without_plan: usize,
    /// Grave findings not cleared by a follow-up audit ([`unresolved_grave_findings`]).
    pub unresolved_grave: Vec<String>,
    /// The audit already supported a certification decision.
    pub audit_already_used: bool,
    /// Why the body's accreditation does not allow the decision, if it does not.
    pub accreditation_problem: Option<String>,
    pub licence_valid_until: Option<NaiveDate>,
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
    refusals.extend(f.unresolved_grave.iter().cloned());
    if f.audit_already_used {
        refusals.push("the audit already supported a certification decision; each audit supports one".into());
    }
    if let Some(problem) = &f.accreditation_problem {
        refusals.push(problem.clone());
    }
    if licence_expired(f.licence_valid_until, f.now) {
        refusals.push(licence_expiry_sentence(f.licence_valid_until));
    }
    refusals
}

fn licence_expiry_sentence(valid_until: Option<NaiveDate>) -> String {
    match valid_until {
        Some(until) => format!("the agency's licence expired on {until}"),
        None => "the agency's licence has expired".into(),
    }
}

/// Everything a reinstatement is judged on, gathered by the caller: whatever suspended the
/// certificate, it comes back only when no cause of suspension remains.
#[derive(Debug, Clone)]
pub struct ReinstateFacts {
    pub current: CertificationStatus,
    /// Major or critical corrective actions of the agency not yet verified.
    pub unverified_major_or_critical: usize,
    pub next_surveillance_due: DateTime<Utc>,
    pub unresolved_grave: Vec<String>,
    pub licence_valid_until: Option<NaiveDate>,
    pub now: DateTime<Utc>,
}

/// What stands in the way of reinstating a suspended certificate: each cause of suspension
/// still present, in words; empty when it may go ahead.
pub fn reinstate_refusals(f: &ReinstateFacts) -> Vec<String> {
    let mut refusals = Vec::new();
    if let Err(e) = next(f.current, Event::Reinstate) {
        refusals.push(e);
    }
    if f.unverified_major_or_critical > 0 {
        refusals.push(format!(
            "{} major or critical corrective action(s) are not verified",
            f.unverified_major_or_critical
        ));
    }
    refusals.extend(f.unresolved_grave.iter().cloned());
    if surveillance_overdue(f.next_surveillance_due, f.now) {
        refusals.push("the overdue surveillance audit has not been finalized".into());
    }
    if licence_expired(f.licence_valid_until, f.now) {
        refusals.push(format!("{}; record a valid licence first", licence_expiry_sentence(f.licence_valid_until)));
    }
    refusals
}

crate::domain::named_enum! {
    /// The rules the system applies by itself. The id is what an event row records in `rule`, so
    /// it must never change; it is also the serde name, so the API documents the same word.
    pub enum AutoRule {
        /// A finalized audit found a critical non-conformity in a certified agency.
        CriticalFinding,
        /// A major or critical corrective action passed its deadline unverified.
        OverdueCorrectiveAction,
        /// The surveillance audit is more than `SURVEILLANCE_GRACE_DAYS` late.
        SurveillanceOverdue,
        /// The agency's licence expired while it was certified.
        LicenceExpired,
        /// Suspended for `SUSPENSION_LIMIT_MONTHS` without the cause resolved.
        SuspendedSixMonths,
        /// `valid_until` passed without a recertification decision.
        CertificateExpired,
    }
}

impl AutoRule {
    /// The stable id recorded with every transition the rule makes.
    pub fn id(self) -> &'static str {
        self.into()
    }

    /// What the rule does to the certificate when it fires.
    pub fn event(self) -> Event {
        match self {
            AutoRule::CriticalFinding
            | AutoRule::OverdueCorrectiveAction
            | AutoRule::SurveillanceOverdue
            | AutoRule::LicenceExpired => Event::Suspend,
            AutoRule::SuspendedSixMonths => Event::Withdraw,
            AutoRule::CertificateExpired => Event::Expire,
        }
    }
}

/// An automatic transition that is due: which rule fires, the event it causes and the reason
/// recorded with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueTransition {
    pub rule: AutoRule,
    pub event: Event,
    pub reason: String,
}

/// The facts a rule fires on, each with what its reason names. Private: the public functions
/// build transitions through `fire`, so the reason texts are written there and nowhere else.
enum Cause<'a> {
    CriticalFinding { codes: &'a [String], kind: AssessmentKind },
    OverdueCorrectiveAction { overdue: usize },
    SurveillanceOverdue { due: DateTime<Utc> },
    LicenceExpired { valid_until: Option<NaiveDate> },
    SuspendedSixMonths { since: DateTime<Utc> },
    CertificateExpired { number: &'a str, valid_until: DateTime<Utc> },
}

/// Dates in reasons are UTC calendar days, as the events have always recorded them.
fn day(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

fn fire(cause: Cause<'_>) -> DueTransition {
    let (rule, reason) = match cause {
        Cause::CriticalFinding { codes, kind } => {
            (AutoRule::CriticalFinding, format!("critical finding on {} in a {} audit", codes.join(", "), kind))
        }
        Cause::OverdueCorrectiveAction { overdue } => {
            (AutoRule::OverdueCorrectiveAction, format!("{overdue} major or critical corrective action(s) overdue"))
        }
        Cause::SurveillanceOverdue { due } => (
            AutoRule::SurveillanceOverdue,
            format!("surveillance audit due {} is more than {SURVEILLANCE_GRACE_DAYS} days late", day(due)),
        ),
        Cause::LicenceExpired { valid_until } => {
            (AutoRule::LicenceExpired, format!("{} while certified", licence_expiry_sentence(valid_until)))
        }
        Cause::SuspendedSixMonths { since } => {
            (AutoRule::SuspendedSixMonths, format!("suspended since {} without the cause resolved", day(since)))
        }
        Cause::CertificateExpired { number, valid_until } => {
            (AutoRule::CertificateExpired, format!("certificate {number} expired on {}", day(valid_until)))
        }
    };
    DueTransition { rule, event: rule.event(), reason }
}

/// What the sweep knows of an agency with a certificate, gathered by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFacts {
    pub status: CertificationStatus,
    pub certificate_number: String,
    pub valid_until: DateTime<Utc>,
    pub next_surveillance_due: DateTime<Utc>,
    /// When the current suspension began; `None` when not suspended.
    pub suspended_at: Option<DateTime<Utc>>,
    /// Major or critical corrective actions past their deadline and unverified at `now`.
    pub overdue_major_or_critical: usize,
    pub licence_valid_until: Option<NaiveDate>,
}

/// The automatic transition due for an agency at `now`, if any. At most one fires per sweep,
/// in this order: expiry ends a certificate whatever else is wrong with it; a certified agency
/// is suspended for an expired licence, then for overdue actions, then for a late surveillance
/// (one reason is enough); a suspended one is withdrawn after six months. Each rule fires only in the state it leaves, so
/// sweeping again at once finds nothing new.
pub fn due_transition(facts: &CertificateFacts, now: DateTime<Utc>) -> Option<DueTransition> {
    use CertificationStatus::*;
    let cause = match facts.status {
        Certified | Suspended if expired(facts.valid_until, now) => {
            Cause::CertificateExpired { number: &facts.certificate_number, valid_until: facts.valid_until }
        }
        Certified if licence_expired(facts.licence_valid_until, now) => {
            Cause::LicenceExpired { valid_until: facts.licence_valid_until }
        }
        Certified if facts.overdue_major_or_critical > 0 => {
            Cause::OverdueCorrectiveAction { overdue: facts.overdue_major_or_critical }
        }
        Certified if surveillance_overdue(facts.next_surveillance_due, now) => {
            Cause::SurveillanceOverdue { due: facts.next_surveillance_due }
        }
        // Without a start date the six months cannot be counted; the sweep has always waited.
        Suspended => match facts.suspended_at {
            Some(since) if withdrawal_due(since, now) => Cause::SuspendedSixMonths { since },
            _ => return None,
        },
        _ => return None,
    };
    Some(fire(cause))
}

/// The transition a just-finalized audit causes: a critical finding suspends a certified agency
/// at once. Only a certified agency can be suspended, so any other state is left as it is.
pub fn on_audit_finalized(
    status: CertificationStatus,
    kind: AssessmentKind,
    critical_codes: &[String],
) -> Option<DueTransition> {
    if status != CertificationStatus::Certified || critical_codes.is_empty() {
        return None;
    }
    Some(fire(Cause::CriticalFinding { codes: critical_codes, kind }))
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
            unresolved_grave: Vec::new(),
            audit_already_used: false,
            accreditation_problem: None,
            licence_valid_until: Some(NaiveDate::from_ymd_opt(2027, 7, 15).unwrap()),
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
        assert!(refused(|f| f.audit_already_used = true)[0].contains("already supported"));
        assert!(refused(|f| f.accreditation_problem = Some("not accredited".into()))[0].contains("not accredited"));
        let expired = refused(|f| f.licence_valid_until = NaiveDate::from_ymd_opt(2026, 3, 31));
        assert_eq!(expired, vec!["the agency's licence expired on 2026-03-31".to_owned()]);
        assert!(refused(|f| f.licence_valid_until = None).is_empty(), "no end date on record is not an expiry");
        assert_eq!(refused(|f| f.unresolved_grave = vec!["C.1 ...".into()]), vec!["C.1 ...".to_owned()]);
        assert_eq!(
            refused(|f| {
                f.current = Certified;
                f.audit_kind = AssessmentKind::Recertification;
            }),
            Vec::<String>::new()
        );
    }

    #[test]
    fn reinstatement_needs_every_cause_resolved() {
        let base = ReinstateFacts {
            current: Suspended,
            unverified_major_or_critical: 0,
            next_surveillance_due: t(2027, 6, 1),
            unresolved_grave: Vec::new(),
            licence_valid_until: None,
            now: t(2027, 3, 1),
        };
        assert!(reinstate_refusals(&base).is_empty());
        let refused = |f: ReinstateFacts| reinstate_refusals(&f);
        // Not overdue yet, but not verified either: the cause is still there.
        assert_eq!(refused(ReinstateFacts { unverified_major_or_critical: 1, ..base.clone() }).len(), 1);
        assert_eq!(refused(ReinstateFacts { next_surveillance_due: t(2027, 1, 1), ..base.clone() }).len(), 1);
        assert_eq!(refused(ReinstateFacts { current: Certified, ..base.clone() }).len(), 1);
        assert_eq!(refused(ReinstateFacts { unresolved_grave: vec!["D.1 ...".into()], ..base.clone() }).len(), 1);
        let lapsed = refused(ReinstateFacts { licence_valid_until: NaiveDate::from_ymd_opt(2027, 2, 28), ..base });
        assert!(lapsed[0].contains("licence expired on 2027-02-28"), "{lapsed:?}");
    }

    #[test]
    fn a_recertification_before_expiry_continues_the_cycle() {
        let decided = t(2029, 1, 1);
        let early = period_after(decided, Some(t(2029, 1, 31)));
        assert_eq!(early.valid_from, decided);
        assert_eq!(early.valid_until, t(2032, 1, 31));
        assert_eq!(early.first_surveillance_due, t(2030, 1, 31));
        // Once expired, or without a certificate in force, the cycle starts at the decision.
        assert_eq!(period_after(decided, Some(t(2028, 12, 31))), period(decided));
        assert_eq!(period_after(decided, None), period(decided));
    }

    #[test]
    fn a_surveillance_audit_counts_at_most_three_months_early() {
        let due = t(2027, 6, 30);
        assert!(!satisfies_surveillance(due, t(2026, 6, 30)), "an audit on the day of certification");
        assert!(!satisfies_surveillance(due, t(2027, 3, 29)));
        assert!(satisfies_surveillance(due, t(2027, 3, 30)));
        assert!(satisfies_surveillance(due, t(2027, 8, 1)), "a late audit still counts");
    }

    #[test]
    fn a_grave_finding_is_cleared_only_by_a_later_follow_up_of_the_same_body() {
        let action = GraveAction {
            criterion_code: "C.1".into(),
            severity: Severity::Critical,
            body_id: "gea".into(),
            found_at: t(2026, 3, 1),
            verified_at: Some(t(2026, 3, 20)),
        };
        let follow_up = |body: &str, at, severity| FollowUpAudit {
            body_id: body.into(),
            finalized_at: at,
            findings: BTreeMap::from([("C.1".to_owned(), severity)]),
        };
        let open = |actions: &[GraveAction], audits: &[FollowUpAudit]| unresolved_grave_findings(actions, audits).len();
        let seen = follow_up("gea", t(2026, 4, 1), Severity::Conformant);
        assert_eq!(open(std::slice::from_ref(&action), std::slice::from_ref(&seen)), 0);
        assert_eq!(open(std::slice::from_ref(&action), &[follow_up("gea", t(2026, 4, 1), Severity::Observation)]), 0);
        assert_eq!(open(std::slice::from_ref(&action), &[]), 1, "paper alone does not clear it");
        assert_eq!(open(&[GraveAction { verified_at: None, ..action.clone() }], std::slice::from_ref(&seen)), 1);
        assert_eq!(open(std::slice::from_ref(&action), &[follow_up("other", t(2026, 4, 1), Severity::Conformant)]), 1);
        assert_eq!(open(std::slice::from_ref(&action), &[follow_up("gea", t(2026, 3, 19), Severity::Conformant)]), 1);
        assert_eq!(open(std::slice::from_ref(&action), &[follow_up("gea", t(2026, 4, 1), Severity::Minor)]), 1);
        let text = unresolved_grave_findings(&[action], &[]).remove(0);
        assert!(text.starts_with("C.1 (critical finding of 2026-03-01, corrective action verified)"), "{text}");
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

    fn on_certificate(status: CertificationStatus) -> CertificateFacts {
        CertificateFacts {
            status,
            certificate_number: "FH-2026-0A1B2C3D".into(),
            valid_until: t(2029, 1, 31),
            next_surveillance_due: t(2027, 1, 31),
            suspended_at: None,
            overdue_major_or_critical: 0,
            licence_valid_until: None,
        }
    }

    fn fired(d: Option<DueTransition>) -> Option<(AutoRule, Event, String)> {
        d.map(|d| (d.rule, d.event, d.reason))
    }

    /// Event rows and tests elsewhere compare these texts byte for byte.
    #[test]
    fn every_reason_text_is_pinned() {
        let f = on_certificate(Certified);
        assert_eq!(
            fired(due_transition(&f, t(2029, 1, 31))),
            Some((
                AutoRule::CertificateExpired,
                Event::Expire,
                "certificate FH-2026-0A1B2C3D expired on 2029-01-31".into()
            ))
        );
        let f = CertificateFacts { overdue_major_or_critical: 2, ..on_certificate(Certified) };
        assert_eq!(
            fired(due_transition(&f, t(2026, 6, 1))),
            Some((
                AutoRule::OverdueCorrectiveAction,
                Event::Suspend,
                "2 major or critical corrective action(s) overdue".into()
            ))
        );
        assert_eq!(
            fired(due_transition(&on_certificate(Certified), t(2027, 3, 3))),
            Some((
                AutoRule::SurveillanceOverdue,
                Event::Suspend,
                "surveillance audit due 2027-01-31 is more than 30 days late".into()
            ))
        );
        // An expired licence suspends before overdue actions or a late surveillance.
        let f = CertificateFacts {
            licence_valid_until: NaiveDate::from_ymd_opt(2026, 5, 31),
            overdue_major_or_critical: 1,
            ..on_certificate(Certified)
        };
        assert_eq!(
            fired(due_transition(&f, t(2026, 6, 1))),
            Some((
                AutoRule::LicenceExpired,
                Event::Suspend,
                "the agency's licence expired on 2026-05-31 while certified".into()
            ))
        );
        let f = CertificateFacts { suspended_at: Some(t(2027, 1, 1)), ..on_certificate(Suspended) };
        assert_eq!(
            fired(due_transition(&f, t(2027, 7, 1))),
            Some((
                AutoRule::SuspendedSixMonths,
                Event::Withdraw,
                "suspended since 2027-01-01 without the cause resolved".into()
            ))
        );
        let codes = ["C.1".to_string(), "D.2".to_string()];
        assert_eq!(
            fired(on_audit_finalized(Certified, AssessmentKind::Special, &codes)),
            Some((AutoRule::CriticalFinding, Event::Suspend, "critical finding on C.1, D.2 in a special audit".into()))
        );
        assert_eq!(
            on_audit_finalized(Certified, AssessmentKind::FollowUp, &codes[..1]).unwrap().reason,
            "critical finding on C.1 in a follow_up audit"
        );
        // Dates are UTC days even late in the evening.
        let late = Utc.with_ymd_and_hms(2029, 1, 31, 23, 30, 0).unwrap();
        let f = CertificateFacts { valid_until: late, ..on_certificate(Suspended) };
        assert_eq!(due_transition(&f, late).unwrap().reason, "certificate FH-2026-0A1B2C3D expired on 2029-01-31");
    }

    /// The ids are stored in event rows: they are the serde names and read back to the rule.
    #[test]
    fn rule_ids_are_their_wire_names() {
        let expected = [
            "critical_finding",
            "overdue_corrective_action",
            "surveillance_overdue",
            "licence_expired",
            "suspended_six_months",
            "certificate_expired",
        ];
        for (rule, id) in <AutoRule as strum::IntoEnumIterator>::iter().zip(expected) {
            assert_eq!(rule.id(), id);
            assert_eq!(serde_json::to_value(rule).unwrap(), serde_json::json!(id));
            assert_eq!(serde_json::from_value::<AutoRule>(serde_json::json!(id)).unwrap(), rule);
            assert_eq!(id.parse::<AutoRule>().ok(), Some(rule));
        }
        assert!("expired".parse::<AutoRule>().is_err());
    }

    /// The order `sweep()` has always applied, and the cases where it did nothing.
    #[test]
    fn the_sweep_order_is_kept() {
        let rule = |f: &CertificateFacts, now| due_transition(f, now).map(|d| d.rule);
        let both = CertificateFacts { overdue_major_or_critical: 1, ..on_certificate(Certified) };
        assert_eq!(rule(&both, t(2027, 6, 1)), Some(AutoRule::OverdueCorrectiveAction));
        assert_eq!(rule(&both, t(2029, 2, 1)), Some(AutoRule::CertificateExpired));
        let suspended = CertificateFacts { suspended_at: Some(t(2028, 10, 1)), ..both.clone() };
        let suspended = CertificateFacts { status: Suspended, ..suspended };
        assert_eq!(rule(&suspended, t(2029, 1, 30)), None, "overdue actions and surveillance only suspend");
        assert_eq!(rule(&suspended, t(2029, 1, 31)), Some(AutoRule::CertificateExpired));
        let no_date = on_certificate(Suspended);
        assert_eq!(rule(&no_date, t(2028, 12, 1)), None, "no suspension date, no six months");
        assert_eq!(rule(&on_certificate(Certified), t(2027, 3, 2)), None, "30 days of grace");
        assert_eq!(on_audit_finalized(Suspended, AssessmentKind::Special, &["C.1".into()]), None);
        assert_eq!(on_audit_finalized(Certified, AssessmentKind::Special, &[]), None);
    }

    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        // 2020 to 2040, to the second.
        (1_577_836_800i64..2_208_988_800).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
    }

    /// Seconds from `now`: mostly within a few years, with the boundaries the rules turn on.
    fn offset() -> impl Strategy<Value = i64> {
        const DAY: i64 = 86_400;
        prop_oneof![
            4 => -1_200 * DAY..1_200 * DAY,
            2 => -40 * DAY..40 * DAY,
            1 => Just(0i64),
            1 => Just(-SURVEILLANCE_GRACE_DAYS * DAY),
            1 => (-1i64..=1).prop_map(|s| -SURVEILLANCE_GRACE_DAYS * DAY + s),
        ]
    }

    prop_compose! {
        fn sweep_case()(
            status in proptest::sample::select(STATES.to_vec()),
            now in instant(),
            until in offset(),
            due in offset(),
            since in proptest::option::weighted(0.8, 0i64..400 * 86_400),
            overdue in prop_oneof![3 => Just(0usize), 1 => 1usize..5],
            licence in proptest::option::weighted(0.5, -30i64..3000),
        ) -> (CertificateFacts, DateTime<Utc>) {
            let facts = CertificateFacts {
                status,
                certificate_number: "FH-2030-DEADBEEF".into(),
                valid_until: now + Duration::seconds(until),
                next_surveillance_due: now + Duration::seconds(due),
                suspended_at: since.map(|s| now - Duration::seconds(s)),
                overdue_major_or_critical: overdue,
                licence_valid_until: licence.map(|days| (now + Duration::days(days)).date_naive()),
            };
            (facts, now)
        }
    }

    proptest! {
        /// The sweep never asks for a transition the lifecycle refuses, and each one names the
        /// event its rule stands for.
        #[test]
        fn a_due_transition_is_always_allowed((facts, now) in sweep_case()) {
            if let Some(d) = due_transition(&facts, now) {
                prop_assert!(next(facts.status, d.event).is_ok());
                prop_assert_eq!(d.event, d.rule.event());
                prop_assert_ne!(d.rule, AutoRule::CriticalFinding);
                prop_assert!(!d.reason.is_empty());
            }
        }

        #[test]
        fn nothing_is_due_outside_a_certificate((facts, now) in sweep_case()) {
            for status in [NeverCertified, Applicant, Withdrawn, Expired] {
                prop_assert_eq!(due_transition(&CertificateFacts { status, ..facts.clone() }, now), None);
            }
        }

        #[test]
        fn expiry_wins_and_only_when_due((facts, now) in sweep_case()) {
            let rule = due_transition(&facts, now).map(|d| d.rule);
            let live = matches!(facts.status, Certified | Suspended);
            prop_assert_eq!(
                rule == Some(AutoRule::CertificateExpired),
                live && now >= facts.valid_until
            );
        }

        /// Sweeping again at once, on the state the first sweep left (a suspension records its
        /// date), finds nothing; even on stale facts the same rule never fires twice in a row.
        #[test]
        fn the_sweep_is_idempotent((facts, now) in sweep_case()) {
            if let Some(d) = due_transition(&facts, now) {
                let status = next(facts.status, d.event).unwrap();
                let stale = CertificateFacts { status, ..facts.clone() };
                prop_assert_ne!(due_transition(&stale, now).map(|again| again.rule), Some(d.rule));
                let suspended_at = if d.event == Event::Suspend { Some(now) } else { facts.suspended_at };
                let after = CertificateFacts { suspended_at, ..stale };
                prop_assert_eq!(due_transition(&after, now), None);
            }
        }

        #[test]
        fn a_certificate_in_order_has_nothing_due((facts, now) in sweep_case()) {
            let f = CertificateFacts { status: Certified, overdue_major_or_critical: 0, ..facts };
            let in_order = !expired(f.valid_until, now)
                && !surveillance_overdue(f.next_surveillance_due, now)
                && !licence_expired(f.licence_valid_until, now);
            prop_assert_eq!(due_transition(&f, now).is_none(), in_order);
        }

        #[test]
        fn a_critical_finding_suspends_only_a_certified_agency(
            status in proptest::sample::select(STATES.to_vec()),
            kind in proptest::sample::select(vec![
                AssessmentKind::SelfAssessment, AssessmentKind::Stage1, AssessmentKind::Stage2,
                AssessmentKind::Surveillance, AssessmentKind::Recertification, AssessmentKind::Special,
                AssessmentKind::FollowUp,
            ]),
            codes in proptest::collection::vec("[A-H]\\.[1-9]", 0..4),
        ) {
            match on_audit_finalized(status, kind, &codes) {
                Some(d) => {
                    prop_assert!(status == Certified && !codes.is_empty());
                    prop_assert_eq!(d.rule, AutoRule::CriticalFinding);
                    prop_assert_eq!(next(status, d.event), Ok(Suspended));
                    prop_assert!(codes.iter().all(|c| d.reason.contains(c.as_str())));
                }
                None => prop_assert!(status != Certified || codes.is_empty()),
            }
        }
    }
}
