//! Applications: how an agency comes under a certification body, and the body's decision.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::certification::DEFERRAL_DAYS;
use crate::domain::certification_body::{ApplicationStatus, accreditation_problem};
use crate::domain::events::EventType;
use crate::domain::fields::not_blank;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::services::events::{self, Draft};
use crate::services::{certification, new_id, validate};
use crate::store;
use crate::store::certification_bodies::ApplicationRow;

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"certification_body_id": "0193f0b0-2222-7000-8000-00000000c0b1"}))]
pub struct ApplicationInput {
    #[schema(format = Uuid)]
    pub certification_body_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    /// The application needs more; it lapses unless accepted within 60 days.
    Defer,
    Reject,
}

#[derive(Debug, Deserialize, Validate)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    pub decision: Decision,
    /// Required to defer or reject.
    #[serde(default)]
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    pub reason: Option<String>,
}

/// Documented as two shapes, so that the rule "a reason to defer or reject" is in the schema:
/// `accept` with an optional reason, `defer` or `reject` with one.
impl utoipa::PartialSchema for DecisionInput {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, SchemaType, Type};
        let reason = |nullable: bool| {
            let kind = if nullable { SchemaType::from_iter([Type::String, Type::Null]) } else { Type::String.into() };
            ObjectBuilder::new()
                .schema_type(kind)
                .min_length(Some(1))
                .max_length(Some(2000))
                .pattern(Some(crate::domain::schema::NOT_BLANK))
        };
        let decision =
            |values: &[&str]| ObjectBuilder::new().schema_type(Type::String).enum_values(Some(values.to_vec()));
        let accept = ObjectBuilder::new()
            .description(Some("Accept; a reason is optional."))
            .property("decision", decision(&["accept"]))
            .required("decision")
            .property("reason", reason(true))
            .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)));
        let refuse = ObjectBuilder::new()
            .description(Some(
                "Defer (the application lapses unless accepted within 60 days) or reject, with the reason.",
            ))
            .property("decision", decision(&["defer", "reject"]))
            .required("decision")
            .property("reason", reason(false))
            .required("reason")
            .additional_properties(Some(utoipa::openapi::schema::AdditionalProperties::FreeForm(false)));
        OneOfBuilder::new()
            .item(accept)
            .item(refuse)
            .examples([serde_json::json!({"decision": "defer", "reason": "Send the licence renewal certificate and the list of sub-agents."})])
            .into()
    }
}

impl ToSchema for DecisionInput {}

/// What the event log keeps of an application's state.
fn logged(row: &ApplicationRow) -> serde_json::Value {
    serde_json::json!({
        "certification_body_id": row.certification_body_id,
        "status": row.status,
        "reason": row.reason,
        "deferred_until": row.deferred_until,
    })
}

/// Logs a decision on an application (by a client, or by the rules: lapsed, closed).
pub(crate) fn record_decision(
    actor: &str,
    before: &ApplicationRow,
    after: &ApplicationRow,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let (was, is) = crate::domain::events::changes(&logged(before), &logged(after));
    let draft = Draft::new(EventType::ApplicationDecided, "application", &after.id)
        .agency(&after.agency_id)
        .body(Some(&after.certification_body_id))
        .values(Some(was), Some(is));
    events::record(actor, draft, now)
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("no application with id {id}"))
}

/// An application the caller may see. One it may not see is answered as absent (404), so that
/// its existence is not disclosed.
pub fn find_visible(conn: &mut DbConnection, who: &Principal, id: &str) -> AppResult<ApplicationRow> {
    let row = store::certification_bodies::find_application(conn, id)?.ok_or_else(|| not_found(id))?;
    authorize(who, Action::ReadApplication { agency_id: &row.agency_id, body_id: &row.certification_body_id })
        .map_err(|_| not_found(id))?;
    Ok(row)
}

/// An agency applies to a body (or an admin assigns it, accepted at once). The body must be
/// accredited, and an agency has at most one open application per body. A new, withdrawn or
/// expired agency enters the certification cycle as an applicant.
pub fn apply(
    conn: &mut DbConnection,
    who: &Principal,
    agency_id: &str,
    input: ApplicationInput,
    now: DateTime<Utc>,
) -> AppResult<ApplicationRow> {
    let mut agency = crate::services::agencies::find(conn, agency_id)?;
    let body_id = input.certification_body_id;
    let body = store::certification_bodies::find(conn, &body_id)?
        .ok_or_else(|| AppError::field("certification_body_id", format!("no certification body with id {body_id}")))?;
    if let Some(problem) = accreditation_problem(&body.name, body.accreditation_status, body.accredited_until, now) {
        return Err(AppError::Conflict(format!("{problem}; it cannot take applications")));
    }
    if store::certification_bodies::open_application(conn, agency_id, &body_id)?.is_some() {
        return Err(AppError::Conflict("the agency already has an open application with this body".into()));
    }
    let assigned = who.is(Role::Admin);
    let row = ApplicationRow {
        id: new_id(),
        agency_id: agency_id.to_owned(),
        certification_body_id: body_id,
        status: if assigned { ApplicationStatus::Accepted } else { ApplicationStatus::Pending },
        reason: None,
        created_by: who.client_id.clone(),
        decided_by: assigned.then(|| who.client_id.clone()),
        decided_at: assigned.then_some(now),
        created_at: now,
        updated_at: now,
        deferred_until: None,
    };
    store::certification_bodies::insert_application(conn, &row)?;
    let draft = Draft::new(EventType::ApplicationSubmitted, "application", &row.id)
        .agency(agency_id)
        .body(Some(&row.certification_body_id))
        .values(None, Some(logged(&row)));
    events::record(&who.client_id, draft, now)?;
    certification::applied(conn, &mut agency, &who.client_id, &body.name, now)?;
    Ok(row)
}

/// A certifier of the body (or an admin) accepts, defers (it lapses unless accepted within 60
/// days) or rejects a pending or deferred application; deferring and rejecting need a reason.
pub fn decide(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    input: DecisionInput,
    now: DateTime<Utc>,
) -> AppResult<ApplicationRow> {
    validate(&input)?;
    if input.decision != Decision::Accept && input.reason.is_none() {
        return Err(AppError::field("reason", "a reason is required to defer or reject"));
    }
    let mut row = store::certification_bodies::find_application(conn, id)?.ok_or_else(|| not_found(id))?;
    authorize(who, Action::DecideApplication { body_id: &row.certification_body_id })?;
    if !row.status.is_undecided() {
        return Err(AppError::Conflict(format!("the application is already {}", row.status)));
    }
    let before = row.clone();
    row.status = match input.decision {
        Decision::Accept => ApplicationStatus::Accepted,
        Decision::Defer => ApplicationStatus::Deferred,
        Decision::Reject => ApplicationStatus::Rejected,
    };
    row.deferred_until = (input.decision == Decision::Defer).then(|| now + chrono::Duration::days(DEFERRAL_DAYS));
    row.reason = input.reason.map(|r| r.trim().to_owned());
    row.decided_by = Some(who.client_id.clone());
    row.decided_at = Some(now);
    row.updated_at = now;
    store::certification_bodies::update_application(conn, &row)?;
    record_decision(&who.client_id, &before, &row, now)?;
    Ok(row)
}
