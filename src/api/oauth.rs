//! `POST /v1/oauth/token` (OAuth 2.0 client credentials, RFC 6749 §4.4) and the public keys that
//! verify what it issues.

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::extract::{parse_json, read_body};
use crate::api::problems::*;
use crate::auth::keys::JwkSet;
use crate::auth::{secrets, tokens};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store;

/// Token requests are tiny; refuse anything larger before parsing it.
const TOKEN_BODY_LIMIT: usize = 4 * 1024;

/// The longest `scope` read (and ignored).
const MAX_SCOPE_CHARS: usize = 1024;

/// A client-credentials token request. The credentials may instead come as HTTP Basic
/// authentication (`client_id:client_secret`), as RFC 6749 §2.3.1 prefers.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[schema(example = json!({"grant_type": "client_credentials", "client_id": "0193f0a5-1d2e-7f00-8a11-5c3b2a1f0e9d", "client_secret": "fhs_3q2-7wZlUeQ0oYp8c1hBvXkNfR5sTjA9dLmG4iE6uHo"}))]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    #[schema(max_length = 64, pattern = "^client_credentials$")]
    pub grant_type: String,
    #[serde(default)]
    #[schema(max_length = 64)]
    pub client_id: Option<String>,
    #[serde(default)]
    #[schema(max_length = 128)]
    pub client_secret: Option<String>,
    /// Ignored: a token carries the client's role, whatever is asked (RFC 6749 §4.4.2 lets
    /// clients send it). Longer than 1,024 characters, it is an `invalid_request`.
    #[serde(default)]
    #[schema(max_length = 1024)]
    pub scope: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"access_token": "eyJhbGciOiJFZERTQSIsImtpZCI6ImtQcksiLCJ0eXAiOiJhdCtqd3QifQ.e30.c2ln", "token_type": "Bearer", "expires_in": 900}))]
pub struct TokenResponse {
    /// A JWT (EdDSA), verifiable with `/.well-known/jwks.json`.
    #[schema(max_length = 2048, pattern = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")]
    pub access_token: String,
    #[schema(example = "Bearer")]
    #[schema(max_length = 6, pattern = "^Bearer$")]
    pub token_type: &'static str,
    /// Seconds until the token expires.
    #[schema(format = Int64, minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub expires_in: u64,
}

fn oauth(status: StatusCode, code: &'static str, detail: impl Into<String>) -> AppError {
    AppError::OAuth { status, code, detail: detail.into() }
}

fn invalid_request(detail: impl Into<String>) -> AppError {
    oauth(StatusCode::BAD_REQUEST, "invalid_request", detail)
}

fn invalid_client() -> AppError {
    oauth(StatusCode::UNAUTHORIZED, "invalid_client", "unknown client, wrong secret or revoked client")
}

/// Credentials from an `Authorization: Basic` header, if there is one.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, AppError> {
    let Some(value) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else {
        return Ok(None);
    };
    let Some((scheme, encoded)) = value.split_once(' ') else {
        return Err(invalid_request("malformed Authorization header"));
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(invalid_request("use Basic authentication or credentials in the body"));
    }
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(|| invalid_request("malformed Basic credentials"))?;
    let (id, secret) = decoded.split_once(':').ok_or_else(|| invalid_request("malformed Basic credentials"))?;
    Ok(Some((id.to_owned(), secret.to_owned())))
}

/// Reads the body as a form (the OAuth standard) or as JSON.
async fn token_request(req: &HttpRequest, payload: &mut Payload) -> AppResult<TokenRequest> {
    let essence = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
        .unwrap_or_default();
    let body = read_body(req.headers(), payload, TOKEN_BODY_LIMIT).await?;
    match essence.as_str() {
        "application/x-www-form-urlencoded" => {
            serde_urlencoded::from_bytes(&body).map_err(|e| invalid_request(format!("malformed form: {e}")))
        }
        "application/json" => parse_json(&body).map_err(|e| match e {
            AppError::Validation(errors) => invalid_request(format!("{}: {}", errors[0].field, errors[0].message)),
            AppError::BadRequest(d) => invalid_request(d),
            other => other,
        }),
        _ => Err(AppError::UnsupportedMediaType("send application/x-www-form-urlencoded or application/json".into())),
    }
}

/// Get an access token.
///
/// OAuth 2.0 client credentials: send `grant_type=client_credentials` with the client id and
/// secret, in the form body or as HTTP Basic authentication. The token carries the client's
/// role and bindings and expires after `expires_in` seconds. Failures are problem documents
/// that also carry the OAuth `error` code: 400 `invalid_request` or `unsupported_grant_type`,
/// 401 `invalid_client` (unknown client, wrong secret or revoked client).
#[utoipa::path(
    operation_id = "create_token",
    tag = "auth",
    request_body(content(
        (TokenRequest = "application/x-www-form-urlencoded"),
        (TokenRequest = "application/json")
    )),
    responses(
        (status = 200, description = "A token.", body = TokenResponse),
        Unauthorized
    )
)]
#[post("/oauth/token")]
pub async fn create_token(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let basic = basic_credentials(req.headers())?;
    let form = token_request(&req, &mut payload.into_inner()).await?;
    if form.grant_type != "client_credentials" {
        return Err(oauth(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "only grant_type=client_credentials is supported",
        ));
    }
    if form.scope.as_ref().is_some_and(|scope| scope.chars().count() > MAX_SCOPE_CHARS) {
        return Err(invalid_request(format!("scope must be at most {MAX_SCOPE_CHARS} characters")));
    }
    let (client_id, secret) = match (basic, form.client_id, form.client_secret) {
        (Some(creds), None, None) => creds,
        (None, Some(id), Some(secret)) => (id, secret),
        (Some(_), _, _) => {
            return Err(invalid_request("send the credentials once: Basic or in the body"));
        }
        _ => return Err(invalid_request("client_id and client_secret are required")),
    };
    if client_id.len() > 64 || secret.len() > 128 || client_id.contains('\0') {
        return Err(invalid_client());
    }
    let lookup = client_id.clone();
    let client = state.db.read(move |conn| store::clients::find(conn, &lookup)).await?;
    let client = client.filter(|c| c.revoked_at.is_none());
    let stored = client.as_ref().map(|c| c.secret_hash.clone());
    // argon2 is slow on purpose: keep it off the async executor.
    let ok = web::block(move || secrets::verify(&secret, stored.as_deref())).await.map_err(AppError::internal)?;
    let client = client.filter(|_| ok).ok_or_else(invalid_client)?;
    let role = client.role;
    let subject = tokens::Subject {
        client_id: &client.id,
        role,
        certification_body_id: client.certification_body_id.as_deref(),
        agency_id: client.agency_id.as_deref(),
    };
    let access_token = tokens::issue(&state.keys, &state.config.jwt, &subject, jsonwebtoken::get_current_timestamp())?;
    tracing::info!(client_id = %client.id, role = role.as_str(), "token issued");
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(TokenResponse {
        access_token,
        token_type: "Bearer",
        expires_in: state.config.jwt.token_ttl_seconds,
    }))
}

/// The public keys that verify access tokens and status attestations.
///
/// A JSON Web Key Set (RFC 7517) of Ed25519 keys: the signing key and any previous key still accepted after a
/// rotation. No token needed; cacheable for five minutes.
#[utoipa::path(
    operation_id = "get_jwks",
    tag = "auth",
    security(()),
    responses(
        (status = 200, description = "A JSON Web Key Set (RFC 7517).", body = JwkSet)
    )
)]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "public, max-age=300")).json(state.keys.jwks())
}
