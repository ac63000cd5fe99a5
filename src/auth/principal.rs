//! The caller, as proved by a bearer token. Handlers take a [`Principal`] argument; a request
//! without a valid token never reaches them.

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

use crate::auth::tokens::{self, Claims};
use crate::domain::roles::Role;
use crate::error::AppError;
use crate::state::AppState;
use crate::store;

#[derive(Debug, Clone, PartialEq)]
pub struct Principal {
    pub client_id: String,
    pub role: Role,
    pub certification_body_id: Option<String>,
    pub agency_id: Option<String>,
}

impl Principal {
    pub fn is(&self, role: Role) -> bool {
        self.role == role
    }
}

/// The token after `Bearer ` in the Authorization header.
fn bearer_token(req: &HttpRequest) -> Result<&str, AppError> {
    let value =
        req.headers().get(AUTHORIZATION).ok_or_else(|| AppError::Unauthorized("a bearer token is required".into()))?;
    let value =
        value.to_str().map_err(|_| AppError::Unauthorized("the Authorization header is not readable".into()))?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => Ok(token.trim()),
        _ => Err(AppError::Unauthorized("the Authorization header must be `Bearer <token>`".into())),
    }
}

/// The claims of a request's bearer token, verified by the rate limiter (which counts the
/// request against the token's client), so that the extractor need not verify it again. Only
/// [`verify_bearer`]'s caller puts it in a request's extensions.
pub(crate) struct VerifiedToken(pub(crate) Claims);

/// The claims of `req`'s bearer token, if it has one and it verifies (its client may still
/// have been revoked: the extractor checks that).
pub(crate) fn verify_bearer(req: &HttpRequest, state: &AppState) -> Option<Claims> {
    let token = bearer_token(req).ok()?;
    tokens::verify(&state.keys, &state.config.jwt, token).ok()
}

impl FromRequest for Principal {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let verified = req.extensions().get::<VerifiedToken>().map(|v| Ok(v.0.clone()));
        let claims = verified.unwrap_or_else(|| {
            let state = state.as_ref().ok_or_else(|| AppError::internal("application state missing"))?;
            tokens::verify(&state.keys, &state.config.jwt, bearer_token(req)?)
        });
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::internal("application state missing"))?;
            let claims = claims?;
            // A revoked client loses access at once, not when its last token expires.
            let client_id = claims.sub.clone();
            let active = state.db.read(move |conn| store::clients::is_active(conn, &client_id)).await?;
            if !active {
                return Err(AppError::Unauthorized("the API client has been revoked".into()));
            }
            Ok(Principal {
                client_id: claims.sub,
                role: claims.role,
                certification_body_id: claims.certification_body_id,
                agency_id: claims.agency_id,
            })
        })
    }
}
