//! The answer to a bulk verification: each item's outcome and, for a matched agency, where it
//! stands: certification, certificate, licence and risk.
//!
//! The facts behind the standing are read in batches for all matched agencies at once
//! (certificates and their endings, the bodies that issued them, corrective actions grouped by
//! agency, the last audit per agency, recent substantiated reports per agency), and risk is
//! `domain::risk::assess` over the same facts the due-diligence summary gathers for one agency
//! (`api::certification::due_diligence`), so both say the same of an agency at the same moment.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::public::{CertificateState, PublicCertificate};
use crate::db::DbConnection;
use crate::domain::agency::{CertificationStatus, Grade};
use crate::domain::certification::{expired, licence_expired};
use crate::domain::risk::{self, RiskLevel, RiskReason};
use crate::domain::verification::{Outcome, outcome_of};
use crate::error::{AppError, AppResult, FieldError};
use crate::services::verifications::{Lookup, Resolved, VerificationItem, distinct, resolve};
use crate::store;
use crate::store::agencies::AgencyRow;

/// What was found for one item.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "request_index": 1,
    "reference": "row-2",
    "lookup": "licence",
    "outcome": "found",
    "agency": {
        "id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90",
        "legal_name": "Himalayan Overseas Manpower Pvt. Ltd.",
        "licence_number": "DoFE-1234/2075",
        "licence_country": "NP",
        "licence_valid_until": "2027-07-15",
        "licence_valid_today": true,
        "certification_status": "certified",
        "grade": "B",
        "risk_level": "low",
        "risk_reasons": [],
        "certificate": {
            "number": "FH-2026-7D2A9C35",
            "certification_body_id": "0193f0a6-2b3c-7d4e-8f50-6a7b8c9d0e1f",
            "state": "in_force",
            "valid_from": "2026-11-28T09:30:00Z",
            "valid_until": "2029-11-28T09:30:00Z",
            "suspended_at": null,
            "ended_at": null,
            "end_reason": null,
            "valid_today": true
        }
    },
    "name_similarity": null,
    "candidates": [],
    "errors": []
}))]
pub struct VerificationResult {
    /// The item's position in the request, from 0.
    #[schema(format = Int32, minimum = 0, maximum = 999)]
    pub request_index: usize,
    /// The item's `reference`, as sent.
    #[schema(max_length = 1000)]
    pub reference: Option<String>,
    /// How the item named its agency; null for an `invalid` item.
    pub lookup: Option<Lookup>,
    pub outcome: Outcome,
    /// The agency matched; null for `not_found`, `ambiguous` and `invalid`.
    pub agency: Option<VerifiedAgency>,
    /// For a match by name, how alike the names are, from 0 to 1; null otherwise.
    pub name_similarity: Option<f64>,
    /// For `ambiguous` only: the agencies the name may mean, best first, at most 5.
    #[schema(max_items = 5)]
    pub candidates: Vec<Candidate>,
    /// For `invalid` only: what is wrong with the item, by field (`items[3].licence_number`).
    #[schema(max_items = 10)]
    pub errors: Vec<FieldError>,
}

/// Where a matched agency stands.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerifiedAgency {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(max_length = 200)]
    pub legal_name: String,
    #[schema(max_length = 64)]
    pub licence_number: String,
    #[schema(example = "NP")]
    #[schema(max_length = 2, pattern = "^[A-Z]{2}$")]
    pub licence_country: String,
    /// Last day the licence to recruit is valid; null if the registry records no end date.
    pub licence_valid_until: Option<NaiveDate>,
    /// False once `licence_valid_until` has passed (today, UTC); true otherwise.
    pub licence_valid_today: bool,
    pub certification_status: CertificationStatus,
    /// Grade of the latest finalized assessment.
    pub grade: Option<Grade>,
    /// As in the due-diligence summary, at the same moment.
    pub risk_level: RiskLevel,
    /// Every reason behind the risk level, worst first.
    #[schema(max_items = 10)]
    pub risk_reasons: Vec<RiskReason>,
    /// The last certificate and where it stands; null if the agency was never certified.
    pub certificate: Option<VerifiedCertificate>,
}

/// An agency's last certificate, as the public registry shows it, and whether it certifies
/// today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct VerifiedCertificate {
    #[serde(flatten)]
    pub standing: PublicCertificate,
    /// In force (not suspended, not ended) and within its validity right now.
    pub valid_today: bool,
}

/// An agency an ambiguous name may mean.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Candidate {
    #[schema(format = Uuid)]
    pub agency_id: String,
    #[schema(max_length = 200)]
    pub legal_name: String,
    #[schema(max_length = 64)]
    pub licence_number: String,
    #[schema(example = "NP")]
    #[schema(max_length = 2, pattern = "^[A-Z]{2}$")]
    pub licence_country: String,
    pub certification_status: CertificationStatus,
    /// How alike the names are, from 0 to 1.
    pub similarity: f64,
}

/// Verifies `items` as of `now`: one result per item, in request order, all read from one
/// snapshot of the database (an attestation covers one moment).
pub fn verify(
    conn: &mut DbConnection,
    index: &crate::search::SearchIndex,
    items: &[VerificationItem],
    now: DateTime<Utc>,
) -> AppResult<Vec<VerificationResult>> {
    let (resolved, standings) = store::snapshot(conn, |conn| {
        let resolved = resolve(conn, index, items)?;
        let matched: Vec<&AgencyRow> = resolved
            .iter()
            .filter_map(|r| match r {
                Resolved::Agency { agency: Some(row), .. } => Some(row.as_ref()),
                _ => None,
            })
            .collect();
        let standings = standings(conn, &matched, now)?;
        Ok((resolved, standings))
    })?;
    Ok(resolved
        .into_iter()
        .zip(items)
        .enumerate()
        .map(|(request_index, (resolved, item))| {
            let mut result = VerificationResult {
                request_index,
                reference: item.reference.clone(),
                lookup: None,
                outcome: Outcome::NotFound,
                agency: None,
                name_similarity: None,
                candidates: Vec::new(),
                errors: Vec::new(),
            };
            match resolved {
                Resolved::Invalid(errors) => {
                    result.outcome = Outcome::Invalid;
                    result.errors = errors;
                }
                Resolved::Agency { lookup, agency, similarity } => {
                    result.lookup = Some(lookup);
                    if let Some((outcome, standing)) = agency.and_then(|row| standings.get(&row.id).cloned()) {
                        result.outcome = outcome;
                        result.agency = Some(standing);
                        result.name_similarity = similarity;
                    }
                }
                Resolved::Ambiguous(candidates) => {
                    result.lookup = Some(Lookup::Name);
                    result.outcome = Outcome::Ambiguous;
                    result.candidates = candidates
                        .into_iter()
                        .map(|(row, similarity)| Candidate {
                            agency_id: row.id,
                            legal_name: row.legal_name,
                            licence_number: row.licence_number,
                            licence_country: row.licence_country,
                            certification_status: row.certification_status,
                            similarity,
                        })
                        .collect();
                }
            }
            result
        })
        .collect())
}

/// The outcome and standing of each agency as of `now`, by id, read in batches: certificates
/// and their endings, the bodies that issued the current ones, corrective actions, the last
/// audit and recent substantiated reports, then `risk::assess` on the facts the due-diligence
/// summary gathers (`api::certification::due_diligence`).
fn standings(
    conn: &mut DbConnection,
    agencies: &[&AgencyRow],
    now: DateTime<Utc>,
) -> AppResult<HashMap<String, (Outcome, VerifiedAgency)>> {
    let ids = distinct(agencies.iter().map(|a| a.id.clone()));
    let mut certificates = HashMap::new();
    let mut last_audits = HashMap::new();
    for chunk in ids.chunks(500) {
        certificates
            .extend(store::certifications::certificates_of(conn, chunk)?.into_iter().map(|c| (c.agency_id.clone(), c)));
        last_audits.extend(store::certifications::last_audits(conn, chunk)?);
    }
    // Only an ended certificate has an ending to show.
    let ended: Vec<String> = agencies
        .iter()
        .filter(|a| !a.certification_status.holds_certificate() && certificates.contains_key(&a.id))
        .map(|a| a.id.clone())
        .collect();
    let mut endings = HashMap::new();
    for chunk in ended.chunks(500) {
        endings.extend(store::certifications::endings(conn, chunk)?);
    }
    // The same facts, read the same way, as the due-diligence summary judges.
    let rows: Vec<AgencyRow> = agencies.iter().map(|a| (*a).clone()).collect();
    let facts = crate::services::due_diligence::risk_facts(conn, &rows, now)?;

    let mut standings = HashMap::with_capacity(ids.len());
    for agency in agencies {
        if standings.contains_key(&agency.id) {
            continue;
        }
        let status = agency.certification_status;
        let ending = endings.get(&agency.id).cloned();
        let ended_as = ending.as_ref().map(|e| e.to_status);
        let certificate =
            certificates.get(&agency.id).cloned().map(|row| PublicCertificate::standing(status, row, ending));
        let facts = facts.get(&agency.id).ok_or_else(|| AppError::internal("risk facts of a matched agency"))?;
        let (risk_level, risk_reasons) = risk::assess(facts);
        let outcome = outcome_of(status, certificate.as_ref().map(|c| c.valid_until), ended_as, now);
        let verified = VerifiedAgency {
            id: agency.id.clone(),
            legal_name: agency.legal_name.clone(),
            licence_number: agency.licence_number.clone(),
            licence_country: agency.licence_country.clone(),
            licence_valid_until: agency.licence_valid_until,
            licence_valid_today: !licence_expired(agency.licence_valid_until, now),
            certification_status: status,
            grade: agency.grade,
            risk_level,
            risk_reasons,
            certificate: certificate.map(|standing| VerifiedCertificate {
                valid_today: standing.state == CertificateState::InForce && !expired(standing.valid_until, now),
                standing,
            }),
        };
        standings.insert(agency.id.clone(), (outcome, verified));
    }
    Ok(standings)
}
