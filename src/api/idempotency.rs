//! `Idempotency-Key` on creating `POST`s: the first answer is saved in the same transaction as
//! what it created, and a retry with the same key and body gets that answer again.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use crate::api::extract::idempotency_key;
use crate::auth::Principal;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::services::idempotency;
use crate::state::AppState;
use crate::store::idempotency::SavedResponse;

/// What a create produced: its JSON body and the headers a retry must see again.
pub struct Created {
    pub body: String,
    pub location: Option<String>,
    pub etag: Option<String>,
}

impl Created {
    /// A created resource at `location`, at `version`.
    pub fn json<T: serde::Serialize>(resource: &T, location: String, version: i64) -> AppResult<Created> {
        Ok(Created {
            body: serde_json::to_string(resource).map_err(AppError::internal)?,
            location: Some(location),
            etag: Some(crate::services::etag(version)),
        })
    }
}

fn respond(status: u16, created: &Created, replayed: bool) -> HttpResponse {
    let mut res = HttpResponse::build(StatusCode::from_u16(status).unwrap_or(StatusCode::CREATED));
    res.content_type("application/json");
    if let Some(location) = &created.location {
        res.insert_header((header::LOCATION, location.as_str()));
    }
    if let Some(etag) = &created.etag {
        res.insert_header((header::ETAG, etag.as_str()));
    }
    if replayed {
        res.insert_header(("idempotent-replayed", "true"));
    }
    res.body(created.body.clone())
}

fn replay(saved: SavedResponse, scope: &str, hash: &str) -> AppResult<HttpResponse> {
    if saved.scope != scope || saved.request_hash != hash {
        return Err(AppError::field(
            "Idempotency-Key",
            "this key was already used for a different request; use a new key",
        ));
    }
    let created = Created { body: saved.response_body, location: saved.response_location, etag: saved.response_etag };
    Ok(respond(saved.response_status as u16, &created, true))
}

/// Runs `create` in one transaction, at most once per (client, key). Without a key it simply
/// runs.
pub async fn create_once<F>(
    state: &AppState,
    who: &Principal,
    req: &HttpRequest,
    body: &[u8],
    create: F,
) -> AppResult<HttpResponse>
where
    F: FnOnce(&mut DbConnection) -> AppResult<Created> + Send + 'static,
{
    let Some(key) = idempotency_key(req)? else {
        let created = state.db.write(create).await?;
        return Ok(respond(201, &created, false));
    };
    let scope = format!("{} {}", req.method(), req.path());
    let hash = hex(&Sha256::digest(body));
    let now = state.clock.now();
    let client_id = who.client_id.clone();

    let (client, k, s, h) = (client_id.clone(), key.clone(), scope.clone(), hash.clone());
    let outcome = state
        .db
        .write(move |conn| {
            if let Some(saved) = idempotency::recall(conn, &client, &k, now)? {
                return Ok(Err(saved));
            }
            let created = create(conn)?;
            idempotency::remember(
                conn,
                &SavedResponse {
                    client_id: client,
                    idempotency_key: k,
                    scope: s,
                    request_hash: h,
                    response_status: 201,
                    response_body: created.body.clone(),
                    response_location: created.location.clone(),
                    response_etag: created.etag.clone(),
                    created_at: now,
                },
            )?;
            Ok(Ok(created))
        })
        .await;
    match outcome {
        Ok(Ok(created)) => Ok(respond(201, &created, false)),
        Ok(Err(saved)) => replay(saved, &scope, &hash),
        // A concurrent request with the same key committed first: answer as it did.
        Err(AppError::Conflict(detail)) => {
            let saved = state.db.write(move |conn| idempotency::recall(conn, &client_id, &key, now)).await?;
            match saved {
                Some(saved) => replay(saved, &scope, &hash),
                None => Err(AppError::Conflict(detail)),
            }
        }
        Err(other) => Err(other),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
