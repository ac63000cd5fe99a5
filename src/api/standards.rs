//! `/v1/standards`: versioned standards. Admins create drafts, publish them (after which they
//! never change) and retire them. Everyone with a token can read them, in the language their
//! `Accept-Language` asks for when a published translation has it (`api::translations`).

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::conditional::{self, Caching, Rendered};
use crate::api::extract::ValidJson;
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::language;
use crate::domain::standard::{Criterion, DecisionPolicy, Principle, ScoringPolicy, StandardContent, StandardStatus};
use crate::error::{AppError, AppResult};
use crate::services::standards;
use crate::state::AppState;
use crate::store;
use crate::store::standards::StandardRow;
use crate::store::translations::TranslationRow;

/// A standard version with its principles, criteria and scoring policy.
#[derive(Debug, Serialize, ToSchema)]
pub struct Standard {
    #[schema(example = "ers-1.0")]
    #[schema(max_length = 40, pattern = "^[a-z0-9.-]{1,40}$")]
    pub version: String,
    #[schema(max_length = 200)]
    pub title: String,
    pub status: StandardStatus,
    /// The language of the texts in this answer (also in `Content-Language`): the best match
    /// of `Accept-Language` among `languages`, else `base_language`.
    #[schema(example = "fr", max_length = 35)]
    pub language: String,
    /// The language the version was written in; its texts are the standard itself.
    #[schema(example = "en", max_length = 35)]
    pub base_language: String,
    /// Every language the version can be read in: the base language first, then the published
    /// translations.
    #[schema(example = json!(["en", "fr"]), schema_with = crate::domain::schema::language_tags)]
    pub languages: Vec<String>,
    #[schema(max_items = 26)]
    pub principles: Vec<Principle>,
    #[schema(max_items = 500)]
    pub criteria: Vec<Criterion>,
    pub policy: ScoringPolicy,
    /// Separation of duties in decisions and the appeal window.
    pub decision_policy: DecisionPolicy,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StandardSummary {
    #[schema(example = "ers-1.0")]
    #[schema(max_length = 40, pattern = "^[a-z0-9.-]{1,40}$")]
    pub version: String,
    /// In `language`.
    #[schema(max_length = 200)]
    pub title: String,
    /// The language of `title`, chosen as for one version.
    #[schema(example = "en", max_length = 35)]
    pub language: String,
    pub status: StandardStatus,
    #[schema(format = Int32, minimum = 1, maximum = 500)]
    pub criteria_count: usize,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StandardList {
    pub data: Vec<StandardSummary>,
    /// Always null: every version fits in one page.
    #[schema(format = Uuid)]
    pub next_cursor: Option<String>,
}

/// The longest `Accept-Language` read, as documented.
const MAX_ACCEPT_LANGUAGE_CHARS: usize = 1024;

/// The language ranges of a request's `Accept-Language` headers, best first. Longer than the
/// document allows is a 400, as for the other headers with a limit.
pub(crate) fn accepted_languages(req: &HttpRequest) -> AppResult<Vec<String>> {
    let values: Vec<&str> = req.headers().get_all(header::ACCEPT_LANGUAGE).filter_map(|v| v.to_str().ok()).collect();
    if values.iter().any(|v| v.len() > MAX_ACCEPT_LANGUAGE_CHARS) {
        return Err(AppError::BadRequest(format!(
            "Accept-Language must be at most {MAX_ACCEPT_LANGUAGE_CHARS} characters"
        )));
    }
    Ok(language::accepted_ranges(&values.join(",")))
}

/// A version's texts in the language `ranges` choose among its own and its published
/// translations (`published` may hold other versions' too; they are ignored).
pub(crate) fn negotiate(
    content: StandardContent,
    published: &[TranslationRow],
    ranges: &[String],
) -> (StandardContent, Vec<String>) {
    let base = content.base_language().to_owned();
    let translations: Vec<&TranslationRow> = published
        .iter()
        .filter(|t| t.standard_version == content.version && t.status == StandardStatus::Published)
        .collect();
    let mut languages = vec![base.clone()];
    languages.extend(translations.iter().map(|t| t.language.clone()));
    let available: Vec<&str> = languages.iter().map(String::as_str).collect();
    let chosen = language::choose(ranges, &available, &base);
    let content = match translations.iter().find(|t| t.language == chosen) {
        Some(t) => content.translated(chosen, &t.content),
        None => content,
    };
    (content, languages)
}

impl Standard {
    /// The version as `ranges` ask for it.
    fn of(row: StandardRow, published: &[TranslationRow], ranges: &[String]) -> Standard {
        let content = row.content.into_inner();
        let base_language = content.base_language().to_owned();
        let (content, languages) = negotiate(content, published, ranges);
        Standard {
            status: row.status,
            version: row.version,
            title: content.title.trim().to_owned(),
            language: content.base_language().to_owned(),
            base_language,
            languages,
            principles: content.principles,
            criteria: content.criteria,
            policy: content.policy,
            decision_policy: content.decision_policy,
            created_at: row.created_at,
            published_at: row.published_at,
            retired_at: row.retired_at,
        }
    }

    /// The version in its base language, as a change answers it.
    fn base(row: StandardRow, published: &[TranslationRow]) -> Standard {
        Standard::of(row, published, &[])
    }
}

/// A version and the published translations of it.
fn with_translations(c: &mut DbConnection, row: StandardRow) -> AppResult<(StandardRow, Vec<TranslationRow>)> {
    let published = store::translations::of_version(c, &row.version)?
        .into_iter()
        .filter(|t| t.status == StandardStatus::Published)
        .collect();
    Ok((row, published))
}

/// The answer in a negotiated language: `Content-Language`, `Vary: Accept-Language`, and an
/// `ETag` made from the bytes, so each language has its own.
fn in_language(req: &HttpRequest, standard: &Standard) -> AppResult<HttpResponse> {
    let rendered = Rendered::json(standard).map_err(AppError::internal)?;
    let mut res = conditional::answer(req, &rendered, Caching::PrivateRevalidate, Some("Accept-Language"));
    let language = header::HeaderValue::from_str(&standard.language).map_err(AppError::internal)?;
    res.headers_mut().insert(header::CONTENT_LANGUAGE, language);
    Ok(res)
}

fn not_found(version: &str) -> AppError {
    AppError::NotFound(format!("no standard version {version}"))
}

/// List standard versions.
///
/// Any token may read them: every version, drafts included, oldest first, in one page. Each
/// title is in the language `Accept-Language` asks for, when the version has a published
/// translation into it (see `get_standard`).
#[utoipa::path(
    operation_id = "list_standards",
    tag = "standards",
    params(AcceptLanguage),
    responses((status = 200, description = "Every version, oldest first.", body = StandardList, headers(
        ("Vary" = String, description = "`Accept-Language`: the titles depend on it.")
    ))),
    security(("bearer" = []))
)]
#[get("/standards")]
pub async fn list_standards(req: HttpRequest, state: web::Data<AppState>, _who: Principal) -> AppResult<HttpResponse> {
    let ranges = accepted_languages(&req)?;
    let (rows, published) =
        state.db.read(|c| Ok((store::standards::all(c)?, store::translations::all_published(c)?))).await?;
    let mut by_version: HashMap<String, Vec<TranslationRow>> = HashMap::new();
    for t in published {
        by_version.entry(t.standard_version.clone()).or_default().push(t);
    }
    let data = rows
        .into_iter()
        .map(|row| {
            let translations = by_version.get(&row.version).map_or(&[][..], Vec::as_slice);
            let (content, _) = negotiate(row.content.into_inner(), translations, &ranges);
            StandardSummary {
                criteria_count: content.criteria.len(),
                language: content.base_language().to_owned(),
                title: content.title.trim().to_owned(),
                status: row.status,
                version: row.version,
                created_at: row.created_at,
                published_at: row.published_at,
                retired_at: row.retired_at,
            }
        })
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::VARY, "Accept-Language"))
        .json(StandardList { data, next_cursor: None }))
}

/// Read one standard version.
///
/// Its principles, criteria and scoring policy. Any token may read it. The texts (title,
/// principle titles, criterion texts and guidance) are in the language `Accept-Language` asks
/// for among `languages`, the base language and the published translations: a tag matches
/// itself, then the tag it shortens to (`fr-CA` reads `fr`), then a regional form of it (`pt`
/// reads `pt-BR`), by quality; anything else reads the base language. Drafts of translations
/// are never served here: admins read them at `get_translation`. Codes, weights and the policy
/// are the same in every language.
#[utoipa::path(
    operation_id = "get_standard",
    tag = "standards",
    params(
        ("version" = String, Path, max_length = 40, pattern = "^[a-z0-9.-]{1,40}$", description = "Version id, e.g. `ers-1.0`."),
        AcceptLanguage,
        ("If-None-Match" = Option<String>, Header, max_length = 1024,
            description = "An `ETag` from an earlier answer in the same language: 304 while it is unchanged.")
    ),
    responses(
        (status = 200, description = "The version.", body = Standard, headers(
            ("Content-Language" = String, description = "The language of the texts, as `language`."),
            ("Vary" = String, description = "`Accept-Language`: the texts depend on it."),
            ("ETag" = String, description = "Names this content, in this language, for `If-None-Match`."),
            ("Cache-Control" = String, description = "`private, no-cache`.")
        )),
        (status = 304, description = "Unchanged since the `ETag` given in `If-None-Match`; no body.", headers(
            ("ETag" = String, description = "The same tag."),
            ("Cache-Control" = String, description = "`private, no-cache`.")
        ))
    ),
    security(("bearer" = []))
)]
#[get("/standards/{version}")]
pub async fn get_standard(
    req: HttpRequest,
    state: web::Data<AppState>,
    _who: Principal,
    version: web::Path<String>,
) -> AppResult<HttpResponse> {
    conditional::readable(&req)?;
    let ranges = accepted_languages(&req)?;
    let version = version.into_inner();
    let lookup = version.clone();
    let (row, published) = state
        .db
        .read(move |c| {
            let row = store::standards::find(c, &lookup)?.ok_or_else(|| not_found(&lookup))?;
            with_translations(c, row)
        })
        .await?;
    in_language(&req, &Standard::of(row, &published, &ranges))
}

/// Create a draft standard version.
///
/// The version is checked whole: unique codes, criteria that name a known principle, weights
/// above 0, credits that never reward a worse finding, grade bands from best to worst. Every
/// fault is named in `errors`.
#[utoipa::path(
    operation_id = "create_standard",
    tag = "standards",
    request_body = StandardContent,
    responses(
        (status = 201, description = "Stored as a draft.", body = Standard, headers(
            ("Location" = String, description = "The version's URL."),
            ("Content-Language" = String, description = "The base language.")
        )),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/standards")]
pub async fn create_standard(
    state: web::Data<AppState>,
    who: Principal,
    body: ValidJson<StandardContent>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageStandards)?;
    let now = state.clock.now();
    let stored = state.db.write(move |c| standards::create_draft(c, &who.client_id, body.0, now)).await?;
    let standard = Standard::base(stored, &[]);
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/v1/standards/{}", standard.version)))
        .insert_header((header::CONTENT_LANGUAGE, standard.language.clone()))
        .json(standard))
}

async fn change_status(
    state: &AppState,
    who: &Principal,
    version: String,
    to: StandardStatus,
) -> AppResult<HttpResponse> {
    authorize(who, Action::ManageStandards)?;
    let now = state.clock.now();
    let actor = who.client_id.clone();
    let (row, published) = state
        .db
        .write(move |c| {
            let row = standards::change_status(c, &actor, &version, to, now)?;
            with_translations(c, row)
        })
        .await?;
    let standard = Standard::base(row, &published);
    Ok(HttpResponse::Ok().insert_header((header::CONTENT_LANGUAGE, standard.language.clone())).json(standard))
}

/// Publish a draft version.
///
/// From now on the version is immutable and new assessments may use it.
#[utoipa::path(
    operation_id = "publish_standard",
    tag = "standards",
    params(("version" = String, Path, max_length = 40, pattern = "^[a-z0-9.-]{1,40}$", description = "Version id.")),
    responses(
        (status = 200, description = "Published.", body = Standard, headers(
            ("Content-Language" = String, description = "The base language.")
        )),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/standards/{version}/publish")]
pub async fn publish_standard(
    state: web::Data<AppState>,
    who: Principal,
    version: web::Path<String>,
) -> AppResult<HttpResponse> {
    change_status(&state, &who, version.into_inner(), StandardStatus::Published).await
}

/// Retire a published version.
///
/// Assessments already bound to it keep it (their scores stay reproducible); new assessments
/// can no longer choose it.
#[utoipa::path(
    operation_id = "retire_standard",
    tag = "standards",
    params(("version" = String, Path, max_length = 40, pattern = "^[a-z0-9.-]{1,40}$", description = "Version id.")),
    responses(
        (status = 200, description = "Retired.", body = Standard, headers(
            ("Content-Language" = String, description = "The base language.")
        )),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/standards/{version}/retire")]
pub async fn retire_standard(
    state: web::Data<AppState>,
    who: Principal,
    version: web::Path<String>,
) -> AppResult<HttpResponse> {
    change_status(&state, &who, version.into_inner(), StandardStatus::Retired).await
}
