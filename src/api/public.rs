//! `/v1/public`: the registry as anyone may see it, without a token, and signed status
//! attestations. Only what a worker or an employer needs to check an agency is shown: never
//! contact details, the address, internal versions or who changed what.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use std::sync::Arc;

use crate::api::agencies::search_page;
use crate::api::agency_model::AgencyQuery;
use crate::api::answers::{AttestationAnswer, PublicAnswer};
use crate::api::conditional::{self, Caching, Rendered};
use crate::api::extract::{AgencyId, ValidQuery};
use crate::api::pagination::{self, Page};
use crate::api::problems::NotAcceptable;
use crate::auth::attestation::{self, AttestedStatus};
use crate::cache::stamps::Bodies;
use crate::cache::{Cached, Dependencies};
use crate::db::DbConnection;
use crate::domain::agency::{CertificationStatus, Grade, Licence, Sector};
use crate::error::{AppError, AppResult};
use crate::services::agencies::AgencyInput;
use crate::state::AppState;
use crate::store;
use crate::store::agencies::AgencyRow;
use crate::store::certifications::{CertificateRow, EventRow};

crate::api::pagination::documented_page!(PublicAgencyPage, PublicAgency, "the public registry");

/// Where an agency's last certificate stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificateState {
    InForce,
    Suspended,
    /// Withdrawn or expired: it no longer certifies anything.
    Ended,
}

impl CertificateState {
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateState::InForce => "in_force",
            CertificateState::Suspended => "suspended",
            CertificateState::Ended => "ended",
        }
    }
}

/// The agency's last certificate and where it stands. An ended certificate is shown as ended,
/// with its end date and reason, never as in force.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "number": "FH-2026-7D2A9C35",
    "certification_body_id": "0193f0a6-2b3c-7d4e-8f50-6a7b8c9d0e1f",
    "state": "in_force",
    "valid_from": "2026-11-28T09:30:00Z",
    "valid_until": "2029-11-28T09:30:00Z",
    "suspended_at": null,
    "ended_at": null,
    "end_reason": null
}))]
pub struct PublicCertificate {
    #[schema(max_length = 32, pattern = "^FH-[0-9]{4}-[0-9A-Z]{1,16}$")]
    pub number: String,
    #[schema(format = Uuid)]
    pub certification_body_id: String,
    pub state: CertificateState,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    /// When the certificate was suspended; null while it is not.
    pub suspended_at: Option<DateTime<Utc>>,
    /// When it was withdrawn or expired; null while it has not ended.
    pub ended_at: Option<DateTime<Utc>>,
    /// Why it ended, as recorded with the decision or the rule that ended it.
    #[schema(max_length = 5000)]
    pub end_reason: Option<String>,
}

impl PublicCertificate {
    /// The certificate as it stands for an agency in `status`; `ending` is the transition that
    /// ended it, when it ended.
    pub fn standing(status: CertificationStatus, row: CertificateRow, ending: Option<EventRow>) -> PublicCertificate {
        let state = match status {
            CertificationStatus::Certified => CertificateState::InForce,
            CertificationStatus::Suspended => CertificateState::Suspended,
            _ => CertificateState::Ended,
        };
        let ending = ending.filter(|_| state == CertificateState::Ended);
        PublicCertificate {
            number: row.number,
            certification_body_id: row.certification_body_id,
            state,
            valid_from: row.valid_from,
            valid_until: row.valid_until,
            suspended_at: row.suspended_at,
            ended_at: ending.as_ref().map(|e| e.occurred_at),
            end_reason: ending.map(|e| e.reason),
        }
    }

    /// Whether it still certifies (in force or suspended, not ended).
    pub fn current(&self) -> bool {
        self.state != CertificateState::Ended
    }
}

/// An agency as the public registry shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90",
    "legal_name": "Himalayan Overseas Manpower Pvt. Ltd.",
    "trading_names": ["Himalayan HR"],
    "licence": {"number": "DoFE-1234/2075", "issuing_authority": "Department of Foreign Employment", "country": "NP", "valid_from": "2024-07-16", "valid_until": "2027-07-15"},
    "origin_countries": ["NP"],
    "destination_countries": ["QA", "AE"],
    "sectors": ["construction", "hospitality"],
    "website": "https://himalayan-hr.example.com",
    "certification_status": "certified",
    "certificate": {
        "number": "FH-2026-7D2A9C35",
        "certification_body_id": "0193f0a6-2b3c-7d4e-8f50-6a7b8c9d0e1f",
        "state": "in_force",
        "valid_from": "2026-11-28T09:30:00Z",
        "valid_until": "2029-11-28T09:30:00Z",
        "suspended_at": null,
        "ended_at": null,
        "end_reason": null
    },
    "last_audit_date": "2026-11-20",
    "grade": "B",
    "substantiated_reports": null
}))]
pub struct PublicAgency {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(max_length = 200)]
    pub legal_name: String,
    #[schema(schema_with = crate::domain::schema::trading_names)]
    pub trading_names: Vec<String>,
    pub licence: Licence,
    #[schema(schema_with = crate::domain::schema::corridor_countries)]
    pub origin_countries: Vec<String>,
    #[schema(schema_with = crate::domain::schema::corridor_countries)]
    pub destination_countries: Vec<String>,
    #[schema(max_items = 15)]
    pub sectors: Vec<Sector>,
    #[schema(max_length = 300, pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\u0000]*$")]
    pub website: Option<String>,
    pub certification_status: CertificationStatus,
    /// The agency's last certificate and where it stands (in force, suspended or ended); null if
    /// it was never certified.
    pub certificate: Option<PublicCertificate>,
    /// Day the latest independent audit (not a self-assessment) was finalized; null if none.
    pub last_audit_date: Option<NaiveDate>,
    /// Grade of the latest finalized assessment; null until there is one.
    pub grade: Option<Grade>,
    /// Worker reports the scheme substantiated about this agency, shown only from 3 on (null
    /// below) so that no reporter can be singled out.
    #[schema(minimum = 3)]
    #[schema(format = Int64, maximum = 9_223_372_036_854_775_807_i64)]
    pub substantiated_reports: Option<usize>,
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("no agency with id {id}"))
}

impl PublicAgency {
    fn build(
        row: AgencyRow,
        certificate: Option<CertificateRow>,
        ending: Option<EventRow>,
        last_audit: Option<DateTime<Utc>>,
        substantiated_reports: usize,
    ) -> Self {
        let status = row.certification_status;
        let input = AgencyInput::from_row(&row);
        PublicAgency {
            id: row.id,
            legal_name: input.legal_name,
            trading_names: input.trading_names,
            licence: input.licence,
            origin_countries: input.origin_countries,
            destination_countries: input.destination_countries,
            sectors: input.sectors,
            website: input.website,
            certification_status: status,
            certificate: certificate.map(|c| PublicCertificate::standing(status, c, ending)),
            last_audit_date: last_audit.map(|at| at.date_naive()),
            grade: row.grade,
            substantiated_reports: crate::domain::reports::public_count(substantiated_reports),
        }
    }

    /// The certificate, unless it ended: an attestation never names an ended one.
    fn current_certificate(&self) -> Option<&PublicCertificate> {
        self.certificate.as_ref().filter(|c| c.current())
    }

    fn attested(&self) -> AttestedStatus {
        AttestedStatus {
            legal_name: self.legal_name.clone(),
            licence_number: self.licence.number.clone(),
            licence_country: self.licence.country.clone(),
            certification_status: self.certification_status,
            certificate_number: self.current_certificate().map(|c| c.number.clone()),
            valid_until: self.current_certificate().map(|c| c.valid_until),
            licence_valid_until: self.licence.valid_until,
            licence_verified_at: self.licence.verified_at,
            grade: self.grade,
            last_audit_date: self.last_audit_date,
        }
    }
}

/// The agency's public record, from memory when it is held and fresh, else read now (and kept);
/// `value` is `None` when no agency has that id.
pub(crate) async fn load(state: &AppState, id: String) -> AppResult<Arc<Cached<Option<PublicAnswer>>>> {
    let answers = &state.answers;
    answers.tail.sync_local(&state.db).await?;
    let now = state.clock.now();
    if let Some(held) = answers.public.get(&answers.tail, &id, now) {
        state.metrics.cache_hit("public_agency");
        return Ok(held);
    }
    state.metrics.cache_miss("public_agency");
    let seen = answers.tail.position();
    let lookup = id.clone();
    let found = state
        .db
        .read(move |conn| {
            let Some(row) = store::agencies::find(conn, &lookup)? else {
                return Ok(None);
            };
            let certificate = store::certifications::certificate_of(conn, &lookup)?;
            // Only an ended certificate has an ending to show; most lookups skip the query.
            let ending = match &certificate {
                Some(_) if !row.certification_status.holds_certificate() => {
                    store::certifications::endings(conn, std::slice::from_ref(&lookup))?.remove(&lookup)
                }
                _ => None,
            };
            let last_audit = store::certifications::last_audit(conn, &lookup)?.map(|(_, at)| at);
            let reports = store::reports::substantiated_counts(conn, std::slice::from_ref(&lookup))?;
            Ok(Some((row, certificate, ending, last_audit, reports.get(&lookup).copied().unwrap_or(0))))
        })
        .await?;
    let answer = match found {
        Some((row, certificate, ending, last_audit, reports)) => {
            let agency = PublicAgency::build(row, certificate, ending, last_audit, reports);
            let json = Rendered::json(&agency).map_err(AppError::internal)?;
            Some(PublicAnswer { agency, json })
        }
        None => None,
    };
    let deps = Dependencies { seen, agencies: vec![id.clone()], bodies: Bodies::Ignored, expires: None };
    Ok(answers.public.keep(id, answer, deps))
}

/// The agency of a [`load`]ed answer, or 404.
pub(crate) fn found<'a>(answer: &'a Cached<Option<PublicAnswer>>, id: &str) -> AppResult<&'a PublicAnswer> {
    answer.value.as_ref().ok_or_else(|| not_found(id))
}

/// The public view of these agencies, in their order: certificates, endings, last audits and
/// report counts are read in one query each, whatever the number of agencies.
pub(crate) fn public_view(conn: &mut DbConnection, rows: Vec<AgencyRow>) -> AppResult<Vec<PublicAgency>> {
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut certificates: HashMap<String, CertificateRow> =
        store::certifications::certificates_of(conn, &ids)?.into_iter().map(|c| (c.agency_id.clone(), c)).collect();
    let ended: Vec<String> =
        rows.iter().filter(|r| !r.certification_status.holds_certificate()).map(|r| r.id.clone()).collect();
    let mut endings = store::certifications::endings(conn, &ended)?;
    let last_audits = store::certifications::last_audits(conn, &ids)?;
    let reports = store::reports::substantiated_counts(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let certificate = certificates.remove(&row.id);
            let ending = endings.remove(&row.id);
            let last_audit = last_audits.get(&row.id).copied();
            let substantiated = reports.get(&row.id).copied().unwrap_or(0);
            PublicAgency::build(row, certificate, ending, last_audit, substantiated)
        })
        .collect())
}

/// Search the public registry.
///
/// No token needed. The same filters as `GET /v1/agencies`, combined with AND; each agency is
/// shown without its contact details or address. With `q`, agencies come most relevant first.
#[utoipa::path(
    operation_id = "list_public_agencies",
    tag = "public",
    security(()),
    params(AgencyQuery),
    responses(
        (status = 200, description = "A page of agencies: by relevance with `q`, otherwise in registration order.", body = PublicAgencyPage)
    )
)]
#[get("/public/agencies")]
pub async fn list_public_agencies(
    state: web::Data<AppState>,
    query: ValidQuery<AgencyQuery>,
) -> AppResult<HttpResponse> {
    let q = query.0;
    let window = pagination::window(q.limit, q.cursor.as_deref())?;
    let filter = q.filter(None);
    let (text, index) = (q.q.clone(), state.search.clone());
    let page = state
        .db
        .read(move |conn| {
            let rows = search_page(conn, &index, text.as_deref(), &filter, window.after.as_deref(), window.fetch())?;
            let page = Page::of(rows, window.limit, |r| &r.id, |r| r);
            let data = public_view(conn, page.data)?;
            Ok(Page { data, next_cursor: page.next_cursor })
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Read one agency from the public registry.
///
/// No token needed.
#[utoipa::path(
    operation_id = "get_public_agency",
    tag = "public",
    security(()),
    params(
        ("id" = String, Path, format = Uuid, description = "Agency id."),
        ("If-None-Match" = Option<String>, Header, max_length = 1024,
            description = "An `ETag` from an earlier answer: 304 while the record is unchanged.")
    ),
    responses(
        (status = 200, description = "The agency's public record.", body = PublicAgency, headers(
            ("ETag" = String, description = "Names this content, for `If-None-Match`."),
            ("Cache-Control" = String, description = "`public, no-cache`: any cache may keep it, revalidating before each use.")
        )),
        (status = 304, description = "Unchanged since the `ETag` given in `If-None-Match`; no body.", headers(
            ("ETag" = String, description = "The same tag."),
            ("Cache-Control" = String, description = "`public, no-cache`.")
        ))
    )
)]
#[get("/public/agencies/{id}")]
pub async fn get_public_agency(req: HttpRequest, state: web::Data<AppState>, id: AgencyId) -> AppResult<HttpResponse> {
    conditional::readable(&req)?;
    let id = id.into_inner();
    let answer = load(&state, id.clone()).await?;
    let agency = found(&answer, &id)?;
    Ok(conditional::answer(&req, &agency.json, Caching::PublicRevalidate, None))
}

/// A signed attestation with the times it states, for clients that read JSON only: the same
/// JWS as `application/jose`, wrapped. The other fields repeat what the JWS says, for indexing
/// and display; rely on them only after verifying `attestation`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "attestation": ATTESTATION_EXAMPLE,
    "agency_id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90",
    "issued_at": "2026-11-30T12:00:00Z",
    "expires_at": "2026-11-30T13:00:00Z"
}))]
pub struct SignedAttestation {
    /// The compact JWS (RFC 7515), exactly as served as `application/jose`.
    #[schema(max_length = 8192, pattern = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")]
    pub attestation: String,
    /// The agency attested: the JWS's `sub`.
    #[schema(format = Uuid)]
    pub agency_id: String,
    /// The JWS's `iat`.
    pub issued_at: DateTime<Utc>,
    /// The JWS's `exp`, one hour after `issued_at`.
    pub expires_at: DateTime<Utc>,
}

/// The media types an attestation is served as.
#[derive(Debug, Clone, Copy, PartialEq)]
enum AttestationFormat {
    Jose,
    Json,
}

/// Picks the media type of the answer from the `Accept` header (RFC 9110 §12.5.1), or `None`
/// when it accepts neither (406). Each type takes the quality of the most specific range that
/// matches it (`application/json`, then `application/*`, then `*/*`); the higher quality wins.
/// A tie, `*/*` and a request without `Accept` get the JWS, the form the attestation has always
/// had. Ranges that cannot be read are skipped; an `Accept` with no readable range counts as
/// none.
fn negotiate(accept: &[&str]) -> Option<AttestationFormat> {
    let ranges: Vec<(String, String, f32)> = accept.iter().flat_map(|v| v.split(',')).filter_map(media_range).collect();
    if ranges.is_empty() {
        return Some(AttestationFormat::Jose);
    }
    let quality = |subtype: &str| {
        ranges
            .iter()
            .filter_map(|(t, s, q)| match (t.as_str(), s.as_str()) {
                ("application", s) if s == subtype => Some((2, *q)),
                ("application", "*") => Some((1, *q)),
                ("*", "*") => Some((0, *q)),
                _ => None,
            })
            .max_by_key(|(specificity, _)| *specificity)
            .map_or(0.0, |(_, q)| q)
    };
    let (jose, json) = (quality("jose"), quality("json"));
    if jose <= 0.0 && json <= 0.0 {
        None
    } else if json > jose {
        Some(AttestationFormat::Json)
    } else {
        Some(AttestationFormat::Jose)
    }
}

/// One media range of `Accept`, lower-cased, with its quality (1 when not given).
fn media_range(element: &str) -> Option<(String, String, f32)> {
    let mut parts = element.split(';');
    let (kind, subtype) =
        parts.next()?.trim().to_ascii_lowercase().split_once('/').map(|(t, s)| (t.to_owned(), s.to_owned()))?;
    if kind.is_empty() || subtype.is_empty() || (kind == "*" && subtype != "*") {
        return None;
    }
    let mut quality = 1.0;
    for parameter in parts {
        if let Some((name, value)) = parameter.split_once('=')
            && name.trim().eq_ignore_ascii_case("q")
        {
            quality = value.trim().parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q))?;
        }
    }
    Some((kind, subtype, quality))
}

/// A signed attestation of an agency's current status.
///
/// No token needed. The attestation is a compact JWS (RFC 7515), signed with EdDSA (Ed25519) by
/// a key published at `/.well-known/jwks.json` and named by the `kid` header; its `typ` header is
/// `attestation+jwt`. Claims: `iss` (the service), `sub` (the agency id), `iat`, `exp` (one hour
/// later), `jti`, and `status`: `legal_name`, `licence_number`, `licence_country`,
/// `certification_status`, `certificate_number`, `valid_until` (of the certificate in force,
/// null once it ended), `grade`, `last_audit_date`, `licence_valid_until` and
/// `licence_verified_at`. There is no `aud`: anyone may rely on it. Verify it offline
/// with any JOSE library, pinning the algorithm to EdDSA and checking `iss` and `exp`.
///
/// Served as `application/jose` (the JWS itself) by default, and as `application/json` (the JWS
/// in a `SignedAttestation`) to a request whose `Accept` prefers it. An `Accept` that names
/// neither (nor `application/*` or `*/*`) is a 406.
///
/// One attestation is served again for up to a minute (`iat` tells when it was signed), and
/// never after the agency changed: a change to what it states gets a newly signed one at once.
#[utoipa::path(
    operation_id = "get_attestation",
    tag = "public",
    security(()),
    params(
        ("id" = String, Path, format = Uuid, description = "Agency id."),
        ("If-None-Match" = Option<String>, Header, max_length = 1024,
            description = "An `ETag` from an earlier answer: 304 while that attestation is still the one served.")
    ),
    responses(
        (status = 200, description = "The attestation; decoded, the JWS's claims are as described above.",
            content(
                (SignedAttestation = "application/json"),
                (String = "application/jose", example = json!(ATTESTATION_EXAMPLE))
            ),
            headers(
                ("ETag" = String, description = "Names this attestation in this media type, for `If-None-Match`."),
                ("Cache-Control" = String, description = "`public, no-cache`: any cache may keep it, revalidating before each use."),
                ("Vary" = String, description = "`Accept`: the media type follows it.")
            )),
        (status = 304, description = "The attestation named in `If-None-Match` is still the one served; no body.", headers(
            ("ETag" = String, description = "The same tag."),
            ("Cache-Control" = String, description = "`public, no-cache`."),
            ("Vary" = String, description = "`Accept`.")
        )),
        NotAcceptable
    )
)]
#[get("/public/agencies/{id}/attestation")]
pub async fn get_attestation(req: HttpRequest, state: web::Data<AppState>, id: AgencyId) -> AppResult<HttpResponse> {
    let accept: Vec<&str> = req.headers().get_all(header::ACCEPT).filter_map(|v| v.to_str().ok()).collect();
    let format = negotiate(&accept).ok_or_else(|| {
        AppError::NotAcceptable("an attestation is served as application/jose or application/json".into())
    })?;
    conditional::readable(&req)?;
    let id = id.into_inner();
    let attestation = attestation_of(&state, id).await?;
    let rendered = match format {
        // `application/jose`: a JWS in compact serialization (RFC 7515 §9.2.1).
        AttestationFormat::Jose => &attestation.value.jose,
        AttestationFormat::Json => &attestation.value.json,
    };
    Ok(conditional::answer(&req, rendered, Caching::PublicRevalidate, Some("Accept")))
}

/// The agency's attestation: the one signed last while it still holds and is young enough to
/// reuse (see [`AttestationAnswer`]), else one signed now.
async fn attestation_of(state: &AppState, id: String) -> AppResult<Arc<Cached<AttestationAnswer>>> {
    let answers = &state.answers;
    let record = load(state, id.clone()).await?;
    let agency = &found(&record, &id)?.agency;
    let now = state.clock.now();
    if let Some(held) = answers.attestations.get(&answers.tail, &id, now) {
        state.metrics.cache_hit("attestation");
        return Ok(held);
    }
    state.metrics.cache_miss("attestation");
    // The instants of the JWS's `iat` and `exp` count whole seconds.
    let issued_at = now.trunc_subsecs(0);
    let issued = u64::try_from(issued_at.timestamp()).map_err(AppError::internal)?;
    let jws = attestation::sign(&state.keys, &state.config.jwt, &id, agency.attested(), issued)?;
    let ttl = i64::try_from(attestation::ATTESTATION_TTL_SECONDS).map_err(AppError::internal)?;
    let json = Rendered::json(&SignedAttestation {
        attestation: jws.clone(),
        agency_id: id.clone(),
        issued_at,
        expires_at: issued_at + chrono::Duration::seconds(ttl),
    })
    .map_err(AppError::internal)?;
    let answer = AttestationAnswer { jose: Rendered::new(jws.into_bytes(), "application/jose"), json };
    // It holds as long as the record it was made from.
    let deps = Dependencies {
        seen: record.seen(),
        agencies: vec![id.clone()],
        bodies: Bodies::Ignored,
        expires: Some(issued_at + answers.attestation_reuse),
    };
    Ok(answers.attestations.keep(id, answer, deps))
}

/// A real attestation, signed by a throw-away key, for the documentation.
const ATTESTATION_EXAMPLE: &str = concat!(
    "eyJ0eXAiOiJhdHRlc3RhdGlvbitqd3QiLCJhbGciOiJFZERTQSIsImtpZCI6IlJkc0lkTzNDc01EekNqTlp2emg5b3FNbVRnTUFTZzNqZ29BaThkWFpMSVEifQ.",
    "eyJpc3MiOiJmYWlyaGlyZSIsInN1YiI6IjAxOTNmMGE0LTdjMWUtN2QyYS05YzM1LTJiOGU0ZjFhNmQ5MCIsImlhdCI6MTc5NjA0MDAwMCwiZXhwIjoxNzk2MDQzNjAwLCJqdGkiOiIwMWEyMjFiMS0xOTJlLTcxN2QtOGFhNi1iYjM3OGFkZTU5NjUiLCJzdGF0dXMiOnsibGVnYWxfbmFtZSI6IkhpbWFsYXlhbiBPdmVyc2VhcyBNYW5wb3dlciBQdnQuIEx0ZC4iLCJsaWNlbmNlX251bWJlciI6IkRvRkUtMTIzNC8yMDc1IiwibGljZW5jZV9jb3VudHJ5IjoiTlAiLCJjZXJ0aWZpY2F0aW9uX3N0YXR1cyI6ImNlcnRpZmllZCIsImNlcnRpZmljYXRlX251bWJlciI6IkZILTIwMjYtN0QyQTlDMzUiLCJ2YWxpZF91bnRpbCI6IjIwMjktMTEtMjhUMDk6MzA6MDBaIiwiZ3JhZGUiOiJCIiwibGFzdF9hdWRpdF9kYXRlIjoiMjAyNi0xMS0yMCJ9fQ.",
    "WI4FOkEGOZQcz3X7y7pcDoZegnxQHOPNsCpK7h_YRjILBippOlQMe0qhKUc72Ga3fknriRAaMmR_mQm7TZEGDA"
);
