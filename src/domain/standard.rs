//! Standards as data (domain.md §1): principles, criteria and the scoring policy of one version,
//! and the rules a version must satisfy before it can be stored.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::agency::Grade;
use crate::domain::language;
use crate::domain::review::ReviewedDecision;

/// The management-system area a criterion tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ManagementArea {
    Policies,
    Communication,
    Training,
    Monitoring,
    Governance,
}

crate::domain::named_enum! {
    /// Where a standard version is in its life: drafts change, published versions never do.
    pub enum StandardStatus {
        Draft,
        Published,
        Retired,
    }
}

crate::domain::named_enum! {
    /// What an auditor found against one criterion.
    pub enum Severity {
        Conformant,
        Observation,
        Minor,
        Major,
        Critical,
        NotApplicable,
    }
}

impl Severity {
    /// How good a finding is, for comparing two findings on the same criterion; `None` for
    /// not applicable, which is not better or worse than anything.
    pub fn rank(self) -> Option<u8> {
        match self {
            Severity::Critical => Some(0),
            Severity::Major => Some(1),
            Severity::Minor => Some(2),
            Severity::Observation => Some(3),
            Severity::Conformant => Some(4),
            Severity::NotApplicable => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Principle {
    /// One capital letter, e.g. `C`.
    #[schema(example = "C", pattern = "^[A-Z]$")]
    #[schema(max_length = 1)]
    pub code: String,
    #[schema(
        example = "No recruitment fees or related costs for workers",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$"
    )]
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// Stable code: the principle's letter, a dot and a number, e.g. `C.1`.
    #[schema(example = "C.1", pattern = "^[A-Z][.][0-9]{1,3}$")]
    #[schema(max_length = 5)]
    pub code: String,
    /// The code of the principle the criterion belongs to.
    #[schema(example = "C", pattern = "^[A-Z]$")]
    #[schema(max_length = 1)]
    pub principle: String,
    /// What the agency must show.
    #[schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub text: String,
    /// Relative weight within the standard; greater than 0.
    #[schema(example = 3.0, exclusive_minimum = 0.0, maximum = 1000.0)]
    pub weight: f64,
    /// A breach harms workers directly (fees, document retention, forced or child labour,
    /// contract substitution).
    pub critical: bool,
    pub area: ManagementArea,
    /// What an auditor looks at to judge the criterion. Optional: standards written before it
    /// existed have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 4000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub guidance: Option<String>,
}

/// Credit earned per finding severity (0 to 1). Not applicable is excluded from scoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credits {
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub conformant: f64,
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub observation: f64,
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub minor: f64,
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub major: f64,
    #[schema(minimum = 0.0, maximum = 1.0)]
    pub critical: f64,
}

impl Credits {
    pub fn of(&self, severity: Severity) -> Option<f64> {
        match severity {
            Severity::Conformant => Some(self.conformant),
            Severity::Observation => Some(self.observation),
            Severity::Minor => Some(self.minor),
            Severity::Major => Some(self.major),
            Severity::Critical => Some(self.critical),
            Severity::NotApplicable => None,
        }
    }
}

/// The lowest overall score that earns a grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    pub grade: Grade,
    #[schema(minimum = 0.0, maximum = 100.0)]
    pub min_score: f64,
}

/// The best grade an assessment can have when a condition holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Caps {
    /// Any finding graded critical.
    pub any_critical: Grade,
    /// A major finding on a criterion flagged critical.
    pub major_on_critical_criterion: Grade,
    /// Any major finding (open until its corrective action is verified).
    pub any_major: Grade,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoringPolicy {
    pub credits: Credits,
    /// From the best grade down; the first band whose minimum the score reaches applies.
    /// Scores below every band get grade E.
    #[schema(min_items = 1, max_items = 5)]
    pub grade_bands: Vec<GradeBand>,
    pub caps: Caps,
    /// Lowest overall score for certification.
    #[schema(minimum = 0.0, maximum = 100.0)]
    pub certification_minimum: f64,
}

/// The content of a standard version: what an admin sends and what the data file holds.
/// Checked by [`StandardContent::faults`], which sees the whole version at once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, validator::Validate)]
#[serde(deny_unknown_fields)]
pub struct StandardContent {
    /// Version id, e.g. `ers-1.0`: lower-case letters, digits, dots and dashes.
    #[schema(example = "ers-1.1", pattern = "^[a-z0-9.-]{1,40}$")]
    #[schema(max_length = 40)]
    pub version: String,
    #[schema(
        example = "Ethical Recruitment Standard",
        min_length = 1,
        max_length = 200,
        pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$"
    )]
    pub title: String,
    #[schema(min_items = 1, max_items = 26)]
    pub principles: Vec<Principle>,
    #[schema(min_items = 1, max_items = 500)]
    pub criteria: Vec<Criterion>,
    pub policy: ScoringPolicy,
    /// The BCP 47 tag of the language the texts are written in; `en` when absent. Translations
    /// are made from these texts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "en", max_length = 35, pattern = "^[A-Za-z0-9-]{2,35}$")]
    pub language: Option<String>,
    /// Separation of duties in decisions, and the time to appeal. Absent in versions stored
    /// before it existed, which read it as the defaults.
    #[serde(default)]
    pub decision_policy: DecisionPolicy,
}

/// Who may take which decision, and how long an agency has to appeal one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionPolicy {
    /// The decisions whose decider must be another person than the technical reviewer (three
    /// people: auditor, reviewer, decider). Default `["certify"]`; for the others the reviewer
    /// may decide, which keeps a reinstatement from waiting on a third person while the agency
    /// stays suspended.
    #[serde(default = "DecisionPolicy::default_distinct")]
    #[schema(max_items = 3)]
    pub reviewer_distinct_from_decider: Vec<ReviewedDecision>,
    /// Days from a decision (refusal, suspension, withdrawal) within which the agency may
    /// appeal it. Default 30.
    #[serde(default = "DecisionPolicy::default_appeal_window")]
    #[schema(minimum = 1, maximum = 365)]
    pub appeal_window_days: u32,
}

impl DecisionPolicy {
    fn default_distinct() -> Vec<ReviewedDecision> {
        vec![ReviewedDecision::Certify]
    }

    fn default_appeal_window() -> u32 {
        30
    }

    pub fn reviewer_must_differ(&self, decision: ReviewedDecision) -> bool {
        self.reviewer_distinct_from_decider.contains(&decision)
    }
}

impl Default for DecisionPolicy {
    fn default() -> Self {
        DecisionPolicy {
            reviewer_distinct_from_decider: DecisionPolicy::default_distinct(),
            appeal_window_days: DecisionPolicy::default_appeal_window(),
        }
    }
}

/// The base language of a standard that names none.
pub const DEFAULT_LANGUAGE: &str = "en";

/// The default standard shipped with the service (`standards/ers-1.0.json`), loaded into an
/// empty database on first start.
pub const DEFAULT_STANDARD_JSON: &str = include_str!("../../standards/ers-1.0.json");

impl StandardContent {
    /// The default standard, parsed. Its validity is checked by a test, so this cannot fail in
    /// a built binary.
    pub fn default_standard() -> Result<StandardContent, serde_json::Error> {
        serde_json::from_str(DEFAULT_STANDARD_JSON)
    }

    /// The language the texts are written in.
    pub fn base_language(&self) -> &str {
        self.language.as_deref().unwrap_or(DEFAULT_LANGUAGE)
    }

    pub fn criterion(&self, code: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.code == code)
    }

    /// Every rule a standard must satisfy, as (field, message) pairs; empty when valid.
    pub fn faults(&self) -> Vec<(String, String)> {
        let mut faults = Vec::new();
        let mut fault = |field: String, message: String| faults.push((field, message));
        let valid_version = !self.version.is_empty()
            && self.version.len() <= 40
            && self.version.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-');
        if !valid_version {
            fault("version".into(), "must be 1-40 characters of a-z, 0-9, '.' and '-'".into());
        }
        if self.title.trim().is_empty() || self.title.chars().count() > 200 {
            fault("title".into(), "must have 1 to 200 characters".into());
        }
        if let Some(language) = &self.language
            && let Err(message) = language::canonical_tag(language)
        {
            fault("language".into(), message);
        }
        if self.principles.is_empty() || self.principles.len() > 26 {
            fault("principles".into(), "a standard needs 1 to 26 principles".into());
        }
        if self.criteria.len() > 500 {
            fault("criteria".into(), "a standard has at most 500 criteria".into());
        }
        if self.policy.grade_bands.len() > 5 {
            fault("policy.grade_bands".into(), "at most 5 bands (A to E)".into());
        }
        let mut principle_codes = HashSet::new();
        for (i, p) in self.principles.iter().enumerate() {
            if p.code.len() != 1 || !p.code.chars().all(|c| c.is_ascii_uppercase()) {
                fault(format!("principles[{i}].code"), "must be one capital letter".into());
            }
            if !principle_codes.insert(p.code.as_str()) {
                fault(format!("principles[{i}].code"), format!("duplicate principle code {}", p.code));
            }
            if p.title.trim().is_empty() || p.title.chars().count() > 200 {
                fault(format!("principles[{i}].title"), "must have 1 to 200 characters".into());
            }
        }
        let mut criterion_codes = HashSet::new();
        for (i, c) in self.criteria.iter().enumerate() {
            if !principle_codes.contains(c.principle.as_str()) {
                fault(format!("criteria[{i}].principle"), format!("unknown principle {}", c.principle));
            }
            let well_formed = c
                .code
                .strip_prefix(&format!("{}.", c.principle))
                .is_some_and(|n| !n.is_empty() && n.len() <= 3 && n.chars().all(|d| d.is_ascii_digit()));
            if !well_formed {
                fault(format!("criteria[{i}].code"), format!("must be {}.<number>", c.principle));
            }
            if !criterion_codes.insert(c.code.as_str()) {
                fault(format!("criteria[{i}].code"), format!("duplicate criterion code {}", c.code));
            }
            if !(c.weight.is_finite() && c.weight > 0.0 && c.weight <= 1000.0) {
                fault(format!("criteria[{i}].weight"), "must be greater than 0 (and at most 1000)".into());
            }
            if c.text.trim().is_empty() || c.text.chars().count() > 2000 {
                fault(format!("criteria[{i}].text"), "must have 1 to 2000 characters".into());
            }
            if c.guidance.as_ref().is_some_and(|g| !valid_guidance(g)) {
                fault(format!("criteria[{i}].guidance"), "must have 1 to 4000 characters".into());
            }
        }
        for p in &self.principles {
            if !self.criteria.iter().any(|c| c.principle == p.code) {
                fault("criteria".into(), format!("principle {} has no criteria", p.code));
            }
        }
        let credits = &self.policy.credits;
        for (name, value) in [
            ("conformant", credits.conformant),
            ("observation", credits.observation),
            ("minor", credits.minor),
            ("major", credits.major),
            ("critical", credits.critical),
        ] {
            if !(0.0..=1.0).contains(&value) {
                fault(format!("policy.credits.{name}"), "must be between 0 and 1".into());
            }
        }
        // A worse finding may never earn more credit than a better one.
        let ordered = [credits.critical, credits.major, credits.minor, credits.observation, credits.conformant];
        if ordered.windows(2).any(|w| w[0] > w[1]) {
            fault("policy.credits".into(), "credits must not decrease from critical to conformant".into());
        }
        let bands = &self.policy.grade_bands;
        if bands.is_empty() {
            fault("policy.grade_bands".into(), "at least one band is needed".into());
        }
        for (i, band) in bands.iter().enumerate() {
            if !(0.0..=100.0).contains(&band.min_score) {
                fault(format!("policy.grade_bands[{i}].min_score"), "must be between 0 and 100".into());
            }
        }
        let in_order = bands.windows(2).all(|w| w[0].grade < w[1].grade && w[0].min_score > w[1].min_score);
        if !in_order {
            fault(
                "policy.grade_bands".into(),
                "bands must run from the best grade down, with strictly decreasing minimum scores".into(),
            );
        }
        // A worse condition may never allow a better grade, or improving a finding could
        // lower the grade.
        let caps = &self.policy.caps;
        if !(caps.any_critical >= caps.major_on_critical_criterion
            && caps.major_on_critical_criterion >= caps.any_major)
        {
            fault(
                "policy.caps".into(),
                "any_critical must be no better than major_on_critical_criterion, which must be no better than any_major"
                    .into(),
            );
        }
        if !(0.0..=100.0).contains(&self.policy.certification_minimum) {
            fault("policy.certification_minimum".into(), "must be between 0 and 100".into());
        }
        if !(1..=365).contains(&self.decision_policy.appeal_window_days) {
            fault("decision_policy.appeal_window_days".into(), "must be between 1 and 365".into());
        }
        faults
    }
}

fn valid_guidance(guidance: &str) -> bool {
    !guidance.trim().is_empty() && guidance.chars().count() <= 4000
}

/// A criterion's texts in another language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionText {
    /// The code of a criterion of the standard.
    #[schema(example = "C.1", pattern = "^[A-Z][.][0-9]{1,3}$")]
    #[schema(max_length = 5)]
    pub code: String,
    #[schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub text: String,
    /// Given exactly when the criterion has guidance in the base language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(min_length = 1, max_length = 4000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub guidance: Option<String>,
}

/// The texts of a standard version in another language: its title, every principle's title and
/// every criterion's text and guidance. Codes, weights and the scoring policy are the base
/// version's and cannot be translated away.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, validator::Validate)]
#[serde(deny_unknown_fields)]
// The example translates the four-criterion standard `t-1.0` of the tests; a translation of
// `ers-1.0` gives its 7 principles and 33 criteria the same way.
#[schema(example = json!({
    "title": "Norme d'essai",
    "principles": [{"code": "A", "title": "Loi"}, {"code": "C", "title": "Frais"}],
    "criteria": [
        {"code": "A.1", "text": "Agréée"}, {"code": "A.2", "text": "Respecte la loi"},
        {"code": "C.1", "text": "Aucuns frais"}, {"code": "C.2", "text": "Aucune retenue"}
    ]
}))]
pub struct TranslationContent {
    #[schema(min_length = 1, max_length = 200, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub title: String,
    /// Every principle of the version, once.
    #[schema(min_items = 1, max_items = 26)]
    pub principles: Vec<Principle>,
    /// Every criterion of the version, once.
    #[schema(min_items = 1, max_items = 500)]
    pub criteria: Vec<CriterionText>,
}

impl TranslationContent {
    /// Every way the translation fails to say what `base` says, as (field, message) pairs: it
    /// must give every principle and criterion of the base once, no other, and guidance exactly
    /// where the base has some. Empty when valid.
    pub fn faults(&self, base: &StandardContent) -> Vec<(String, String)> {
        let mut faults = Vec::new();
        if self.title.trim().is_empty() || self.title.chars().count() > 200 {
            faults.push(("title".into(), "must have 1 to 200 characters".into()));
        }
        let mut seen = HashSet::new();
        for (i, p) in self.principles.iter().enumerate() {
            if !base.principles.iter().any(|b| b.code == p.code) {
                faults.push((format!("principles[{i}].code"), format!("unknown principle {}", p.code)));
            } else if !seen.insert(p.code.as_str()) {
                faults.push((format!("principles[{i}].code"), format!("principle {} is given twice", p.code)));
            }
            if p.title.trim().is_empty() || p.title.chars().count() > 200 {
                faults.push((format!("principles[{i}].title"), "must have 1 to 200 characters".into()));
            }
        }
        let missing: Vec<&str> =
            base.principles.iter().map(|p| p.code.as_str()).filter(|code| !seen.contains(code)).collect();
        if !missing.is_empty() {
            faults.push(("principles".into(), format!("missing principles: {}", missing.join(", "))));
        }
        let mut seen = HashSet::new();
        for (i, c) in self.criteria.iter().enumerate() {
            let Some(original) = base.criterion(&c.code) else {
                faults.push((format!("criteria[{i}].code"), format!("unknown criterion {}", c.code)));
                continue;
            };
            if !seen.insert(c.code.as_str()) {
                faults.push((format!("criteria[{i}].code"), format!("criterion {} is given twice", c.code)));
            }
            if c.text.trim().is_empty() || c.text.chars().count() > 2000 {
                faults.push((format!("criteria[{i}].text"), "must have 1 to 2000 characters".into()));
            }
            match (&original.guidance, &c.guidance) {
                (Some(_), None) => faults.push((
                    format!("criteria[{i}].guidance"),
                    format!("criterion {} has guidance: translate it too", c.code),
                )),
                (None, Some(_)) => faults.push((
                    format!("criteria[{i}].guidance"),
                    format!("criterion {} has no guidance to translate", c.code),
                )),
                (_, Some(g)) if !valid_guidance(g) => {
                    faults.push((format!("criteria[{i}].guidance"), "must have 1 to 4000 characters".into()))
                }
                _ => {}
            }
        }
        let missing: Vec<&str> =
            base.criteria.iter().map(|c| c.code.as_str()).filter(|code| !seen.contains(code)).collect();
        if !missing.is_empty() {
            faults.push(("criteria".into(), format!("missing criteria: {}", missing.join(", "))));
        }
        faults
    }
}

impl StandardContent {
    /// The version with the texts of `translation` in place of the base ones. Everything a
    /// score depends on (codes, principles of criteria, weights, flags, policy) stays the base's.
    pub fn translated(mut self, language: &str, translation: &TranslationContent) -> StandardContent {
        self.title.clone_from(&translation.title);
        let titles: HashMap<&str, &str> =
            translation.principles.iter().map(|p| (p.code.as_str(), p.title.as_str())).collect();
        for p in &mut self.principles {
            if let Some(title) = titles.get(p.code.as_str()) {
                (*title).clone_into(&mut p.title);
            }
        }
        let texts: HashMap<&str, &CriterionText> = translation.criteria.iter().map(|c| (c.code.as_str(), c)).collect();
        for c in &mut self.criteria {
            if let Some(t) = texts.get(c.code.as_str()) {
                c.text.clone_from(&t.text);
                if t.guidance.is_some() {
                    c.guidance.clone_from(&t.guidance);
                }
            }
        }
        self.language = Some(language.to_owned());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn small() -> StandardContent {
        serde_json::from_value(serde_json::json!({
            "version": "t-1", "title": "Test",
            "principles": [{"code": "A", "title": "Law"}, {"code": "C", "title": "Fees"}],
            "criteria": [
                {"code": "A.1", "principle": "A", "text": "Lawful", "weight": 1.0, "critical": false, "area": "policies"},
                {"code": "C.1", "principle": "C", "text": "No fees", "weight": 3.0, "critical": true, "area": "monitoring"}
            ],
            "policy": {
                "credits": {"conformant": 1.0, "observation": 1.0, "minor": 0.5, "major": 0.0, "critical": 0.0},
                "grade_bands": [{"grade": "A", "min_score": 90}, {"grade": "B", "min_score": 75}, {"grade": "C", "min_score": 60}, {"grade": "D", "min_score": 40}],
                "caps": {"any_critical": "E", "major_on_critical_criterion": "D", "any_major": "C"},
                "certification_minimum": 75
            }
        }))
        .unwrap()
    }

    #[test]
    fn the_shipped_standard_is_valid_and_covers_principles_a_to_g() {
        let standard = StandardContent::default_standard().unwrap();
        assert_eq!(standard.faults(), Vec::<(String, String)>::new());
        let codes: Vec<&str> = standard.principles.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["A", "B", "C", "D", "E", "F", "G"]);
        for p in &standard.principles {
            let n = standard.criteria.iter().filter(|c| c.principle == p.code).count();
            assert!((3..=6).contains(&n), "principle {} has {n} criteria", p.code);
        }
        assert!(standard.criteria.iter().any(|c| c.principle == "C" && c.critical));
        assert!(standard.criteria.iter().any(|c| c.principle == "D" && c.critical));
    }

    #[test]
    fn a_version_without_a_decision_policy_reads_the_defaults() {
        let standard = small();
        assert_eq!(standard.decision_policy, DecisionPolicy::default());
        assert!(standard.decision_policy.reviewer_must_differ(ReviewedDecision::Certify));
        assert!(!standard.decision_policy.reviewer_must_differ(ReviewedDecision::Reinstate));
        assert_eq!(standard.decision_policy.appeal_window_days, 30);
        assert_eq!(StandardContent::default_standard().unwrap().decision_policy, DecisionPolicy::default());
    }

    #[test]
    fn a_well_formed_standard_has_no_faults() {
        assert_eq!(small().faults(), Vec::<(String, String)>::new());
    }

    #[test]
    fn each_kind_of_fault_is_named() {
        let fields = |s: &StandardContent| s.faults().into_iter().map(|f| f.0).collect::<Vec<_>>();
        let mut s = small();
        s.criteria[1].code = "A.1".into();
        s.criteria[1].principle = "A".into();
        assert!(fields(&s).contains(&"criteria[1].code".into()), "duplicate code");
        let mut s = small();
        s.criteria[0].weight = 0.0;
        assert_eq!(fields(&s), vec!["criteria[0].weight"]);
        let mut s = small();
        s.criteria[0].principle = "Z".into();
        assert!(fields(&s).contains(&"criteria[0].principle".into()), "unknown principle");
        let mut s = small();
        s.policy.grade_bands.swap(0, 1);
        assert_eq!(fields(&s), vec!["policy.grade_bands"]);
        let mut s = small();
        s.policy.credits.minor = 1.5;
        assert!(fields(&s).contains(&"policy.credits.minor".into()));
    }

    fn french(s: &StandardContent) -> TranslationContent {
        TranslationContent {
            title: "Essai".into(),
            principles: s
                .principles
                .iter()
                .map(|p| Principle { code: p.code.clone(), title: format!("fr {}", p.title) })
                .collect(),
            criteria: s
                .criteria
                .iter()
                .map(|c| CriterionText {
                    code: c.code.clone(),
                    text: format!("fr {}", c.text),
                    guidance: c.guidance.as_ref().map(|g| format!("fr {g}")),
                })
                .collect(),
        }
    }

    #[test]
    fn a_translation_must_say_all_the_base_says_and_nothing_else() {
        let mut base = small();
        base.criteria[1].guidance = Some("Ask workers what they paid".into());
        let fields = |t: &TranslationContent| t.faults(&base).into_iter().collect::<Vec<_>>();
        assert!(fields(&french(&base)).is_empty());

        let mut t = french(&base);
        t.criteria.remove(0);
        t.criteria.push(CriterionText { code: "Z.9".into(), text: "x".into(), guidance: None });
        let faults = fields(&t);
        assert!(faults.contains(&("criteria[1].code".into(), "unknown criterion Z.9".into())), "{faults:?}");
        assert!(faults.contains(&("criteria".into(), "missing criteria: A.1".into())), "{faults:?}");

        let mut t = french(&base);
        t.criteria[1].guidance = None;
        t.criteria[0].guidance = Some("extra".into());
        let names: Vec<String> = fields(&t).into_iter().map(|f| f.0).collect();
        assert_eq!(names, ["criteria[0].guidance", "criteria[1].guidance"]);

        let mut t = french(&base);
        t.principles.pop();
        assert_eq!(fields(&t), [("principles".to_owned(), "missing principles: C".to_owned())]);
    }

    #[test]
    fn a_translated_version_keeps_every_number_of_the_base() {
        let base = small();
        let translated = base.clone().translated("fr", &french(&base));
        assert_eq!(translated.title, "Essai");
        assert_eq!(translated.criteria[1].text, "fr No fees");
        assert_eq!(translated.principles[0].title, "fr Law");
        assert_eq!(translated.policy, base.policy);
        let numbers =
            |s: &StandardContent| s.criteria.iter().map(|c| (c.code.clone(), c.weight, c.critical)).collect::<Vec<_>>();
        assert_eq!(numbers(&translated), numbers(&base));
        assert_eq!(base.base_language(), "en");
        assert_eq!(translated.base_language(), "fr");
    }
}
