//! The one stylesheet, embedded in the binary and served under a name that carries a hash of its
//! content (`/assets/site.<hash>.css`), so that a phone may keep it for a year: a changed
//! stylesheet has a new name, which the pages link.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};

/// The stylesheet.
pub const CSS: &str = include_str!("assets/site.css");

/// `Cache-Control` of a hashed asset: it never changes under its name.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";

static CSS_PATH: LazyLock<String> = LazyLock::new(|| {
    let digest = Sha256::digest(CSS.as_bytes());
    let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("/assets/site.{hash}.css")
});

/// The path the pages link the stylesheet by.
pub fn css_path() -> &'static str {
    CSS_PATH.as_str()
}

/// `GET /assets/{name}`: the stylesheet under its current name; any other name is a 404.
pub async fn serve(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    if format!("/assets/{}", name.into_inner()) != css_path() {
        return super::error_page(&super::Ctx::of(&req), super::Failure::NotFound);
    }
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, IMMUTABLE))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(CSS)
}
