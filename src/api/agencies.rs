//! `/v1/agencies`: the registry.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};

use crate::api::agency_model::{Agency, AgencyQuery};
use crate::api::extract::{self, AgencyId, ValidJson, ValidJsonWithBytes, ValidQuery};
use crate::api::idempotency::{Created, create_once};
use crate::api::pagination::{self, Page};
use crate::api::problems::*;
use crate::auth::permissions::agency_scope;
use crate::auth::{Action, Principal, authorize};
use crate::error::AppResult;
use crate::services::agencies::{self, AgencyInput, AgencyPatch};
use crate::services::etag;
use crate::state::AppState;
use crate::store;

crate::api::pagination::documented_page!(AgencyPage, Agency, "agencies");

fn with_etag(mut res: actix_web::HttpResponseBuilder, agency: &Agency) -> HttpResponse {
    res.insert_header((header::ETAG, etag(agency.version))).json(agency)
}

/// Search the registry.
///
/// Every filter is optional and they combine with AND. An agency caller sees only itself. With
/// `q`, agencies come most relevant first; without it, in registration order.
#[utoipa::path(
    operation_id = "list_agencies",
    tag = "agencies",
    params(AgencyQuery),
    responses((status = 200, description = "A page of agencies: by relevance with `q`, otherwise in registration order.", body = AgencyPage)),
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
    let window = pagination::window(q.limit, q.cursor.as_deref())?;
    let filter = q.filter(agency_scope(&who).map(str::to_owned));
    let (limit, after, text) = (window.fetch(), window.after.clone(), q.q.clone());
    let index = state.search.clone();
    let rows =
        state.db.read(move |conn| search_page(conn, &index, text.as_deref(), &filter, after.as_deref(), limit)).await?;
    Ok(HttpResponse::Ok().json(Page::of(rows, window.limit, |r| &r.id, Agency::from)))
}

/// One page of a registry search: ranked by the search index when there is text to search for,
/// otherwise straight from the registry in id order.
pub(crate) fn search_page(
    conn: &mut crate::db::DbConnection,
    index: &crate::search::SearchIndex,
    text: Option<&str>,
    filter: &store::agencies::Filter,
    after: Option<&str>,
    limit: i64,
) -> AppResult<Vec<store::agencies::AgencyRow>> {
    match text {
        Some(text) => index.search_rows(conn, text, filter, after, usize::try_from(limit).unwrap_or(usize::MAX)),
        None => store::agencies::search(conn, filter, after, limit),
    }
}

/// Register an agency.
///
/// The licence (issuing country and number, ignoring case and spaces) must not be registered
/// yet. Send an `Idempotency-Key` to make retries safe: a repeat with the same key and body
/// returns the first answer.
#[utoipa::path(
    operation_id = "create_agency",
    tag = "agencies",
    params(IdempotencyKey),
    request_body = AgencyInput,
    responses(
        (status = 201, description = "Registered.", body = Agency, headers(
            ("Location" = String, description = "The new agency's URL."),
            ("ETag" = String, description = "Current version, for `If-Match`.")
        )),
        Forbidden, Conflict
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
    let (input, now, actor) = (body.value, state.clock.now(), who.client_id.clone());
    create_once(&state, &who, &req, &body.bytes, move |conn| {
        let agency = Agency::from(agencies::create(conn, &actor, input, now)?);
        Created::json(&agency, format!("/v1/agencies/{}", agency.id), agency.version)
    })
    .await
}

/// Read one agency.
///
/// The whole record, contact details and version included. The `ETag` is `"v<version>"`: send it as
/// `If-Match` with a change. An agency's token reads its own record only (403 for another).
#[utoipa::path(
    operation_id = "get_agency",
    tag = "agencies",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    responses(
        (status = 200, description = "The agency.", body = Agency, headers(("ETag" = String, description = "Current version, for `If-Match`."))),
        Forbidden
    ),
    security(("bearer" = []))
)]
#[get("/agencies/{id}")]
pub async fn get_agency(state: web::Data<AppState>, who: Principal, id: AgencyId) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    authorize(&who, Action::ReadAgency { agency_id: &id })?;
    let row = state.db.read(move |conn| agencies::find(conn, &id)).await?;
    Ok(with_etag(HttpResponse::Ok(), &Agency::from(row)))
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
        IfMatch
    ),
    request_body(content = AgencyPatch, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The updated agency.", body = Agency, headers(("ETag" = String, description = "New version."))),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[patch("/agencies/{id}")]
pub async fn update_agency(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    id: AgencyId,
    patch: ValidJson<AgencyPatch>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    authorize(&who, Action::UpdateAgency { agency_id: &id, changes_identity: false })?;
    let if_match = extract::if_match(&req)?;
    let now = state.clock.now();
    let row = state.db.write(move |conn| agencies::update(conn, &who, &id, patch.0, if_match.as_deref(), now)).await?;
    Ok(with_etag(HttpResponse::Ok(), &Agency::from(row)))
}
