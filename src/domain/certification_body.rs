//! Certification bodies and the applications agencies make to them (domain.md §6).

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
