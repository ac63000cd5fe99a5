//! Pure rules about agencies in the registry: the names they are found by, and how a licence
//! number is compared.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Economic sectors an agency recruits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
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

/// Where an agency stands in the certification cycle (domain.md §6). `never_certified` is the
/// state of an agency that has not applied yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificationStatus {
    NeverCertified,
    Applicant,
    Certified,
    Suspended,
    Withdrawn,
    Expired,
}

impl CertificationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CertificationStatus::NeverCertified => "never_certified",
            CertificationStatus::Applicant => "applicant",
            CertificationStatus::Certified => "certified",
            CertificationStatus::Suspended => "suspended",
            CertificationStatus::Withdrawn => "withdrawn",
            CertificationStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

/// Grade bands of the scoring policy (domain.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub enum Grade {
    A,
    B,
    C,
    D,
    E,
}

impl Grade {
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::E => "E",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

/// Folds text for search: accents and other scripts to ASCII, lower case, runs of white space to
/// one space. The same fold is applied to stored names and to queries, so matching is case- and
/// accent-insensitive on both backends alike.
pub fn fold_for_search(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The searchable form of an agency's names: one folded name per line.
pub fn search_text(legal_name: &str, trading_names: &[String]) -> String {
    std::iter::once(legal_name)
        .chain(trading_names.iter().map(String::as_str))
        .map(fold_for_search)
        .collect::<Vec<_>>()
        .join("\n")
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
    fn search_text_holds_every_name_on_its_own_line() {
        let text = search_text("Himal Manpower", &["Himal HR".into(), "Éverest".into()]);
        assert_eq!(text, "himal manpower\nhimal hr\neverest");
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
