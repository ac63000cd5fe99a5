//! Scoring an assessment against a standard version (domain.md §4): weighted credit per finding,
//! grade bands, caps, and every number that produced the result, so anyone can redo it by hand.
//!
//! Rules that are ours rather than the standard's:
//! - Sums run over the criteria in the order the standard lists them, never in map order, so the
//!   same inputs give the same floating-point result (and the same JSON) byte for byte.
//! - Scores are computed from unrounded sums and then rounded to 2 decimals, half away from zero.
//!   The grade band is chosen from the *rounded* overall score: the number a reader sees is the
//!   number that decided the grade, so an overall of 74.996 shows as 75.00 and earns band B.
//!   The certification minimum is checked against the same rounded number.
//! - A criterion without a finding is left out of every sum and listed in `missing`; callers
//!   refuse to finalize an incomplete assessment, so a provisional score is still useful.
//! - Findings on codes the standard does not have are ignored.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::agency::Grade;
use crate::domain::standard::{Caps, Criterion, ScoringPolicy, Severity, StandardContent};

/// The score of one assessment and how it was reached.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ScoreResult {
    /// 100 × Σ(weight·credit) / Σ(weight) over applicable criteria, rounded to 2 decimals;
    /// `null` when no criterion is applicable.
    #[schema(example = 81.25)]
    pub overall: Option<f64>,
    /// The band grade after caps: the worst of the band grade and every applied cap.
    pub grade: Option<Grade>,
    /// The grade the rounded overall score reaches in the policy's bands, before caps.
    pub band_grade: Option<Grade>,
    /// One entry per principle, in the standard's order.
    #[schema(max_items = 26)]
    pub principles: Vec<PrincipleScore>,
    /// One entry per criterion, in the standard's order.
    #[schema(max_items = 500)]
    pub criteria: Vec<CriterionScore>,
    /// The caps that applied, in the order any_critical, major_on_critical_criterion, any_major.
    #[schema(max_items = 500)]
    pub caps: Vec<AppliedCap>,
    /// Every criterion of the standard has a finding.
    pub complete: bool,
    /// Codes of criteria without a finding, in the standard's order; left out of every sum.
    #[schema(schema_with = crate::domain::schema::criterion_codes)]
    pub missing: Vec<String>,
    /// The policy's lowest overall score for certification.
    #[schema(example = 75.0)]
    pub certification_minimum: f64,
    /// The rounded overall score reaches the certification minimum.
    pub meets_certification_minimum: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PrincipleScore {
    #[schema(example = "C")]
    #[schema(max_length = 1, pattern = "^[A-Z]$")]
    pub code: String,
    #[schema(max_length = 200)]
    pub title: String,
    /// 100 × earned_weight / applicable_weight, rounded to 2 decimals; `null` when none of the
    /// principle's criteria is applicable.
    #[schema(example = 75.0)]
    pub score: Option<f64>,
    /// Σ weight of the principle's criteria that have an applicable finding.
    pub applicable_weight: f64,
    /// Σ weight·credit of those criteria.
    pub earned_weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CriterionScore {
    #[schema(example = "C.1")]
    #[schema(max_length = 5, pattern = "^[A-Z][.][0-9]{1,3}$")]
    pub code: String,
    #[schema(example = "C")]
    #[schema(max_length = 1, pattern = "^[A-Z]$")]
    pub principle: String,
    pub weight: f64,
    pub critical: bool,
    /// The finding; `null` when the criterion was not assessed.
    pub severity: Option<Severity>,
    /// The policy's credit for the finding; `null` when not applicable or not assessed.
    pub credit: Option<f64>,
    /// weight × credit; 0 when the criterion does not count.
    pub earned: f64,
}

/// The conditions that limit the grade whatever the score (the policy's `caps`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CapKind {
    AnyCritical,
    MajorOnCriticalCriterion,
    AnyMajor,
}

impl CapKind {
    /// The order caps are reported in.
    const ALL: [CapKind; 3] = [CapKind::AnyCritical, CapKind::MajorOnCriticalCriterion, CapKind::AnyMajor];

    fn limit(self, caps: &Caps) -> Grade {
        match self {
            CapKind::AnyCritical => caps.any_critical,
            CapKind::MajorOnCriticalCriterion => caps.major_on_critical_criterion,
            CapKind::AnyMajor => caps.any_major,
        }
    }

    fn triggered_by(self, criterion: &Criterion, severity: Severity) -> bool {
        match self {
            CapKind::AnyCritical => severity == Severity::Critical,
            CapKind::MajorOnCriticalCriterion => severity == Severity::Major && criterion.critical,
            CapKind::AnyMajor => severity == Severity::Major,
        }
    }

    fn reason(self, codes: &[String], grade: Grade) -> String {
        let plural = codes.len() > 1;
        let what = match (self, plural) {
            (CapKind::AnyCritical, false) => "critical finding on",
            (CapKind::AnyCritical, true) => "critical findings on",
            (CapKind::MajorOnCriticalCriterion, false) => "major finding on critical criterion",
            (CapKind::MajorOnCriticalCriterion, true) => "major findings on critical criteria",
            (CapKind::AnyMajor, false) => "major finding on",
            (CapKind::AnyMajor, true) => "major findings on",
        };
        format!("{what} {}: grade at most {}", codes.join(", "), grade.as_str())
    }
}

/// A cap that applied, with the criteria that triggered it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AppliedCap {
    pub cap: CapKind,
    /// The best grade the assessment can have while this cap applies.
    pub grade: Grade,
    /// Codes of the criteria that triggered the cap, in the standard's order.
    #[schema(schema_with = crate::domain::schema::criterion_codes)]
    pub criteria: Vec<String>,
    #[schema(example = "critical finding on C.1: grade at most E")]
    #[schema(max_length = 5000)]
    pub reason: String,
}

/// Scores the findings (one severity per criterion code) against the standard.
pub fn score(standard: &StandardContent, findings: &BTreeMap<String, Severity>) -> ScoreResult {
    let policy = &standard.policy;
    let criteria: Vec<CriterionScore> = standard
        .criteria
        .iter()
        .map(|c| {
            let severity = findings.get(&c.code).copied();
            let credit = severity.and_then(|s| policy.credits.of(s));
            CriterionScore {
                code: c.code.clone(),
                principle: c.principle.clone(),
                weight: c.weight,
                critical: c.critical,
                severity,
                credit,
                earned: credit.map_or(0.0, |k| c.weight * k),
            }
        })
        .collect();

    let principles = standard
        .principles
        .iter()
        .map(|p| {
            let tally = Tally::of(criteria.iter().filter(|c| c.principle == p.code));
            PrincipleScore {
                code: p.code.clone(),
                title: p.title.clone(),
                score: tally.score(),
                applicable_weight: tally.applicable,
                earned_weight: tally.earned,
            }
        })
        .collect();

    let overall = Tally::of(criteria.iter()).score();
    let caps = applied_caps(standard, findings);
    let band_grade = overall.map(|o| band_grade(policy, o));
    // Caps only ever lower a grade: the final grade is the worst of the band and every cap.
    let grade = band_grade.map(|band| caps.iter().map(|cap| cap.grade).fold(band, Grade::max));
    let missing = missing_criteria(standard, findings);

    ScoreResult {
        overall,
        grade,
        band_grade,
        principles,
        criteria,
        caps,
        complete: missing.is_empty(),
        missing,
        certification_minimum: policy.certification_minimum,
        meets_certification_minimum: overall.is_some_and(|o| o >= policy.certification_minimum),
    }
}

/// Codes of the criteria that have no finding, in the standard's order.
pub fn missing_criteria(standard: &StandardContent, findings: &BTreeMap<String, Severity>) -> Vec<String> {
    standard.criteria.iter().filter(|c| !findings.contains_key(&c.code)).map(|c| c.code.clone()).collect()
}

/// Weighted sums over the criteria that count (those with an applicable finding).
struct Tally {
    applicable: f64,
    earned: f64,
}

impl Tally {
    /// Skips (rather than adds zero for) criteria that do not count, so a not-applicable
    /// criterion leaves exactly the sums it would leave if it were not in the standard.
    fn of<'a>(criteria: impl Iterator<Item = &'a CriterionScore>) -> Tally {
        let mut tally = Tally { applicable: 0.0, earned: 0.0 };
        for c in criteria.filter(|c| c.credit.is_some()) {
            tally.applicable += c.weight;
            tally.earned += c.earned;
        }
        tally
    }

    fn score(&self) -> Option<f64> {
        // Divide before scaling: when every credit is 1 the ratio is exactly 1, so the score is
        // exactly 100 and never a hair above it.
        (self.applicable > 0.0).then(|| round2(self.earned / self.applicable * 100.0))
    }
}

/// The first band (best first) whose minimum the rounded overall score reaches; E below all.
fn band_grade(policy: &ScoringPolicy, overall: f64) -> Grade {
    policy.grade_bands.iter().find(|band| overall >= band.min_score).map_or(Grade::E, |band| band.grade)
}

fn applied_caps(standard: &StandardContent, findings: &BTreeMap<String, Severity>) -> Vec<AppliedCap> {
    CapKind::ALL
        .into_iter()
        .filter_map(|kind| {
            let codes: Vec<String> = standard
                .criteria
                .iter()
                .filter(|c| findings.get(&c.code).is_some_and(|&s| kind.triggered_by(c, s)))
                .map(|c| c.code.clone())
                .collect();
            if codes.is_empty() {
                return None;
            }
            let grade = kind.limit(&standard.policy.caps);
            Some(AppliedCap { cap: kind, grade, reason: kind.reason(&codes, grade), criteria: codes })
        })
        .collect()
}

/// Rounds to 2 decimals, half away from zero (what `f64::round` does on the scaled value).
fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::domain::standard::{Credits, GradeBand, ManagementArea, Principle};

    use Severity::{Conformant, Critical, Major, Minor, NotApplicable, Observation};

    const SEVERITIES: [Severity; 6] = [Conformant, Observation, Minor, Major, Critical, NotApplicable];

    /// The default policy of domain.md §4.
    fn default_policy() -> ScoringPolicy {
        ScoringPolicy {
            credits: Credits { conformant: 1.0, observation: 1.0, minor: 0.5, major: 0.0, critical: 0.0 },
            grade_bands: [(Grade::A, 90.0), (Grade::B, 75.0), (Grade::C, 60.0), (Grade::D, 40.0)]
                .into_iter()
                .map(|(grade, min_score)| GradeBand { grade, min_score })
                .collect(),
            caps: Caps { any_critical: Grade::E, major_on_critical_criterion: Grade::D, any_major: Grade::C },
            certification_minimum: 75.0,
        }
    }

    /// A standard from principle codes and (criterion code, weight, critical) triples; each
    /// criterion belongs to the principle its code starts with.
    fn standard(principles: &[&str], criteria: &[(&str, f64, bool)]) -> StandardContent {
        StandardContent {
            version: "t-1".into(),
            title: "Test".into(),
            principles: principles
                .iter()
                .map(|&code| Principle { code: code.into(), title: format!("Principle {code}") })
                .collect(),
            criteria: criteria
                .iter()
                .map(|&(code, weight, critical)| Criterion {
                    code: code.into(),
                    principle: code[..1].into(),
                    text: format!("Criterion {code}"),
                    weight,
                    critical,
                    area: ManagementArea::Policies,
                    guidance: None,
                })
                .collect(),
            policy: default_policy(),
            language: None,
            decision_policy: Default::default(),
        }
    }

    fn findings(pairs: &[(&str, Severity)]) -> BTreeMap<String, Severity> {
        pairs.iter().map(|&(code, s)| (code.to_owned(), s)).collect()
    }

    /// Three principles, six criteria; C.1 is the only critical criterion.
    fn example() -> StandardContent {
        standard(
            &["A", "C", "G"],
            &[
                ("A.1", 2.0, false),
                ("A.2", 1.0, false),
                ("C.1", 3.0, true),
                ("C.2", 1.0, false),
                ("G.1", 2.0, false),
                ("G.2", 1.0, false),
            ],
        )
    }

    fn principle_scores(result: &ScoreResult) -> Vec<Option<f64>> {
        result.principles.iter().map(|p| p.score).collect()
    }

    #[test]
    fn hand_computed_example_with_a_major_finding() {
        let result = score(
            &example(),
            &findings(&[
                ("A.1", Conformant),
                ("A.2", Minor),
                ("C.1", Conformant),
                ("C.2", Major),
                ("G.1", NotApplicable),
                ("G.2", Observation),
            ]),
        );
        // A: earned 2×1 + 1×0.5 = 2.5 of 3    → 83.333… → 83.33
        // C: earned 3×1 + 1×0   = 3   of 4    → 75.00
        // G: G.1 not applicable; 1×1 = 1 of 1 → 100.00
        // Overall: (2.5 + 3 + 1) / (3 + 4 + 1) = 6.5 / 8 → 81.25 → band B (≥ 75).
        // C.2 is major on a non-critical criterion → any_major caps at C; final C.
        assert_eq!(result.overall, Some(81.25));
        assert_eq!(principle_scores(&result), vec![Some(83.33), Some(75.0), Some(100.0)]);
        assert_eq!((result.principles[0].applicable_weight, result.principles[0].earned_weight), (3.0, 2.5));
        assert_eq!(result.band_grade, Some(Grade::B));
        assert_eq!(
            result.caps,
            vec![AppliedCap {
                cap: CapKind::AnyMajor,
                grade: Grade::C,
                criteria: vec!["C.2".into()],
                reason: "major finding on C.2: grade at most C".into(),
            }]
        );
        assert_eq!(result.grade, Some(Grade::C));
        assert!(result.complete && result.missing.is_empty());
        assert!(result.meets_certification_minimum);
        let g1 = &result.criteria[4];
        assert_eq!((g1.severity, g1.credit, g1.earned), (Some(NotApplicable), None, 0.0));
        let a2 = &result.criteria[1];
        assert_eq!((a2.credit, a2.earned), (Some(0.5), 0.5));
    }

    #[test]
    fn a_major_on_a_critical_criterion_triggers_both_major_caps() {
        let result = score(
            &example(),
            &findings(&[
                ("A.1", Conformant),
                ("A.2", Conformant),
                ("C.1", Major),
                ("C.2", Conformant),
                ("G.1", Conformant),
                ("G.2", Conformant),
            ]),
        );
        // Overall: (2 + 1 + 0 + 1 + 2 + 1) / 10 = 7 / 10 → 70.00 → band C.
        // C: (0 + 1) / 4 → 25.00. Caps: major on critical C.1 → D; any major → C. Final D.
        assert_eq!(result.overall, Some(70.0));
        assert_eq!(principle_scores(&result), vec![Some(100.0), Some(25.0), Some(100.0)]);
        assert_eq!(result.band_grade, Some(Grade::C));
        let caps: Vec<_> = result.caps.iter().map(|c| (c.cap, c.grade, c.criteria.clone())).collect();
        assert_eq!(
            caps,
            vec![
                (CapKind::MajorOnCriticalCriterion, Grade::D, vec!["C.1".to_owned()]),
                (CapKind::AnyMajor, Grade::C, vec!["C.1".to_owned()]),
            ]
        );
        assert_eq!(result.caps[0].reason, "major finding on critical criterion C.1: grade at most D");
        assert_eq!(result.grade, Some(Grade::D));
        assert!(!result.meets_certification_minimum);
    }

    #[test]
    fn critical_findings_cap_a_good_score_at_e() {
        let result = score(
            &example(),
            &findings(&[
                ("A.1", Conformant),
                ("A.2", Critical),
                ("C.1", Conformant),
                ("C.2", Critical),
                ("G.1", Conformant),
                ("G.2", Conformant),
            ]),
        );
        // Overall: (2 + 0 + 3 + 0 + 2 + 1) / 10 = 8 / 10 → 80.00 → band B; capped at E.
        // A: 2 / 3 → 66.666… → 66.67.
        assert_eq!(result.overall, Some(80.0));
        assert_eq!(principle_scores(&result), vec![Some(66.67), Some(75.0), Some(100.0)]);
        assert_eq!(result.band_grade, Some(Grade::B));
        assert_eq!(result.caps.len(), 1);
        assert_eq!(result.caps[0].criteria, vec!["A.2", "C.2"]);
        assert_eq!(result.caps[0].reason, "critical findings on A.2, C.2: grade at most E");
        assert_eq!(result.grade, Some(Grade::E));
        // The score alone reaches the minimum; certification rules also look at open findings.
        assert!(result.meets_certification_minimum);
    }

    #[test]
    fn the_band_is_chosen_from_the_rounded_score() {
        // (49.992×1 + 50.008×0.5) / 100 = 74.996 / 100 → 74.996 → shown as 75.00 → band B.
        let s = standard(&["A"], &[("A.1", 49.992, false), ("A.2", 50.008, false)]);
        let result = score(&s, &findings(&[("A.1", Conformant), ("A.2", Minor)]));
        assert_eq!(result.overall, Some(75.0));
        assert_eq!(result.band_grade, Some(Grade::B));
        assert_eq!(result.grade, Some(Grade::B));
        assert!(result.meets_certification_minimum);
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round2(0.125), 0.13);
        assert_eq!(round2(-0.125), -0.13);
        assert_eq!(round2(83.333_333), 83.33);
        assert_eq!(round2(100.0), 100.0);
    }

    #[test]
    fn below_every_band_is_e() {
        let s = standard(&["A"], &[("A.1", 1.0, false), ("A.2", 1.0, false), ("A.3", 1.0, false)]);
        // (0.5 + 0.5 + 0) / 3 → 33.33: below D's 40 → E (no critical, but a major: cap C).
        let result = score(&s, &findings(&[("A.1", Minor), ("A.2", Minor), ("A.3", Major)]));
        assert_eq!(result.overall, Some(33.33));
        assert_eq!(result.band_grade, Some(Grade::E));
        assert_eq!(result.grade, Some(Grade::E));
    }

    #[test]
    fn missing_criteria_are_listed_and_left_out_of_the_sums() {
        let s = example();
        let f = findings(&[
            ("A.1", Conformant),
            ("A.2", Conformant),
            ("C.1", Conformant),
            ("G.2", Minor),
            ("Z.9", Critical), // not in the standard: ignored
        ]);
        assert_eq!(missing_criteria(&s, &f), vec!["C.2", "G.1"]);
        let result = score(&s, &f);
        assert!(!result.complete);
        assert_eq!(result.missing, vec!["C.2", "G.1"]);
        // (2 + 1 + 3 + 0.5) / (2 + 1 + 3 + 1) = 6.5 / 7 → 92.857… → 92.86 → A; no caps.
        assert_eq!(result.overall, Some(92.86));
        assert_eq!(result.grade, Some(Grade::A));
        assert!(result.caps.is_empty());
        let c2 = &result.criteria[3];
        assert_eq!((c2.severity, c2.credit, c2.earned), (None, None, 0.0));
    }

    #[test]
    fn nothing_applicable_means_no_score_and_no_grade() {
        let s = example();
        let f: BTreeMap<_, _> = s.criteria.iter().map(|c| (c.code.clone(), NotApplicable)).collect();
        let result = score(&s, &f);
        assert_eq!((result.overall, result.grade, result.band_grade), (None, None, None));
        assert_eq!(principle_scores(&result), vec![None, None, None]);
        assert!(result.complete && !result.meets_certification_minimum);
    }

    #[test]
    fn serializes_with_snake_case_names() {
        let s = example();
        let f = findings(&[("C.1", Critical)]);
        let json = serde_json::to_value(score(&s, &f)).unwrap();
        assert_eq!(json["caps"][0]["cap"], "any_critical");
        assert_eq!(json["caps"][0]["grade"], "E");
        assert_eq!(json["criteria"][2]["severity"], "critical");
        assert_eq!(json["band_grade"], "E");
        assert_eq!(json["certification_minimum"], 75.0);
    }

    // ---- properties -------------------------------------------------------------------------

    /// A valid standard: 1–7 principles (A, B, …), 1–6 criteria each, weights in 0.1..10.
    fn arb_standard() -> impl Strategy<Value = StandardContent> {
        prop::collection::vec(prop::collection::vec((0.1f64..10.0, any::<bool>()), 1..=6), 1..=7).prop_map(
            |principles| {
                let letters = ["A", "B", "C", "D", "E", "F", "G"];
                let codes: Vec<String> = principles
                    .iter()
                    .enumerate()
                    .flat_map(|(p, criteria)| (1..=criteria.len()).map(move |n| format!("{}.{n}", letters[p])))
                    .collect();
                let specs: Vec<(&str, f64, bool)> = codes
                    .iter()
                    .zip(principles.iter().flatten())
                    .map(|(code, &(weight, critical))| (code.as_str(), weight, critical))
                    .collect();
                standard(&letters[..principles.len()], &specs)
            },
        )
    }

    /// A valid standard and a finding for each of its criteria.
    fn arb_case() -> impl Strategy<Value = (StandardContent, BTreeMap<String, Severity>)> {
        arb_standard().prop_flat_map(|s| {
            let n = s.criteria.len();
            (Just(s), prop::collection::vec(prop::sample::select(SEVERITIES.to_vec()), n)).prop_map(
                |(s, severities)| {
                    let f = s.criteria.iter().map(|c| c.code.clone()).zip(severities).collect();
                    (s, f)
                },
            )
        })
    }

    /// The standard without one criterion (and without its principle if that leaves it empty).
    fn without(standard: &StandardContent, code: &str) -> StandardContent {
        let mut reduced = standard.clone();
        reduced.criteria.retain(|c| c.code != code);
        let criteria = &reduced.criteria;
        reduced.principles.retain(|p| criteria.iter().any(|c| c.principle == p.code));
        reduced
    }

    proptest! {
        #[test]
        fn generated_standards_are_valid((s, f) in arb_case()) {
            prop_assert!(s.faults().is_empty(), "{:?}", s.faults());
            prop_assert!(score(&s, &f).complete);
        }

        #[test]
        fn scores_stay_between_0_and_100_and_are_rounded((s, f) in arb_case()) {
            let result = score(&s, &f);
            let principles = result.principles.iter().map(|p| p.score);
            let scores = principles.chain([result.overall]).flatten();
            for value in scores {
                prop_assert!((0.0..=100.0).contains(&value), "{value}");
                prop_assert_eq!(round2(value), value);
            }
        }

        #[test]
        fn improving_a_finding_never_lowers_the_score_or_the_grade(
            (s, f) in arb_case(),
            pick in any::<prop::sample::Index>(),
            target in any::<prop::sample::Index>(),
        ) {
            let code = s.criteria[pick.index(s.criteria.len())].code.clone();
            let Some(rank) = f[&code].rank() else { return Ok(()) };
            let better: Vec<Severity> =
                SEVERITIES.into_iter().filter(|b| b.rank().is_some_and(|r| r > rank)).collect();
            if better.is_empty() {
                return Ok(());
            }
            let mut improved = f.clone();
            improved.insert(code, better[target.index(better.len())]);
            let (before, after) = (score(&s, &f), score(&s, &improved));
            // The criterion is applicable in both, so both have a score and a grade.
            let (was, now) = (before.overall.unwrap(), after.overall.unwrap());
            prop_assert!(now >= was, "overall {} -> {}", was, now);
            let (was, now) = (before.grade.unwrap(), after.grade.unwrap());
            prop_assert!(now <= was, "grade {:?} -> {:?}", was, now);
            for (b, a) in before.principles.iter().zip(&after.principles) {
                prop_assert!(a.score.unwrap_or(0.0) >= b.score.unwrap_or(0.0));
            }
        }

        #[test]
        fn not_applicable_is_the_same_as_not_in_the_standard(
            (s, f) in arb_case(),
            pick in any::<prop::sample::Index>(),
        ) {
            let code = s.criteria[pick.index(s.criteria.len())].code.clone();
            let mut marked = f.clone();
            marked.insert(code.clone(), NotApplicable);
            let mut remaining = f.clone();
            remaining.remove(&code);
            let (na, removed) = (score(&s, &marked), score(&without(&s, &code), &remaining));
            prop_assert_eq!(na.overall, removed.overall);
            prop_assert_eq!(na.band_grade, removed.band_grade);
            prop_assert_eq!(na.grade, removed.grade);
            prop_assert_eq!(&na.caps, &removed.caps);
            // Principles left in the reduced standard score the same.
            for p in &removed.principles {
                let same = na.principles.iter().find(|q| q.code == p.code).unwrap();
                prop_assert_eq!(same, p);
            }
            // A missing finding is left out of the sums in the same way.
            let missing = score(&s, &remaining);
            prop_assert_eq!((missing.overall, missing.grade), (na.overall, na.grade));
        }

        #[test]
        fn scoring_is_deterministic((s, f) in arb_case()) {
            let first = serde_json::to_string(&score(&s, &f)).unwrap();
            let second = serde_json::to_string(&score(&s.clone(), &f.clone())).unwrap();
            prop_assert_eq!(&first, &second);
            // Findings on unknown codes change nothing.
            let mut extra = f.clone();
            extra.insert("Z.1".into(), Critical);
            prop_assert_eq!(first, serde_json::to_string(&score(&s, &extra)).unwrap());
        }
    }
}
