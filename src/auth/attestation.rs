//! Signed status attestations: a JWS stating an agency's certification status at one moment,
//! that anyone can verify offline with the keys published at `/.well-known/jwks.json`.
//!
//! An attestation is signed with the same key as access tokens but carries its own `typ`
//! (`attestation+jwt`) and no audience, so it can never be accepted as an access token (those
//! must say `at+jwt` and name the API as audience).

use chrono::{DateTime, NaiveDate, Utc};
use jsonwebtoken::{Algorithm, Header, encode};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::auth::keys::KeySet;
use crate::config::JwtConfig;
use crate::domain::agency::{CertificationStatus, Grade};
use crate::error::AppError;

/// The `typ` header of every attestation.
pub const ATTESTATION_TYPE: &str = "attestation+jwt";

/// How long an attestation may be relied on after it was issued, in seconds.
pub const ATTESTATION_TTL_SECONDS: u64 = 3600;

/// What an attestation states about the agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttestedStatus {
    pub legal_name: String,
    pub licence_number: String,
    /// ISO 3166-1 alpha-2 code of the licensing country.
    pub licence_country: String,
    pub certification_status: CertificationStatus,
    /// The certificate in force (certified or suspended); null otherwise.
    pub certificate_number: Option<String>,
    /// When the certificate in force expires; null without one.
    pub valid_until: Option<DateTime<Utc>>,
    /// Grade of the latest finalized assessment.
    pub grade: Option<Grade>,
    /// Day the latest independent (not self-) audit was finalized.
    pub last_audit_date: Option<NaiveDate>,
    /// Last day the licence to recruit is valid, as the registry records it; null if unknown.
    pub licence_valid_until: Option<NaiveDate>,
    /// When the licence was last checked against the issuing authority's register.
    pub licence_verified_at: Option<DateTime<Utc>>,
}

/// The claims of an attestation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttestationClaims {
    pub iss: String,
    /// The agency id.
    pub sub: String,
    pub iat: u64,
    pub exp: u64,
    pub jti: String,
    pub status: AttestedStatus,
}

/// Signs an attestation that `status` is the agency's status at `now` (seconds since the
/// epoch), valid for [`ATTESTATION_TTL_SECONDS`].
pub fn sign(
    keys: &KeySet,
    cfg: &JwtConfig,
    agency_id: &str,
    status: AttestedStatus,
    now: u64,
) -> Result<String, AppError> {
    let claims = AttestationClaims {
        iss: cfg.issuer.clone(),
        sub: agency_id.to_owned(),
        iat: now,
        exp: now + ATTESTATION_TTL_SECONDS,
        jti: Uuid::now_v7().to_string(),
        status,
    };
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(keys.signing_kid().to_owned());
    header.typ = Some(ATTESTATION_TYPE.to_owned());
    encode(&header, &claims, keys.encoding_key()).map_err(AppError::internal)
}

/// The `typ` header of a bulk verification's attestation: its own type, so that it is never
/// taken for an agency's attestation or an access token.
pub const VERIFICATION_TYPE: &str = "verification+jwt";

/// What a bulk verification's attestation covers: the digest of the answer it was issued with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DigestOf {
    /// SHA-256 of the canonical JSON (keys sorted, no spaces) of the answer's `results`.
    CanonicalJsonResults,
    /// SHA-256 of the CSV answer's body, byte for byte.
    CsvBody,
}

/// The claims of a bulk verification's attestation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VerificationClaims {
    pub iss: String,
    pub iat: u64,
    pub exp: u64,
    pub jti: String,
    /// How many items the answer holds.
    pub count: usize,
    pub digest_of: DigestOf,
    /// Lower-case hex.
    pub sha256: String,
}

/// Signs an attestation that the answer whose digest is `sha256` is what the registry said at
/// `now` (seconds since the epoch), valid for [`ATTESTATION_TTL_SECONDS`] like an agency's.
pub fn sign_verification(
    keys: &KeySet,
    cfg: &JwtConfig,
    count: usize,
    digest_of: DigestOf,
    sha256: String,
    now: u64,
) -> Result<String, AppError> {
    let claims = VerificationClaims {
        iss: cfg.issuer.clone(),
        iat: now,
        exp: now + ATTESTATION_TTL_SECONDS,
        jti: Uuid::now_v7().to_string(),
        count,
        digest_of,
        sha256,
    };
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some(keys.signing_kid().to_owned());
    header.typ = Some(VERIFICATION_TYPE.to_owned());
    encode(&header, &claims, keys.encoding_key()).map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::tokens;
    use ed25519_dalek::SigningKey;
    use jsonwebtoken::{Validation, decode, decode_header};

    fn status() -> AttestedStatus {
        AttestedStatus {
            legal_name: "Himalayan Overseas Manpower Pvt. Ltd.".into(),
            licence_number: "DoFE-1234/2075".into(),
            licence_country: "NP".into(),
            certification_status: CertificationStatus::NeverCertified,
            certificate_number: None,
            valid_until: None,
            grade: None,
            last_audit_date: None,
            licence_valid_until: None,
            licence_verified_at: None,
        }
    }

    #[test]
    fn an_attestation_verifies_with_the_published_key_and_is_no_access_token() {
        let keys = KeySet::from_signing_key(&SigningKey::from_bytes(&[7; 32]), &[]).unwrap();
        let cfg = JwtConfig::default();
        let now = jsonwebtoken::get_current_timestamp();
        let jws = sign(&keys, &cfg, "agency-1", status(), now).unwrap();

        let header = decode_header(&jws).unwrap();
        assert_eq!(header.typ.as_deref(), Some(ATTESTATION_TYPE));
        assert_eq!(header.kid.as_deref(), Some(keys.signing_kid()));
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[&cfg.issuer]);
        validation.validate_aud = false;
        let claims = decode::<AttestationClaims>(&jws, keys.decoding_key(keys.signing_kid()).unwrap(), &validation)
            .unwrap()
            .claims;
        assert_eq!(claims.sub, "agency-1");
        assert_eq!(claims.exp - claims.iat, ATTESTATION_TTL_SECONDS);
        assert_eq!(claims.status, status());

        assert!(tokens::verify(&keys, &cfg, &jws).is_err(), "an attestation is not an access token");
    }
}
