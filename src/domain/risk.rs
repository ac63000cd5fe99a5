//! Agency risk (domain.md §4): what an HR platform asks first, with the reasons behind it.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::agency::{CertificationStatus, Grade};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RiskLevel {
    Low,
    Medium,
    High,
    Critical,
}

/// One reason, with the level it alone would give.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RiskReason {
    pub level: RiskLevel,
    #[schema(example = "1 major or critical corrective action is overdue", max_length = 1000)]
    pub reason: String,
}

/// What risk is judged on.
#[derive(Debug, Clone)]
pub struct RiskFacts {
    pub status: CertificationStatus,
    /// Grade of the latest finalized independent audit.
    pub grade: Option<Grade>,
    pub last_audit_at: Option<DateTime<Utc>>,
    pub overdue_critical_actions: usize,
    pub overdue_major_actions: usize,
    pub overdue_minor_actions: usize,
    /// Substantiated worker reports in the last 12 months.
    pub substantiated_reports: usize,
    pub licence_valid_until: Option<NaiveDate>,
    /// Why the body that issued the certificate in force no longer holds its accreditation.
    pub certifying_body_problem: Option<String>,
    pub now: DateTime<Utc>,
}

/// An audit older than this is stale.
pub const STALE_AFTER_MONTHS: u32 = 18;

/// The risk level (the worst of all reasons) and every reason, worst first.
pub fn assess(f: &RiskFacts) -> (RiskLevel, Vec<RiskReason>) {
    let mut reasons = Vec::new();
    let mut say = |level, reason: String| reasons.push(RiskReason { level, reason });
    match f.status {
        CertificationStatus::Certified => {}
        CertificationStatus::Suspended => say(RiskLevel::Critical, "the certificate is suspended".into()),
        CertificationStatus::Withdrawn => say(RiskLevel::Critical, "the certificate was withdrawn".into()),
        CertificationStatus::Expired => say(RiskLevel::High, "the certificate has expired".into()),
        CertificationStatus::Applicant => say(RiskLevel::Medium, "not certified yet (applicant)".into()),
        CertificationStatus::NeverCertified => say(RiskLevel::High, "never certified".into()),
    }
    match f.grade {
        None => say(RiskLevel::High, "no independent audit on record".into()),
        Some(Grade::E) => say(RiskLevel::Critical, "latest audit graded E".into()),
        Some(Grade::D) => say(RiskLevel::High, "latest audit graded D".into()),
        Some(Grade::C) => say(RiskLevel::Medium, "latest audit graded C".into()),
        Some(Grade::A | Grade::B) => {}
    }
    if crate::domain::certification::licence_expired(f.licence_valid_until, f.now) {
        let until = f.licence_valid_until.map(|d| d.to_string()).unwrap_or_default();
        say(RiskLevel::Critical, format!("the licence to recruit expired on {until}"));
    }
    if let Some(problem) = &f.certifying_body_problem {
        // The certificate stays valid, but its issuer is no longer vouched for by the scheme.
        say(RiskLevel::Medium, format!("the certificate stands, but {problem}"));
    }
    if f.overdue_critical_actions > 0 {
        say(RiskLevel::Critical, format!("{} critical corrective action(s) overdue", f.overdue_critical_actions));
    }
    if f.overdue_major_actions > 0 {
        say(RiskLevel::High, format!("{} major corrective action(s) overdue", f.overdue_major_actions));
    }
    if f.overdue_minor_actions > 0 {
        say(RiskLevel::Medium, format!("{} minor corrective action(s) overdue", f.overdue_minor_actions));
    }
    match f.substantiated_reports {
        0 => {}
        1 => say(RiskLevel::High, "1 substantiated worker report in the last 12 months".into()),
        n => say(RiskLevel::Critical, format!("{n} substantiated worker reports in the last 12 months")),
    }
    if let Some(at) = f.last_audit_at {
        let stale_since = at.checked_add_months(Months::new(STALE_AFTER_MONTHS)).unwrap_or(at);
        if f.now > stale_since {
            say(RiskLevel::High, format!("the last audit ({}) is more than 18 months old", at.format("%Y-%m-%d")));
        }
    }
    reasons.sort_by_key(|r| std::cmp::Reverse(r.level));
    let level = reasons.first().map(|r| r.level).unwrap_or(RiskLevel::Low);
    (level, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn facts() -> RiskFacts {
        RiskFacts {
            status: CertificationStatus::Certified,
            grade: Some(Grade::A),
            last_audit_at: Some(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap()),
            overdue_critical_actions: 0,
            overdue_major_actions: 0,
            overdue_minor_actions: 0,
            substantiated_reports: 0,
            licence_valid_until: None,
            certifying_body_problem: None,
            now: Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap(),
        }
    }

    #[test]
    fn a_certified_well_graded_recently_audited_agency_is_low_risk() {
        assert_eq!(assess(&facts()), (RiskLevel::Low, vec![]));
    }

    #[test]
    fn the_worst_reason_sets_the_level_and_all_reasons_are_listed() {
        let mut f = facts();
        f.grade = Some(Grade::C);
        f.overdue_major_actions = 1;
        let (level, reasons) = assess(&f);
        assert_eq!(level, RiskLevel::High);
        assert_eq!(reasons.len(), 2);
        assert_eq!(reasons[0].level, RiskLevel::High);
        f.status = CertificationStatus::Suspended;
        assert_eq!(assess(&f).0, RiskLevel::Critical);
    }

    #[test]
    fn an_old_audit_is_stale() {
        let mut f = facts();
        f.now = Utc.with_ymd_and_hms(2027, 7, 2, 0, 0, 0).unwrap();
        let (level, reasons) = assess(&f);
        assert_eq!(level, RiskLevel::High);
        assert!(reasons[0].reason.contains("18 months"));
    }

    #[test]
    fn an_expired_licence_is_critical_with_its_date() {
        let f = RiskFacts { licence_valid_until: NaiveDate::from_ymd_opt(2020, 3, 31), ..facts() };
        let (level, reasons) = assess(&f);
        assert_eq!(level, RiskLevel::Critical);
        assert_eq!(reasons[0].reason, "the licence to recruit expired on 2020-03-31");
        let valid = RiskFacts { licence_valid_until: NaiveDate::from_ymd_opt(2026, 6, 1), ..facts() };
        assert_eq!(assess(&valid).0, RiskLevel::Low, "valid through its last day");
    }

    #[test]
    fn a_lapsed_certifying_body_is_a_reason() {
        let f = RiskFacts { certifying_body_problem: Some("the body's accreditation ended".into()), ..facts() };
        let (level, reasons) = assess(&f);
        assert_eq!(level, RiskLevel::Medium);
        assert!(reasons[0].reason.contains("accreditation ended"));
    }

    #[test]
    fn unknown_agencies_are_high_risk_not_low() {
        let f = RiskFacts { status: CertificationStatus::NeverCertified, grade: None, last_audit_at: None, ..facts() };
        assert_eq!(assess(&f).0, RiskLevel::High);
    }
}
