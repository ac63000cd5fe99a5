//! Appeals (ISO/IEC 17021-1 §9.7): an agency appeals a refusal of its application, a
//! suspension or a withdrawal within the standard's window; an admin who took no part in the
//! decision reviews it and upholds or rejects it with a reason. An upheld appeal reverses or
//! reopens the decision through `services::certification`.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::agency::CertificationStatus;
use crate::domain::appeals::{AppealedDecision, CaseState, late_appeal};
use crate::domain::certification_body::ApplicationStatus;
use crate::domain::events::EventType;
use crate::domain::fields::{not_blank, uuid};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::services::events::{self, Draft};
use crate::services::{agencies, certification, check_if_match, new_id, validate};
use crate::store;
use crate::store::appeals::AppealRow;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"decision": "suspension", "grounds": "The fees reported were refunded before the suspension; receipts attached to the corrective action."}))]
pub struct AppealInput {
    pub decision: AppealedDecision,
    /// The rejected application, for a `refusal`; a suspension or withdrawal appealed is the
    /// agency's latest one, which must still stand.
    #[serde(default)]
    #[validate(custom(function = "uuid"))]
    #[schema(format = Uuid)]
    pub application_id: Option<String>,
    #[validate(length(min = 1, max = 5000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub grounds: String,
}

/// A move of an appeal or a complaint, always with a reason.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"state": "under_review", "reason": "Assigned to the appeals panel."}))]
pub struct CaseMove {
    pub state: CaseState,
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub reason: String,
}

pub(crate) fn no_nul(field: &str, text: &str) -> AppResult<()> {
    if text.contains('\0') { Err(AppError::field(field, "must not contain NUL characters")) } else { Ok(()) }
}

/// The decision appealed: what names it, the body it concerns, who took it and when.
struct Appealed {
    reference: String,
    body: Option<String>,
    by: String,
    at: DateTime<Utc>,
}

fn appealed(conn: &mut DbConnection, agency_id: &str, input: &AppealInput) -> AppResult<Appealed> {
    let agency = agencies::find(conn, agency_id)?;
    if input.decision != AppealedDecision::Refusal && input.application_id.is_some() {
        return Err(AppError::field("application_id", "only for a refusal"));
    }
    match input.decision {
        AppealedDecision::Refusal => {
            let id = input
                .application_id
                .as_deref()
                .ok_or_else(|| AppError::field("application_id", "required to appeal a refusal"))?;
            let application = store::certification_bodies::find_application(conn, id)?
                .filter(|a| a.agency_id == agency_id)
                .ok_or_else(|| AppError::field("application_id", format!("no application {id} of this agency")))?;
            if application.status != ApplicationStatus::Rejected {
                return Err(AppError::Conflict(format!(
                    "the application is {}, not rejected: there is no refusal to appeal",
                    application.status
                )));
            }
            Ok(Appealed {
                reference: application.id,
                body: Some(application.certification_body_id),
                by: application.decided_by.unwrap_or_default(),
                at: application.decided_at.unwrap_or(application.updated_at),
            })
        }
        decision => {
            let to = if decision == AppealedDecision::Suspension {
                CertificationStatus::Suspended
            } else {
                CertificationStatus::Withdrawn
            };
            if agency.certification_status != to {
                return Err(AppError::Conflict(format!(
                    "the agency is {}, not {to}: there is no {decision} standing to appeal",
                    agency.certification_status
                )));
            }
            let event = store::appeals::latest_transition_to(conn, agency_id, to)?
                .ok_or_else(|| AppError::internal("a status without the transition into it"))?;
            let body = store::certifications::certificate_of(conn, agency_id)?.map(|c| c.certification_body_id);
            Ok(Appealed { reference: event.id, body, by: event.actor, at: event.occurred_at })
        }
    }
}

/// Days to appeal: the policy of the standard the agency's certificate rests on, or of the
/// latest published standard when it has none (a refused applicant).
fn window_days(conn: &mut DbConnection, agency_id: &str) -> AppResult<u32> {
    let version = match store::certifications::certificate_of(conn, agency_id)? {
        Some(cert) => store::assessments::find(conn, &cert.assessment_id)?.map(|a| a.standard_version),
        None => None,
    };
    let content = match version {
        Some(v) => store::standards::content_of_version(conn, &v)?,
        None => match store::standards::latest_published(conn)? {
            Some(row) => row.content.into_inner(),
            None => return Ok(crate::domain::standard::DecisionPolicy::default().appeal_window_days),
        },
    };
    Ok(content.decision_policy.appeal_window_days)
}

pub fn file(
    conn: &mut DbConnection,
    who: &Principal,
    agency_id: &str,
    input: AppealInput,
    now: DateTime<Utc>,
) -> AppResult<AppealRow> {
    authorize(who, Action::FileAppeal { agency_id })?;
    validate(&input)?;
    no_nul("grounds", &input.grounds)?;
    let decision = appealed(conn, agency_id, &input)?;
    if let Some(late) = late_appeal(decision.at, now, window_days(conn, agency_id)?) {
        return Err(AppError::Conflict(format!("too late to appeal: {late}")));
    }
    if store::appeals::open_appeal_of(conn, &decision.reference)?.is_some() {
        return Err(AppError::Conflict("this decision already has an open appeal".into()));
    }
    let row = AppealRow {
        id: new_id(),
        agency_id: agency_id.to_owned(),
        certification_body_id: decision.body,
        decision: input.decision,
        decision_ref: decision.reference,
        decided_by: decision.by,
        decided_at: decision.at,
        grounds: input.grounds.trim().to_owned(),
        state: CaseState::Received,
        outcome_reason: None,
        handled_by: None,
        filed_by: who.client_id.clone(),
        filed_at: now,
        closed_at: None,
        updated_at: now,
        version: 1,
    };
    store::appeals::insert_appeal(conn, &row)?;
    let draft = Draft::new(EventType::AppealFiled, "appeal", &row.id)
        .agency(agency_id)
        .body(row.certification_body_id.as_deref())
        .values(
            None,
            Some(serde_json::json!({
                "decision": row.decision,
                "decided_at": row.decided_at,
                "state": row.state,
            })),
        );
    events::record(&who.client_id, draft, now)?;
    Ok(row)
}

/// An appeal the caller may see: an admin any, an agency its own; others are answered 404.
pub fn find_visible(conn: &mut DbConnection, who: &Principal, id: &str) -> AppResult<AppealRow> {
    let row = store::appeals::find_appeal(conn, id)?.filter(|a| visible(who, a));
    row.ok_or_else(|| AppError::NotFound(format!("no appeal with id {id}")))
}

fn visible(who: &Principal, appeal: &AppealRow) -> bool {
    who.is(Role::Admin) || (who.is(Role::Agency) && who.agency_id.as_deref() == Some(appeal.agency_id.as_str()))
}

/// Which appeals a caller may list: all (admin), its own (agency), or 403.
pub fn list_scope(who: &Principal) -> AppResult<Option<String>> {
    match who.role {
        Role::Admin => Ok(None),
        Role::Agency if who.agency_id.is_some() => Ok(who.agency_id.clone()),
        _ => Err(AppError::Forbidden(format!(
            "the {} role may not list appeals; agencies list their own, admins all",
            who.role.as_str()
        ))),
    }
}

/// Whether `who` took part in a decision by `actor`: the same client, or the same person.
pub(crate) fn took_part(
    conn: &mut DbConnection,
    who: &Principal,
    actor: Option<&str>,
    person: Option<&str>,
) -> AppResult<bool> {
    if actor == Some(who.client_id.as_str()) {
        return Ok(true);
    }
    let mine = store::clients::find(conn, &who.client_id)?.and_then(|c| c.person_ref);
    let theirs = match (person, actor) {
        (Some(p), _) => Some(p.to_owned()),
        (None, Some(a)) => store::clients::find(conn, a)?.and_then(|c| c.person_ref),
        _ => None,
    };
    Ok(matches!((mine, theirs), (Some(a), Some(b)) if a == b))
}

/// Moves an appeal on. Upheld, it reverses or reopens the decision in the same transaction.
pub fn move_on(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    input: CaseMove,
    if_match: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<AppealRow> {
    authorize(who, Action::HandleCases)?;
    validate(&input)?;
    no_nul("reason", &input.reason)?;
    let mut row = find_visible(conn, who, id)?;
    check_if_match(if_match, row.version)?;
    if took_part(conn, who, Some(&row.decided_by), None)? {
        return Err(AppError::Forbidden("the admin who took the decision appealed may not handle its appeal".into()));
    }
    row.state.can_move_to(input.state).map_err(AppError::Conflict)?;
    let from = row.state;
    let reason = input.reason.trim().to_owned();
    row.state = input.state;
    row.outcome_reason = Some(reason.clone());
    row.handled_by = Some(who.client_id.clone());
    if !row.state.is_open() {
        row.closed_at = Some(now);
    }
    store::save(conn, &mut row, now)?;
    if row.state == CaseState::Upheld {
        certification::reverse_on_appeal(conn, &who.client_id, &row, &reason, now)?;
    }
    let draft = Draft::new(EventType::AppealStateChanged, "appeal", &row.id)
        .agency(&row.agency_id)
        .body(row.certification_body_id.as_deref())
        .values(
            Some(serde_json::json!({ "state": from })),
            Some(serde_json::json!({ "state": row.state, "reason": reason, "decision": row.decision })),
        );
    events::record(&who.client_id, draft, now)?;
    Ok(row)
}
