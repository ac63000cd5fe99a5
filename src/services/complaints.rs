//! Complaints (ISO/IEC 17021-1 §9.8) about a certification body or one of its auditors, by
//! any client. The scheme's admins handle them; an admin who is the subject, or who complained,
//! may not. Who complained is for the complainant and the admins only: the body reads, in the
//! feed, that a complaint about it was filed and how it was decided, never by whom.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::appeals::CaseState;
use crate::domain::events::EventType;
use crate::domain::fields::{not_blank, uuid};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::services::appeals::{CaseMove, no_nul, took_part};
use crate::services::events::{self, Draft};
use crate::services::{check_if_match, new_id, validate};
use crate::store;
use crate::store::appeals::ComplaintRow;

/// The actor the log records for a filing: the body reads complaint events about it, and must
/// not learn who complained.
pub const COMPLAINANT: &str = "complainant";

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"certification_body_id": "0193f0c1-5d2e-7a10-9c35-2b8e4f1a6d90", "person_ref": "B1-AUDITOR", "text": "The auditor interviewed workers only in the presence of the agency's manager."}))]
pub struct ComplaintInput {
    #[validate(custom(function = "uuid"))]
    #[schema(format = Uuid)]
    pub certification_body_id: String,
    /// The auditor's (or certifier's) API client, if the complaint is about one.
    #[serde(default)]
    #[validate(custom(function = "crate::domain::fields::plain_reference"))]
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub client_id: Option<String>,
    /// The person complained about, as the body names its staff.
    #[serde(default)]
    #[validate(custom(function = "crate::domain::fields::plain_reference"))]
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub person_ref: Option<String>,
    #[validate(length(min = 1, max = 5000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub text: String,
}

pub fn file(
    conn: &mut DbConnection,
    who: &Principal,
    input: ComplaintInput,
    now: DateTime<Utc>,
) -> AppResult<ComplaintRow> {
    authorize(who, Action::FileComplaint)?;
    validate(&input)?;
    no_nul("text", &input.text)?;
    let body = &input.certification_body_id;
    if store::certification_bodies::find(conn, body)?.is_none() {
        return Err(AppError::field("certification_body_id", format!("no certification body {body}")));
    }
    let mut person = input.person_ref.map(|p| p.trim().to_owned());
    if let Some(client_id) = input.client_id.as_deref() {
        let client = store::clients::find(conn, client_id)?
            .filter(|c| c.certification_body_id.as_deref() == Some(body.as_str()))
            .filter(|c| matches!(c.role, Role::Auditor | Role::Certifier))
            .ok_or_else(|| AppError::field("client_id", "no auditor or certifier of this body has this id"))?;
        match (&person, client.person_ref) {
            (Some(given), Some(known)) if *given != known => {
                return Err(AppError::field("person_ref", "not the person of this client"));
            }
            (None, known) => person = known,
            _ => {}
        }
    }
    let row = ComplaintRow {
        id: new_id(),
        certification_body_id: body.clone(),
        subject_client_id: input.client_id,
        subject_person_ref: person,
        body_text: input.text.trim().to_owned(),
        complainant: who.client_id.clone(),
        state: CaseState::Received,
        outcome_reason: None,
        handled_by: None,
        filed_at: now,
        closed_at: None,
        updated_at: now,
        version: 1,
    };
    store::appeals::insert_complaint(conn, &row)?;
    let draft =
        Draft::new(EventType::ComplaintFiled, "complaint", &row.id).body(Some(&row.certification_body_id)).values(
            None,
            Some(serde_json::json!({
                "state": row.state,
                "subject_client_id": row.subject_client_id,
                "subject_person_ref": row.subject_person_ref,
            })),
        );
    events::record(COMPLAINANT, draft, now)?;
    Ok(row)
}

/// A complaint the caller may see: an admin any, a complainant its own; others 404.
pub fn find_visible(conn: &mut DbConnection, who: &Principal, id: &str) -> AppResult<ComplaintRow> {
    store::appeals::find_complaint(conn, id)?
        .filter(|c| who.is(Role::Admin) || c.complainant == who.client_id)
        .ok_or_else(|| AppError::NotFound(format!("no complaint with id {id}")))
}

/// Whose complaints a caller lists: all (admin) or its own.
pub fn list_scope(who: &Principal) -> Option<String> {
    (!who.is(Role::Admin)).then(|| who.client_id.clone())
}

pub fn move_on(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    input: CaseMove,
    if_match: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<ComplaintRow> {
    authorize(who, Action::HandleCases)?;
    validate(&input)?;
    no_nul("reason", &input.reason)?;
    let mut row = find_visible(conn, who, id)?;
    check_if_match(if_match, row.version)?;
    if row.complainant == who.client_id
        || took_part(conn, who, row.subject_client_id.as_deref(), row.subject_person_ref.as_deref())?
    {
        return Err(AppError::Forbidden(
            "an admin who complained, or whom the complaint is about, may not handle it".into(),
        ));
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
    let draft = Draft::new(EventType::ComplaintStateChanged, "complaint", &row.id)
        .body(Some(&row.certification_body_id))
        .values(
            Some(serde_json::json!({ "state": from })),
            Some(serde_json::json!({ "state": row.state, "reason": reason })),
        );
    events::record(&who.client_id, draft, now)?;
    Ok(row)
}
