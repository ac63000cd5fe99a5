//! The certification cycle over HTTP: certification decisions and their history, and the
//! due-diligence summary integrators ask for first.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::conditional::{self, Caching, Rendered};
use crate::api::extract::{AgencyId, ValidJson};
use crate::api::problems::*;
use crate::api::public::PublicCertificate;
use crate::auth::{Action, Principal, authorize};
use crate::cache::Dependencies;
use crate::cache::stamps::Bodies;
use crate::db::DbConnection;
use crate::domain::agency::{CertificationStatus, Grade};
use crate::domain::reports::ReportCategory;
use crate::domain::risk::{self, RiskLevel, RiskReason};
use crate::domain::standard::Severity;
use crate::error::{AppError, AppResult};
use crate::services::agencies;
use crate::services::certification::{self as lifecycle, TransitionInput};
use crate::services::due_diligence::{self, Chain};
use crate::state::AppState;
use crate::store;
use crate::store::certifications::{CertificateRow, EventRow};

#[derive(Debug, Serialize, ToSchema)]
pub struct Certificate {
    #[schema(example = "FH-2026-7D2A9C35")]
    #[schema(max_length = 32, pattern = "^FH-[0-9]{4}-[0-9A-Z]{1,16}$")]
    pub number: String,
    #[schema(format = Uuid)]
    pub certification_body_id: String,
    /// The audit the decision rests on.
    #[schema(format = Uuid)]
    pub assessment_id: String,
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub decided_by: String,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub next_surveillance_due: DateTime<Utc>,
    pub suspended_at: Option<DateTime<Utc>>,
    #[schema(max_length = 5000)]
    pub suspension_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Transition {
    pub from: CertificationStatus,
    pub to: CertificationStatus,
    /// The API client that decided, or `system` for an automatic rule.
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub actor: String,
    /// The automatic rule that fired: `overdue_corrective_action`, `surveillance_overdue`,
    /// `critical_finding`, `suspended_six_months` or `certificate_expired`.
    #[schema(max_length = 32, pattern = "^[a-z_]+$")]
    pub rule: Option<String>,
    #[schema(max_length = 5000)]
    pub reason: String,
    #[schema(max_length = 32, pattern = "^FH-[0-9]{4}-[0-9A-Z]{1,16}$")]
    pub certificate_number: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Certification {
    #[schema(format = Uuid)]
    pub agency_id: String,
    pub status: CertificationStatus,
    /// The current or last certificate; null if the agency was never certified.
    pub certificate: Option<Certificate>,
    /// Every transition, oldest first.
    pub history: Vec<Transition>,
}

impl From<CertificateRow> for Certificate {
    fn from(row: CertificateRow) -> Self {
        Certificate {
            number: row.number,
            certification_body_id: row.certification_body_id,
            assessment_id: row.assessment_id,
            decided_by: row.decided_by,
            valid_from: row.valid_from,
            valid_until: row.valid_until,
            next_surveillance_due: row.next_surveillance_due,
            suspended_at: row.suspended_at,
            suspension_reason: row.suspension_reason,
        }
    }
}

impl From<EventRow> for Transition {
    fn from(e: EventRow) -> Self {
        Transition {
            from: e.from_status,
            to: e.to_status,
            actor: e.actor,
            rule: e.rule.map(|r| r.id().to_owned()),
            reason: e.reason,
            certificate_number: e.certificate_number,
            at: e.occurred_at,
        }
    }
}

fn certification_view(c: &mut DbConnection, agency_id: &str) -> AppResult<Certification> {
    let agency = agencies::find(c, agency_id)?;
    let history = store::certifications::history(c, agency_id)?.into_iter().map(Transition::from).collect();
    Ok(Certification {
        status: agency.certification_status,
        certificate: store::certifications::certificate_of(c, agency_id)?.map(Certificate::from),
        agency_id: agency.id,
        history,
    })
}

/// An agency's certification: current state, certificate and full history.
///
/// Every transition is listed oldest first, with who made it (or which automatic rule) and why.
#[utoipa::path(
    operation_id = "get_certification",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    responses((status = 200, description = "State, certificate and history.", body = Certification), Forbidden),
    security(("bearer" = []))
)]
#[get("/agencies/{id}/certification")]
pub async fn get_certification(state: web::Data<AppState>, who: Principal, id: AgencyId) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    authorize(&who, Action::ReadCertification { agency_id: &id })?;
    let view = state.db.read(move |c| certification_view(c, &id)).await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Take a certification decision.
///
/// `certify` (a certifier of the body that carried out the audit, who did not lead it; the
/// audit a finalized stage-2 or recertification of the last 6 months; no unverified major or
/// critical corrective action; minors with a plan; score at or above the policy minimum) issues
/// a certificate valid 3 years with yearly surveillance. `suspend`, `reinstate` (the cause
/// resolved; the original expiry stands) and `withdraw` are for a certifier of the certificate's
/// body or an admin. Every decision needs a reason and is recorded. A decision the rules do not
/// allow is a 409 naming each rule it fails. `certify`, `reinstate` and `withdraw` then rest on
/// the latest technical review of their subject, which must agree and not have supported a
/// decision yet (`POST /v1/assessments/{id}/reviews`, `POST
/// /v1/agencies/{id}/certification/reviews`); without one, a 409 says what is missing.
#[utoipa::path(
    operation_id = "create_certification_transition",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    request_body = TransitionInput,
    responses(
        (status = 200, description = "Decided; the certification as it now stands.", body = Certification),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/agencies/{id}/certification/transitions")]
pub async fn create_transition(
    state: web::Data<AppState>,
    who: Principal,
    id: AgencyId,
    body: ValidJson<TransitionInput>,
) -> AppResult<HttpResponse> {
    let agency_id = id.into_inner();
    let now = state.clock.now();
    let view = state
        .db
        .write(move |c| {
            lifecycle::decide(c, &who, &agency_id, body.0, now)?;
            certification_view(c, &agency_id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// What an HR platform asks first about an agency.
#[derive(Debug, Serialize, ToSchema)]
pub struct DueDiligence {
    #[schema(format = Uuid)]
    pub agency_id: String,
    #[schema(max_length = 200)]
    pub legal_name: String,
    pub certification_status: CertificationStatus,
    /// The certificate in force or suspended; null once it ended (see `certificate`).
    #[schema(max_length = 32, pattern = "^FH-[0-9]{4}-[0-9A-Z]{1,16}$")]
    pub certificate_number: Option<String>,
    pub certificate_valid_until: Option<DateTime<Utc>>,
    /// The last certificate and where it stands, ended ones with their end date and reason.
    pub certificate: Option<PublicCertificate>,
    /// Last day the licence to recruit is valid; null if the registry has no end date.
    pub licence_valid_until: Option<chrono::NaiveDate>,
    pub grade: Option<Grade>,
    pub latest_score: Option<f64>,
    pub risk_level: RiskLevel,
    /// Every reason behind the risk level, worst first.
    #[schema(max_items = 10)]
    pub risk_reasons: Vec<RiskReason>,
    #[schema(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    pub open_corrective_actions: i64,
    #[schema(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    pub overdue_corrective_actions: i64,
    /// When the latest independent audit was finalized, and its kind.
    pub last_audit_at: Option<DateTime<Utc>>,
    #[schema(max_length = 32, pattern = "^[a-z0-9_]+$")]
    pub last_audit_kind: Option<String>,
    /// Worker reports substantiated by the scheme's moderators, newest decision first (all of
    /// them: the count shown publicly only from 3 on is given here whole). Those decided in
    /// the last 12 months weigh on the risk level.
    pub substantiated_reports: Vec<SubstantiatedReport>,
    /// The sub-agents and branches that recruit for the agency, followed down registered
    /// sub-agents' own, each with its status and risk, and the worst of them. The agency's own
    /// `risk_level` above does not include the chain: read both.
    pub chain: Chain,
    /// The agency's appeal in progress (received or under review), if any: a refusal,
    /// suspension or withdrawal it contests, not yet decided.
    pub appeal_in_progress: Option<AppealInProgress>,
}

/// An appeal not yet decided, as due diligence shows it: never its grounds.
#[derive(Debug, Serialize, ToSchema)]
pub struct AppealInProgress {
    #[schema(format = Uuid)]
    pub id: String,
    pub decision: crate::domain::appeals::AppealedDecision,
    pub filed_at: DateTime<Utc>,
    pub state: crate::domain::appeals::CaseState,
}

/// A worker report the scheme substantiated: what it was about and when it was decided. Never
/// its text or anything about the reporter.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"reference": "R-7K3M-Q9PX", "category": "document_retention", "decided_at": "2026-11-30T08:00:00Z"}))]
pub struct SubstantiatedReport {
    #[schema(max_length = 11, pattern = "^R-[0-9A-Z]{4}-[0-9A-Z]{4}$")]
    pub reference: String,
    pub category: ReportCategory,
    pub decided_at: Option<DateTime<Utc>>,
}

/// Due-diligence summary of an agency.
///
/// Certification status, grade, latest score, the risk level with its reasons, open and overdue
/// corrective actions, the date of the last audit and the worker reports the scheme
/// substantiated: enough to decide whether to work with the agency, and why. `chain` covers
/// the sub-agents and branches that recruit for it: registered ones with their own status and
/// risk, unregistered ones as `unregistered` and at least `high` risk (they cannot be
/// verified), down to 3 links, with the chain's worst status and risk and the reasons.
/// `appeal_in_progress` names an appeal of the agency not yet decided.
#[utoipa::path(
    operation_id = "get_due_diligence",
    tag = "certification",
    params(
        ("id" = String, Path, format = Uuid, description = "Agency id."),
        ("If-None-Match" = Option<String>, Header, max_length = 1024,
            description = "An `ETag` from an earlier answer: 304 while the summary is unchanged.")
    ),
    responses(
        (status = 200, description = "The summary.", body = DueDiligence, headers(
            ("ETag" = String, description = "Names this content, for `If-None-Match`."),
            ("Cache-Control" = String, description = "`private, no-cache`: only the caller's cache may keep it, revalidating before each use.")
        )),
        (status = 304, description = "Unchanged since the `ETag` given in `If-None-Match`; no body.", headers(
            ("ETag" = String, description = "The same tag."),
            ("Cache-Control" = String, description = "`private, no-cache`.")
        )),
        Forbidden
    ),
    security(("bearer" = []))
)]
#[get("/agencies/{id}/due-diligence")]
pub async fn get_due_diligence(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    id: AgencyId,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    authorize(&who, Action::ReadCertification { agency_id: &id })?;
    conditional::readable(&req)?;
    let answers = &state.answers;
    answers.tail.sync_local(&state.db).await?;
    let now = state.clock.now();
    if let Some(held) = answers.due_diligence.get(&answers.tail, &id, now) {
        state.metrics.cache_hit("due_diligence");
        return Ok(conditional::answer(&req, &held.value, Caching::PrivateRevalidate, None));
    }
    state.metrics.cache_miss("due_diligence");
    let seen = answers.tail.position();
    let lookup = id.clone();
    let summary = state.db.read(move |c| due_diligence(c, &lookup, now)).await?;
    // The agency, every registered member of its chain, and the bodies whose accreditation
    // weighs on their risk: a change to any of them changes the summary.
    let mut agencies: Vec<String> = summary.chain.members.iter().filter_map(|m| m.agency_id.clone()).collect();
    agencies.push(id.clone());
    let rendered = Rendered::json(&summary).map_err(AppError::internal)?;
    let deps =
        Dependencies { seen, agencies, bodies: Bodies::DependedOn, expires: Some(now + answers.due_diligence_ttl) };
    let held = answers.due_diligence.keep(id, rendered, deps);
    Ok(conditional::answer(&req, &held.value, Caching::PrivateRevalidate, None))
}

/// The due-diligence summary of agency `id` as of `now`, read in one go.
fn due_diligence(c: &mut DbConnection, id: &str, now: DateTime<Utc>) -> AppResult<DueDiligence> {
    let agency = agencies::find(c, id)?;
    let certificate = match store::certifications::certificate_of(c, id)? {
        Some(row) => {
            // Only an ended certificate has an ending to show.
            let ending = if agency.certification_status.holds_certificate() {
                None
            } else {
                store::certifications::endings(c, &[id.to_owned()])?.remove(id)
            };
            Some(PublicCertificate::standing(agency.certification_status, row, ending))
        }
        None => None,
    };
    let facts = due_diligence::risk_facts(c, std::slice::from_ref(&agency), now)?
        .remove(id)
        .ok_or_else(|| AppError::internal("no risk facts for the agency"))?;
    let open =
        store::corrective_actions::unverified(c, id, &[Severity::Minor, Severity::Major, Severity::Critical], None)?;
    let last_audit = store::certifications::last_audit(c, id)?;
    let reports = store::reports::substantiated_of(c, id)?;
    let (risk_level, risk_reasons) = risk::assess(&facts);
    let chain = due_diligence::chain(c, id, now)?;
    let appeal_in_progress = store::appeals::open_appeal_of_agency(c, id)?.map(|a| AppealInProgress {
        id: a.id,
        decision: a.decision,
        filed_at: a.filed_at,
        state: a.state,
    });
    let current = certificate.as_ref().filter(|c| c.current());
    Ok(DueDiligence {
        agency_id: agency.id,
        legal_name: agency.legal_name,
        certification_status: agency.certification_status,
        certificate_number: current.map(|c| c.number.clone()),
        certificate_valid_until: current.map(|c| c.valid_until),
        licence_valid_until: agency.licence_valid_until,
        certificate,
        grade: agency.grade,
        latest_score: agency.latest_score,
        risk_level,
        risk_reasons,
        open_corrective_actions: open as i64,
        overdue_corrective_actions: (facts.overdue_critical_actions
            + facts.overdue_major_actions
            + facts.overdue_minor_actions) as i64,
        last_audit_at: last_audit.map(|(_, at)| at),
        last_audit_kind: last_audit.map(|(kind, _)| kind.to_string()),
        substantiated_reports: reports
            .into_iter()
            .map(|r| SubstantiatedReport { reference: r.reference, category: r.category, decided_at: r.decided_at })
            .collect(),
        chain,
        appeal_in_progress,
    })
}
