//! `/v1/standards`: versioned standards. Admins create drafts, publish them (after which they
//! never change) and retire them. Everyone with a token can read them.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::ValidJson;
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::domain::standard::{Criterion, DecisionPolicy, Principle, ScoringPolicy, StandardContent, StandardStatus};
use crate::error::{AppError, AppResult};
use crate::services::standards;
use crate::state::AppState;
use crate::store;
use crate::store::standards::StandardRow;

/// A standard version with its principles, criteria and scoring policy.
#[derive(Debug, Serialize, ToSchema)]
pub struct Standard {
    #[schema(example = "ers-1.0")]
    #[schema(max_length = 40, pattern = "^[a-z0-9.-]{1,40}$")]
    pub version: String,
    #[schema(max_length = 200)]
    pub title: String,
    pub status: StandardStatus,
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
    #[schema(max_length = 200)]
    pub title: String,
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

impl From<StandardRow> for Standard {
    fn from(row: StandardRow) -> Self {
        let content = row.content.into_inner();
        Standard {
            status: row.status,
            version: row.version,
            title: row.title,
            principles: content.principles,
            criteria: content.criteria,
            policy: content.policy,
            decision_policy: content.decision_policy,
            created_at: row.created_at,
            published_at: row.published_at,
            retired_at: row.retired_at,
        }
    }
}

fn not_found(version: &str) -> AppError {
    AppError::NotFound(format!("no standard version {version}"))
}

/// List standard versions.
///
/// Any token may read them: every version, drafts included, oldest first, in one page.
#[utoipa::path(
    operation_id = "list_standards",
    tag = "standards",
    responses((status = 200, description = "Every version, oldest first.", body = StandardList)),
    security(("bearer" = []))
)]
#[get("/standards")]
pub async fn list_standards(state: web::Data<AppState>, _who: Principal) -> AppResult<HttpResponse> {
    let rows = state.db.read(store::standards::all).await?;
    let data = rows
        .into_iter()
        .map(|row| StandardSummary {
            criteria_count: row.content.criteria.len(),
            status: row.status,
            version: row.version,
            title: row.title,
            created_at: row.created_at,
            published_at: row.published_at,
            retired_at: row.retired_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(StandardList { data, next_cursor: None }))
}

/// Read one standard version.
///
/// Its principles, criteria and scoring policy. Any token may read it.
#[utoipa::path(
    operation_id = "get_standard",
    tag = "standards",
    params(("version" = String, Path, max_length = 40, pattern = "^[a-z0-9.-]{1,40}$", description = "Version id, e.g. `ers-1.0`.")),
    responses((status = 200, description = "The version.", body = Standard)),
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
    Ok(HttpResponse::Ok().json(Standard::from(row)))
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
    Ok(HttpResponse::Created()
        .insert_header(("location", format!("/v1/standards/{}", stored.version)))
        .json(Standard::from(stored)))
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
    let row = state.db.write(move |c| standards::change_status(c, &actor, &version, to, now)).await?;
    Ok(HttpResponse::Ok().json(Standard::from(row)))
}

/// Publish a draft version.
///
/// From now on the version is immutable and new assessments may use it.
#[utoipa::path(
    operation_id = "publish_standard",
    tag = "standards",
    params(("version" = String, Path, max_length = 40, pattern = "^[a-z0-9.-]{1,40}$", description = "Version id.")),
    responses(
        (status = 200, description = "Published.", body = Standard),
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
        (status = 200, description = "Retired.", body = Standard),
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
