//! `/v1/standards`: versioned standards. Admins create drafts, publish them (after which they
//! never change) and retire them. Everyone with a token can read them.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::ValidJson;
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::domain::standard::{Criterion, Principle, ScoringPolicy, StandardContent};
use crate::error::{AppError, AppResult, FieldError};
use crate::state::AppState;
use crate::store;
use crate::store::standards::StandardRow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StandardStatus {
    Draft,
    Published,
    Retired,
}

/// A standard version with its principles, criteria and scoring policy.
#[derive(Debug, Serialize, ToSchema)]
pub struct Standard {
    #[schema(example = "ers-1.0")]
    pub version: String,
    pub title: String,
    pub status: StandardStatus,
    pub principles: Vec<Principle>,
    pub criteria: Vec<Criterion>,
    pub policy: ScoringPolicy,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StandardSummary {
    #[schema(example = "ers-1.0")]
    pub version: String,
    pub title: String,
    pub status: StandardStatus,
    pub criteria_count: usize,
    pub created_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub retired_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StandardList {
    pub data: Vec<StandardSummary>,
    /// Always null: every version fits in one page.
    pub next_cursor: Option<String>,
}

fn status_of(row: &StandardRow) -> StandardStatus {
    match row.status.as_str() {
        "published" => StandardStatus::Published,
        "retired" => StandardStatus::Retired,
        _ => StandardStatus::Draft,
    }
}

fn to_standard(row: StandardRow) -> AppResult<Standard> {
    let content = row.content()?;
    Ok(Standard {
        status: status_of(&row),
        version: row.version,
        title: row.title,
        principles: content.principles,
        criteria: content.criteria,
        policy: content.policy,
        created_at: store::from_db_time(row.created_at),
        published_at: row.published_at.map(store::from_db_time),
        retired_at: row.retired_at.map(store::from_db_time),
    })
}

fn not_found(version: &str) -> AppError {
    AppError::NotFound(format!("no standard version {version}"))
}

/// Stores the default standard as published when the database has no standard at all.
pub fn ensure_default(conn: &mut crate::db::DbConnection, now: DateTime<Utc>) -> AppResult<bool> {
    if store::standards::count(conn)? > 0 {
        return Ok(false);
    }
    let content = StandardContent::default_standard().map_err(AppError::internal)?;
    let now = store::to_db_time(now);
    store::standards::insert(
        conn,
        &StandardRow {
            version: content.version.clone(),
            title: content.title.clone(),
            status: "published".into(),
            content: serde_json::to_string(&content).map_err(AppError::internal)?,
            created_at: now,
            published_at: Some(now),
            retired_at: None,
        },
    )?;
    Ok(true)
}

/// List standard versions.
#[utoipa::path(
    operation_id = "list_standards",
    tag = "standards",
    responses((status = 200, description = "Every version, oldest first.", body = StandardList), BadRequest, Unauthorized, TooManyRequests),
    security(("bearer" = []))
)]
#[get("/standards")]
pub async fn list_standards(state: web::Data<AppState>, _who: Principal) -> AppResult<HttpResponse> {
    let rows = state.db.read(store::standards::all).await?;
    let data = rows
        .into_iter()
        .map(|row| {
            let criteria_count = row.content()?.criteria.len();
            Ok(StandardSummary {
                status: status_of(&row),
                version: row.version,
                title: row.title,
                criteria_count,
                created_at: store::from_db_time(row.created_at),
                published_at: row.published_at.map(store::from_db_time),
                retired_at: row.retired_at.map(store::from_db_time),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(StandardList { data, next_cursor: None }))
}

/// Read one standard version.
#[utoipa::path(
    operation_id = "get_standard",
    tag = "standards",
    params(("version" = String, Path, description = "Version id, e.g. `ers-1.0`.")),
    responses((status = 200, description = "The version.", body = Standard), BadRequest, Unauthorized, NotFound, TooManyRequests),
    security(("bearer" = []))
)]
#[get("/standards/{version}")]
pub async fn get_standard(
    state: web::Data<AppState>,
    _who: Principal,
    version: web::Path<String>,
) -> AppResult<HttpResponse> {
    let version = version.into_inner();
    let lookup = version.clone();
    let row = state.db.read(move |c| store::standards::find(c, &lookup)).await?.ok_or_else(|| not_found(&version))?;
    Ok(HttpResponse::Ok().json(to_standard(row)?))
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
        (status = 201, description = "Stored as a draft.", body = Standard),
        BadRequest, Unauthorized, Forbidden, Conflict, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
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
    let content = body.0;
    let faults = content.faults();
    if !faults.is_empty() {
        return Err(AppError::Validation(faults.into_iter().map(|(f, m)| FieldError::new(f, m)).collect()));
    }
    let now = store::to_db_time(state.clock.now());
    let row = StandardRow {
        version: content.version.clone(),
        title: content.title.trim().to_owned(),
        status: "draft".into(),
        content: serde_json::to_string(&content).map_err(AppError::internal)?,
        created_at: now,
        published_at: None,
        retired_at: None,
    };
    let stored = state
        .db
        .write(move |c| {
            if store::standards::find(c, &row.version)?.is_some() {
                return Err(AppError::Conflict(format!("standard version {} already exists", row.version)));
            }
            store::standards::insert(c, &row)?;
            Ok(row)
        })
        .await?;
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/v1/standards/{}", stored.version)))
        .json(to_standard(stored)?))
}

async fn change_status(
    state: &AppState,
    who: &Principal,
    version: String,
    to: StandardStatus,
) -> AppResult<HttpResponse> {
    authorize(who, Action::ManageStandards)?;
    let now = store::to_db_time(state.clock.now());
    let row = state
        .db
        .write(move |c| {
            let row = store::standards::find(c, &version)?.ok_or_else(|| not_found(&version))?;
            let (published_at, retired_at) = match (status_of(&row), to) {
                (StandardStatus::Draft, StandardStatus::Published) => (Some(now), None),
                (StandardStatus::Published, StandardStatus::Retired) => (row.published_at, Some(now)),
                (from, _) => {
                    return Err(AppError::Conflict(format!(
                        "a {} standard cannot become {}; versions go draft, published, retired",
                        crate::domain::wire_name(&from),
                        crate::domain::wire_name(&to)
                    )));
                }
            };
            let status = crate::domain::wire_name(&to);
            store::standards::set_status(c, &version, &status, published_at, retired_at)?;
            Ok(StandardRow { status, published_at, retired_at, ..row })
        })
        .await?;
    Ok(HttpResponse::Ok().json(to_standard(row)?))
}

/// Publish a draft version.
///
/// From now on the version is immutable and new assessments may use it.
#[utoipa::path(
    operation_id = "publish_standard",
    tag = "standards",
    params(("version" = String, Path, description = "Version id.")),
    responses(
        (status = 200, description = "Published.", body = Standard),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, TooManyRequests
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
    params(("version" = String, Path, description = "Version id.")),
    responses(
        (status = 200, description = "Retired.", body = Standard),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, TooManyRequests
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
