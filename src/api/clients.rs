//! `/v1/clients`: API clients, managed by admins. A secret is shown once, at creation.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, post, web};

use crate::api::extract::{ClientId, ValidJson, ValidQuery};
use crate::api::pagination::{self, Page, PageQuery};
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize, secrets};
use crate::error::{AppError, AppResult};
use crate::services::clients::{self, ApiClient, ClientInput, NewApiClient};
use crate::state::AppState;
use crate::store;

crate::api::pagination::documented_page!(ApiClientPage, ApiClient, "API clients");

/// List API clients.
///
/// Admins only. A page in creation order: `limit` and `cursor`. Secrets are never shown again.
#[utoipa::path(
    operation_id = "list_clients",
    tag = "clients",
    params(PageQuery),
    responses(
        (status = 200, description = "A page of clients, oldest first.", body = ApiClientPage),
        Forbidden
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
    let window = pagination::window(query.0.limit, query.0.cursor.as_deref())?;
    let (limit, after) = (window.fetch(), window.after.clone());
    let rows = state.db.read(move |conn| store::clients::page(conn, after.as_deref(), limit)).await?;
    Ok(HttpResponse::Ok().json(Page::of(rows, window.limit, |r| &r.id, ApiClient::from)))
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
        Forbidden
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
    let row = state.db.write(move |conn| clients::create(conn, input, secret.hash, Some(&creator), now)).await?;
    let created = NewApiClient { client: ApiClient::from(row), client_secret: secret.plain };
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
        Forbidden
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{id}")]
pub async fn revoke_client(state: web::Data<AppState>, who: Principal, id: ClientId) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageClients)?;
    let id = id.into_inner();
    let now = state.clock.now();
    state.db.write(move |conn| clients::revoke(conn, &who.client_id, &id, now)).await?;
    Ok(HttpResponse::NoContent().finish())
}
