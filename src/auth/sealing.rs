//! Encryption at rest for secrets the service must use again, which therefore cannot be stored
//! hashed: webhook signing secrets now, contact details later.
//!
//! XChaCha20-Poly1305 with one 32-byte data key, kept in a file beside the database (mode 0600,
//! generated on first start, like the token signing key). Its 24-byte nonces are random, which
//! is safe for any number of values under one key. A sealed value reads
//! `v1.<base64url(nonce ‖ ciphertext ‖ tag)>`: the version names the scheme, so that a later one
//! can be introduced while old values are still read.
//!
//! A database dump alone then reveals none of these secrets; it takes the key file as well.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::config::store_new_private_file;
use crate::error::{AppError, AppResult};

const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 24;
const VERSION: &str = "v1.";

/// The key that seals and opens secrets. Its `Debug` hides it.
#[derive(Clone)]
pub struct DataKey {
    cipher: XChaCha20Poly1305,
    /// The root of the keys [`DataKey::derive`] gives, so that the data key itself is used for
    /// one thing only.
    derivation: [u8; KEY_BYTES],
}

fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; KEY_BYTES] {
    use hmac::{Hmac, Mac};
    let mut mac =
        <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key"));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey(..)")
    }
}

impl DataKey {
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> DataKey {
        DataKey {
            cipher: XChaCha20Poly1305::new(&bytes.into()),
            derivation: hmac_sha256(&bytes, b"fairhire derivation root"),
        }
    }

    /// A 32-byte key for one `purpose` (`"csrf"`), derived from the data key (HMAC-SHA256): every
    /// process that shares the data key derives the same one, and it reveals nothing of the data
    /// key or of the keys of other purposes.
    pub fn derive(&self, purpose: &str) -> [u8; KEY_BYTES] {
        hmac_sha256(&self.derivation, purpose.as_bytes())
    }

    /// Reads the key from `path` (exactly 32 raw bytes), generating it there, for the owner
    /// only, if the file does not exist.
    pub fn load_or_generate(path: &Path) -> Result<DataKey, String> {
        if !path.exists() {
            let fresh: [u8; KEY_BYTES] = XChaCha20Poly1305::generate_key(&mut OsRng).into();
            if store_new_private_file(path, &fresh)? {
                tracing::info!(path = %path.display(), "generated a new data key");
                return Ok(DataKey::from_bytes(fresh));
            }
            // Another process made it first: use theirs, read below.
        }
        let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let bytes: [u8; KEY_BYTES] = bytes.as_slice().try_into().map_err(|_| {
            format!(
                "{} holds {} bytes, but a data key is exactly {KEY_BYTES} raw bytes; restore the right file \
                 (without it sealed secrets cannot be read) or, for a new installation, remove it",
                path.display(),
                bytes.len()
            )
        })?;
        Ok(DataKey::from_bytes(bytes))
    }

    /// Encrypts `plaintext` under a fresh random nonce. Fails only for values of some gigabytes,
    /// more than the cipher takes at once.
    pub fn seal(&self, plaintext: &str) -> AppResult<String> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let ciphertext = self
            .cipher
            .encrypt(&nonce, plaintext.as_bytes())
            .map_err(|_| AppError::internal("cannot seal a value: it is too long for the cipher"))?;
        let mut sealed = Vec::with_capacity(NONCE_BYTES + ciphertext.len());
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(&ciphertext);
        Ok(format!("{VERSION}{}", URL_SAFE_NO_PAD.encode(sealed)))
    }

    /// Decrypts what [`seal`](Self::seal) gave. A value that is malformed, altered or sealed
    /// under another key is an internal error; the message names neither the value nor the key.
    pub fn open(&self, sealed: &str) -> AppResult<String> {
        let malformed = || AppError::internal("cannot open a sealed value: it is not in the v1 format");
        let bytes =
            sealed.strip_prefix(VERSION).and_then(|b64| URL_SAFE_NO_PAD.decode(b64).ok()).ok_or_else(malformed)?;
        let (nonce, ciphertext) = bytes.split_first_chunk::<NONCE_BYTES>().ok_or_else(malformed)?;
        let plaintext = self.cipher.decrypt(&XNonce::from(*nonce), ciphertext).map_err(|_| {
            AppError::internal("cannot open a sealed value: it was altered or sealed under another data key")
        })?;
        String::from_utf8(plaintext).map_err(|_| AppError::internal("a sealed value is not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> DataKey {
        DataKey::from_bytes(XChaCha20Poly1305::generate_key(&mut OsRng).into())
    }

    #[test]
    fn a_sealed_value_opens_to_what_was_sealed() {
        let key = key();
        for plaintext in ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "", "Zoë Ångström, +44 20 7946 0958"] {
            let sealed = key.seal(plaintext).unwrap();
            assert!(sealed.starts_with("v1."), "{sealed}");
            assert!(!sealed.contains(plaintext) || plaintext.is_empty());
            assert_eq!(key.open(&sealed).unwrap(), plaintext);
        }
    }

    #[test]
    fn the_same_value_seals_differently_each_time() {
        let key = key();
        let (a, b) = (key.seal("same").unwrap(), key.seal("same").unwrap());
        assert_ne!(a, b);
        let nonce = |s: &str| URL_SAFE_NO_PAD.decode(&s[3..]).unwrap()[..NONCE_BYTES].to_vec();
        assert_ne!(nonce(&a), nonce(&b));
    }

    #[test]
    fn an_altered_value_does_not_open() {
        let key = key();
        let sealed = key.seal("whsec_secret").unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(&sealed[3..]).unwrap();
        let last = bytes.len() - 1;
        for position in [0, NONCE_BYTES, last] {
            bytes[position] ^= 1;
            let altered = format!("v1.{}", URL_SAFE_NO_PAD.encode(&bytes));
            let err = key.open(&altered).unwrap_err();
            assert_eq!(err.slug(), "internal");
            assert!(err.to_string().contains("altered"), "{err}");
            bytes[position] ^= 1;
        }
        for malformed in ["", "v1.", "v1.@@@", "v2.AAAA", &sealed[3..], "v1.AAAAAAAA"] {
            assert!(key.open(malformed).is_err(), "{malformed}");
        }
    }

    #[test]
    fn another_key_does_not_open_it() {
        let sealed = key().seal("whsec_secret").unwrap();
        let err = key().open(&sealed).unwrap_err();
        assert!(!err.to_string().contains("whsec_secret"));
    }

    #[test]
    fn the_key_file_is_made_private_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data").join("data-key.bin");
        let first = DataKey::load_or_generate(&path).unwrap();
        assert_eq!(std::fs::read(&path).unwrap().len(), 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let sealed = first.seal("kept").unwrap();
        let again = DataKey::load_or_generate(&path).unwrap();
        assert_eq!(again.open(&sealed).unwrap(), "kept", "the second start reads the same key");
    }

    #[test]
    fn a_key_file_of_the_wrong_length_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("data-key.bin");
        std::fs::write(&path, b"-----BEGIN PRIVATE KEY-----\n").unwrap();
        let err = DataKey::load_or_generate(&path).unwrap_err();
        assert!(err.contains("exactly 32") && err.contains("data-key.bin"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"-----BEGIN PRIVATE KEY-----\n", "left as it was");
    }
}
