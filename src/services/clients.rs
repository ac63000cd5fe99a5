//! API clients: who may ask for tokens.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::secrets::NewSecret;
use crate::db::DbConnection;
use crate::domain::events::EventType;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult, FieldError};
use crate::services::events::{self, Draft};
use crate::services::{new_id, validate};
use crate::store;
use crate::store::clients::ClientRow;

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "TalentBridge HR platform", "role": "integrator"}))]
pub struct ClientInput {
    /// Who the client is for, shown in listings.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub name: String,
    pub role: Role,
    /// Required for `auditor` and `certifier`, and must name a registered body; refused otherwise.
    #[serde(default)]
    #[schema(format = Uuid)]
    pub certification_body_id: Option<String>,
    /// Required for `agency`, refused otherwise.
    #[serde(default)]
    #[schema(format = Uuid)]
    pub agency_id: Option<String>,
    /// A staff reference for the person who uses the client (not a name or an email), so that
    /// the four-eyes rule can tell when an auditor and a certifier are the same person.
    /// Required for `auditor` and `certifier`.
    #[serde(default)]
    #[validate(custom(function = "crate::domain::fields::plain_reference"))]
    #[schema(pattern = "^[A-Za-z0-9._-]{1,64}$", example = "GEA-0042")]
    #[schema(max_length = 64)]
    pub person_ref: Option<String>,
}

/// An API client (never with its secret).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "client_id": "0193f0a5-1d2e-7f00-8a11-5c3b2a1f0e9d",
    "name": "TalentBridge HR platform",
    "role": "integrator",
    "certification_body_id": null,
    "agency_id": null,
    "person_ref": null,
    "created_at": "2026-11-28T09:30:00.123456Z",
    "revoked_at": null
}))]
pub struct ApiClient {
    #[schema(format = Uuid)]
    pub client_id: String,
    #[schema(max_length = 100)]
    pub name: String,
    pub role: Role,
    #[schema(format = Uuid)]
    pub certification_body_id: Option<String>,
    #[schema(format = Uuid)]
    pub agency_id: Option<String>,
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub person_ref: Option<String>,
    pub created_at: DateTime<Utc>,
    /// Set once the client is revoked; a revoked client gets no tokens and its tokens stop working.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A new client with its secret. The secret is not stored and cannot be shown again.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "client_id": "0193f0a5-1d2e-7f00-8a11-5c3b2a1f0e9d",
    "name": "TalentBridge HR platform",
    "role": "integrator",
    "certification_body_id": null,
    "agency_id": null,
    "person_ref": null,
    "created_at": "2026-11-28T09:30:00.123456Z",
    "revoked_at": null,
    "client_secret": "fhs_3q2-7wZlUeQ0oYp8c1hBvXkNfR5sTjA9dLmG4iE6uHo"
}))]
pub struct NewApiClient {
    #[serde(flatten)]
    pub client: ApiClient,
    #[schema(max_length = 47, pattern = "^fhs_[A-Za-z0-9_-]{43}$")]
    pub client_secret: String,
}

impl From<ClientRow> for ApiClient {
    fn from(row: ClientRow) -> Self {
        ApiClient {
            client_id: row.id,
            name: row.name,
            role: row.role,
            certification_body_id: row.certification_body_id,
            agency_id: row.agency_id,
            person_ref: row.person_ref,
            created_at: row.created_at,
            revoked_at: row.revoked_at,
        }
    }
}

/// Creates a client holding `secret` (hashed by the caller, off the async executor) after
/// checking its input and the bindings its role needs. The API and `fairhire client create`
/// both create clients here.
pub fn create(
    conn: &mut DbConnection,
    input: ClientInput,
    secret_hash: String,
    created_by: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<ClientRow> {
    validate(&input)?;
    let name = input.name.trim().to_owned();
    let mut errors = Vec::new();
    if name.is_empty() {
        errors.push(FieldError::new("name", "must not be blank"));
    }
    match input.role.check_bindings(input.certification_body_id.as_deref(), input.agency_id.as_deref()) {
        Err((field, message)) => errors.push(FieldError::new(field, message)),
        // The bindings are the right ones; each must name something that exists, or the client
        // would log in and then be refused everything.
        Ok(()) => {
            if let Some(cb) = &input.certification_body_id {
                if uuid::Uuid::parse_str(cb).is_err() {
                    errors.push(FieldError::new("certification_body_id", "must be a UUID"));
                } else if !store::certification_bodies::exists(conn, cb)? {
                    errors
                        .push(FieldError::new("certification_body_id", format!("no certification body with id {cb}")));
                }
            }
            if let Some(agency) = &input.agency_id
                && !store::agencies::exists(conn, agency)?
            {
                errors.push(FieldError::new("agency_id", format!("no agency with id {agency}")));
            }
        }
    }
    // The four-eyes rule compares people, not clients: without a reference, an auditor holding a
    // second client as certifier could certify its own audit.
    if input.role.needs_certification_body() && input.person_ref.is_none() {
        let message = format!("required for the {} role: the four-eyes rule compares people", input.role.as_str());
        errors.push(FieldError::new("person_ref", message));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let row = ClientRow {
        id: new_id(),
        name,
        role: input.role,
        certification_body_id: input.certification_body_id,
        agency_id: input.agency_id,
        secret_hash,
        created_by: created_by.map(str::to_owned),
        created_at: now,
        revoked_at: None,
        person_ref: input.person_ref,
    };
    store::clients::insert(conn, &row)?;
    let draft = Draft::new(EventType::ClientCreated, "client", &row.id)
        .body(row.certification_body_id.as_deref())
        .values(None, Some(events::to_value(&ApiClient::from(row.clone()))?));
    let draft = match &row.agency_id {
        Some(agency) => draft.agency(agency),
        None => draft,
    };
    events::record(created_by.unwrap_or(events::OPERATOR), draft, now)?;
    Ok(row)
}

/// Creates a client with a freshly generated secret, returning the row and the secret in clear
/// (shown once). For the command line, which has no async executor to keep free.
pub fn create_with_secret(
    conn: &mut DbConnection,
    input: ClientInput,
    created_by: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<NewApiClient> {
    validate(&input)?;
    let secret = NewSecret::generate()?;
    let row = create(conn, input, secret.hash, created_by, now)?;
    Ok(NewApiClient { client: ApiClient::from(row), client_secret: secret.plain })
}

/// Revokes a client: it can no longer get tokens, and its tokens stop working at once. A client
/// already revoked keeps its first revocation time.
pub fn revoke(conn: &mut DbConnection, actor: &str, id: &str, now: DateTime<Utc>) -> AppResult<()> {
    let Some(client) = store::clients::find(conn, id)? else {
        return Err(AppError::NotFound(format!("no API client with id {id}")));
    };
    if client.revoked_at.is_some() {
        return Ok(());
    }
    store::clients::revoke(conn, id, now)?;
    let draft = Draft::new(EventType::ClientRevoked, "client", id)
        .body(client.certification_body_id.as_deref())
        .values(Some(serde_json::json!({"revoked_at": null})), Some(serde_json::json!({"revoked_at": now})));
    let draft = match &client.agency_id {
        Some(agency) => draft.agency(agency),
        None => draft,
    };
    events::record(actor, draft, now)
}
