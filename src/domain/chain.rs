//! The recruitment chain (domain.md §9): the sub-agents and branches that recruit for an
//! agency, how one outside the registry is read, and the chain's worst status and risk.
//!
//! The rule, chosen so that a scheme could defend it to the workers it protects: a worker
//! recruited through a sub-agent meets the sub-agent, not the agency, so the chain is only as
//! safe as its weakest link, and a link nobody can check counts as a risk, never as neutral.

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::agency::CertificationStatus;
use crate::domain::named_enum;
use crate::domain::risk::{RiskLevel, RiskReason};

named_enum! {
/// How a recruiter is tied to the agency: an independent `sub_agent`, or a `branch` of its own.
pub enum SubAgentKind {
    SubAgent,
    Branch,
}
}

/// The criterion of the default standard (`ers-1.0`) on the agency's due diligence of its
/// sub-agents and partner agencies ("uses only sub-agents and partner agencies that it has
/// vetted, binds them in writing … and monitors how they recruit"): the only one whose findings
/// may name sub-agent links.
pub const SUB_AGENT_CRITERION: &str = "B.3";

/// Whether findings on this criterion may name sub-agent links.
pub fn criterion_takes_sub_agents(criterion_code: &str) -> bool {
    criterion_code == SUB_AGENT_CRITERION
}

/// How many links deep the chain is followed: the agency's own sub-agents are depth 1.
pub const MAX_DEPTH: usize = 3;

/// At most this many members are read into one chain, however wide it is.
pub const MAX_MEMBERS: usize = 500;

/// At most this many standing links per agency.
pub const MAX_LINKS: usize = 200;

/// Where a member of the chain stands: its certification status, or `unregistered`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChainStatus {
    Certified,
    Applicant,
    NeverCertified,
    Expired,
    /// Not in the registry: nothing about it can be verified.
    Unregistered,
    Suspended,
    Withdrawn,
}

impl ChainStatus {
    /// How bad the status is for a worker, higher is worse. A certificate taken away
    /// (suspended, withdrawn) is worse than an unknown: an auditor saw breaches. An unknown is
    /// worse than a registered agency without a certificate: at least its licence is on record.
    fn severity(self) -> u8 {
        match self {
            ChainStatus::Certified => 0,
            ChainStatus::Applicant => 1,
            ChainStatus::NeverCertified => 2,
            ChainStatus::Expired => 3,
            ChainStatus::Unregistered => 4,
            ChainStatus::Suspended => 5,
            ChainStatus::Withdrawn => 6,
        }
    }
}

impl From<CertificationStatus> for ChainStatus {
    fn from(status: CertificationStatus) -> Self {
        match status {
            CertificationStatus::Certified => ChainStatus::Certified,
            CertificationStatus::Applicant => ChainStatus::Applicant,
            CertificationStatus::NeverCertified => ChainStatus::NeverCertified,
            CertificationStatus::Expired => ChainStatus::Expired,
            CertificationStatus::Suspended => ChainStatus::Suspended,
            CertificationStatus::Withdrawn => ChainStatus::Withdrawn,
        }
    }
}

/// The fixed reading of a recruiter outside the registry: at least `high`, because nothing
/// about it (licence, audits, reports) can be checked here.
pub fn unregistered_risk(licence_number: Option<&str>) -> (RiskLevel, Vec<RiskReason>) {
    let mut reasons =
        vec![RiskReason { level: RiskLevel::High, reason: "not in the registry, cannot be verified".into() }];
    if licence_number.is_none() {
        reasons.push(RiskReason { level: RiskLevel::High, reason: "no licence number recorded".into() });
    }
    (RiskLevel::High, reasons)
}

/// The reason a chain cut short by [`MAX_DEPTH`] or [`MAX_MEMBERS`] carries.
pub fn truncation_reason() -> RiskReason {
    RiskReason {
        level: RiskLevel::Medium,
        reason: format!("the chain goes on beyond {MAX_DEPTH} links or {MAX_MEMBERS} members; the rest was not read"),
    }
}

/// One member's standing, as the chain summary weighs it.
#[derive(Debug, Clone)]
pub struct Standing<'a> {
    /// Who it is, for the reasons: the name shown in the chain.
    pub name: &'a str,
    pub status: ChainStatus,
    pub risk_level: RiskLevel,
    pub risk_reasons: &'a [RiskReason],
}

/// The worst of the chain: the worst status, the worst risk level, and the reasons that set
/// that level (each member's reasons at that level, prefixed with its name).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Worst {
    /// Null for a chain without members.
    pub worst_status: Option<ChainStatus>,
    /// Null for a chain without members.
    pub worst_risk_level: Option<RiskLevel>,
    /// The reasons at the worst level, each naming the member it is about.
    pub reasons: Vec<RiskReason>,
}

/// Summarises the chain. `truncated` adds [`truncation_reason`]: a chain not read to its end
/// is not low risk.
pub fn worst(members: &[Standing<'_>], truncated: bool) -> Worst {
    let worst_status = members.iter().map(|m| m.status).max_by_key(|s| s.severity());
    let mut levels: Vec<RiskLevel> = members.iter().map(|m| m.risk_level).collect();
    if truncated {
        levels.push(truncation_reason().level);
    }
    let worst_risk_level = levels.into_iter().max();
    let mut reasons = Vec::new();
    if let Some(level) = worst_risk_level {
        for m in members.iter().filter(|m| m.risk_level == level) {
            for r in m.risk_reasons.iter().filter(|r| r.level == level) {
                reasons.push(RiskReason { level, reason: format!("{}: {}", m.name, r.reason) });
            }
        }
        if truncated && truncation_reason().level == level {
            reasons.push(truncation_reason());
        }
    }
    Worst { worst_status, worst_risk_level, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(level: RiskLevel, text: &str) -> RiskReason {
        RiskReason { level, reason: text.into() }
    }

    #[test]
    fn an_unregistered_recruiter_is_at_least_high_risk_with_its_reason() {
        let (level, reasons) = unregistered_risk(Some("DoFE-9/2079"));
        assert_eq!(level, RiskLevel::High);
        assert_eq!(reasons, vec![reason(RiskLevel::High, "not in the registry, cannot be verified")]);
        let (_, reasons) = unregistered_risk(None);
        assert_eq!(reasons.len(), 2);
        assert_eq!(reasons[1].reason, "no licence number recorded");
    }

    #[test]
    fn the_worst_status_and_level_win_with_the_reasons_that_set_them() {
        let critical = [reason(RiskLevel::Critical, "the certificate is suspended"), reason(RiskLevel::High, "x")];
        let (_, unknown) = unregistered_risk(Some("L-1"));
        let members = [
            Standing { name: "Ok Ltd", status: ChainStatus::Certified, risk_level: RiskLevel::Low, risk_reasons: &[] },
            Standing {
                name: "Bad Ltd",
                status: ChainStatus::Suspended,
                risk_level: RiskLevel::Critical,
                risk_reasons: &critical,
            },
            Standing {
                name: "Informal",
                status: ChainStatus::Unregistered,
                risk_level: RiskLevel::High,
                risk_reasons: &unknown,
            },
        ];
        let w = worst(&members, false);
        assert_eq!(w.worst_status, Some(ChainStatus::Suspended));
        assert_eq!(w.worst_risk_level, Some(RiskLevel::Critical));
        assert_eq!(w.reasons, vec![reason(RiskLevel::Critical, "Bad Ltd: the certificate is suspended")]);

        let w = worst(&members[2..], false);
        assert_eq!(w.worst_status, Some(ChainStatus::Unregistered));
        assert_eq!(w.reasons, vec![reason(RiskLevel::High, "Informal: not in the registry, cannot be verified")]);
    }

    #[test]
    fn withdrawn_is_worst_and_unknown_is_worse_than_uncertified() {
        let order = [
            ChainStatus::Certified,
            ChainStatus::Applicant,
            ChainStatus::NeverCertified,
            ChainStatus::Expired,
            ChainStatus::Unregistered,
            ChainStatus::Suspended,
            ChainStatus::Withdrawn,
        ];
        assert!(order.windows(2).all(|w| w[0].severity() < w[1].severity()));
    }

    #[test]
    fn an_empty_chain_has_no_worst_and_a_cut_chain_is_not_low() {
        assert_eq!(worst(&[], false), Worst { worst_status: None, worst_risk_level: None, reasons: vec![] });
        let members =
            [Standing { name: "Ok", status: ChainStatus::Certified, risk_level: RiskLevel::Low, risk_reasons: &[] }];
        let w = worst(&members, true);
        assert_eq!(w.worst_risk_level, Some(RiskLevel::Medium));
        assert_eq!(w.reasons, vec![truncation_reason()]);
    }

    #[test]
    fn only_the_sub_agent_criterion_names_sub_agents() {
        assert!(criterion_takes_sub_agents("B.3"));
        assert!(!criterion_takes_sub_agents("B.2"));
        assert!(!criterion_takes_sub_agents("C.1"));
    }
}
