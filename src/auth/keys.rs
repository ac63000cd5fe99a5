//! The Ed25519 signing key and the public keys published in the JWKS.
//!
//! The key is read from a PKCS#8 PEM file, or generated there on first start (mode 0600). Keys
//! listed as previous stay valid for verification and stay published, so tokens signed before a
//! rotation keep working until they expire.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::spki::DecodePublicKey;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use jsonwebtoken::{DecodingKey, EncodingKey};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::config::store_new_private_file;

/// A public key as a JSON Web Key (RFC 8037, OKP / Ed25519).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Jwk {
    #[schema(example = "OKP")]
    #[schema(max_length = 3, pattern = "^OKP$")]
    pub kty: &'static str,
    #[schema(example = "Ed25519")]
    #[schema(max_length = 7, pattern = "^Ed25519$")]
    pub crv: &'static str,
    /// The public key, base64url without padding.
    #[schema(example = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")]
    #[schema(max_length = 43, pattern = "^[A-Za-z0-9_-]{43}$")]
    pub x: String,
    /// RFC 7638 thumbprint of the key, also sent as the `kid` of every token it signs.
    #[schema(example = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")]
    #[schema(max_length = 43, pattern = "^[A-Za-z0-9_-]{43}$")]
    pub kid: String,
    #[serde(rename = "use")]
    #[schema(example = "sig")]
    #[schema(max_length = 3, pattern = "^sig$")]
    pub use_: &'static str,
    #[schema(example = "EdDSA")]
    #[schema(max_length = 5, pattern = "^EdDSA$")]
    pub alg: &'static str,
}

/// `{"keys": [...]}` as served at `/.well-known/jwks.json`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JwkSet {
    pub keys: Vec<Jwk>,
}

struct PublicKey {
    jwk: Jwk,
    decoding: DecodingKey,
}

pub struct KeySet {
    signing_kid: String,
    encoding: EncodingKey,
    public: Vec<PublicKey>,
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeySet").field("signing_kid", &self.signing_kid).finish_non_exhaustive()
    }
}

fn public_key(key: &VerifyingKey) -> PublicKey {
    let x = URL_SAFE_NO_PAD.encode(key.as_bytes());
    // RFC 7638: the hash of the required members in lexicographic order, no white space.
    let canonical = format!(r#"{{"crv":"Ed25519","kty":"OKP","x":"{x}"}}"#);
    let kid = URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()));
    PublicKey {
        decoding: DecodingKey::from_ed_der(key.as_bytes()),
        jwk: Jwk { kty: "OKP", crv: "Ed25519", x, kid, use_: "sig", alg: "EdDSA" },
    }
}

impl KeySet {
    pub fn from_signing_key(key: &SigningKey, previous: &[VerifyingKey]) -> Result<KeySet, String> {
        let der = key.to_pkcs8_der().map_err(|e| format!("cannot encode the signing key: {e}"))?;
        let current = public_key(&key.verifying_key());
        let signing_kid = current.jwk.kid.clone();
        let mut public = vec![current];
        public.extend(previous.iter().map(public_key));
        Ok(KeySet { signing_kid, encoding: EncodingKey::from_ed_der(der.as_bytes()), public })
    }

    /// Loads the signing key from `path`, generating it there if the file does not exist, and
    /// the previous public keys from `previous`.
    pub fn load_or_generate(path: &Path, previous: &[String]) -> Result<KeySet, String> {
        let key = if path.exists() { read_private_pem(path)? } else { generate(path)? };
        let previous = previous
            .iter()
            .map(|file| {
                let pem = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
                VerifyingKey::from_public_key_pem(&pem).map_err(|e| format!("{file} is not an Ed25519 public key: {e}"))
            })
            .collect::<Result<Vec<_>, _>>()?;
        KeySet::from_signing_key(&key, &previous)
    }

    pub fn signing_kid(&self) -> &str {
        &self.signing_kid
    }

    pub fn encoding_key(&self) -> &EncodingKey {
        &self.encoding
    }

    /// The key that verifies tokens carrying this `kid`.
    pub fn decoding_key(&self, kid: &str) -> Option<&DecodingKey> {
        self.public.iter().find(|k| k.jwk.kid == kid).map(|k| &k.decoding)
    }

    pub fn jwks(&self) -> JwkSet {
        JwkSet { keys: self.public.iter().map(|k| k.jwk.clone()).collect() }
    }
}

fn read_private_pem(path: &Path) -> Result<SigningKey, String> {
    let pem = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    SigningKey::from_pkcs8_pem(&pem).map_err(|e| format!("{} is not a PKCS#8 Ed25519 key: {e}", path.display()))
}

/// Generates a key and stores it at `path`, for the owner only. It is written whole under a
/// name of its own, then linked to `path`, which fails if the file is there: when two processes
/// start together on a fresh data directory, the second one takes the first one's key instead
/// of replacing it or reading a half-written file.
fn generate(path: &Path) -> Result<SigningKey, String> {
    let key = SigningKey::generate(&mut rand::rngs::OsRng);
    let pem = key
        .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
        .map_err(|e| format!("cannot encode the signing key: {e}"))?;
    let stored = store_new_private_file(path, pem.as_bytes());
    if stored? {
        tracing::info!(path = %path.display(), "generated a new token signing key");
        Ok(key)
    } else {
        read_private_pem(path)
    }
}
