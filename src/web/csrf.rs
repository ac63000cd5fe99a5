//! Cross-site request forgery protection for the pages' forms, without server-side state.
//!
//! A token is `base64url(nonce ‖ issued_at ‖ HMAC-SHA256(key, nonce ‖ issued_at))`: 16 random
//! bytes, the issue time in seconds (big-endian), and the tag, under a key derived from the data
//! key (so every instance sharing the data key accepts the others' tokens). A form carries it
//! twice: in the `csrf` cookie (`HttpOnly; SameSite=Strict`, path `/report`) and in the hidden
//! `csrf_token` field. A `POST` is accepted only if both are present, equal, carry a valid tag and
//! are at most [`MAX_AGE_SECS`] old, and the browser does not say the request is cross-site
//! (`Sec-Fetch-Site: cross-site`, or an `Origin` other than this host).

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

use crate::auth::sealing::DataKey;

/// The cookie that holds the token.
pub const COOKIE: &str = "csrf";
/// The form field that holds the token.
pub const FIELD: &str = "csrf_token";
/// How long a token is accepted: time enough to fill in a long form slowly.
pub const MAX_AGE_SECS: i64 = 2 * 60 * 60;
/// A token with less time left than this is replaced when a form is shown again.
const RENEW_BEFORE_SECS: i64 = 30 * 60;
/// Clocks of instances may differ a little.
const FUTURE_SKEW_SECS: i64 = 60;
/// The cookie's path: the report form and the follow-up pages.
const COOKIE_PATH: &str = "/report";

const NONCE_BYTES: usize = 16;
const TAG_BYTES: usize = 32;
const TOKEN_BYTES: usize = NONCE_BYTES + 8 + TAG_BYTES;

/// Issues and checks tokens.
#[derive(Clone)]
pub struct Csrf {
    key: [u8; 32],
}

/// Why a form was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    CrossSite,
    Missing,
    Mismatch,
    Invalid,
}

impl Csrf {
    pub fn new(key: [u8; 32]) -> Csrf {
        Csrf { key }
    }

    pub fn from_data_key(data_key: &DataKey) -> Csrf {
        Csrf::new(data_key.derive("fairhire csrf v1"))
    }

    fn tag(&self, body: &[u8]) -> [u8; TAG_BYTES] {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).unwrap_or_else(|_| unreachable!("any key"));
        mac.update(body);
        mac.finalize().into_bytes().into()
    }

    /// A new token, issued at `now` (seconds since the epoch).
    pub fn issue(&self, now: i64) -> String {
        let mut bytes = [0u8; TOKEN_BYTES];
        rand::thread_rng().fill_bytes(&mut bytes[..NONCE_BYTES]);
        bytes[NONCE_BYTES..NONCE_BYTES + 8].copy_from_slice(&now.to_be_bytes());
        let tag = self.tag(&bytes[..NONCE_BYTES + 8]);
        bytes[NONCE_BYTES + 8..].copy_from_slice(&tag);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// The issue time of a token this key made, if it is still valid at `now`.
    pub fn issued_at(&self, token: &str, now: i64) -> Option<i64> {
        let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
        if bytes.len() != TOKEN_BYTES {
            return None;
        }
        let (body, tag) = bytes.split_at(NONCE_BYTES + 8);
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.key).ok()?;
        mac.update(body);
        // Constant-time comparison of the tag.
        mac.verify_slice(tag).ok()?;
        let issued = i64::from_be_bytes(body[NONCE_BYTES..].try_into().ok()?);
        (issued <= now + FUTURE_SKEW_SECS && now - issued <= MAX_AGE_SECS).then_some(issued)
    }

    /// The token a form shown now carries: the one in the request's cookie while it has time
    /// left (so that two open tabs both work), else a new one, with the cookie to set.
    pub fn for_form(&self, req: &HttpRequest, now: i64) -> (String, Option<Cookie<'static>>) {
        if let Some(existing) = req.cookie(COOKIE)
            && let Some(issued) = self.issued_at(existing.value(), now)
            && issued + MAX_AGE_SECS - now > RENEW_BEFORE_SECS
        {
            return (existing.value().to_owned(), None);
        }
        let token = self.issue(now);
        let cookie = Cookie::build(COOKIE, token.clone())
            .path(COOKIE_PATH)
            .http_only(true)
            .same_site(SameSite::Strict)
            .secure(req.connection_info().scheme() == "https")
            .max_age(actix_web::cookie::time::Duration::seconds(MAX_AGE_SECS))
            .finish();
        (token, Some(cookie))
    }

    /// Checks a form `POST`: not cross-site, and the field's token equal to the cookie's and
    /// valid at `now`.
    pub fn check(&self, req: &HttpRequest, field: Option<&str>, now: i64) -> Result<(), Refusal> {
        if is_cross_site(req) {
            return Err(Refusal::CrossSite);
        }
        let cookie = req.cookie(COOKIE);
        let (Some(cookie), Some(field)) = (cookie.as_ref().map(|c| c.value()), field.filter(|f| !f.is_empty())) else {
            return Err(Refusal::Missing);
        };
        if !constant_time_eq(cookie.as_bytes(), field.as_bytes()) {
            return Err(Refusal::Mismatch);
        }
        self.issued_at(field, now).map(|_| ()).ok_or(Refusal::Invalid)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Whether the browser says the request comes from another site: `Sec-Fetch-Site: cross-site`,
/// or an `Origin` whose host is not the one the request was sent to. `Origin: null` says nothing
/// (browsers send it under `Referrer-Policy: no-referrer` and from privacy-minded contexts): the
/// token and its `SameSite=Strict` cookie still decide.
pub fn is_cross_site(req: &HttpRequest) -> bool {
    let fetch_site = req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok());
    if fetch_site.is_some_and(|v| v.eq_ignore_ascii_case("cross-site")) {
        return true;
    }
    let Some(origin) = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()).filter(|o| *o != "null") else {
        return false;
    };
    let host = req.connection_info().host().to_ascii_lowercase();
    match url::Url::parse(origin) {
        Ok(url) => {
            let origin_host = match (url.host_str(), url.port()) {
                (Some(h), Some(p)) => format!("{h}:{p}"),
                (Some(h), None) => h.to_owned(),
                (None, _) => return true,
            };
            origin_host.to_ascii_lowercase() != host
        }
        Err(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_until_it_is_too_old() {
        let csrf = Csrf::new([7; 32]);
        let token = csrf.issue(1_000_000);
        assert_eq!(csrf.issued_at(&token, 1_000_000), Some(1_000_000));
        assert_eq!(csrf.issued_at(&token, 1_000_000 + MAX_AGE_SECS), Some(1_000_000));
        assert_eq!(csrf.issued_at(&token, 1_000_001 + MAX_AGE_SECS), None);
        assert_eq!(csrf.issued_at(&token, 1_000_000 - 2 * FUTURE_SKEW_SECS), None, "issued in the future");
    }

    #[test]
    fn a_token_of_another_key_or_altered_is_refused() {
        let csrf = Csrf::new([7; 32]);
        let token = csrf.issue(50);
        assert_eq!(Csrf::new([8; 32]).issued_at(&token, 50), None);
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[NONCE_BYTES + 7] ^= 1;
        assert_eq!(csrf.issued_at(&URL_SAFE_NO_PAD.encode(bytes), 50), None);
        assert_eq!(csrf.issued_at("not a token", 50), None);
        assert_ne!(csrf.issue(50), token, "each token has its own nonce");
    }

    #[test]
    fn derived_keys_differ_by_purpose_and_agree_across_instances() {
        let a = DataKey::from_bytes([1; 32]);
        let b = DataKey::from_bytes([1; 32]);
        assert_eq!(a.derive("csrf"), b.derive("csrf"));
        assert_ne!(a.derive("csrf"), a.derive("other"));
        assert_ne!(a.derive("csrf"), DataKey::from_bytes([2; 32]).derive("csrf"));
    }
}
