//! Personal data: the kinds the service keeps, which fields each is, and when retention ends.

use chrono::{DateTime, Duration, Utc};

use crate::domain::named_enum;

named_enum! {
/// A kind of personal data that can be erased, by the retention policy or on request.
pub enum PersonalData {
    /// The contact a worker left on a report (sealed at rest; only admins ever read it).
    ReportContact,
    /// An agency's contact e-mail and phone, which often name a person.
    AgencyContact,
    /// An evidence file's contents and name, for a file that names workers (interview notes,
    /// payslips). Its hash, size and type stay, as proof of what was there.
    EvidenceFile,
}
}

impl PersonalData {
    /// The fields erased, as the record and its events name them.
    pub fn fields(self) -> &'static [&'static str] {
        match self {
            PersonalData::ReportContact => &["contact"],
            PersonalData::AgencyContact => &["contact_email", "contact_phone"],
            PersonalData::EvidenceFile => &["file_name", "content"],
        }
    }

    /// The `subject.type` of the events about the record that holds the data.
    pub fn subject_type(self) -> &'static str {
        match self {
            PersonalData::ReportContact => "report",
            PersonalData::AgencyContact => "agency",
            PersonalData::EvidenceFile => "evidence_file",
        }
    }
}

/// Why data was erased, as the erasure event records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ground {
    /// Its retention period ended (the sweep).
    Retention,
    /// A person asked, through an admin.
    Request,
}

impl Ground {
    pub fn name(self) -> &'static str {
        match self {
            Ground::Retention => "retention",
            Ground::Request => "request",
        }
    }
}

/// The moment before which data that stopped being needed is past its retention period.
pub fn cutoff(now: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    now - Duration::days(i64::from(days))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_cutoff_counts_whole_days_back() {
        let now = Utc.with_ymd_and_hms(2027, 3, 1, 12, 0, 0).unwrap();
        assert_eq!(cutoff(now, 180), Utc.with_ymd_and_hms(2026, 9, 2, 12, 0, 0).unwrap());
        assert_eq!(cutoff(now, 0), now);
    }

    #[test]
    fn every_field_that_enters_the_log_is_kept_apart_there() {
        use strum::IntoEnumIterator;
        // A report's contact and a file's contents never enter the event log at all.
        const NEVER_LOGGED: &[&str] = &["contact", "content"];
        for kind in PersonalData::iter() {
            for field in kind.fields() {
                assert!(
                    NEVER_LOGGED.contains(field) || crate::domain::events::PERSONAL_FIELDS.contains(field),
                    "{field}"
                );
            }
        }
    }
}
