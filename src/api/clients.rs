//! `/v1/clients`: API clients, managed by admins. A secret is shown once, at creation.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::api::extract::{ValidJson, ValidQuery};
use crate::api::pagination;
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize, secrets};
use crate::db::DbConnection;
use crate::domain::roles::Role;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store;
use crate::store::clients::ClientRow;

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "TalentBridge HR platform", "role": "integrator"}))]
pub struct ClientInput {
    /// Who the client is for, shown in listings.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, pattern = r"[^\s\u0085]")]
    pub name: String,
    pub role: Role,
    /// Required for `auditor` and `certifier`, refused otherwise.
    #[serde(default)]
    #[schema(format = Uuid)]
    pub certification_body_id: Option<String>,
    /// Required for `agency`, refused otherwise.
    #[serde(default)]
    #[schema(format = Uuid)]
    pub agency_id: Option<String>,
    /// A staff reference for the person who uses the client (not a name or an email), so that
    /// the four-eyes rule can tell when an auditor and a certifier are the same person.
    #[serde(default)]
    #[validate(custom(function = "valid_person_ref"))]
    #[schema(pattern = "^[A-Za-z0-9._-]{1,64}$", example = "GEA-0042")]
    pub person_ref: Option<String>,
}

fn valid_person_ref(value: &str) -> Result<(), validator::ValidationError> {
    let ok = !value.is_empty()
        && value.len() <= 64
        && value.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(validator::ValidationError::new("person_ref")
            .with_message("1 to 64 of A-Z, a-z, 0-9, '.', '_' and '-'".into()))
    }
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
    pub name: String,
    pub role: Role,
    pub certification_body_id: Option<String>,
    pub agency_id: Option<String>,
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
    pub client_secret: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApiClientPage {
    pub data: Vec<ApiClient>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Page size, 1–200 (default 50).
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(schema_with = crate::api::schema::cursor)]
    pub cursor: Option<String>,
}

impl TryFrom<ClientRow> for ApiClient {
    type Error = AppError;

    fn try_from(row: ClientRow) -> Result<Self, AppError> {
        Ok(ApiClient {
            role: Role::parse(&row.role)
                .ok_or_else(|| AppError::internal(format!("client {} has role {:?}", row.id, row.role)))?,
            client_id: row.id,
            name: row.name,
            certification_body_id: row.certification_body_id,
            agency_id: row.agency_id,
            person_ref: row.person_ref,
            created_at: store::from_db_time(row.created_at),
            revoked_at: row.revoked_at.map(store::from_db_time),
        })
    }
}

/// Creates a client with `secret` after checking its bindings. Shared by the API and the
/// `client create` command.
pub fn create_client(
    conn: &mut DbConnection,
    input: ClientInput,
    secret: secrets::NewSecret,
    created_by: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<NewApiClient> {
    let name = input.name.trim().to_owned();
    if name.is_empty() {
        return Err(AppError::field("name", "must not be blank"));
    }
    input
        .role
        .check_bindings(input.certification_body_id.as_deref(), input.agency_id.as_deref())
        .map_err(|(field, message)| AppError::field(field, message))?;
    if let Some(cb) = &input.certification_body_id
        && Uuid::parse_str(cb).is_err()
    {
        return Err(AppError::field("certification_body_id", "must be a UUID"));
    }
    if let Some(agency) = &input.agency_id
        && !store::agencies::exists(conn, agency)?
    {
        return Err(AppError::field("agency_id", format!("no agency with id {agency}")));
    }
    let row = ClientRow {
        id: Uuid::now_v7().to_string(),
        name,
        role: input.role.as_str().to_owned(),
        certification_body_id: input.certification_body_id,
        agency_id: input.agency_id,
        secret_hash: secret.hash,
        created_by: created_by.map(str::to_owned),
        created_at: store::to_db_time(now),
        revoked_at: None,
        person_ref: input.person_ref,
    };
    store::clients::insert(conn, &row)?;
    Ok(NewApiClient { client: ApiClient::try_from(row)?, client_secret: secret.plain })
}

/// List API clients.
#[utoipa::path(
    operation_id = "list_clients",
    tag = "clients",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of clients, oldest first.", body = ApiClientPage),
        BadRequest, Unauthorized, Forbidden, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[get("/clients")]
pub async fn list_clients(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<PageQuery>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageClients)?;
    let (limit, after) = pagination::resolve(query.0.limit, query.0.cursor.as_deref())?;
    let rows = state.db.read(move |conn| store::clients::page(conn, after.as_deref(), i64::from(limit) + 1)).await?;
    let (rows, next_cursor) = pagination::split_page(rows, limit, |r| &r.id);
    let data = rows.into_iter().map(ApiClient::try_from).collect::<AppResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(ApiClientPage { data, next_cursor }))
}

/// Create an API client.
///
/// The answer holds `client_secret`, shown this once. Exchange the id and secret for a token at
/// `POST /v1/oauth/token`. (No `Idempotency-Key` here: replaying the answer would mean keeping
/// the secret.)
#[utoipa::path(
    operation_id = "create_client",
    tag = "clients",
    request_body = ClientInput,
    responses(
        (status = 201, description = "Created; the secret is in the body.", body = NewApiClient),
        BadRequest, Unauthorized, Forbidden, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[post("/clients")]
pub async fn create_client_route(
    state: web::Data<AppState>,
    who: Principal,
    body: ValidJson<ClientInput>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageClients)?;
    // Hashing is slow on purpose: do it on a blocking thread, before the transaction.
    let secret = web::block(secrets::NewSecret::generate).await.map_err(AppError::internal)??;
    let (input, now, creator) = (body.0, state.clock.now(), who.client_id);
    let created = state.db.write(move |conn| create_client(conn, input, secret, Some(&creator), now)).await?;
    // The body holds a secret: no cache may keep it.
    Ok(HttpResponse::Created().insert_header((header::CACHE_CONTROL, "no-store")).json(created))
}

/// Revoke an API client.
///
/// It can no longer get tokens, and the tokens it holds stop working at once. Revoking a client
/// already revoked changes nothing.
#[utoipa::path(
    operation_id = "revoke_client",
    tag = "clients",
    params(("id" = String, Path, format = Uuid, description = "Client id.")),
    responses(
        (status = 204, description = "Revoked."),
        BadRequest, Unauthorized, Forbidden, NotFound, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{id}")]
pub async fn revoke_client(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageClients)?;
    let id = id.into_inner();
    let now = store::to_db_time(state.clock.now());
    state
        .db
        .write(move |conn| {
            if store::clients::find(conn, &id)?.is_none() {
                return Err(AppError::NotFound(format!("no API client with id {id}")));
            }
            store::clients::revoke(conn, &id, now)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
