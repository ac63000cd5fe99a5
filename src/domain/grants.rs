//! Sharing grants (domain.md §9): an agency lets one integrator read its full findings until a
//! date, and may revoke that at any time. The rules of their dates and states.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::named_enum;

/// A grant runs at most this long from the day it is given.
pub const MAX_MONTHS: u32 = 24;

/// Where a grant stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GrantState {
    /// The integrator may read the agency's findings now.
    Active,
    /// `valid_until` has passed.
    Expired,
    /// The agency (or an admin) revoked it.
    Revoked,
}

/// A grant's state at `now`. `valid_until` is the last day of access, in UTC: the grant
/// expires when that day ends. A revocation wins over everything.
pub fn state(valid_until: NaiveDate, revoked_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> GrantState {
    match revoked_at {
        Some(at) if at <= now => GrantState::Revoked,
        _ if now.date_naive() > valid_until => GrantState::Expired,
        _ => GrantState::Active,
    }
}

/// What is wrong with `valid_until` for a grant given at `now`: it must be after today and at
/// most [`MAX_MONTHS`] ahead.
pub fn valid_until_problem(valid_until: NaiveDate, now: DateTime<Utc>) -> Option<String> {
    let today = now.date_naive();
    let latest = today.checked_add_months(Months::new(MAX_MONTHS)).unwrap_or(today);
    if valid_until <= today {
        Some(format!("must be a day after today ({today})"))
    } else if valid_until > latest {
        Some(format!("must be at most {MAX_MONTHS} months ahead, on or before {latest}"))
    } else {
        None
    }
}

named_enum! {
/// What an integrator read under a grant.
pub enum GrantedRead {
    /// An assessment with its findings.
    Findings,
    /// An assessment's explained score.
    ScoreExplanation,
}
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_grant_runs_to_the_end_of_its_last_day_unless_revoked() {
        let until = day(2026, 3, 31);
        let last_minute = Utc.with_ymd_and_hms(2026, 3, 31, 23, 59, 59).unwrap();
        let next_day = Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap();
        assert_eq!(state(until, None, last_minute), GrantState::Active);
        assert_eq!(state(until, None, next_day), GrantState::Expired);
        assert_eq!(state(until, Some(last_minute), last_minute), GrantState::Revoked);
        assert_eq!(state(until, Some(last_minute), next_day), GrantState::Revoked);
    }

    #[test]
    fn valid_until_is_after_today_and_at_most_two_years_ahead() {
        let now = Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap();
        assert!(valid_until_problem(day(2026, 1, 5), now).is_some());
        assert!(valid_until_problem(day(2025, 12, 31), now).is_some());
        assert_eq!(valid_until_problem(day(2026, 1, 6), now), None);
        assert_eq!(valid_until_problem(day(2028, 1, 5), now), None);
        assert!(valid_until_problem(day(2028, 1, 6), now).unwrap().contains("24 months"));
    }
}
