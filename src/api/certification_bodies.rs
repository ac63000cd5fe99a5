//! `/v1/certification-bodies`: the accredited bodies whose auditors assess agencies.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::{self, BodyId, ValidJson, ValidQuery};
use crate::api::pagination::{self, Page, PageQuery};
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::domain::certification_body::AccreditationStatus;
use crate::error::AppResult;
use crate::services::certification_bodies::{self as bodies, BodyInput, BodyPatch};
use crate::services::etag;
use crate::state::AppState;
use crate::store;
use crate::store::certification_bodies::BodyRow;

crate::api::pagination::documented_page!(CertificationBodyPage, CertificationBody, "certification bodies");

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193f0b0-2222-7000-8000-00000000c0b1", "name": "Gulf Ethical Audit Ltd", "country": "AE", "website": "https://gulf-audit.example.com", "accreditation_status": "accredited", "accredited_until": "2029-06-30", "version": 1, "created_at": "2026-11-28T09:30:00Z", "updated_at": "2026-11-28T09:30:00Z"}))]
pub struct CertificationBody {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(max_length = 200)]
    pub name: String,
    #[schema(max_length = 2, pattern = "^[A-Z]{2}$")]
    pub country: String,
    #[schema(max_length = 300, pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\u0000]*$")]
    pub website: Option<String>,
    pub accreditation_status: AccreditationStatus,
    pub accredited_until: Option<NaiveDate>,
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<BodyRow> for CertificationBody {
    fn from(row: BodyRow) -> Self {
        CertificationBody {
            id: row.id,
            name: row.name,
            country: row.country,
            website: row.website,
            accreditation_status: row.accreditation_status,
            accredited_until: row.accredited_until,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

fn respond(mut res: actix_web::HttpResponseBuilder, row: BodyRow) -> HttpResponse {
    let body = CertificationBody::from(row);
    res.insert_header((header::ETAG, etag(body.version))).json(body)
}

/// List certification bodies.
///
/// Any token may list them. A page in registration order: `limit` and `cursor`.
#[utoipa::path(
    operation_id = "list_certification_bodies",
    tag = "certification bodies",
    params(PageQuery),
    responses((status = 200, description = "A page of bodies.", body = CertificationBodyPage)),
    security(("bearer" = []))
)]
#[get("/certification-bodies")]
pub async fn list_certification_bodies(
    state: web::Data<AppState>,
    _who: Principal,
    query: ValidQuery<PageQuery>,
) -> AppResult<HttpResponse> {
    let window = pagination::window(query.0.limit, query.0.cursor.as_deref())?;
    let (limit, after) = (window.fetch(), window.after.clone());
    let rows = state.db.read(move |c| store::certification_bodies::page(c, after.as_deref(), limit)).await?;
    Ok(HttpResponse::Ok().json(Page::of(rows, window.limit, |r| &r.id, CertificationBody::from)))
}

/// Register a certification body.
///
/// Admins only. Its auditors and certifiers may work only while its accreditation is in force (a 409
/// otherwise).
#[utoipa::path(
    operation_id = "create_certification_body",
    tag = "certification bodies",
    request_body = BodyInput,
    responses((status = 201, description = "Registered.", body = CertificationBody), Forbidden),
    security(("bearer" = []))
)]
#[post("/certification-bodies")]
pub async fn create_certification_body(
    state: web::Data<AppState>,
    who: Principal,
    body: ValidJson<BodyInput>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageCertificationBodies)?;
    let now = state.clock.now();
    let row = state.db.write(move |c| bodies::create(c, &who.client_id, body.0, now)).await?;
    let location = format!("/v1/certification-bodies/{}", row.id);
    Ok(respond(HttpResponse::Created().insert_header((header::LOCATION, location)).take(), row))
}

/// Read a certification body.
///
/// Any token may read it. The `ETag` is `"v<version>"`.
#[utoipa::path(
    operation_id = "get_certification_body",
    tag = "certification bodies",
    params(("id" = String, Path, format = Uuid, description = "Body id.")),
    responses((status = 200, description = "The body.", body = CertificationBody, headers(("ETag" = String, description = "Current version.")))),
    security(("bearer" = []))
)]
#[get("/certification-bodies/{id}")]
pub async fn get_certification_body(
    state: web::Data<AppState>,
    _who: Principal,
    id: BodyId,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let row = state.db.read(move |c| bodies::find(c, &id)).await?;
    Ok(respond(HttpResponse::Ok(), row))
}

/// Update a certification body (its accreditation status and validity, mostly).
///
/// Admins only. A field sent replaces the current value; `If-Match` guards against a lost update (412).
#[utoipa::path(
    operation_id = "update_certification_body",
    tag = "certification bodies",
    params(("id" = String, Path, format = Uuid, description = "Body id."), IfMatch),
    request_body(content = BodyPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated.", body = CertificationBody, headers(("ETag" = String, description = "New version."))),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[patch("/certification-bodies/{id}")]
pub async fn update_certification_body(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    id: BodyId,
    patch: ValidJson<BodyPatch>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageCertificationBodies)?;
    let id = id.into_inner();
    let if_match = extract::if_match(&req)?;
    let now = state.clock.now();
    let row =
        state.db.write(move |c| bodies::update(c, &who.client_id, &id, patch.0, if_match.as_deref(), now)).await?;
    Ok(respond(HttpResponse::Ok(), row))
}
