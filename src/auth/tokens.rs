//! Access tokens: short-lived JWTs signed with EdDSA. Verification pins the algorithm, the token
//! type, the issuer and the audience, and requires `exp` and `nbf`.

use jsonwebtoken::{Algorithm, Header, Validation, decode, decode_header, encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::keys::KeySet;
use crate::config::JwtConfig;
use crate::domain::roles::Role;
use crate::error::AppError;

/// RFC 9068's media type for JWT access tokens. Other JWS the service signs (status
/// attestations) carry another type and so can never pass as an access token.
pub const ACCESS_TOKEN_TYPE: &str = "at+jwt";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The API client id.
    pub sub: String,
    pub exp: u64,
    pub nbf: u64,
    pub iat: u64,
    pub jti: String,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certification_body_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_id: Option<String>,
}

/// Who a token was issued to.
pub struct Subject<'a> {
    pub client_id: &'a str,
    pub role: Role,
    pub certification_body_id: Option<&'a str>,
    pub agency_id: Option<&'a str>,
}

/// Signs an access token for `subject`, valid from `now` (seconds since the epoch).
pub fn issue(keys: &KeySet, cfg: &JwtConfig, subject: &Subject<'_>, now: u64) -> Result<String, AppError> {
    let claims = Claims {
        iss: cfg.issuer.clone(),
        aud: cfg.audience.clone(),
        sub: subject.client_id.to_owned(),
        exp: now + cfg.token_ttl_seconds,
        nbf: now,
        iat: now,
        jti: Uuid::now_v7().to_string(),
        role: subject.role,
        certification_body_id: subject.certification_body_id.map(str::to_owned),
        agency_id: subject.agency_id.map(str::to_owned),
    };
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(keys.signing_kid().to_owned());
    header.typ = Some(ACCESS_TOKEN_TYPE.to_owned());
    encode(&header, &claims, keys.encoding_key()).map_err(AppError::internal)
}

/// Verifies a bearer token and returns its claims. Every failure is the same 401 to the caller;
/// the reason is only logged at debug level.
pub fn verify(keys: &KeySet, cfg: &JwtConfig, token: &str) -> Result<Claims, AppError> {
    let reject = |why: &str| {
        tracing::debug!(reason = why, "bearer token rejected");
        AppError::Unauthorized("the bearer token is not valid".into())
    };
    let header = decode_header(token).map_err(|_| reject("malformed header"))?;
    if header.alg != Algorithm::EdDSA {
        return Err(reject("algorithm not allowed"));
    }
    if !header.typ.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(ACCESS_TOKEN_TYPE)) {
        return Err(reject("not an access token"));
    }
    let kid = header.kid.ok_or_else(|| reject("no kid"))?;
    let key = keys.decoding_key(&kid).ok_or_else(|| reject("unknown kid"))?;
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_issuer(&[&cfg.issuer]);
    validation.set_audience(&[&cfg.audience]);
    validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
    validation.validate_nbf = true;
    validation.leeway = cfg.leeway_seconds;
    decode::<Claims>(token, key, &validation).map(|data| data.claims).map_err(|e| reject(&e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::SigningKey;

    fn keys(seed: u8) -> KeySet {
        KeySet::from_signing_key(&SigningKey::from_bytes(&[seed; 32]), &[]).unwrap()
    }

    fn now() -> u64 {
        jsonwebtoken::get_current_timestamp()
    }

    fn admin() -> Subject<'static> {
        Subject { client_id: "c1", role: Role::Admin, certification_body_id: None, agency_id: None }
    }

    #[test]
    fn a_fresh_token_verifies_with_its_claims() {
        let (k, cfg) = (keys(1), JwtConfig::default());
        let token = issue(&k, &cfg, &admin(), now()).unwrap();
        let claims = verify(&k, &cfg, &token).unwrap();
        assert_eq!(claims.sub, "c1");
        assert_eq!(claims.role, Role::Admin);
        assert_eq!(claims.exp - claims.iat, cfg.token_ttl_seconds);
    }

    #[test]
    fn expired_future_foreign_and_misaddressed_tokens_fail() {
        let (k, cfg) = (keys(1), JwtConfig::default());
        let old = issue(&k, &cfg, &admin(), now() - 3600).unwrap();
        assert!(verify(&k, &cfg, &old).is_err());
        let future = issue(&k, &cfg, &admin(), now() + 3600).unwrap();
        assert!(verify(&k, &cfg, &future).is_err());
        let foreign = issue(&keys(2), &cfg, &admin(), now()).unwrap();
        assert!(verify(&k, &cfg, &foreign).is_err());
        let other_aud = JwtConfig { audience: "someone-else".into(), ..JwtConfig::default() };
        let misaddressed = issue(&k, &other_aud, &admin(), now()).unwrap();
        assert!(verify(&k, &cfg, &misaddressed).is_err());
        let other_iss = JwtConfig { issuer: "evil".into(), ..JwtConfig::default() };
        assert!(verify(&k, &cfg, &issue(&k, &other_iss, &admin(), now()).unwrap()).is_err());
    }

    #[test]
    fn a_previous_key_still_verifies_after_rotation() {
        let cfg = JwtConfig::default();
        let old = SigningKey::from_bytes(&[1; 32]);
        let token = issue(&keys(1), &cfg, &admin(), now()).unwrap();
        let rotated = KeySet::from_signing_key(&SigningKey::from_bytes(&[3; 32]), &[old.verifying_key()]).unwrap();
        assert!(verify(&rotated, &cfg, &token).is_ok());
        assert_eq!(rotated.jwks().keys.len(), 2);
    }
}
