//! Audits: how findings are drawn and worded, how assessments are filed and finalized, and how
//! agencies follow up on the corrective actions.

use std::collections::BTreeMap;

use chrono::Duration;
use rand::Rng;

use crate::db::DbConnection;
use crate::domain::assessment::{AssessmentKind, AuditMethods, FeeAmount, FeeCategory, Step};
use crate::domain::scoring;
use crate::domain::standard::Severity;
use crate::error::AppResult;
use crate::seed::origins::{Origin, country_name};
use crate::seed::registry::DemoAgency;
use crate::seed::texts::{conformant_text, evidence_text, fee_list, gap, improvement, plan_text, principle_of};
use crate::seed::{Seeder, Time, internal};
use crate::services::assessments::{self, AssessmentInput, FindingInput};
use crate::services::corrective_actions::{self as actions, EvidenceInput, PlanInput};
use crate::store;
use crate::store::assessments::AssessmentRow;

/// How findings are drawn: weights of conformant, observation, minor and major (per 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Profile {
    SelfAssessment,
    Stage1,
    /// An agency that meets the standard: at least the certification minimum, no major finding
    /// on a critical criterion.
    Pass,
    /// An agency that does not (yet): below the minimum or with major findings.
    Weak,
}

impl Profile {
    fn weights(self) -> [u32; 4] {
        match self {
            Profile::SelfAssessment => [80, 16, 4, 0],
            Profile::Stage1 => [62, 22, 14, 2],
            Profile::Pass => [70, 20, 9, 1],
            Profile::Weak => [42, 14, 27, 17],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    Draft,
    Submitted,
    Finalized,
}

/// How far an agency gets with a corrective action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Reach {
    Nothing,
    Plan,
    Evidence,
    Verified,
}

pub(super) struct AuditSpec<'f> {
    pub(super) body: Option<usize>,
    pub(super) kind: AssessmentKind,
    pub(super) profile: Profile,
    pub(super) at: Time,
    pub(super) stop: Stop,
    pub(super) forced: &'f [(&'static str, Severity)],
}

impl<'f> AuditSpec<'f> {
    pub(super) fn of(body: usize, kind: AssessmentKind, profile: Profile, at: Time, stop: Stop) -> AuditSpec<'f> {
        AuditSpec { body: Some(body), kind, profile, at, stop, forced: &[] }
    }
}

impl Seeder {
    // --- audits --------------------------------------------------------------------------------

    fn methods(&mut self, kind: AssessmentKind) -> AuditMethods {
        let r = &mut self.rng;
        let (management, staff, employers, workers, sites) = match kind {
            AssessmentKind::SelfAssessment => (0, r.gen_range(0..=3), 0, 0, 0),
            AssessmentKind::Stage1 => (r.gen_range(1..=2), r.gen_range(0..=2), 0, 0, r.gen_range(0..=1)),
            AssessmentKind::Stage2 | AssessmentKind::Recertification => {
                (r.gen_range(2..=4), r.gen_range(3..=8), r.gen_range(1..=3), r.gen_range(18..=40), r.gen_range(1..=3))
            }
            AssessmentKind::Surveillance => {
                (r.gen_range(1..=3), r.gen_range(2..=6), r.gen_range(0..=2), r.gen_range(10..=30), r.gen_range(1..=2))
            }
            _ => (r.gen_range(1..=2), r.gen_range(1..=4), r.gen_range(0..=1), r.gen_range(8..=25), 1),
        };
        AuditMethods {
            documents_reviewed: true,
            management_interviews: management,
            staff_interviews: staff,
            employer_client_interviews: employers,
            worker_interviews: workers,
            sites_visited: sites,
        }
    }

    /// One severity per criterion, redrawn until the profile's condition holds.
    fn draw(&mut self, profile: Profile, forced: &[(&'static str, Severity)]) -> BTreeMap<String, Severity> {
        let [conformant, observation, minor, _] = profile.weights();
        loop {
            let mut found = BTreeMap::new();
            for criterion in &self.standard.criteria {
                let roll = self.rng.gen_range(0..100);
                let mut severity = if roll < conformant {
                    Severity::Conformant
                } else if roll < conformant + observation {
                    Severity::Observation
                } else if roll < conformant + observation + minor {
                    Severity::Minor
                } else {
                    Severity::Major
                };
                // Agencies on the way to a certificate keep majors off the critical criteria.
                if severity == Severity::Major && criterion.critical && profile != Profile::Weak {
                    severity = Severity::Minor;
                }
                if criterion.code == "B.3" && profile != Profile::SelfAssessment && self.rng.gen_bool(0.12) {
                    severity = Severity::NotApplicable;
                }
                found.insert(criterion.code.clone(), severity);
            }
            for (code, severity) in forced {
                found.insert((*code).to_owned(), *severity);
            }
            let score = scoring::score(&self.standard, &found);
            let overall = score.overall.unwrap_or_default();
            let has_major = found.values().any(|s| *s == Severity::Major);
            let fits = match profile {
                Profile::SelfAssessment => true,
                Profile::Stage1 | Profile::Pass => overall >= 78.0,
                Profile::Weak => overall < score.certification_minimum || has_major,
            };
            if fits {
                return found;
            }
        }
    }

    fn fees(&mut self, origin: &Origin, code: &str, severity: Severity) -> Vec<FeeAmount> {
        use FeeCategory::*;
        let categories = match (code, severity) {
            ("C.1", Severity::Minor) => vec![self.pick(&[Administrative, Medical])],
            ("C.1", Severity::Major) => vec![Medical, self.pick(&[TrainingOrientation, SkillsTest])],
            ("C.1", Severity::Critical) => {
                let mut v = vec![RecruitmentFee];
                if self.rng.gen_bool(0.5) {
                    v.push(Medical);
                }
                if self.rng.gen_bool(0.25) {
                    v.push(Illegitimate);
                }
                v
            }
            ("C.2", Severity::Minor) => vec![Administrative],
            ("C.2", Severity::Major) => vec![TravelLodging],
            ("C.2", Severity::Critical) => vec![RecruitmentFee],
            _ => Vec::new(),
        };
        categories
            .into_iter()
            .map(|category| {
                let share = match category {
                    RecruitmentFee => 1.0,
                    Medical => 0.08,
                    Insurance => 0.04,
                    SkillsTest => 0.05,
                    TrainingOrientation => 0.06,
                    Equipment => 0.05,
                    TravelLodging => 0.15,
                    Administrative => 0.03,
                    Illegitimate => 0.25,
                };
                let major = origin.typical_fee * share * self.rng.gen_range(0.6..1.4);
                // Two significant figures, as people quote prices.
                let unit = 10f64.powi(major.log10().floor() as i32 - 1).max(1.0);
                let rounded = ((major / unit).round() * unit) as i64;
                FeeAmount { category, amount_minor: rounded * origin.minor_per_major, currency: origin.currency.into() }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn evidence(
        &mut self,
        a: &DemoAgency,
        code: &str,
        severity: Severity,
        workers: u32,
        files: u32,
        fees: &[FeeAmount],
        self_assessed: bool,
    ) -> String {
        let fee_part = if fees.is_empty() { String::new() } else { format!("; amounts: {}", fee_list(fees, a.origin)) };
        if self_assessed {
            return match severity {
                Severity::Conformant | Severity::NotApplicable => {
                    "Agency's own review: policy and records in place.".into()
                }
                Severity::Observation => format!("Agency's own review: in place; plans to {}.", improvement(code)),
                _ => format!("Agency's own review found that {}.", gap(code)),
            };
        }
        let destination = country_name(&a.input.destination_countries[0]);
        match severity {
            Severity::NotApplicable => {
                "The agency works without sub-agents; confirmed in management and staff interviews.".into()
            }
            Severity::Conformant => conformant_text(code, workers, files),
            Severity::Observation => format!("Conformant. For improvement: {}.", improvement(code)),
            Severity::Minor => {
                let k = self.rng.gen_range(1..=2);
                format!(
                    "Minor: {}, in {k} of {files} files sampled{fee_part}. An isolated lapse; the system works.",
                    gap(code)
                )
            }
            Severity::Major => {
                let k = self.rng.gen_range(3..=(files / 3).max(3));
                let heard =
                    if workers > 0 { format!(" and confirmed in {workers} worker interviews") } else { String::new() };
                format!(
                    "Major: {}; seen in {k} of {files} files sampled{heard}{fee_part}. No working system in place.",
                    gap(code)
                )
            }
            Severity::Critical => {
                let w = workers.max(6);
                let k = self.rng.gen_range(2..=(w / 3).max(2));
                let paid = fee_list(fees, a.origin);
                match code {
                    "C.1" => format!(
                        "Critical: {k} of {w} workers interviewed paid {paid} to the agency's sub-agent before leaving \
                         for {destination}; receipts seen for {} of them. The workers are carrying recruitment debts now.",
                        (k / 2).max(1)
                    ),
                    "C.2" => format!(
                        "Critical: {k} of {w} workers interviewed in {destination} have {paid} deducted from their \
                         wages to repay recruitment costs arranged through the agency."
                    ),
                    "D.1" => format!(
                        "Critical: {k} passports of candidates and placed workers were held in the agency office without \
                         consent forms; workers said they could not get them back on request."
                    ),
                    "D.4" => format!(
                        "Critical: {k} candidates were made to sign a security bond and hand over a post-dated cheque \
                         before deployment to {destination}."
                    ),
                    "E.3" => format!(
                        "Critical: {k} of {w} workers interviewed in {destination} were made to sign a new contract on \
                         arrival with lower pay and longer hours than agreed before departure; the agency knew and did \
                         not act."
                    ),
                    _ => format!(
                        "Critical: {k} of {w} workers interviewed in {destination} could not leave their employer \
                         because of debts to a sub-agent and threats of penalties; the agency did not act on their \
                         complaints."
                    ),
                }
            }
        }
    }

    /// Files an assessment with its findings and takes it as far as `spec.stop`, through the
    /// same services as the API (finalizing scores it, opens corrective actions, grades the
    /// agency and suspends it on a critical finding).
    pub(super) fn audit(
        &mut self,
        c: &mut DbConnection,
        a: &DemoAgency,
        spec: AuditSpec<'_>,
    ) -> AppResult<AssessmentRow> {
        let lead = match spec.body {
            Some(b) => self.bodies[b].auditor.clone(),
            None => a.own_client.clone().ok_or_else(|| internal("a self-assessment needs the agency's client"))?,
        };
        let found = self.draw(spec.profile, spec.forced);
        let methods = self.methods(spec.kind);
        let fieldwork = self.rng.gen_range(4..=18);
        let created = self.before(spec.at, fieldwork + 5, fieldwork + 10);
        let keep = match spec.stop {
            Stop::Draft => self.rng.gen_range(8..=26),
            _ => found.len(),
        };
        let submitted_at = match spec.stop {
            Stop::Draft => None,
            Stop::Submitted => Some(spec.at),
            Stop::Finalized => Some(self.before(spec.at, 1, 4)),
        };
        let last_finding = submitted_at.unwrap_or(spec.at) - Duration::hours(1);
        let files =
            if spec.kind == AssessmentKind::Stage1 { self.rng.gen_range(8..=15) } else { self.rng.gen_range(12..=30) };
        let self_assessed = spec.kind == AssessmentKind::SelfAssessment;
        let input = AssessmentInput {
            agency_id: a.id.clone(),
            kind: spec.kind,
            standard_version: Some(self.standard.version.clone()),
            methods: methods.clone(),
        };
        let mut row = assessments::open(c, &lead, input, created)?;
        let span = (last_finding - created).num_minutes().max(keep as i64);
        for (i, (code, severity)) in found.iter().take(keep).enumerate() {
            let about_workers = matches!(principle_of(code), 'C' | 'D' | 'E' | 'G') || code == "A.3" || code == "A.4";
            let workers = if about_workers { methods.worker_interviews } else { 0 };
            let fees = if self_assessed { Vec::new() } else { self.fees(a.origin, code, *severity) };
            let evidence = self.evidence(a, code, *severity, workers, files, &fees, self_assessed);
            let at = created + Duration::minutes(span * (i as i64 + 1) / keep as i64);
            let finding = FindingInput {
                severity: *severity,
                evidence,
                workers_interviewed: workers,
                fees,
                sub_agent_ids: Vec::new(),
            };
            row = assessments::record_finding(c, &lead, &row.id, code, finding, None, at)?;
        }
        self.tally.findings += keep;
        if let Some(at) = submitted_at {
            row = assessments::step(c, &lead, &row.id, Step::Submit, None, at)?;
        }
        if spec.stop == Stop::Finalized {
            row = assessments::step(c, &lead, &row.id, Step::Finalize, None, spec.at)?;
        }
        Ok(row)
    }

    /// The agency answers the corrective actions the audit opened, and the body's auditor
    /// verifies them, as far as `serious` (majors and criticals) and `minors` go and no later
    /// than `horizon`. Returns when every major and critical action was verified and every minor
    /// one had a plan (what a certification decision needs), or `None` if that did not happen.
    pub(super) fn follow_up(
        &mut self,
        c: &mut DbConnection,
        a: &DemoAgency,
        audit: &AssessmentRow,
        horizon: Time,
        serious: Reach,
        minors: Reach,
    ) -> AppResult<Option<Time>> {
        let finalized = audit.finalized_at.ok_or_else(|| internal("audit not finalized"))?;
        let filter = store::corrective_actions::Filter { assessment_id: Some(audit.id.clone()), ..Default::default() };
        let mut open = store::corrective_actions::page(c, &filter, None, 1000)?;
        open.sort_by(|x, y| x.criterion_code.cmp(&y.criterion_code));
        let agency = a.acting();
        let mut ready = Some(finalized);
        for action in open {
            let (reach, plan, evidence, verify) = match action.severity {
                Severity::Critical => (serious, (1, 5), (12, 22), (2, 6)),
                Severity::Major => (serious, (3, 12), (25, 60), (3, 12)),
                _ => (minors, (3, 12), (60, 240), (7, 30)),
            };
            let plan_at = self.after(finalized, plan.0, plan.1);
            let evidence_at = self.after(finalized, evidence.0, evidence.1);
            let verified_at = self.after(evidence_at, verify.0, verify.1);
            let auditor = self
                .bodies
                .iter()
                .find(|b| b.id == action.certification_body_id)
                .map(|b| b.auditor.clone())
                .ok_or_else(|| internal("action of an unknown body"))?;
            let mut reached = Reach::Nothing;
            if reach >= Reach::Plan && plan_at <= horizon {
                let plan = PlanInput { plan: plan_text(&action.criterion_code) };
                actions::submit_plan(c, &agency, &action.id, plan, plan_at)?;
                reached = Reach::Plan;
            }
            if reach >= Reach::Evidence && reached == Reach::Plan && evidence_at <= horizon {
                let evidence = EvidenceInput { evidence: evidence_text(&action.criterion_code) };
                actions::submit_evidence(c, &agency, &action.id, evidence, evidence_at)?;
                reached = Reach::Evidence;
            }
            if reach >= Reach::Verified && reached == Reach::Evidence && verified_at <= horizon {
                actions::verify(c, &auditor, &action.id, verified_at)?;
                reached = Reach::Verified;
            }
            let (needed, done_at) = if action.severity == Severity::Minor {
                (Reach::Plan, plan_at)
            } else {
                (Reach::Verified, verified_at)
            };
            ready = ready.filter(|_| reached >= needed).map(|r| r.max(done_at));
        }
        Ok(ready)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::tests::seeder;

    #[test]
    fn drawn_findings_fit_their_profile() {
        let mut s = seeder();
        for _ in 0..50 {
            let pass = s.draw(Profile::Pass, &[]);
            let score = scoring::score(&s.standard, &pass);
            assert!(score.overall.unwrap() >= 78.0);
            let weak = s.draw(Profile::Weak, &[]);
            let score = scoring::score(&s.standard, &weak);
            assert!(score.overall.unwrap() < 75.0 || weak.values().any(|v| *v == Severity::Major));
        }
    }
}
