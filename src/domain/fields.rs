//! Field rules shared by request bodies: `validator` checks and serde readers. One definition
//! each, so that every resource accepts the same country, URL or count the same way.

use serde::{Deserialize, Deserializer};
use validator::ValidationError;

use crate::domain::countries;

pub fn not_blank(text: &str) -> Result<(), ValidationError> {
    if text.trim().is_empty() {
        Err(ValidationError::new("blank").with_message("must not be blank".into()))
    } else {
        Ok(())
    }
}

/// A reference such as a staff `person_ref` or a client id: 1 to 64 of A-Z, a-z, 0-9, `.`, `_`
/// and `-` (the pattern `^[A-Za-z0-9._-]{1,64}$` the document states).
pub fn plain_reference(value: &str) -> Result<(), ValidationError> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new("reference").with_message("1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-'".into()))
    }
}

pub fn valid_country(code: &str) -> Result<(), ValidationError> {
    if countries::is_assigned(code) {
        Ok(())
    } else {
        Err(ValidationError::new("country").with_message("must be an ISO 3166-1 alpha-2 country code, e.g. NP".into()))
    }
}

/// A recruitment corridor: origin and destination country, joined by a dash (`NP-QA`).
pub fn valid_corridor(value: &str) -> Result<(), ValidationError> {
    match value.split_once('-') {
        Some((from, to)) if valid_country(from).is_ok() && valid_country(to).is_ok() => Ok(()),
        _ => Err(ValidationError::new("corridor").with_message(
            "must be two ISO 3166-1 alpha-2 codes, origin then destination, joined by a dash: NP-QA".into(),
        )),
    }
}

/// The years a date in the registry can fall in. Anything outside is a typing slip (`0202`,
/// `20266`) and, before 4714 BC, cannot be stored on PostgreSQL.
pub const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

pub fn plausible_date(date: &chrono::NaiveDate) -> Result<(), ValidationError> {
    use chrono::Datelike;
    if PLAUSIBLE_YEARS.contains(&date.year()) {
        Ok(())
    } else {
        Err(ValidationError::new("date").with_message("must be a date between the years 1900 and 2200".into()))
    }
}

pub fn plausible_time(time: &chrono::DateTime<chrono::Utc>) -> Result<(), ValidationError> {
    plausible_date(&time.date_naive())
}

pub fn web_url(url: &str) -> Result<(), ValidationError> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        Ok(())
    } else {
        Err(ValidationError::new("url").with_message("must be an http or https URL".into()))
    }
}

pub fn uuid(text: &str) -> Result<(), ValidationError> {
    if uuid::Uuid::try_parse(text).is_ok() {
        Ok(())
    } else {
        Err(ValidationError::new("uuid").with_message("must be a UUID".into()))
    }
}

/// Reads a present field as `Some(value)`, so that `null` (clear) and absent (keep) differ in
/// a partial update.
pub fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// Reads a present field as `Some(value)`, refusing `null`: for fields a partial update may
/// change but not clear.
pub fn not_null<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A whole number, written `25` or `25.0`: JSON does not tell them apart and neither does
/// JSON Schema's `integer`.
fn whole(value: serde_json::Number) -> Option<i128> {
    if let Some(n) = value.as_i64() {
        return Some(i128::from(n));
    }
    if let Some(n) = value.as_u64() {
        return Some(i128::from(n));
    }
    value.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| f as i128)
}

pub fn whole_u32<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    let number = serde_json::Number::deserialize(d)?;
    whole(number)
        .and_then(|n| u32::try_from(n).ok())
        .ok_or_else(|| serde::de::Error::custom("expected a whole number from 0 to 4294967295"))
}

pub fn whole_i64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let number = serde_json::Number::deserialize(d)?;
    whole(number).and_then(|n| i64::try_from(n).ok()).ok_or_else(|| serde::de::Error::custom("expected a whole number"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Count {
        #[serde(deserialize_with = "whole_u32")]
        n: u32,
    }

    #[test]
    fn whole_numbers_may_be_written_with_a_zero_fraction_only() {
        let n = |json: &str| serde_json::from_str::<Count>(json).map(|c| c.n).ok();
        assert_eq!(n(r#"{"n": 25}"#), Some(25));
        assert_eq!(n(r#"{"n": 25.0}"#), Some(25));
        assert_eq!(n(r#"{"n": 25.5}"#), None);
        assert_eq!(n(r#"{"n": -1}"#), None);
        assert_eq!(n(r#"{"n": 5e9}"#), None);
        assert_eq!(n(r#"{"n": "25"}"#), None);
    }
}
