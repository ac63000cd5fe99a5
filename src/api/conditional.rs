//! Conditional reads (RFC 9110 §13): an answer names its content with an `ETag`, and a client
//! that already holds that content gets `304 Not Modified` instead of the body again.

use actix_web::http::header::{self, EntityTag, Header, IfNoneMatch};
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// An answer's body, ready to send, with its entity tag.
#[derive(Debug)]
pub struct Rendered {
    pub body: Bytes,
    pub etag: EntityTag,
    pub content_type: &'static str,
}

impl Rendered {
    /// The body with a strong tag made from its bytes: every instance gives the same content the
    /// same tag, so a client behind a load balancer revalidates wherever its request lands.
    pub fn new(body: Vec<u8>, content_type: &'static str) -> Rendered {
        let digest = Sha256::digest(&body);
        let etag = EntityTag::new_strong(URL_SAFE_NO_PAD.encode(&digest[..16]));
        Rendered { body: Bytes::from(body), etag, content_type }
    }

    /// As JSON.
    pub fn json<T: serde::Serialize>(value: &T) -> Result<Rendered, serde_json::Error> {
        Ok(Rendered::new(serde_json::to_vec(value)?, "application/json"))
    }

    /// How much memory it holds, for the cache's bound.
    pub fn weight(&self) -> u32 {
        u32::try_from(self.body.len()).unwrap_or(u32::MAX).saturating_add(96)
    }
}

/// Who may keep a copy, and for how long without asking again.
#[derive(Debug, Clone, Copy)]
pub enum Caching {
    /// Anyone may keep it, shared caches included, but must ask again before each use: a
    /// status a worker relies on is never shown from a copy that may be out of date, and asking
    /// again costs a 304 without a body.
    PublicRevalidate,
    /// Only the caller's own cache, asking again before each use: the answer needs a token.
    PrivateRevalidate,
}

impl Caching {
    fn header(self) -> &'static str {
        match self {
            Caching::PublicRevalidate => "public, no-cache",
            Caching::PrivateRevalidate => "private, no-cache",
        }
    }
}

/// Refuses (400) an `If-None-Match` longer than the document allows, rather than comparing it.
pub fn readable(req: &HttpRequest) -> AppResult<()> {
    let max = crate::api::extract::MAX_IF_MATCH_CHARS;
    if req.headers().get_all(header::IF_NONE_MATCH).any(|v| v.len() > max) {
        return Err(AppError::BadRequest(format!("If-None-Match must be at most {max} characters")));
    }
    Ok(())
}

/// Whether the request's `If-None-Match` names `etag` (weak comparison, as §13.1.2 asks).
fn not_modified(req: &HttpRequest, etag: &EntityTag) -> bool {
    match IfNoneMatch::parse(req) {
        Ok(IfNoneMatch::Any) => true,
        Ok(IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(etag)),
        Err(_) => false,
    }
}

/// The answer: `200` with the body, or `304` with the same validators and no body when the
/// client holds it already. `vary` names request headers the body depends on.
pub fn answer(req: &HttpRequest, rendered: &Rendered, caching: Caching, vary: Option<&'static str>) -> HttpResponse {
    let unchanged = not_modified(req, &rendered.etag);
    let mut builder = if unchanged { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    builder.insert_header(header::ETag(rendered.etag.clone())).insert_header((header::CACHE_CONTROL, caching.header()));
    if let Some(vary) = vary {
        builder.insert_header((header::VARY, vary));
    }
    if unchanged { builder.finish() } else { builder.content_type(rendered.content_type).body(rendered.body.clone()) }
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn rendered() -> Rendered {
        Rendered::new(br#"{"a":1}"#.to_vec(), "application/json")
    }

    #[test]
    fn the_same_bytes_get_the_same_tag_and_other_bytes_another() {
        assert_eq!(rendered().etag, rendered().etag);
        assert_ne!(rendered().etag, Rendered::new(br#"{"a":2}"#.to_vec(), "application/json").etag);
    }

    #[test]
    fn a_matching_tag_gets_304_without_a_body_and_any_other_gets_200() {
        let r = rendered();
        let tag = r.etag.to_string();
        let req = TestRequest::default().insert_header((header::IF_NONE_MATCH, tag.clone())).to_http_request();
        let res = answer(&req, &r, Caching::PublicRevalidate, None);
        assert_eq!(res.status(), 304);
        assert_eq!(res.headers().get(header::ETAG).unwrap(), tag.as_str());
        let weak = format!("W/{tag}");
        let req = TestRequest::default().insert_header((header::IF_NONE_MATCH, weak)).to_http_request();
        assert_eq!(answer(&req, &r, Caching::PublicRevalidate, None).status(), 304);
        let req = TestRequest::default().insert_header((header::IF_NONE_MATCH, "\"other\"")).to_http_request();
        assert_eq!(answer(&req, &r, Caching::PublicRevalidate, None).status(), 200);
        let req = TestRequest::default().insert_header((header::IF_NONE_MATCH, "*")).to_http_request();
        assert_eq!(answer(&req, &r, Caching::PublicRevalidate, None).status(), 304);
        let req = TestRequest::default().to_http_request();
        let res = answer(&req, &r, Caching::PrivateRevalidate, Some("Accept"));
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers().get(header::CACHE_CONTROL).unwrap(), "private, no-cache");
        assert_eq!(res.headers().get(header::VARY).unwrap(), "Accept");
    }
}
