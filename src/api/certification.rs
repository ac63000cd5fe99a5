//! The certification cycle over HTTP: decisions on applications, certification decisions and
//! their history, and the due-diligence summary integrators ask for first.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::api::certification_bodies::ApplicationStatus;
use crate::api::extract::ValidJson;
use crate::api::fields::{not_blank, uuid};
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::certification::{self as lifecycle, Decider};
use crate::db::DbConnection;
use crate::domain::agency::{CertificationStatus, Grade};
use crate::domain::certification::{DEFERRAL_DAYS, Event};
use crate::domain::from_wire;
use crate::domain::risk::{self, RiskFacts, RiskLevel, RiskReason};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store;
use crate::store::certifications::CertificateRow;
use crate::store::{from_db_time, to_db_time};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    /// The application needs more; it lapses unless accepted within 60 days.
    Defer,
    Reject,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "defer", "reason": "Send the licence renewal certificate and the list of sub-agents."}))]
pub struct DecisionInput {
    pub decision: Decision,
    /// Required to defer or reject.
    #[serde(default)]
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"[^\s\u0085]")]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationDecision {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub agency_id: String,
    #[schema(format = Uuid)]
    pub certification_body_id: String,
    pub status: ApplicationStatus,
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// For a deferred application: when it lapses.
    pub deferred_until: Option<DateTime<Utc>>,
}

/// Decide on an application.
///
/// A certifier of the body (or an admin) accepts it, defers it (it then lapses unless accepted
/// within 60 days) or rejects it. Deferring and rejecting need a reason. Pending and deferred
/// applications can be decided; others are settled (409).
#[utoipa::path(
    operation_id = "decide_application",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Application id.")),
    request_body = DecisionInput,
    responses(
        (status = 200, description = "Decided.", body = ApplicationDecision),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[post("/applications/{id}/decision")]
pub async fn decide_application(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<String>,
    body: ValidJson<DecisionInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let input = body.0;
    if input.decision != Decision::Accept && input.reason.is_none() {
        return Err(AppError::field("reason", "a reason is required to defer or reject"));
    }
    let now = state.clock.now();
    let row = state
        .db
        .write(move |c| {
            let mut row = store::certification_bodies::find_application(c, &id)?
                .ok_or_else(|| AppError::NotFound(format!("no application with id {id}")))?;
            authorize(&who, Action::DecideApplication { body_id: &row.certification_body_id })?;
            if !matches!(row.status.as_str(), "pending" | "deferred") {
                return Err(AppError::Conflict(format!("the application is already {}", row.status)));
            }
            let db_now = to_db_time(now);
            row.status = match input.decision {
                Decision::Accept => "accepted",
                Decision::Defer => "deferred",
                Decision::Reject => "rejected",
            }
            .into();
            row.deferred_until =
                (input.decision == Decision::Defer).then(|| to_db_time(now + chrono::Duration::days(DEFERRAL_DAYS)));
            row.reason = input.reason.map(|r| r.trim().to_owned());
            row.decided_by = Some(who.client_id.clone());
            row.decided_at = Some(db_now);
            row.updated_at = db_now;
            store::certification_bodies::update_application(c, &row)?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(ApplicationDecision {
        status: from_wire(&row.status).unwrap_or(ApplicationStatus::Pending),
        id: row.id,
        agency_id: row.agency_id,
        certification_body_id: row.certification_body_id,
        reason: row.reason,
        decided_at: row.decided_at.map(from_db_time),
        deferred_until: row.deferred_until.map(from_db_time),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Certificate {
    #[schema(example = "FH-2026-7D2A9C35")]
    pub number: String,
    #[schema(format = Uuid)]
    pub certification_body_id: String,
    /// The audit the decision rests on.
    #[schema(format = Uuid)]
    pub assessment_id: String,
    pub decided_by: String,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub next_surveillance_due: DateTime<Utc>,
    pub suspended_at: Option<DateTime<Utc>>,
    pub suspension_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Transition {
    pub from: CertificationStatus,
    pub to: CertificationStatus,
    /// The API client that decided, or `system` for an automatic rule.
    pub actor: String,
    /// The automatic rule that fired: `overdue_corrective_action`, `surveillance_overdue`,
    /// `critical_finding`, `suspended_six_months` or `certificate_expired`.
    pub rule: Option<String>,
    pub reason: String,
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

pub fn to_certificate(row: CertificateRow) -> Certificate {
    Certificate {
        number: row.number,
        certification_body_id: row.certification_body_id,
        assessment_id: row.assessment_id,
        decided_by: row.decided_by,
        valid_from: from_db_time(row.valid_from),
        valid_until: from_db_time(row.valid_until),
        next_surveillance_due: from_db_time(row.next_surveillance_due),
        suspended_at: row.suspended_at.map(from_db_time),
        suspension_reason: row.suspension_reason,
    }
}

fn certification_view(c: &mut DbConnection, agency_id: &str) -> AppResult<Certification> {
    let agency = store::agencies::find(c, agency_id)?
        .ok_or_else(|| AppError::NotFound(format!("no agency with id {agency_id}")))?;
    let history = store::certifications::history(c, agency_id)?
        .into_iter()
        .map(|e| {
            Ok(Transition {
                from: CertificationStatus::parse(&e.from_status).ok_or_else(|| AppError::internal("event status"))?,
                to: CertificationStatus::parse(&e.to_status).ok_or_else(|| AppError::internal("event status"))?,
                actor: e.actor,
                rule: e.rule,
                reason: e.reason,
                certificate_number: e.certificate_number,
                at: from_db_time(e.occurred_at),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Certification {
        status: CertificationStatus::parse(&agency.certification_status)
            .ok_or_else(|| AppError::internal("agency status"))?,
        certificate: store::certifications::certificate_of(c, agency_id)?.map(to_certificate),
        agency_id: agency.id,
        history,
    })
}

/// An agency's certification: current state, certificate and full history.
#[utoipa::path(
    operation_id = "get_certification",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    responses((status = 200, description = "State, certificate and history.", body = Certification), BadRequest, Unauthorized, Forbidden, NotFound, TooManyRequests),
    security(("bearer" = []))
)]
#[get("/agencies/{id}/certification")]
pub async fn get_certification(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    authorize(&who, Action::ReadCertification { agency_id: &id })?;
    let view = state.db.read(move |c| certification_view(c, &id)).await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransitionAction {
    Certify,
    Suspend,
    Reinstate,
    Withdraw,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"action": "certify", "assessment_id": "0193f0c1-5d2e-7a10-9c35-2b8e4f1a6d90", "reason": "Stage-2 audit of 3 March: score 88.5, no open major findings."}))]
pub struct TransitionInput {
    pub action: TransitionAction,
    /// The stage-2 or recertification audit a certification rests on; only for `certify`.
    #[serde(default)]
    #[validate(custom(function = "uuid"))]
    #[schema(format = Uuid)]
    pub assessment_id: Option<String>,
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"[^\s\u0085]")]
    pub reason: String,
}

/// Take a certification decision.
///
/// `certify` (a certifier of the body that carried out the audit, who did not lead it; the
/// audit a finalized stage-2 or recertification of the last 6 months; no unverified major or
/// critical corrective action; minors with a plan; score at or above the policy minimum) issues
/// a certificate valid 3 years with yearly surveillance. `suspend`, `reinstate` (the cause
/// resolved; the original expiry stands) and `withdraw` are for a certifier of the certificate's
/// body or an admin. Every decision needs a reason and is recorded. A decision the rules do not
/// allow is a 409 naming each rule it fails.
#[utoipa::path(
    operation_id = "create_certification_transition",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    request_body = TransitionInput,
    responses(
        (status = 200, description = "Decided; the certification as it now stands.", body = Certification),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[post("/agencies/{id}/certification/transitions")]
pub async fn create_transition(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<String>,
    body: ValidJson<TransitionInput>,
) -> AppResult<HttpResponse> {
    let agency_id = id.into_inner();
    let input = body.0;
    let now = state.clock.now();
    let view = state
        .db
        .write(move |c| {
            if store::agencies::find(c, &agency_id)?.is_none() {
                return Err(AppError::NotFound(format!("no agency with id {agency_id}")));
            }
            let reason = input.reason.trim();
            let person_ref = store::clients::find(c, &who.client_id)?.and_then(|r| r.person_ref);
            let decider = Decider {
                client_id: who.client_id.clone(),
                certification_body_id: who.certification_body_id.clone(),
                person_ref,
            };
            match input.action {
                TransitionAction::Certify => {
                    let assessment_id = input
                        .assessment_id
                        .as_deref()
                        .ok_or_else(|| AppError::field("assessment_id", "required to certify"))?;
                    let audit_body = store::assessments::find(c, assessment_id)?
                        .filter(|a| a.agency_id == agency_id)
                        .ok_or_else(|| {
                            AppError::field("assessment_id", format!("no assessment {assessment_id} of this agency"))
                        })?
                        .certification_body_id;
                    authorize(&who, Action::DecideCertification { body_id: audit_body.as_deref(), certify: true })?;
                    lifecycle::certify(c, &decider, &agency_id, assessment_id, reason, now)?;
                }
                other => {
                    if input.assessment_id.is_some() {
                        return Err(AppError::field("assessment_id", "only for certify"));
                    }
                    let cert_body =
                        store::certifications::certificate_of(c, &agency_id)?.map(|c| c.certification_body_id);
                    authorize(&who, Action::DecideCertification { body_id: cert_body.as_deref(), certify: false })?;
                    match other {
                        TransitionAction::Suspend => {
                            lifecycle::suspend(c, &who.client_id, &agency_id, None, reason, now)?
                        }
                        TransitionAction::Reinstate => {
                            lifecycle::reinstate(c, &who.client_id, &agency_id, reason, now)?
                        }
                        _ => lifecycle::end(c, Event::Withdraw, &who.client_id, &agency_id, None, reason, now)?,
                    }
                }
            }
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
    pub legal_name: String,
    pub certification_status: CertificationStatus,
    pub certificate_number: Option<String>,
    pub certificate_valid_until: Option<DateTime<Utc>>,
    pub grade: Option<Grade>,
    pub latest_score: Option<f64>,
    pub risk_level: RiskLevel,
    /// Every reason behind the risk level, worst first.
    pub risk_reasons: Vec<RiskReason>,
    pub open_corrective_actions: i64,
    pub overdue_corrective_actions: i64,
    /// When the latest independent audit was finalized, and its kind.
    pub last_audit_at: Option<DateTime<Utc>>,
    pub last_audit_kind: Option<String>,
}

/// Due-diligence summary of an agency.
///
/// Certification status, grade, latest score, the risk level with its reasons, open and overdue
/// corrective actions and the date of the last audit: enough to decide whether to work with the
/// agency, and why.
#[utoipa::path(
    operation_id = "get_due_diligence",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    responses((status = 200, description = "The summary.", body = DueDiligence), BadRequest, Unauthorized, Forbidden, NotFound, TooManyRequests),
    security(("bearer" = []))
)]
#[get("/agencies/{id}/due-diligence")]
pub async fn get_due_diligence(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    authorize(&who, Action::ReadCertification { agency_id: &id })?;
    let now = state.clock.now();
    let summary = state
        .db
        .read(move |c| {
            let agency =
                store::agencies::find(c, &id)?.ok_or_else(|| AppError::NotFound(format!("no agency with id {id}")))?;
            let status = CertificationStatus::parse(&agency.certification_status)
                .ok_or_else(|| AppError::internal("agency status"))?;
            let cert = store::certifications::certificate_of(c, &id)?;
            let db_now = to_db_time(now);
            let overdue = |c: &mut DbConnection, severity: &str| {
                store::certifications::unverified_actions(c, &id, &[severity], Some(db_now)).map(|n| n as usize)
            };
            let (overdue_critical, overdue_major, overdue_minor) =
                (overdue(c, "critical")?, overdue(c, "major")?, overdue(c, "minor")?);
            let open = store::certifications::unverified_actions(c, &id, &["minor", "major", "critical"], None)?;
            let last_audit = store::certifications::last_audit(c, &id)?;
            let grade = agency.grade.as_deref().and_then(Grade::parse);
            let (risk_level, risk_reasons) = risk::assess(&RiskFacts {
                status,
                grade,
                last_audit_at: last_audit.as_ref().map(|(_, at)| from_db_time(*at)),
                overdue_critical_actions: overdue_critical,
                overdue_major_actions: overdue_major,
                overdue_minor_actions: overdue_minor,
                // Worker reports arrive with the access-to-remedy issue; none are on record yet.
                substantiated_reports: 0,
                now,
            });
            Ok(DueDiligence {
                agency_id: agency.id,
                legal_name: agency.legal_name,
                certification_status: status,
                certificate_number: cert.as_ref().map(|c| c.number.clone()),
                certificate_valid_until: cert.as_ref().map(|c| from_db_time(c.valid_until)),
                grade,
                latest_score: agency.latest_score,
                risk_level,
                risk_reasons,
                open_corrective_actions: open,
                overdue_corrective_actions: (overdue_critical + overdue_major + overdue_minor) as i64,
                last_audit_at: last_audit.as_ref().map(|(_, at)| from_db_time(*at)),
                last_audit_kind: last_audit.map(|(kind, _)| kind),
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(summary))
}
