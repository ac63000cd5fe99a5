//! Certification bodies and the applications agencies make to them (domain.md §6).

use chrono::{DateTime, NaiveDate, Utc};

crate::domain::named_enum! {
    /// Where a body stands with the scheme's accreditation.
    pub enum AccreditationStatus {
        /// Applied for accreditation; its auditors may not assess yet.
        Pending,
        Accredited,
        Suspended,
        Withdrawn,
    }
}

crate::domain::named_enum! {
    pub enum ApplicationStatus {
        Pending,
        Accepted,
        /// Needs more from the agency; lapses if not accepted within 60 days.
        Deferred,
        Rejected,
        /// Deferred and not completed in time.
        Lapsed,
        /// The certification it led to ended (withdrawn or expired).
        Closed,
    }
}

impl ApplicationStatus {
    /// The body may still decide on it.
    pub fn is_undecided(self) -> bool {
        matches!(self, ApplicationStatus::Pending | ApplicationStatus::Deferred)
    }
}

/// Why a body's accreditation does not let it audit or certify at `now`, if it does not: it must
/// be `accredited`, and `accredited_until` (when set) not past.
pub fn accreditation_problem(
    name: &str,
    status: AccreditationStatus,
    accredited_until: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Option<String> {
    if status != AccreditationStatus::Accredited {
        return Some(format!("{name} is not accredited ({status})"));
    }
    match accredited_until {
        Some(until) if until < now.date_naive() => Some(format!("the accreditation of {name} ended on {until}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn an_accreditation_counts_while_accredited_and_not_past_its_date() {
        let now = Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let problem = |status, until| accreditation_problem("GEA", status, until, now);
        assert_eq!(problem(AccreditationStatus::Accredited, None), None);
        assert_eq!(problem(AccreditationStatus::Accredited, day(2026, 6, 1)), None);
        assert_eq!(
            problem(AccreditationStatus::Accredited, day(2020, 1, 1)).unwrap(),
            "the accreditation of GEA ended on 2020-01-01"
        );
        assert_eq!(
            problem(AccreditationStatus::Suspended, day(2030, 1, 1)).unwrap(),
            "GEA is not accredited (suspended)"
        );
        assert!(problem(AccreditationStatus::Pending, None).is_some());
    }
}
