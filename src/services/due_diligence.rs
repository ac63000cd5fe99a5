//! Due diligence as read: the facts behind the risk of many agencies at once, and the
//! recruitment chain of one (its sub-agents, theirs, and so on), each member with its status
//! and risk. Reads only; the summary itself is shaped by `api::certification`.
//!
//! Every fact is gathered for a whole set of agencies in one query per kind, so a chain costs
//! a fixed number of queries per level it goes down, however wide it is.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::DbConnection;
use crate::domain::certification_body::accreditation_problem;
use crate::domain::chain::{self, ChainStatus, MAX_DEPTH, MAX_MEMBERS, Standing, SubAgentKind};
use crate::domain::reports::risk_window_start;
use crate::domain::risk::{self, RiskFacts, RiskLevel, RiskReason};
use crate::domain::standard::Severity;
use crate::error::{AppError, AppResult};
use crate::store;
use crate::store::agencies::AgencyRow;
use crate::store::sub_agents::LinkRow;

/// The facts `domain::risk::assess` judges, for each of these agencies, as of `now`: the same
/// facts whether an agency is asked about alone or as a member of another's chain.
pub fn risk_facts(
    conn: &mut DbConnection,
    agencies: &[AgencyRow],
    now: DateTime<Utc>,
) -> AppResult<HashMap<String, RiskFacts>> {
    let ids: Vec<String> = agencies.iter().map(|a| a.id.clone()).collect();
    let holders: HashSet<&str> =
        agencies.iter().filter(|a| a.certification_status.holds_certificate()).map(|a| a.id.as_str()).collect();
    // A certificate stays valid when its body's accreditation lapses; risk says so.
    let issued_by: HashMap<String, String> = store::certifications::certificates_of(conn, &ids)?
        .into_iter()
        .filter(|c| holders.contains(c.agency_id.as_str()))
        .map(|c| (c.agency_id, c.certification_body_id))
        .collect();
    let body_ids: Vec<String> = issued_by.values().cloned().collect::<HashSet<_>>().into_iter().collect();
    let body_problems: HashMap<String, String> = store::certification_bodies::find_many(conn, &body_ids)?
        .into_iter()
        .filter_map(|b| {
            Some((b.id.clone(), accreditation_problem(&b.name, b.accreditation_status, b.accredited_until, now)?))
        })
        .collect();
    let overdue = store::corrective_actions::overdue_by_agency(conn, &ids, now)?;
    let last_audits = store::certifications::last_audits(conn, &ids)?;
    let reports = store::reports::substantiated_since(conn, &ids, risk_window_start(now))?;
    let count = |id: &str, severity| overdue.get(&(id.to_owned(), severity)).copied().unwrap_or(0);
    Ok(agencies
        .iter()
        .map(|a| {
            let facts = RiskFacts {
                status: a.certification_status,
                grade: a.grade,
                last_audit_at: last_audits.get(&a.id).copied(),
                overdue_critical_actions: count(&a.id, Severity::Critical),
                overdue_major_actions: count(&a.id, Severity::Major),
                overdue_minor_actions: count(&a.id, Severity::Minor),
                substantiated_reports: reports.get(&a.id).copied().unwrap_or(0),
                licence_valid_until: a.licence_valid_until,
                certifying_body_problem: issued_by.get(&a.id).and_then(|body| body_problems.get(body)).cloned(),
                now,
            };
            (a.id.clone(), facts)
        })
        .collect())
}

/// The recruitment chain of an agency: every sub-agent and branch, followed down registered
/// sub-agents' own links, and the worst of them.
#[derive(Debug, Serialize, ToSchema)]
pub struct Chain {
    /// The worst status of any member; null when the agency lists none.
    pub worst_status: Option<ChainStatus>,
    /// The worst risk level of any member (at least `medium` when the chain was cut short);
    /// null when the agency lists none.
    pub worst_risk_level: Option<RiskLevel>,
    /// The reasons that set `worst_risk_level`, each naming the member it is about.
    #[schema(max_items = 5000)]
    pub worst_reasons: Vec<RiskReason>,
    /// True when the chain goes on beyond `max_depth` links or 500 members: the rest was not
    /// read, and the risk says so.
    pub truncated: bool,
    /// How many links deep the chain is followed.
    #[schema(example = 3)]
    #[schema(minimum = 1, maximum = 100)]
    pub max_depth: u32,
    /// Each member once, at the shortest distance it is reached, nearest first.
    #[schema(max_items = 500)]
    pub members: Vec<ChainMember>,
}

/// A sub-agent or branch in the chain, with its standing.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChainMember {
    /// The sub-agent link that puts it in the chain.
    #[schema(format = Uuid)]
    pub link_id: String,
    /// The agency that recorded the link: the agency asked about, or a sub-agent of it.
    #[schema(format = Uuid)]
    pub recruits_for: String,
    /// 1 for the agency's own sub-agents, 2 for theirs, and so on.
    #[schema(minimum = 1, maximum = 100)]
    pub depth: u32,
    pub kind: SubAgentKind,
    /// The registered agency; null for one outside the registry.
    #[schema(format = Uuid)]
    pub agency_id: Option<String>,
    /// The legal name of a registered agency, or the name the agency gave.
    #[schema(max_length = 200)]
    pub name: String,
    #[schema(example = "NP")]
    #[schema(max_length = 2, pattern = "^[A-Z]{2}$")]
    pub country: Option<String>,
    #[schema(max_length = 64)]
    pub licence_number: Option<String>,
    pub status: ChainStatus,
    pub risk_level: RiskLevel,
    /// Every reason behind `risk_level`, worst first: for a registered agency the same as its
    /// own due diligence.
    #[schema(max_items = 10)]
    pub risk_reasons: Vec<RiskReason>,
}

/// The chain of `agency_id` as of `now`, breadth first, down to [`MAX_DEPTH`] links and at
/// most [`MAX_MEMBERS`] members. Each registered agency is visited once (the agency itself
/// included), so a cycle ends where it closes.
pub fn chain(conn: &mut DbConnection, agency_id: &str, now: DateTime<Utc>) -> AppResult<Chain> {
    let mut visited: HashSet<String> = HashSet::from([agency_id.to_owned()]);
    let mut frontier = vec![agency_id.to_owned()];
    let mut members = Vec::new();
    let mut truncated = false;
    for depth in 1..=MAX_DEPTH {
        if frontier.is_empty() || truncated {
            break;
        }
        let mut level: Vec<LinkRow> = Vec::new();
        for link in store::sub_agents::standing_of(conn, &frontier)? {
            if link.sub_agency_id.as_ref().is_some_and(|id| visited.contains(id)) {
                continue;
            }
            if members.len() + level.len() >= MAX_MEMBERS {
                truncated = true;
                break;
            }
            if let Some(id) = &link.sub_agency_id {
                visited.insert(id.clone());
            }
            level.push(link);
        }
        let registered: Vec<String> = level.iter().filter_map(|l| l.sub_agency_id.clone()).collect();
        let agencies: HashMap<String, AgencyRow> =
            store::agencies::find_many(conn, &registered)?.into_iter().map(|a| (a.id.clone(), a)).collect();
        let rows: Vec<AgencyRow> = agencies.values().cloned().collect();
        let mut facts = risk_facts(conn, &rows, now)?;
        for link in level {
            members.push(member(link, depth, &agencies, &mut facts)?);
        }
        frontier = registered;
    }
    // Registered members at the last level may list more: the chain was cut short there.
    if !truncated && !frontier.is_empty() {
        truncated = store::sub_agents::standing_of(conn, &frontier)?
            .iter()
            .any(|l| l.sub_agency_id.as_ref().is_none_or(|id| !visited.contains(id)));
    }
    let standings: Vec<Standing<'_>> = members
        .iter()
        .map(|m| Standing { name: &m.name, status: m.status, risk_level: m.risk_level, risk_reasons: &m.risk_reasons })
        .collect();
    let worst = chain::worst(&standings, truncated);
    Ok(Chain {
        worst_status: worst.worst_status,
        worst_risk_level: worst.worst_risk_level,
        worst_reasons: worst.reasons,
        truncated,
        max_depth: MAX_DEPTH as u32,
        members,
    })
}

fn member(
    link: LinkRow,
    depth: usize,
    agencies: &HashMap<String, AgencyRow>,
    facts: &mut HashMap<String, RiskFacts>,
) -> AppResult<ChainMember> {
    let (name, country, licence_number, status, (risk_level, risk_reasons)) = match &link.sub_agency_id {
        Some(id) => {
            let agency =
                agencies.get(id).ok_or_else(|| AppError::internal(format!("sub-agent {id} is not registered")))?;
            let facts = facts.remove(id).ok_or_else(|| AppError::internal(format!("no risk facts for {id}")))?;
            (
                agency.legal_name.clone(),
                Some(agency.licence_country.clone()),
                Some(agency.licence_number.clone()),
                ChainStatus::from(agency.certification_status),
                risk::assess(&facts),
            )
        }
        None => (
            link.name.clone().unwrap_or_default(),
            link.country.clone(),
            link.licence_number.clone(),
            ChainStatus::Unregistered,
            chain::unregistered_risk(link.licence_number.as_deref()),
        ),
    };
    Ok(ChainMember {
        link_id: link.id,
        recruits_for: link.agency_id,
        depth: u32::try_from(depth).unwrap_or(u32::MAX),
        kind: link.kind,
        agency_id: link.sub_agency_id,
        name,
        country,
        licence_number,
        status,
        risk_level,
        risk_reasons,
    })
}
