//! Sharing grants: an agency lets one integrator read its full findings (the findings and the
//! explained score of its finalized assessments) until a date, revocable at once. Every read
//! under a grant is recorded before the answer is sent.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::events::EventType;
use crate::domain::fields::uuid;
use crate::domain::grants::{self, GrantState, GrantedRead};
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::services::events::{self, Draft};
use crate::services::{agencies, new_id, validate};
use crate::store;
use crate::store::assessments::AssessmentRow;
use crate::store::grants::{GrantRow, ReadRow};

/// Whom to give access, and until when.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"client_id": "0193f0c1-5d2e-7a10-9c35-2b8e4f1a6d90", "valid_until": "2026-12-31"}))]
pub struct GrantInput {
    /// The integrator's API client id: an active client with the role `integrator`.
    #[validate(custom(function = "uuid"))]
    #[schema(format = Uuid)]
    pub client_id: String,
    /// The last day (UTC) of access: after today, at most 24 months ahead.
    pub valid_until: NaiveDate,
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("no sharing grant with id {id} on this agency"))
}

/// Gives `input.client_id` access to the agency's findings until `input.valid_until`. One
/// grant per integrator is in force at a time (409 while one is), so revoking it surely ends
/// the access.
pub fn create(
    conn: &mut DbConnection,
    who: &Principal,
    agency_id: &str,
    input: GrantInput,
    now: DateTime<Utc>,
) -> AppResult<GrantRow> {
    validate(&input)?;
    agencies::find(conn, agency_id)?;
    authorize(who, Action::ManageGrants { agency_id })?;
    if let Some(problem) = grants::valid_until_problem(input.valid_until, now) {
        return Err(AppError::field("valid_until", problem));
    }
    let client = store::clients::find(conn, &input.client_id)?
        .ok_or_else(|| AppError::field("client_id", format!("no API client with id {}", input.client_id)))?;
    if client.role != Role::Integrator {
        return Err(AppError::field("client_id", format!("client {} is not an integrator", client.id)));
    }
    if client.revoked_at.is_some() {
        return Err(AppError::field("client_id", format!("client {} is revoked", client.id)));
    }
    if let Some(existing) = store::grants::active(conn, agency_id, &client.id, now)? {
        return Err(AppError::Conflict(format!(
            "grant {} to this client is in force until {}; revoke it first",
            existing.id, existing.valid_until
        )));
    }
    let row = GrantRow {
        id: new_id(),
        agency_id: agency_id.to_owned(),
        client_id: client.id,
        valid_until: input.valid_until,
        created_by: who.client_id.clone(),
        created_at: now,
        revoked_by: None,
        revoked_at: None,
    };
    store::grants::insert(conn, &row)?;
    let draft = Draft::new(EventType::GrantCreated, "sharing_grant", &row.id)
        .agency(agency_id)
        .values(None, Some(json!({ "client_id": row.client_id, "valid_until": row.valid_until })));
    events::record(&who.client_id, draft, now)?;
    Ok(row)
}

/// The agency's grant `grant_id`, for the agency itself and admins.
pub fn find(conn: &mut DbConnection, who: &Principal, agency_id: &str, grant_id: &str) -> AppResult<GrantRow> {
    agencies::find(conn, agency_id)?;
    authorize(who, Action::ManageGrants { agency_id })?;
    store::grants::find(conn, grant_id)?.filter(|g| g.agency_id == agency_id).ok_or_else(|| not_found(grant_id))
}

/// Revokes a grant at once: the next read under it is refused. A grant that no longer gives
/// access (revoked or expired) is a 409 naming its state.
pub fn revoke(
    conn: &mut DbConnection,
    who: &Principal,
    agency_id: &str,
    grant_id: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let grant = find(conn, who, agency_id, grant_id)?;
    match grants::state(grant.valid_until, grant.revoked_at, now) {
        GrantState::Active => {}
        GrantState::Revoked => {
            let at = grant.revoked_at.map(|t| t.to_rfc3339()).unwrap_or_default();
            return Err(AppError::Conflict(format!("grant {grant_id} was already revoked at {at}")));
        }
        GrantState::Expired => {
            return Err(AppError::Conflict(format!("grant {grant_id} expired after {}", grant.valid_until)));
        }
    }
    if !store::grants::revoke(conn, grant_id, &who.client_id, now)? {
        return Err(AppError::Conflict(format!("grant {grant_id} was revoked while this request ran")));
    }
    let draft = Draft::new(EventType::GrantRevoked, "sharing_grant", grant_id)
        .agency(agency_id)
        .values(Some(json!({ "revoked_at": null })), Some(json!({ "client_id": grant.client_id, "revoked_at": now })));
    events::record(&who.client_id, draft, now)?;
    Ok(())
}

/// Whether, and why, a caller may see an assessment's findings.
#[derive(Debug)]
pub enum FindingsAccess {
    /// By role: the agency itself, its body's staff, admins.
    Own,
    /// An integrator, under this grant in force now: the read must be recorded.
    Granted(String),
    /// Not at all: the 403 to answer where the findings were asked for.
    Denied(AppError),
}

/// Whether `who` may see the findings of `row` at `now`, and why. Integrators need a grant of
/// the agency in force now; an expired or revoked one is refused at once.
pub fn findings_access(
    conn: &mut DbConnection,
    who: &Principal,
    row: &AssessmentRow,
    now: DateTime<Utc>,
) -> AppResult<FindingsAccess> {
    let by_role = authorize(
        who,
        Action::ReadFindings { agency_id: &row.agency_id, body_id: row.certification_body_id.as_deref() },
    );
    let Err(denied) = by_role else {
        return Ok(FindingsAccess::Own);
    };
    let finalized = row.status == crate::domain::assessment::AssessmentStatus::Finalized;
    if authorize(who, Action::ReadFindingsUnderGrant { finalized }).is_err() {
        return Ok(FindingsAccess::Denied(denied));
    }
    Ok(match store::grants::active(conn, &row.agency_id, &who.client_id, now)? {
        Some(grant) => FindingsAccess::Granted(grant.id),
        None => FindingsAccess::Denied(AppError::Forbidden(
            "the integrator role may read findings only under a sharing grant of the agency in force now".into(),
        )),
    })
}

/// Records a read under a grant: who, what, when.
pub fn record_read(
    conn: &mut DbConnection,
    who: &Principal,
    grant_id: &str,
    assessment_id: &str,
    what: GrantedRead,
    now: DateTime<Utc>,
) -> AppResult<()> {
    store::grants::insert_read(
        conn,
        &ReadRow {
            id: new_id(),
            grant_id: grant_id.to_owned(),
            client_id: who.client_id.clone(),
            assessment_id: assessment_id.to_owned(),
            what,
            read_at: now,
        },
    )
}
