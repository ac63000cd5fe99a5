//! Standard Webhooks signatures.
//!
//! A message is signed with HMAC-SHA256 over `{msg_id}.{timestamp}.{body}` and the signature is
//! sent as `v1,<base64>`. Several signatures may be sent, separated by spaces; a receiver accepts
//! the message if any of them verifies with its secret. We use that to rotate secrets without a
//! gap: for a while both the new and the previous secret sign.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::error::{AppError, AppResult};

/// What Standard Webhooks secrets start with, so that one is recognised wherever it is pasted.
const PREFIX: &str = "whsec_";

/// The key length we generate. The format asks for 24 to 64 bytes.
const GENERATED_BYTES: usize = 32;
const MIN_BYTES: usize = 24;
/// Also SHA-256's block size: HMAC pads any shorter key with zeros to this length, which is how
/// [`WebhookSecret::mac`] builds its key without a fallible call.
const MAX_BYTES: usize = 64;

/// The secret a subscription's messages are signed with. Its `Debug` hides the key.
#[derive(Clone, PartialEq, Eq)]
pub struct WebhookSecret {
    key: Vec<u8>,
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebhookSecret(..)")
    }
}

impl WebhookSecret {
    /// A fresh secret: 32 random bytes from the operating system.
    pub fn generate() -> WebhookSecret {
        let mut key = vec![0u8; GENERATED_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut key);
        WebhookSecret { key }
    }

    /// Reads `whsec_` followed by the standard base64 of 24 to 64 bytes. A malformed secret is a
    /// validation error on the field `secret`; the message does not repeat the value.
    pub fn parse(text: &str) -> AppResult<WebhookSecret> {
        let invalid = || {
            AppError::field(
                "secret",
                format!("must be {PREFIX} followed by the base64 of {MIN_BYTES} to {MAX_BYTES} bytes"),
            )
        };
        let encoded = text.strip_prefix(PREFIX).ok_or_else(invalid)?;
        let key = STANDARD.decode(encoded).map_err(|_| invalid())?;
        if !(MIN_BYTES..=MAX_BYTES).contains(&key.len()) {
            return Err(invalid());
        }
        Ok(WebhookSecret { key })
    }

    /// The secret as the owner sees it (`whsec_…`): shown once when made, and what is sealed
    /// for storage.
    pub fn expose(&self) -> String {
        format!("{PREFIX}{}", STANDARD.encode(&self.key))
    }

    /// An HMAC-SHA256 keyed with this secret. The key is zero-padded to the block size by hand,
    /// which HMAC does itself for a shorter key, so the result is the same and the infallible
    /// constructor can be used (keys are at most a block long, see `parse`).
    fn mac(&self) -> Hmac<Sha256> {
        let mut block = [0u8; MAX_BYTES];
        let len = self.key.len().min(MAX_BYTES);
        block[..len].copy_from_slice(&self.key[..len]);
        <Hmac<Sha256> as Mac>::new(&block.into())
    }

    /// `v1,<base64 signature>` of one message.
    fn sign(&self, msg_id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(msg_id.as_bytes());
        mac.update(b".");
        mac.update(timestamp.to_string().as_bytes());
        mac.update(b".");
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }
}

/// The `webhook-signature` header of a message: one `v1,…` signature per secret, separated by a
/// single space. `timestamp` is the `webhook-timestamp` sent with it, in Unix seconds; `body`
/// the exact bytes sent.
pub fn signature_header(msg_id: &str, timestamp: i64, body: &[u8], secrets: &[&WebhookSecret]) -> String {
    secrets.iter().map(|secret| secret.sign(msg_id, timestamp, body)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderMap, HeaderValue};
    use standardwebhooks::Webhook;

    use super::*;

    fn headers(msg_id: &str, timestamp: i64, signature: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("webhook-id", HeaderValue::from_str(msg_id).unwrap());
        headers.insert("webhook-timestamp", HeaderValue::from_str(&timestamp.to_string()).unwrap());
        headers.insert("webhook-signature", HeaderValue::from_str(signature).unwrap());
        headers
    }

    #[test]
    fn a_generated_secret_has_the_standard_form_and_parses_back() {
        let secret = WebhookSecret::generate();
        let text = secret.expose();
        assert!(text.starts_with("whsec_"), "{text}");
        assert_eq!(STANDARD.decode(&text[6..]).unwrap().len(), 32);
        assert_eq!(WebhookSecret::parse(&text).unwrap(), secret);
        assert_ne!(WebhookSecret::generate(), secret);
        assert!(!format!("{secret:?}").contains(&text[6..]), "Debug must not show the key");
    }

    #[test]
    fn malformed_secrets_are_refused_as_invalid_input() {
        let short = format!("whsec_{}", STANDARD.encode([7u8; 16]));
        let long = format!("whsec_{}", STANDARD.encode([7u8; 65]));
        let unprefixed = STANDARD.encode([7u8; 32]);
        for text in ["", "whsec_", "whsec_not base64!", &short, &long, &unprefixed] {
            let err = WebhookSecret::parse(text).unwrap_err();
            assert_eq!(err.slug(), "validation", "{text}");
            assert_eq!(err.to_problem(None).errors.unwrap()[0].field, "secret");
        }
        let longest = format!("whsec_{}", STANDARD.encode([7u8; 64]));
        assert!(WebhookSecret::parse(&longest).is_ok());
    }

    #[test]
    fn the_signature_matches_the_example_of_the_specification() {
        // The worked example of the Standard Webhooks specification.
        let secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").unwrap();
        let body = br#"{"test": 2432232314}"#;
        assert_eq!(
            signature_header("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body, &[&secret]),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn an_independent_implementation_verifies_our_signature() {
        let secret = WebhookSecret::generate();
        let now = chrono::Utc::now().timestamp();
        let body = br#"{"type":"certification.suspended","data":{"id":"01"}}"#;
        let signature = signature_header("msg_1", now, body, &[&secret]);
        let receiver = Webhook::new(&secret.expose()).unwrap();
        receiver.verify(body, &headers("msg_1", now, &signature)).unwrap();
    }

    #[test]
    fn a_tampered_message_fails_verification() {
        let secret = WebhookSecret::generate();
        let now = chrono::Utc::now().timestamp();
        let body = br#"{"amount":100}"#;
        let signature = signature_header("msg_1", now, body, &[&secret]);
        let receiver = Webhook::new(&secret.expose()).unwrap();
        assert!(receiver.verify(br#"{"amount":900}"#, &headers("msg_1", now, &signature)).is_err());
        assert!(receiver.verify(body, &headers("msg_2", now, &signature)).is_err(), "the id is signed");
        assert!(receiver.verify(body, &headers("msg_1", now - 1, &signature)).is_err(), "the time is signed");
        let other = Webhook::new(&WebhookSecret::generate().expose()).unwrap();
        assert!(other.verify(body, &headers("msg_1", now, &signature)).is_err());
    }

    #[test]
    fn during_a_rotation_both_secrets_sign_and_either_verifies() {
        let new = WebhookSecret::generate();
        let previous = WebhookSecret::generate();
        let now = chrono::Utc::now().timestamp();
        let body = b"{}";
        let header = signature_header("msg_1", now, body, &[&new, &previous]);
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts.len(), 2, "{header}");
        assert!(parts.iter().all(|p| p.starts_with("v1,")));
        for secret in [&new, &previous] {
            Webhook::new(&secret.expose()).unwrap().verify(body, &headers("msg_1", now, &header)).unwrap();
        }
    }
}
