//! `/v1/standards/{version}/translations`: a standard version's texts in other languages. Admins
//! save a draft (replaced at will, with `If-Match`), then publish it, after which it never
//! changes and every reader of the version may get it (`get_standard` negotiates the language).
//! Drafts are for admins only: to anyone else they do not exist (404).

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, get, post, put, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::{self, ValidJson};
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::domain::language;
use crate::domain::roles::Role;
use crate::domain::standard::{CriterionText, Principle, StandardStatus, TranslationContent};
use crate::error::{AppError, AppResult};
use crate::services::{etag, standards};
use crate::state::AppState;
use crate::store;
use crate::store::translations::TranslationRow;

/// A translation of a standard version, with its texts.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "standard_version": "t-1.0", "language": "fr", "status": "draft", "version": 1,
    "title": "Norme d'essai",
    "principles": [{"code": "A", "title": "Loi"}, {"code": "C", "title": "Frais"}],
    "criteria": [
        {"code": "A.1", "text": "Agréée"}, {"code": "A.2", "text": "Respecte la loi"},
        {"code": "C.1", "text": "Aucuns frais"}, {"code": "C.2", "text": "Aucune retenue"}
    ],
    "created_at": "2026-11-29T10:00:00Z", "updated_at": "2026-11-29T10:00:00Z", "published_at": null
}))]
pub struct Translation {
    #[schema(example = "ers-1.0", max_length = 40, pattern = "^[a-z0-9.-]{1,40}$")]
    pub standard_version: String,
    /// The canonical BCP 47 tag, e.g. `fr` or `fr-CA`.
    #[schema(example = "fr", max_length = 35)]
    pub language: String,
    /// `draft` or `published`.
    pub status: StandardStatus,
    /// Moves with every change; the `ETag` is `"v<version>"`.
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub version: i64,
    #[schema(max_length = 200)]
    pub title: String,
    #[schema(max_items = 26)]
    pub principles: Vec<Principle>,
    #[schema(max_items = 500)]
    pub criteria: Vec<CriterionText>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

impl From<TranslationRow> for Translation {
    fn from(row: TranslationRow) -> Self {
        let content = row.content.into_inner();
        Translation {
            standard_version: row.standard_version,
            language: row.language,
            status: row.status,
            version: row.version,
            title: content.title,
            principles: content.principles,
            criteria: content.criteria,
            created_at: row.created_at,
            updated_at: row.updated_at,
            published_at: row.published_at,
        }
    }
}

/// A translation without its texts.
#[derive(Debug, Serialize, ToSchema)]
pub struct TranslationSummary {
    #[schema(example = "fr", max_length = 35)]
    pub language: String,
    pub status: StandardStatus,
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub version: i64,
    /// The version's title in the language.
    #[schema(max_length = 200)]
    pub title: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TranslationList {
    /// At most one per language a standard can be read in.
    #[schema(max_items = 200)]
    pub data: Vec<TranslationSummary>,
    /// Always null: every translation of a version fits in one page.
    #[schema(format = Uuid)]
    pub next_cursor: Option<String>,
}

fn no_version(version: &str) -> AppError {
    AppError::NotFound(format!("no standard version {version}"))
}

fn no_translation(version: &str, language: &str) -> AppError {
    AppError::NotFound(format!("no {language} translation of standard version {version}"))
}

/// Drafts are seen by admins only.
fn visible(who: &Principal, row: &TranslationRow) -> bool {
    row.status == StandardStatus::Published || who.is(Role::Admin)
}

fn with_etag(mut res: HttpResponseBuilder, row: TranslationRow) -> HttpResponse {
    res.insert_header((header::ETAG, etag(row.version)))
        .insert_header((header::CONTENT_LANGUAGE, row.language.clone()))
        .json(Translation::from(row))
}

const VERSION: &str = "Version id, e.g. `ers-1.0`.";
const LANGUAGE: &str = "A BCP 47 language tag, e.g. `fr` or `fr-CA` (written canonically in answers).";

/// List a version's translations.
///
/// Without their texts, by language. Admins see drafts too; other tokens the published ones.
#[utoipa::path(
    operation_id = "list_translations",
    tag = "standards",
    params(("version" = String, Path, max_length = 40, pattern = "^[a-z0-9.-]{1,40}$", description = VERSION)),
    responses((status = 200, description = "The translations.", body = TranslationList)),
    security(("bearer" = []))
)]
#[get("/standards/{version}/translations")]
pub async fn list_translations(
    state: web::Data<AppState>,
    who: Principal,
    version: web::Path<String>,
) -> AppResult<HttpResponse> {
    let version = version.into_inner();
    let rows = state
        .db
        .read(move |c| {
            store::standards::find(c, &version)?.ok_or_else(|| no_version(&version))?;
            store::translations::of_version(c, &version)
        })
        .await?;
    let data = rows
        .into_iter()
        .filter(|row| visible(&who, row))
        .map(|row| TranslationSummary {
            title: row.content.title.clone(),
            language: row.language,
            status: row.status,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
            published_at: row.published_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(TranslationList { data, next_cursor: None }))
}

/// Read one translation.
///
/// Its texts exactly as saved, draft or published, with its `ETag` for `If-Match`. A draft is
/// a 404 to anyone but an admin. To read the standard itself in a language, ask
/// `get_standard` with `Accept-Language`.
#[utoipa::path(
    operation_id = "get_translation",
    tag = "standards",
    params(
        ("version" = String, Path, max_length = 40, pattern = "^[a-z0-9.-]{1,40}$", description = VERSION),
        ("language" = String, Path, max_length = 35, description = LANGUAGE)
    ),
    responses((status = 200, description = "The translation.", body = Translation, headers(
        ("ETag" = String, description = "Current version, for `If-Match`."),
        ("Content-Language" = String, description = "The translation's language.")
    ))),
    security(("bearer" = []))
)]
#[get("/standards/{version}/translations/{language}")]
pub async fn get_translation(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (version, tag) = path.into_inner();
    let row = state
        .db
        .read(move |c| {
            store::standards::find(c, &version)?.ok_or_else(|| no_version(&version))?;
            let found = match language::canonical_tag(&tag) {
                Ok(language) => store::translations::find(c, &version, &language)?,
                Err(_) => None,
            };
            found.filter(|row| visible(&who, row)).ok_or_else(|| no_translation(&version, &tag))
        })
        .await?;
    Ok(with_etag(HttpResponse::Ok(), row))
}

/// Save a draft translation.
///
/// Creates the draft (201) or replaces it whole (200). The tag must be a BCP 47 language tag
/// other than the version's base language. The texts must cover the version exactly: its
/// title, every principle and every criterion once, guidance exactly where the base text has
/// some; every missing, unknown or repeated code is named (422). A published translation never
/// changes (409). Send the `ETag` you read as `If-Match` to refuse the change (412) if someone
/// else changed the draft in between.
#[utoipa::path(
    operation_id = "save_translation",
    tag = "standards",
    params(
        ("version" = String, Path, max_length = 40, pattern = "^[a-z0-9.-]{1,40}$", description = VERSION),
        ("language" = String, Path, max_length = 35, description = LANGUAGE),
        IfMatch
    ),
    request_body = TranslationContent,
    responses(
        (status = 200, description = "The draft, replaced.", body = Translation, headers(
            ("ETag" = String, description = "New version."),
            ("Content-Language" = String, description = "The translation's language.")
        )),
        (status = 201, description = "The draft, created.", body = Translation, headers(
            ("Location" = String, description = "The translation's URL."),
            ("ETag" = String, description = "Current version, for `If-Match`."),
            ("Content-Language" = String, description = "The translation's language.")
        )),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[put("/standards/{version}/translations/{language}")]
pub async fn save_translation(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: ValidJson<TranslationContent>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageStandards)?;
    let (version, tag) = path.into_inner();
    let if_match = extract::if_match(&req)?;
    let now = state.clock.now();
    let (row, created) = state
        .db
        .write(move |c| {
            standards::save_translation(c, &who.client_id, &version, &tag, body.0, if_match.as_deref(), now)
        })
        .await?;
    if created {
        let location = format!("/v1/standards/{}/translations/{}", row.standard_version, row.language);
        let mut res = HttpResponse::Created();
        res.insert_header((header::LOCATION, location));
        Ok(with_etag(res, row))
    } else {
        Ok(with_etag(HttpResponse::Ok(), row))
    }
}

/// Publish a draft translation.
///
/// From now on it never changes, and `get_standard` serves it to every reader who asks for
/// its language.
#[utoipa::path(
    operation_id = "publish_translation",
    tag = "standards",
    params(
        ("version" = String, Path, max_length = 40, pattern = "^[a-z0-9.-]{1,40}$", description = VERSION),
        ("language" = String, Path, max_length = 35, description = LANGUAGE),
        IfMatch
    ),
    responses(
        (status = 200, description = "Published.", body = Translation, headers(
            ("ETag" = String, description = "New version."),
            ("Content-Language" = String, description = "The translation's language.")
        )),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/standards/{version}/translations/{language}/publish")]
pub async fn publish_translation(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageStandards)?;
    let (version, tag) = path.into_inner();
    let if_match = extract::if_match(&req)?;
    let now = state.clock.now();
    let row = state
        .db
        .write(move |c| standards::publish_translation(c, &who.client_id, &version, &tag, if_match.as_deref(), now))
        .await?;
    Ok(with_etag(HttpResponse::Ok(), row))
}
