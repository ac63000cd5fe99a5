//! `/v1/agencies/{id}/grants`: an agency lets an integrator read its full findings until a
//! date, revokes that at once, and sees who read what and when.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::{AgencyId, AgencyRes, GrantRes, ValidJson, ValidQuery, path_uuid};
use crate::api::pagination::{self, Page, PageQuery};
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::domain::grants::{self, GrantState, GrantedRead};
use crate::error::AppResult;
use crate::services::agencies;
use crate::services::grants::{self as sharing, GrantInput};
use crate::state::AppState;
use crate::store;
use crate::store::grants::{GrantRow, ReadRow, ReadSummary};

crate::api::pagination::documented_page!(GrantPage, Grant, "sharing grants");
crate::api::pagination::documented_page!(GrantReadPage, GrantRead, "reads under a sharing grant");

/// A sharing grant: one integrator may read the agency's findings until `valid_until`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193f0c2-1a2b-7c3d-8e4f-5a6b7c8d9e0f", "agency_id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90",
    "client_id": "0193f0c1-5d2e-7a10-9c35-2b8e4f1a6d90", "valid_until": "2026-12-31", "state": "active",
    "created_by": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d91", "created_at": "2026-01-05T09:00:00Z",
    "revoked_by": null, "revoked_at": null, "reads": 2, "last_read_at": "2026-01-06T10:30:00Z"
}))]
pub struct Grant {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub agency_id: String,
    /// The integrator's API client.
    #[schema(format = Uuid)]
    pub client_id: String,
    /// The last day (UTC) of access.
    pub valid_until: NaiveDate,
    /// `active`, `expired` (after `valid_until`) or `revoked`, now.
    pub state: GrantState,
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub revoked_by: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// How many reads were made under the grant (listed at `.../grants/{grant_id}/reads`).
    #[schema(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    pub reads: i64,
    pub last_read_at: Option<DateTime<Utc>>,
}

impl Grant {
    fn of(row: GrantRow, reads: ReadSummary, now: DateTime<Utc>) -> Grant {
        Grant {
            state: grants::state(row.valid_until, row.revoked_at, now),
            id: row.id,
            agency_id: row.agency_id,
            client_id: row.client_id,
            valid_until: row.valid_until,
            created_by: row.created_by,
            created_at: row.created_at,
            revoked_by: row.revoked_by,
            revoked_at: row.revoked_at,
            reads: reads.0,
            last_read_at: reads.1,
        }
    }
}

/// One read made under a grant: who read what, and when.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193f0c3-0000-7000-8000-000000000001", "grant_id": "0193f0c2-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
    "client_id": "0193f0c1-5d2e-7a10-9c35-2b8e4f1a6d90", "assessment_id": "0193f0b0-1111-7222-8333-444455556666",
    "what": "findings", "read_at": "2026-01-06T10:30:00Z"
}))]
pub struct GrantRead {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub grant_id: String,
    /// The integrator's API client that read.
    #[schema(format = Uuid)]
    pub client_id: String,
    #[schema(format = Uuid)]
    pub assessment_id: String,
    /// `findings` (the assessment with its findings) or `score_explanation`.
    pub what: GrantedRead,
    pub read_at: DateTime<Utc>,
}

impl From<ReadRow> for GrantRead {
    fn from(r: ReadRow) -> Self {
        GrantRead {
            id: r.id,
            grant_id: r.grant_id,
            client_id: r.client_id,
            assessment_id: r.assessment_id,
            what: r.what,
            read_at: r.read_at,
        }
    }
}

/// The agency id and grant id of a `/agencies/{id}/grants/{grant_id}` path, or 404.
fn grant_path(path: (String, String)) -> AppResult<(String, String)> {
    Ok((path_uuid::<AgencyRes>(&path.0)?, path_uuid::<GrantRes>(&path.1)?))
}

/// Give an integrator access to the agency's full findings.
///
/// The agency itself or an admin. `client_id` must be an active API client with the role
/// `integrator`, and `valid_until` (the last day of access, UTC) after today and at most 24
/// months ahead (422). Until then, or until revoked, the integrator reads the findings and the
/// explained score of the agency's finalized assessments, and each read is recorded. One grant
/// per integrator is in force at a time (409).
#[utoipa::path(
    operation_id = "create_grant",
    tag = "grants",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    request_body = GrantInput,
    responses(
        (status = 201, description = "Granted.", body = Grant, headers(("Location" = String))),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/agencies/{id}/grants")]
pub async fn create_grant(
    state: web::Data<AppState>,
    who: Principal,
    id: AgencyId,
    body: ValidJson<GrantInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    authorize(&who, Action::ManageGrants { agency_id: &id })?;
    let now = state.clock.now();
    let row = state.db.write(move |c| sharing::create(c, &who, &id, body.0, now)).await?;
    let location = format!("/v1/agencies/{}/grants/{}", row.agency_id, row.id);
    Ok(HttpResponse::Created().insert_header(("Location", location)).json(Grant::of(row, (0, None), now)))
}

/// List the agency's sharing grants.
///
/// The agency itself or an admin. Every grant ever given, with its state now and how often it
/// was read under.
#[utoipa::path(
    operation_id = "list_grants",
    tag = "grants",
    params(("id" = String, Path, format = Uuid, description = "Agency id."), PageQuery),
    responses((status = 200, description = "A page of grants, in creation order.", body = GrantPage), Forbidden),
    security(("bearer" = []))
)]
#[get("/agencies/{id}/grants")]
pub async fn list_grants(
    state: web::Data<AppState>,
    who: Principal,
    id: AgencyId,
    query: ValidQuery<PageQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    authorize(&who, Action::ManageGrants { agency_id: &id })?;
    let window = pagination::window(query.0.limit, query.0.cursor.as_deref())?;
    let (limit, after, now) = (window.fetch(), window.after.clone(), state.clock.now());
    let (rows, mut reads) = state
        .db
        .read(move |c| {
            agencies::find(c, &id)?;
            let rows = store::grants::page(c, &id, after.as_deref(), limit)?;
            let ids: Vec<String> = rows.iter().map(|g| g.id.clone()).collect();
            Ok((rows, store::grants::read_summaries(c, &ids)?))
        })
        .await?;
    let page = Page::of(
        rows,
        window.limit,
        |g| &g.id,
        |g| {
            let summary = reads.remove(&g.id).unwrap_or((0, None));
            Grant::of(g, summary, now)
        },
    );
    Ok(HttpResponse::Ok().json(page))
}

/// Revoke a sharing grant.
///
/// The agency itself or an admin. Takes effect at once: the integrator's next read is refused
/// (403). A grant that no longer gives access, revoked or expired, is a 409.
#[utoipa::path(
    operation_id = "revoke_grant",
    tag = "grants",
    params(
        ("id" = String, Path, format = Uuid, description = "Agency id."),
        ("grant_id" = String, Path, format = Uuid, description = "Grant id.")
    ),
    responses((status = 204, description = "Revoked."), Forbidden, Conflict),
    security(("bearer" = []))
)]
#[delete("/agencies/{id}/grants/{grant_id}")]
pub async fn revoke_grant(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, grant_id) = grant_path(path.into_inner())?;
    authorize(&who, Action::ManageGrants { agency_id: &id })?;
    let now = state.clock.now();
    state.db.write(move |c| sharing::revoke(c, &who, &id, &grant_id, now)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// List the reads made under a sharing grant.
///
/// The agency itself or an admin: which integrator client read which assessment's findings or
/// explained score, and when, in the order they were read.
#[utoipa::path(
    operation_id = "list_grant_reads",
    tag = "grants",
    params(
        ("id" = String, Path, format = Uuid, description = "Agency id."),
        ("grant_id" = String, Path, format = Uuid, description = "Grant id."),
        PageQuery
    ),
    responses((status = 200, description = "A page of reads, oldest first.", body = GrantReadPage), Forbidden),
    security(("bearer" = []))
)]
#[get("/agencies/{id}/grants/{grant_id}/reads")]
pub async fn list_grant_reads(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(String, String)>,
    query: ValidQuery<PageQuery>,
) -> AppResult<HttpResponse> {
    let (id, grant_id) = grant_path(path.into_inner())?;
    authorize(&who, Action::ManageGrants { agency_id: &id })?;
    let window = pagination::window(query.0.limit, query.0.cursor.as_deref())?;
    let (limit, after) = (window.fetch(), window.after.clone());
    let rows = state
        .db
        .read(move |c| {
            sharing::find(c, &who, &id, &grant_id)?;
            store::grants::reads_page(c, &grant_id, after.as_deref(), limit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::of(rows, window.limit, |r| &r.id, GrantRead::from)))
}
