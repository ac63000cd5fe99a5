//! `/v1/certification-bodies`: the accredited bodies whose auditors assess agencies, and
//! `POST /v1/agencies/{id}/applications`, by which an agency comes under a body.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::api::extract::{self, ValidJson, ValidQuery, check_if_match, etag};
use crate::api::fields::{not_blank, not_null, present, valid_country, web_url};
use crate::api::pagination;
use crate::api::problems::*;
use crate::api::schema;
use crate::auth::{Action, Principal, authorize};
use crate::domain::{from_wire, wire_name};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store;
use crate::store::certification_bodies::{ApplicationRow, BodyRow};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccreditationStatus {
    /// Applied for accreditation; its auditors may not assess yet.
    Pending,
    Accredited,
    Suspended,
    Withdrawn,
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Gulf Ethical Audit Ltd", "country": "AE", "website": "https://gulf-audit.example.com", "accreditation_status": "accredited", "accredited_until": "2029-06-30"}))]
pub struct BodyInput {
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 200, pattern = r"[^\s\u0085]")]
    pub name: String,
    #[validate(custom(function = "valid_country"))]
    #[schema(schema_with = schema::country)]
    pub country: String,
    #[serde(default)]
    #[validate(length(max = 300), custom(function = "web_url"))]
    #[schema(max_length = 300, pattern = "^[Hh][Tt][Tt][Pp][Ss]?://")]
    pub website: Option<String>,
    pub accreditation_status: AccreditationStatus,
    #[serde(default)]
    pub accredited_until: Option<NaiveDate>,
}

/// Fields present replace the current value; `null` clears an optional one.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"accreditation_status": "suspended"}))]
pub struct BodyPatch {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false, min_length = 1, max_length = 200, pattern = r"[^\s\u0085]")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(schema_with = schema::country)]
    pub country: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable, max_length = 300, pattern = "^[Hh][Tt][Tt][Pp][Ss]?://")]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    pub accreditation_status: Option<AccreditationStatus>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub accredited_until: Option<Option<NaiveDate>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"id": "0193f0b0-2222-7000-8000-00000000c0b1", "name": "Gulf Ethical Audit Ltd", "country": "AE", "website": "https://gulf-audit.example.com", "accreditation_status": "accredited", "accredited_until": "2029-06-30", "version": 1, "created_at": "2026-11-28T09:30:00Z", "updated_at": "2026-11-28T09:30:00Z"}))]
pub struct CertificationBody {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    pub country: String,
    pub website: Option<String>,
    pub accreditation_status: AccreditationStatus,
    pub accredited_until: Option<NaiveDate>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CertificationBodyPage {
    pub data: Vec<CertificationBody>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BodyQuery {
    /// Page size, 1–200 (default 50).
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(schema_with = schema::cursor)]
    pub cursor: Option<String>,
}

fn to_body(row: BodyRow) -> AppResult<CertificationBody> {
    Ok(CertificationBody {
        accreditation_status: from_wire(&row.accreditation_status)
            .ok_or_else(|| AppError::internal(format!("body {} has status {}", row.id, row.accreditation_status)))?,
        id: row.id,
        name: row.name,
        country: row.country,
        website: row.website,
        accredited_until: row.accredited_until,
        version: row.version,
        created_at: store::from_db_time(row.created_at),
        updated_at: store::from_db_time(row.updated_at),
    })
}

fn body_not_found(id: &str) -> AppError {
    AppError::NotFound(format!("no certification body with id {id}"))
}

/// List certification bodies.
#[utoipa::path(
    operation_id = "list_certification_bodies",
    tag = "certification bodies",
    params(BodyQuery),
    responses((status = 200, description = "A page of bodies.", body = CertificationBodyPage), BadRequest, Unauthorized, Unprocessable, TooManyRequests),
    security(("bearer" = []))
)]
#[get("/certification-bodies")]
pub async fn list_certification_bodies(
    state: web::Data<AppState>,
    _who: Principal,
    query: ValidQuery<BodyQuery>,
) -> AppResult<HttpResponse> {
    let (limit, after) = pagination::resolve(query.0.limit, query.0.cursor.as_deref())?;
    let rows =
        state.db.read(move |c| store::certification_bodies::page(c, after.as_deref(), i64::from(limit) + 1)).await?;
    let (rows, next_cursor) = pagination::split_page(rows, limit, |r| &r.id);
    let data = rows.into_iter().map(to_body).collect::<AppResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(CertificationBodyPage { data, next_cursor }))
}

/// Register a certification body.
#[utoipa::path(
    operation_id = "create_certification_body",
    tag = "certification bodies",
    request_body = BodyInput,
    responses(
        (status = 201, description = "Registered.", body = CertificationBody),
        BadRequest, Unauthorized, Forbidden, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[post("/certification-bodies")]
pub async fn create_certification_body(
    state: web::Data<AppState>,
    who: Principal,
    body: ValidJson<BodyInput>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageCertificationBodies)?;
    let input = body.0;
    let now = store::to_db_time(state.clock.now());
    let row = BodyRow {
        id: Uuid::now_v7().to_string(),
        name: input.name.trim().to_owned(),
        country: input.country,
        website: input.website,
        accreditation_status: wire_name(&input.accreditation_status),
        accredited_until: input.accredited_until,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    let stored = state
        .db
        .write(move |c| {
            store::certification_bodies::insert(c, &row)?;
            Ok(row)
        })
        .await?;
    let body = to_body(stored)?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/certification-bodies/{}", body.id)))
        .insert_header((header::ETAG, etag(body.version)))
        .json(body))
}

/// Read a certification body.
#[utoipa::path(
    operation_id = "get_certification_body",
    tag = "certification bodies",
    params(("id" = String, Path, format = Uuid, description = "Body id.")),
    responses((status = 200, description = "The body.", body = CertificationBody, headers(("ETag" = String, description = "Current version."))), BadRequest, Unauthorized, NotFound, TooManyRequests),
    security(("bearer" = []))
)]
#[get("/certification-bodies/{id}")]
pub async fn get_certification_body(
    state: web::Data<AppState>,
    _who: Principal,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let lookup = id.clone();
    let row = state
        .db
        .read(move |c| store::certification_bodies::find(c, &lookup))
        .await?
        .ok_or_else(|| body_not_found(&id))?;
    let body = to_body(row)?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(body.version))).json(body))
}

/// Update a certification body (its accreditation status and validity, mostly).
#[utoipa::path(
    operation_id = "update_certification_body",
    tag = "certification bodies",
    params(
        ("id" = String, Path, format = Uuid, description = "Body id."),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the change is based on.")
    ),
    request_body(content = BodyPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "Updated.", body = CertificationBody, headers(("ETag" = String, description = "New version."))),
        BadRequest, Unauthorized, Forbidden, NotFound, PreconditionFailed, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[patch("/certification-bodies/{id}")]
pub async fn update_certification_body(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    patch: ValidJson<BodyPatch>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageCertificationBodies)?;
    let id = id.into_inner();
    let if_match = extract::if_match(&req)?;
    let now = store::to_db_time(state.clock.now());
    let patch = patch.0;
    let row = state
        .db
        .write(move |c| {
            let mut row = store::certification_bodies::find(c, &id)?.ok_or_else(|| body_not_found(&id))?;
            let mut input = BodyInput {
                name: row.name.clone(),
                country: row.country.clone(),
                website: row.website.clone(),
                accreditation_status: from_wire(&row.accreditation_status).unwrap_or(AccreditationStatus::Pending),
                accredited_until: row.accredited_until,
            };
            if let Some(v) = patch.name {
                input.name = v.trim().to_owned();
            }
            if let Some(v) = patch.country {
                input.country = v;
            }
            if let Some(v) = patch.website {
                input.website = v;
            }
            if let Some(v) = patch.accreditation_status {
                input.accreditation_status = v;
            }
            if let Some(v) = patch.accredited_until {
                input.accredited_until = v;
            }
            extract::validate(&input)?;
            // As for agencies: the precondition is judged on an otherwise valid request.
            check_if_match(if_match.as_deref(), &etag(row.version))?;
            let expected = row.version;
            row.name = input.name;
            row.country = input.country;
            row.website = input.website;
            row.accreditation_status = wire_name(&input.accreditation_status);
            row.accredited_until = input.accredited_until;
            row.version += 1;
            row.updated_at = now;
            if !store::certification_bodies::update(c, &row, expected)? {
                return Err(AppError::PreconditionFailed(
                    "the body changed while this update ran; fetch it again".into(),
                ));
            }
            Ok(row)
        })
        .await?;
    let body = to_body(row)?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(body.version))).json(body))
}

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"certification_body_id": "0193f0b0-2222-7000-8000-00000000c0b1"}))]
pub struct ApplicationInput {
    #[schema(format = Uuid)]
    pub certification_body_id: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Pending,
    Accepted,
    /// Needs more from the agency; lapses if not accepted within 60 days.
    Deferred,
    Rejected,
    /// Deferred and not completed in time.
    Lapsed,
    /// The certification it led to ended (withdrawn or expired).
    Closed,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Application {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub agency_id: String,
    #[schema(format = Uuid)]
    pub certification_body_id: String,
    pub status: ApplicationStatus,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// Apply to a certification body.
///
/// An agency applies for itself and its application waits for the body's decision. An admin
/// applying for an agency assigns it to the body at once (accepted). Once accepted, the body's
/// auditors may assess the agency. The body must be accredited, and an agency has at most one
/// open application per body.
#[utoipa::path(
    operation_id = "create_application",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    request_body = ApplicationInput,
    responses(
        (status = 201, description = "Application recorded.", body = Application),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[post("/agencies/{id}/applications")]
pub async fn create_application(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<String>,
    body: ValidJson<ApplicationInput>,
) -> AppResult<HttpResponse> {
    let agency_id = id.into_inner();
    authorize(&who, Action::Apply { agency_id: &agency_id })?;
    let body_id = body.0.certification_body_id;
    let status = if who.is(crate::domain::roles::Role::Admin) { "accepted" } else { "pending" };
    let now = store::to_db_time(state.clock.now());
    let created_by = who.client_id.clone();
    let created_by_actor = who.client_id.clone();
    let state_now = state.clock.now();
    let row = state
        .db
        .write(move |c| {
            let mut agency = store::agencies::find(c, &agency_id)?
                .ok_or_else(|| AppError::NotFound(format!("no agency with id {agency_id}")))?;
            let cb = store::certification_bodies::find(c, &body_id)?.ok_or_else(|| {
                AppError::field("certification_body_id", format!("no certification body with id {body_id}"))
            })?;
            if cb.accreditation_status != "accredited" {
                return Err(AppError::Conflict(format!(
                    "{} is not accredited ({}); it cannot take applications",
                    cb.name, cb.accreditation_status
                )));
            }
            if store::certification_bodies::open_application(c, &agency_id, &body_id)?.is_some() {
                return Err(AppError::Conflict("the agency already has an open application with this body".into()));
            }
            let row = ApplicationRow {
                id: Uuid::now_v7().to_string(),
                agency_id: agency_id.clone(),
                certification_body_id: body_id,
                status: status.into(),
                reason: None,
                created_by: created_by.clone(),
                decided_by: (status == "accepted").then_some(created_by),
                decided_at: (status == "accepted").then_some(now),
                created_at: now,
                updated_at: now,
                deferred_until: None,
            };
            store::certification_bodies::insert_application(c, &row)?;
            // An agency that applies enters the certification cycle as an applicant.
            crate::certification::applied(c, &mut agency, &created_by_actor, &cb.name, state_now)?;
            Ok(row)
        })
        .await?;
    let application = Application {
        status: from_wire(&row.status).unwrap_or(ApplicationStatus::Pending),
        id: row.id,
        agency_id: row.agency_id,
        certification_body_id: row.certification_body_id,
        reason: row.reason,
        created_at: store::from_db_time(row.created_at),
        decided_at: row.decided_at.map(store::from_db_time),
    };
    Ok(HttpResponse::Created().json(application))
}
