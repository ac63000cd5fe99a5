//! Stories: where each agency's story takes it, and how it is told through the certification
//! cycle.

use chrono::Months;
use rand::Rng;
use rand::seq::SliceRandom;

use crate::db::DbConnection;
use crate::domain::assessment::AssessmentKind;
use crate::domain::certification::{self as rules, AutoRule};
use crate::domain::certification_body::ApplicationStatus;
use crate::domain::corrective::deadlines;
use crate::domain::review::ReviewOutcome;
use crate::domain::roles::Role;
use crate::domain::standard::Severity;
use crate::error::AppResult;
use crate::seed::audits::{AuditSpec, Profile, Reach, Stop};
use crate::seed::origins::country_name;
use crate::seed::registry::DemoAgency;
use crate::seed::{Seeder, Time, days, internal, months_before};
use crate::services;
use crate::services::applications::{ApplicationInput, Decision, DecisionInput};
use crate::services::clients::ClientInput;
use crate::store;
use crate::store::assessments::AssessmentRow;

/// Where an agency's story takes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Story {
    NeverCertified,
    Pending,
    Deferred { lapsed: bool },
    InStage1 { submitted: bool },
    InStage2 { submitted: bool },
    FailedStage2,
    Certified,
    SuspendedCritical,
    SuspendedOverdueMajor,
    SuspendedSurveillanceOverdue,
    WithdrawnCritical,
    WithdrawnOverdueMajor,
    WithdrawnSurveillanceOverdue,
    Expired { recertification_started: bool },
}

/// How many agencies tell each story (300 in all): about 25 % never certified, 15 % applicants,
/// 35 % certified, 8 % suspended, 7 % withdrawn, 10 % expired.
const STORIES: &[(Story, usize)] = &[
    (Story::NeverCertified, 75),
    (Story::Pending, 8),
    (Story::Deferred { lapsed: false }, 4),
    (Story::Deferred { lapsed: true }, 2),
    (Story::InStage1 { submitted: false }, 6),
    (Story::InStage1 { submitted: true }, 6),
    (Story::InStage2 { submitted: false }, 5),
    (Story::InStage2 { submitted: true }, 5),
    (Story::FailedStage2, 9),
    (Story::Certified, 105),
    (Story::SuspendedCritical, 10),
    (Story::SuspendedOverdueMajor, 10),
    (Story::SuspendedSurveillanceOverdue, 4),
    (Story::WithdrawnCritical, 9),
    (Story::WithdrawnOverdueMajor, 7),
    (Story::WithdrawnSurveillanceOverdue, 5),
    (Story::Expired { recertification_started: false }, 22),
    (Story::Expired { recertification_started: true }, 8),
];

/// Agencies that also file a self-assessment, per story.
const SELF_ASSESSMENTS: &[(Story, usize)] = &[(Story::NeverCertified, 3), (Story::Pending, 1), (Story::Certified, 2)];

/// The dates of the way to a first certificate, planned backwards from the decision.
struct Track {
    applied: Time,
    stage1: Time,
    stage2: Time,
    target: Time,
}

impl Seeder {
    /// Which agency tells which story (and which ones also assess themselves).
    pub(super) fn stories(&mut self, count: usize) -> Vec<(Story, bool)> {
        let mut stories: Vec<Story> = STORIES.iter().flat_map(|(s, n)| std::iter::repeat_n(*s, *n)).collect();
        stories.resize(count, Story::NeverCertified);
        stories.shuffle(&mut self.rng);
        let mut left: Vec<(Story, usize)> = SELF_ASSESSMENTS.to_vec();
        stories
            .into_iter()
            .map(|story| {
                let own = left.iter_mut().find(|(s, n)| *s == story && *n > 0);
                let self_assessment = own.map(|(_, n)| *n -= 1).is_some();
                (story, self_assessment)
            })
            .collect()
    }

    // --- the stories ---------------------------------------------------------------------------

    pub(super) fn tell(
        &mut self,
        c: &mut DbConnection,
        mut a: DemoAgency,
        (story, self_assessment): (Story, bool),
    ) -> AppResult<()> {
        a.self_assessment = self_assessment;
        let body = self.body_for(&a);
        let now = self.now;
        match story {
            Story::NeverCertified => {
                let assessed = self.days_ago(5, 300);
                let created = if a.self_assessment { self.before(assessed, 60, 700) } else { self.days_ago(3, 1400) };
                self.register(c, &mut a, created)?;
                if a.self_assessment {
                    self.self_assessment(c, &mut a, assessed)?;
                }
            }
            Story::Pending => {
                let applied = self.days_ago(2, 40);
                self.begin(c, &mut a, applied)?;
                self.apply(c, &a, body, applied, ApplicationStatus::Pending)?;
            }
            Story::Deferred { lapsed } => {
                let applied = if lapsed { self.days_ago(90, 150) } else { self.days_ago(15, 50) };
                self.begin(c, &mut a, applied)?;
                self.apply(c, &a, body, applied, ApplicationStatus::Deferred)?;
            }
            Story::InStage1 { submitted } => {
                let applied = self.days_ago(25, 90);
                self.begin(c, &mut a, applied)?;
                let accepted = self.apply(c, &a, body, applied, ApplicationStatus::Accepted)?;
                let at = self.after(accepted, 10, 40);
                let at = self.in_past(at);
                let stop = if submitted { Stop::Submitted } else { Stop::Draft };
                self.audit(c, &a, AuditSpec::of(body, AssessmentKind::Stage1, Profile::Stage1, at, stop))?;
            }
            Story::InStage2 { submitted } => {
                let applied = self.days_ago(100, 220);
                self.begin(c, &mut a, applied)?;
                let accepted = self.apply(c, &a, body, applied, ApplicationStatus::Accepted)?;
                let at = self.after(accepted, 15, 40);
                let stage1 = self.audit(
                    c,
                    &a,
                    AuditSpec::of(body, AssessmentKind::Stage1, Profile::Stage1, at, Stop::Finalized),
                )?;
                self.follow_up(c, &a, &stage1, now, Reach::Verified, Reach::Verified)?;
                let at = self.after(at, 30, 70);
                let at = self.in_past(at);
                let stop = if submitted { Stop::Submitted } else { Stop::Draft };
                self.audit(c, &a, AuditSpec::of(body, AssessmentKind::Stage2, Profile::Pass, at, stop))?;
            }
            Story::FailedStage2 => {
                let applied = self.days_ago(150, 420);
                self.begin(c, &mut a, applied)?;
                let accepted = self.apply(c, &a, body, applied, ApplicationStatus::Accepted)?;
                let at = self.after(accepted, 15, 40);
                let stage1 = self.audit(
                    c,
                    &a,
                    AuditSpec::of(body, AssessmentKind::Stage1, Profile::Stage1, at, Stop::Finalized),
                )?;
                self.follow_up(c, &a, &stage1, now, Reach::Verified, Reach::Verified)?;
                let at = self.after(at, 30, 60);
                let at = self.in_past(at);
                let stage2 =
                    self.audit(c, &a, AuditSpec::of(body, AssessmentKind::Stage2, Profile::Weak, at, Stop::Finalized))?;
                self.follow_up(c, &a, &stage2, now, Reach::Verified, Reach::Verified)?;
            }
            Story::Certified => {
                let target = self.days_ago(260, 800);
                let certified = self.certification(c, &mut a, body, target, now)?;
                self.surveillances(c, &a, body, certified, now, usize::MAX, now)?;
            }
            Story::SuspendedCritical => {
                // Certified, then a short-notice audit after a worker's grievance finds a
                // critical breach: finalizing it suspends the certificate at once.
                let target = self.days_ago(250, 800);
                let found = self.days_ago(10, 170);
                let certified = self.certification(c, &mut a, body, target, now)?;
                self.surveillances(c, &a, body, certified, found, usize::MAX, now)?;
                self.critical_audit(c, &a, body, found, now)?;
            }
            Story::SuspendedOverdueMajor => {
                // A surveillance audit some months ago found major nonconformities that are still
                // not verified: the final sweep suspends the certificate.
                let k: u32 = self.rng.gen_range(1..=2);
                let due = self.days_ago(100, 150);
                let target = months_before(due, 12 * k);
                let certified = self.certification(c, &mut a, body, target, now)?;
                let reach = self.pick(&[Reach::Plan, Reach::Evidence]);
                self.overdue_major_audit(c, &a, body, certified, k, (95, 110), reach, now)?;
            }
            Story::SuspendedSurveillanceOverdue => {
                // No surveillance audit in the first year: the final sweep suspends.
                let target = {
                    let t = self.days_ago(110, 170);
                    months_before(t, 12)
                };
                self.certification(c, &mut a, body, target, now)?;
            }
            Story::WithdrawnCritical => {
                let target = self.days_ago(420, 850);
                let found = self.days_ago(195, 330);
                let certified = self.certification(c, &mut a, body, target, found)?;
                self.surveillances(c, &a, body, certified, found, usize::MAX, found)?;
                self.critical_audit(c, &a, body, found, found + days(45))?;
            }
            Story::WithdrawnOverdueMajor => {
                let due = self.days_ago(310, 400);
                let target = months_before(due, 12);
                let certified = self.certification(c, &mut a, body, target, due)?;
                let audit = self.overdue_major_audit(c, &a, body, certified, 1, (300, 330), Reach::Plan, now)?;
                // What the sweeper did the day after the closure deadline passed.
                let finalized = audit.finalized_at.ok_or_else(|| internal("audit not finalized"))?;
                let (_, closure_due) = deadlines(Severity::Major, finalized).ok_or_else(|| internal("no deadline"))?;
                let at = self.after(closure_due, 1, 1);
                self.sweep_agency(c, &a, at, AutoRule::OverdueCorrectiveAction)?;
            }
            Story::WithdrawnSurveillanceOverdue => {
                let target = {
                    let t = self.days_ago(280, 420);
                    months_before(t, 12)
                };
                let horizon = target + days(400);
                let certified = self.certification(c, &mut a, body, target, horizon)?;
                // What the sweeper did once the first surveillance audit was 30 days late.
                let due = rules::period(certified).first_surveillance_due;
                let at = self.after(due, 31, 31);
                self.sweep_agency(c, &a, at, AutoRule::SurveillanceOverdue)?;
            }
            Story::Expired { recertification_started } => {
                let target = {
                    let t = self.days_ago(70, 180);
                    months_before(t, rules::VALIDITY_MONTHS)
                };
                let horizon = target.checked_add_months(Months::new(rules::VALIDITY_MONTHS)).unwrap_or(now).min(now);
                let certified = self.certification(c, &mut a, body, target, horizon)?;
                let valid_until = rules::period(certified).valid_until;
                self.surveillances(c, &a, body, certified, valid_until - days(45), usize::MAX, horizon)?;
                if recertification_started {
                    let at = self.before(valid_until, 10, 40);
                    let spec = AuditSpec::of(body, AssessmentKind::Recertification, Profile::Pass, at, Stop::Draft);
                    self.audit(c, &a, spec)?;
                }
            }
        }
        Ok(())
    }

    /// Registers an agency whose first step in the cycle is at `first` (after its
    /// self-assessment, when it files one).
    fn begin(&mut self, c: &mut DbConnection, a: &mut DemoAgency, first: Time) -> AppResult<()> {
        let assessed = self.before(first, 20, 90);
        let start = if a.self_assessment { assessed } else { first };
        let created = self.before(start, 45, 700);
        self.register(c, a, created)?;
        if a.self_assessment {
            self.self_assessment(c, a, assessed)?;
        }
        Ok(())
    }

    /// The agency gets its own client and assesses itself against the standard.
    fn self_assessment(&mut self, c: &mut DbConnection, a: &mut DemoAgency, at: Time) -> AppResult<()> {
        let joined = self.before(at, 10, 40);
        let name: String = a.input.legal_name.chars().take(80).collect();
        let client = self.new_client(
            c,
            ClientInput {
                name: format!("{name} (demo)"),
                role: Role::Agency,
                certification_body_id: None,
                agency_id: Some(a.id.clone()),
                person_ref: None,
            },
            joined,
        )?;
        a.own_client = Some(client);
        let spec = AuditSpec {
            body: None,
            kind: AssessmentKind::SelfAssessment,
            profile: Profile::SelfAssessment,
            at,
            stop: Stop::Finalized,
            forced: &[],
        };
        self.audit(c, a, spec)?;
        Ok(())
    }

    /// What the sweeper did to this agency at `at`: the rules the service applies, which must be
    /// the one the story expects.
    fn sweep_agency(&mut self, c: &mut DbConnection, a: &DemoAgency, at: Time, expected: AutoRule) -> AppResult<()> {
        let applied = services::certification::apply_rules_to(c, &a.id, at)?;
        match applied {
            Some(due) if due.rule == expected => Ok(()),
            other => Err(internal(format!(
                "{}: expected {expected:?} at {at}, the rules gave {other:?}",
                a.input.legal_name
            ))),
        }
    }

    /// Applies to the body at `at`; returns when the body decided (or `at` while pending).
    fn apply(
        &mut self,
        c: &mut DbConnection,
        a: &DemoAgency,
        body: usize,
        at: Time,
        outcome: ApplicationStatus,
    ) -> AppResult<Time> {
        let decided = match outcome {
            ApplicationStatus::Pending => None,
            _ => {
                let t = self.after(at, 2, 12);
                Some(self.in_past(t))
            }
        };
        let reason = match outcome {
            ApplicationStatus::Deferred => {
                let destination = country_name(&a.input.destination_countries[0]);
                Some(match self.rng.gen_range(0..4) {
                    0 => "Send the renewed licence and the list of sub-agents.".to_owned(),
                    1 => {
                        format!("Send the agreements with employer-clients in {destination} before the stage-1 review.")
                    }
                    2 => "The grievance procedure in workers' languages was not attached.".to_owned(),
                    _ => "Send the price list showing who pays each recruitment cost.".to_owned(),
                })
            }
            _ => None,
        };
        let b = &self.bodies[body];
        let (certifier, body_id) = (b.certifier.clone(), b.id.clone());
        let applicant = a.own_client.clone().unwrap_or_else(|| certifier.clone());
        let input = ApplicationInput { certification_body_id: body_id };
        let application = services::applications::apply(c, &applicant, &a.id, input, at)?;
        self.tally.applications += 1;
        if let Some(decided) = decided {
            let decision = match outcome {
                ApplicationStatus::Deferred => Decision::Defer,
                ApplicationStatus::Rejected => Decision::Reject,
                _ => Decision::Accept,
            };
            let input = DecisionInput { decision, reason };
            services::applications::decide(c, &certifier, &application.id, input, decided)?;
        }
        Ok(decided.unwrap_or(at))
    }

    fn plan_track(&mut self, target: Time) -> Track {
        let stage2 = self.before(target, 12, 40);
        let stage1 = self.before(stage2, 30, 75);
        let applied = self.before(stage1, 20, 70);
        Track { applied, stage1, stage2, target }
    }

    /// Application, stage 1, stage 2 and the certification decision, aiming at `target`
    /// (later if corrective actions take longer). Returns when the agency was certified.
    fn certification(
        &mut self,
        c: &mut DbConnection,
        a: &mut DemoAgency,
        body: usize,
        target: Time,
        horizon: Time,
    ) -> AppResult<Time> {
        let track = self.plan_track(target);
        self.begin(c, a, track.applied)?;
        self.apply(c, a, body, track.applied, ApplicationStatus::Accepted)?;
        let spec = AuditSpec::of(body, AssessmentKind::Stage1, Profile::Stage1, track.stage1, Stop::Finalized);
        let stage1 = self.audit(c, a, spec)?;
        let ready1 = self.follow_up(c, a, &stage1, horizon, Reach::Verified, Reach::Verified)?;
        let spec = AuditSpec::of(body, AssessmentKind::Stage2, Profile::Pass, track.stage2, Stop::Finalized);
        let stage2 = self.audit(c, a, spec)?;
        let ready2 = self.follow_up(c, a, &stage2, horizon, Reach::Verified, Reach::Verified)?;
        let ready = ready1.zip(ready2).map(|(x, y)| x.max(y)).ok_or_else(|| {
            internal(format!("corrective actions of {} not closed before its certification", a.input.legal_name))
        })?;
        let ready = self.after(ready, 1, 6);
        let at = track.target.max(ready);
        let decider = self.bodies[body].certifier.clone();
        let filter = store::corrective_actions::Filter { assessment_id: Some(stage2.id.clone()), ..Default::default() };
        let actions = store::corrective_actions::page(c, &filter, None, 1000)?;
        let majors = actions.iter().filter(|x| x.severity == Severity::Major).count();
        let minors = actions.iter().filter(|x| x.severity == Severity::Minor).count();
        let actions = match (majors, minors) {
            (0, 0) => "no corrective action needed".to_owned(),
            (0, m) => format!("{m} minor finding(s) with a plan"),
            (n, 0) => format!("{n} major finding(s) closed and verified"),
            (n, m) => format!("{n} major finding(s) closed and verified, {m} minor finding(s) with a plan"),
        };
        let reason = format!(
            "Stage-2 audit of {}: score {:.2}, grade {}; {actions}.",
            track.stage2.format("%Y-%m-%d"),
            stage2.overall_score.unwrap_or_default(),
            stage2.grade.map(|g| g.as_str()).unwrap_or("-"),
        );
        let reviewer = self.bodies[body].reviewer.clone();
        let review = services::reviews::AuditReviewInput {
            outcome: ReviewOutcome::Agree,
            reasons: Some("Findings, evidence and corrective actions support the decision.".into()),
        };
        services::reviews::review_audit(c, &reviewer, &stage2.id, review, at)?;
        services::certification::certify(c, &decider, &a.id, &stage2.id, &reason, at)?;
        Ok(at)
    }

    /// The yearly surveillance audits of a certificate issued at `certified`, each finalized a few
    /// weeks before it is due, while they fall before `until` (at most `limit` of them).
    #[allow(clippy::too_many_arguments)]
    fn surveillances(
        &mut self,
        c: &mut DbConnection,
        a: &DemoAgency,
        body: usize,
        certified: Time,
        until: Time,
        limit: usize,
        horizon: Time,
    ) -> AppResult<usize> {
        let period = rules::period(certified);
        let mut due = period.first_surveillance_due;
        let mut done = 0;
        while due < period.valid_until && done < limit {
            let at = self.before(due, 5, 40);
            if at >= until || at >= self.now {
                break;
            }
            let spec = AuditSpec::of(body, AssessmentKind::Surveillance, Profile::Pass, at, Stop::Finalized);
            let audit = self.audit(c, a, spec)?;
            self.follow_up(c, a, &audit, horizon, Reach::Verified, Reach::Verified)?;
            due = rules::following_surveillance(due);
            done += 1;
        }
        Ok(done)
    }

    /// A short-notice audit with a critical finding; finalizing it suspends the certificate.
    fn critical_audit(
        &mut self,
        c: &mut DbConnection,
        a: &DemoAgency,
        body: usize,
        at: Time,
        horizon: Time,
    ) -> AppResult<()> {
        const CRITICAL: &[&str] = &["C.1", "C.1", "C.1", "D.1", "D.1", "E.3", "E.3", "C.2", "D.4", "A.3"];
        let code = self.pick(CRITICAL);
        let forced = [(code, Severity::Critical)];
        let spec = AuditSpec {
            body: Some(body),
            kind: AssessmentKind::Special,
            profile: Profile::Pass,
            at,
            stop: Stop::Finalized,
            forced: &forced,
        };
        let audit = self.audit(c, a, spec)?;
        let reach = self.pick(&[Reach::Nothing, Reach::Plan, Reach::Plan]);
        self.follow_up(c, a, &audit, horizon, reach, Reach::Plan)?;
        Ok(())
    }

    /// The `k`-th surveillance audit finds major nonconformities that the agency plans for but
    /// does not get verified. Earlier surveillance audits pass. Returns the audit.
    #[allow(clippy::too_many_arguments)]
    fn overdue_major_audit(
        &mut self,
        c: &mut DbConnection,
        a: &DemoAgency,
        body: usize,
        certified: Time,
        k: u32,
        at_least_days_ago: (i64, i64),
        reach: Reach,
        horizon: Time,
    ) -> AppResult<AssessmentRow> {
        const MAJOR: &[&str] = &["C.1", "C.2", "D.2", "E.2", "B.3", "G.4", "E.1", "G.1"];
        let mut due = rules::period(certified).first_surveillance_due;
        for _ in 1..k {
            due = rules::following_surveillance(due);
        }
        let mut at = self.before(due, 5, 40);
        let latest = self.now - days(at_least_days_ago.0);
        if at > latest {
            at = self.days_ago(at_least_days_ago.0, at_least_days_ago.1);
        }
        self.surveillances(c, a, body, certified, at - days(20), (k - 1) as usize, horizon)?;
        let first = self.pick(MAJOR);
        let mut forced = vec![(first, Severity::Major)];
        if self.rng.gen_bool(0.5) {
            let second = self.pick(MAJOR);
            if second != first {
                forced.push((second, Severity::Major));
            }
        }
        let spec = AuditSpec {
            body: Some(body),
            kind: AssessmentKind::Surveillance,
            profile: Profile::Pass,
            at,
            stop: Stop::Finalized,
            forced: &forced,
        };
        let audit = self.audit(c, a, spec)?;
        // The agency stops working on its actions once the deadline passed and it was suspended.
        let horizon = horizon.min(at + days(91));
        self.follow_up(c, a, &audit, horizon, reach, Reach::Verified)?;
        Ok(audit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::tests::seeder;

    #[test]
    fn stories_match_the_intended_shares() {
        let stories = seeder().stories(300);
        let count = |f: fn(&Story) -> bool| stories.iter().filter(|(s, _)| f(s)).count();
        assert_eq!(count(|s| *s == Story::Certified), 105);
        assert_eq!(count(|s| matches!(s, Story::Expired { .. })), 30);
        assert_eq!(stories.iter().filter(|(_, own)| *own).count(), 6);
    }
}
