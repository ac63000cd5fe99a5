//! Pure rules about agencies in the registry: the names they are found by, and how a licence
//! number is compared.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::domain::fields::{not_blank, plausible_date, plausible_time, valid_country};
use crate::domain::schema;

crate::domain::named_enum! {
    /// Economic sectors an agency recruits for.
    pub enum Sector {
        Agriculture,
        Fishing,
        Construction,
        Manufacturing,
        DomesticWork,
        Care,
        Healthcare,
        Hospitality,
        Cleaning,
        Security,
        Retail,
        TransportLogistics,
        OilGas,
        Mining,
        Other,
    }
}

crate::domain::named_enum! {
    /// Where an agency stands in the certification cycle (domain.md §6). `never_certified` is the
    /// state of an agency that has not applied yet.
    pub enum CertificationStatus {
        NeverCertified,
        Applicant,
        Certified,
        Suspended,
        Withdrawn,
        Expired,
    }
}

impl CertificationStatus {
    /// Certified or suspended: the agency holds a certificate that has not ended.
    pub fn holds_certificate(self) -> bool {
        matches!(self, CertificationStatus::Certified | CertificationStatus::Suspended)
    }

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

/// Grade bands of the scoring policy (domain.md §4).
#[derive(
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
    strum::EnumIter,
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    ToSchema,
)]
pub enum Grade {
    A,
    B,
    C,
    D,
    E,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(s: &str) -> Option<Self> {
        s.parse().ok()
    }
}

fn licence_dates(licence: &Licence) -> Result<(), ValidationError> {
    match (licence.valid_from, licence.valid_until) {
        (Some(from), Some(until)) if until < from => {
            return Err(ValidationError::new("dates").with_message("valid_until must not be before valid_from".into()));
        }
        _ => {}
    }
    // A check is a fact with a date: who and where mean nothing without when.
    if licence.verified_at.is_none() && (licence.verified_by.is_some() || licence.source.is_some()) {
        return Err(ValidationError::new("verified_at")
            .with_message("verified_at is required with verified_by or source".into()));
    }
    Ok(())
}

/// The operating licence issued by a labour ministry or recruitment regulator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[validate(schema(function = "licence_dates", skip_on_field_errors = false))]
#[schema(example = json!({"number": "DoFE-1234/2075", "issuing_authority": "Department of Foreign Employment", "country": "NP", "valid_from": "2024-07-16", "valid_until": "2027-07-15", "verified_at": "2026-11-20T08:15:00Z", "verified_by": "GEA-0042", "source": "https://dofe.gov.np/agencies"}))]
pub struct Licence {
    /// The number as printed on the licence. Unique per issuing country, ignoring case and spaces.
    #[validate(length(min = 1, max = 64), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 64, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub number: String,
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 200, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub issuing_authority: String,
    /// ISO 3166-1 alpha-2 code of the issuing country.
    #[validate(custom(function = "valid_country"))]
    #[schema(schema_with = schema::country)]
    pub country: String,
    #[serde(default)]
    #[validate(custom(function = "plausible_date"))]
    #[schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-")]
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    #[validate(custom(function = "plausible_date"))]
    #[schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-")]
    pub valid_until: Option<NaiveDate>,
    /// When the licence was last checked against the issuing authority's register.
    #[serde(default)]
    #[validate(custom(function = "plausible_time"))]
    #[schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-")]
    pub verified_at: Option<DateTime<Utc>>,
    /// Who checked it: a staff reference or an organisation, not a person's name.
    #[serde(default)]
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 200, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub verified_by: Option<String>,
    /// Where it was checked: the register's URL or name.
    #[serde(default)]
    #[validate(length(min = 1, max = 300), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 300, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 200, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub line1: String,
    #[serde(default)]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub line2: Option<String>,
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 100, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub city: String,
    #[serde(default)]
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub region: Option<String>,
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_length = 20)]
    pub postal_code: Option<String>,
    #[validate(custom(function = "valid_country"))]
    #[schema(schema_with = schema::country)]
    pub country: String,
}

/// Folds text for comparing names: accents and other scripts to ASCII, lower case, runs of white
/// space to one space. (The search index folds names into words its own way: `search::text`.)
pub fn fold_for_search(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The form a licence number is compared in: upper case, without white space. `"pol 123/45"` and
/// `"POL123/45"` are the same licence.
pub fn licence_key(number: &str) -> String {
    deunicode::deunicode(number).chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase()
}

/// A `LIKE` pattern matching `needle` anywhere, with `\` as the escape character.
pub fn contains_pattern(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_fold_ignores_case_accents_and_spacing() {
        assert_eq!(fold_for_search("  Agência   São JOSÉ "), "agencia sao jose");
        assert_eq!(fold_for_search("Überseeservice"), "uberseeservice");
    }

    #[test]
    fn licence_key_ignores_case_and_spaces_only() {
        assert_eq!(licence_key("pol 123/45"), "POL123/45");
        assert_ne!(licence_key("12-3"), licence_key("1-23"));
    }

    #[test]
    fn like_wildcards_in_queries_are_taken_literally() {
        assert_eq!(contains_pattern("50%_a\\b"), "%50\\%\\_a\\\\b%");
    }

    #[test]
    fn status_and_grade_round_trip_through_their_names() {
        for s in ["never_certified", "applicant", "certified", "suspended", "withdrawn", "expired"] {
            assert_eq!(CertificationStatus::parse(s).unwrap().as_str(), s);
        }
        assert_eq!(Grade::parse("C"), Some(Grade::C));
        assert_eq!(Grade::parse("F"), None);
    }
}
