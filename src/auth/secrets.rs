//! API client secrets: random, shown once, stored only as an argon2id hash.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

use crate::error::AppError;

/// Prefix that makes a leaked secret easy to recognise (and to scan for).
const PREFIX: &str = "fhs_";

/// A fresh secret: 32 random bytes, base64url.
fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The PHC string of `secret` (argon2id, default parameters, random salt).
pub fn hash(secret: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(secret.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash a secret: {e}"))
}

/// A fresh secret with its hash: the plain text is for the client's eyes once, the hash is
/// what is kept.
pub struct NewSecret {
    pub plain: String,
    pub hash: String,
}

impl NewSecret {
    /// Slow on purpose (argon2): call it from a blocking thread.
    pub fn generate() -> Result<NewSecret, AppError> {
        let plain = generate();
        let hash = hash(&plain).map_err(AppError::internal)?;
        Ok(NewSecret { plain, hash })
    }
}

/// Checks `secret` against a stored PHC string. With no stored hash (unknown client) a hash is
/// still computed, so the answer takes as long either way and does not tell which clients exist.
pub fn verify(secret: &str, stored: Option<&str>) -> bool {
    match stored {
        Some(stored) => Argon2::default().verify_password(secret.as_bytes(), stored).is_ok(),
        None => {
            let _ = hash(secret);
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_verifies_against_its_hash_only() {
        let secret = generate();
        assert!(secret.starts_with(PREFIX) && secret.len() > 40);
        let stored = hash(&secret).unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains(&secret));
        assert!(verify(&secret, Some(&stored)));
        assert!(!verify(&generate(), Some(&stored)));
        assert!(!verify(&secret, None));
        assert!(!verify(&secret, Some("not a phc string")));
    }
}
