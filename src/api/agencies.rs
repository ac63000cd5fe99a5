//! `/v1/agencies`: the registry.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use uuid::Uuid;

use crate::api::agency_model::{Agency, AgencyInput, AgencyPage, AgencyPatch, AgencyQuery};
use crate::api::extract::{self, ValidJson, ValidJsonWithBytes, ValidQuery, check_if_match, etag};
use crate::api::idempotency::{Created, create_once};
use crate::api::pagination;
use crate::api::problems::*;
use crate::auth::permissions::agency_scope;
use crate::auth::{Action, Principal, authorize};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store;

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("no agency with id {id}"))
}

fn with_etag(mut res: actix_web::HttpResponseBuilder, agency: &Agency) -> HttpResponse {
    res.insert_header((header::ETAG, etag(agency.version))).json(agency)
}

/// Search the registry.
///
/// Every filter is optional and they combine with AND. An agency caller sees only itself.
#[utoipa::path(
    operation_id = "list_agencies",
    tag = "agencies",
    params(AgencyQuery),
    responses(
        (status = 200, description = "A page of agencies, in registration order.", body = AgencyPage),
        BadRequest, Unauthorized, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[get("/agencies")]
pub async fn list_agencies(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<AgencyQuery>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ListAgencies)?;
    let q = query.0;
    let (limit, after) = pagination::resolve(q.limit, q.cursor.as_deref())?;
    let filter = q.filter(agency_scope(&who).map(str::to_owned));
    let rows = state
        .db
        .read(move |conn| store::agencies::search(conn, &filter, after.as_deref(), i64::from(limit) + 1))
        .await?;
    let (rows, next_cursor) = pagination::split_page(rows, limit, |r| &r.id);
    let data = rows.into_iter().map(Agency::try_from).collect::<AppResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(AgencyPage { data, next_cursor }))
}

/// Register an agency.
///
/// The licence (issuing country and number, ignoring case and spaces) must not be registered
/// yet. Send an `Idempotency-Key` to make retries safe: a repeat with the same key and body
/// returns the first answer.
#[utoipa::path(
    operation_id = "create_agency",
    tag = "agencies",
    params(("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 255, pattern = "^[!-~]+$",
        description = "Makes a retry return the first answer instead of creating twice (kept 24 hours).")),
    request_body = AgencyInput,
    responses(
        (status = 201, description = "Registered.", body = Agency, headers(
            ("Location" = String, description = "The new agency's URL."),
            ("ETag" = String, description = "Current version, for `If-Match`.")
        )),
        BadRequest, Unauthorized, Forbidden, Conflict, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[post("/agencies")]
pub async fn create_agency(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    body: ValidJsonWithBytes<AgencyInput>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::CreateAgency)?;
    let row = body.value.into_new_row(Uuid::now_v7().to_string(), state.clock.now());
    create_once(&state, &who, &req, &body.bytes, move |conn| {
        store::agencies::insert(conn, &row)?;
        let agency = Agency::try_from(row)?;
        Ok(Created {
            body: serde_json::to_string(&agency).map_err(AppError::internal)?,
            location: Some(format!("/v1/agencies/{}", agency.id)),
            etag: Some(etag(agency.version)),
        })
    })
    .await
}

/// Read one agency.
#[utoipa::path(
    operation_id = "get_agency",
    tag = "agencies",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    responses(
        (status = 200, description = "The agency.", body = Agency, headers(("ETag" = String, description = "Current version, for `If-Match`."))),
        BadRequest, Unauthorized, Forbidden, NotFound, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[get("/agencies/{id}")]
pub async fn get_agency(state: web::Data<AppState>, who: Principal, id: web::Path<String>) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    authorize(&who, Action::ReadAgency { agency_id: &id })?;
    let lookup = id.clone();
    let row = state.db.read(move |conn| store::agencies::find(conn, &lookup)).await?.ok_or_else(|| not_found(&id))?;
    let agency = Agency::try_from(row)?;
    Ok(with_etag(HttpResponse::Ok(), &agency))
}

/// Update an agency.
///
/// Fields present replace the current value whole; `null` clears an optional field. Send the
/// `ETag` you read as `If-Match` to refuse the change (412) if someone else changed the agency
/// in between. An agency may edit its own profile but not its legal name or licence.
#[utoipa::path(
    operation_id = "update_agency",
    tag = "agencies",
    params(
        ("id" = String, Path, format = Uuid, description = "Agency id."),
        ("If-Match" = Option<String>, Header, description = "The `ETag` the change is based on.")
    ),
    request_body(content = AgencyPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The updated agency.", body = Agency, headers(("ETag" = String, description = "New version."))),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[patch("/agencies/{id}")]
pub async fn update_agency(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    id: web::Path<String>,
    patch: ValidJson<AgencyPatch>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    authorize(&who, Action::UpdateAgency { agency_id: &id, changes_identity: false })?;
    let if_match = extract::if_match(&req)?;
    let now = crate::store::to_db_time(state.clock.now());
    let agency = state
        .db
        .write(move |conn| {
            let mut row = store::agencies::find(conn, &id)?.ok_or_else(|| not_found(&id))?;
            let current = AgencyInput::from_row(&row);
            let updated = patch.0.apply(current.clone()).normalized();
            extract::validate(&updated)?;
            let changes_identity = updated.legal_name != current.legal_name || updated.licence != current.licence;
            authorize(&who, Action::UpdateAgency { agency_id: &id, changes_identity })?;
            // Preconditions are judged only on a request that would otherwise succeed
            // (RFC 9110 §13.2.1): invalid or forbidden changes say so, whatever `If-Match` holds.
            check_if_match(if_match.as_deref(), &etag(row.version))?;
            if updated == current {
                return Agency::try_from(row);
            }
            let expected = row.version;
            updated.write_into(&mut row);
            row.version += 1;
            row.updated_at = now;
            if !store::agencies::update(conn, &row, expected)? {
                return Err(AppError::PreconditionFailed(
                    "the agency changed while this update ran; fetch it again".into(),
                ));
            }
            Agency::try_from(row)
        })
        .await?;
    Ok(with_etag(HttpResponse::Ok(), &agency))
}
