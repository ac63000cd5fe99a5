//! Appeals and complaints over HTTP (ISO/IEC 17021-1 §9.7, §9.8). Both are moved on by admins
//! with `PATCH` and `If-Match`, as worker reports are moderated.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::extract::{self, AgencyId, PathId, ValidJson, ValidQuery};
use crate::api::pagination::{self, Page};
use crate::api::problems::*;
use crate::auth::Principal;
use crate::domain::appeals::{AppealedDecision, CaseState};
use crate::domain::schema;
use crate::error::AppResult;
use crate::services::appeals::{self, AppealInput, CaseMove};
use crate::services::complaints::{self, ComplaintInput};
use crate::services::etag;
use crate::state::AppState;
use crate::store;
use crate::store::appeals::{AppealRow, ComplaintRow};

crate::api::pagination::documented_page!(AppealPage, Appeal, "appeals, oldest first");
crate::api::pagination::documented_page!(ComplaintPage, Complaint, "complaints, oldest first");

pub type AppealId = PathId<extract::AppealRes>;
pub type ComplaintId = PathId<extract::ComplaintRes>;

#[derive(Debug, Serialize, ToSchema)]
pub struct Appeal {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub agency_id: String,
    #[schema(format = Uuid)]
    pub certification_body_id: Option<String>,
    pub decision: AppealedDecision,
    /// What names the decision: the rejected application's id for a refusal, the
    /// certification transition's id for a suspension or withdrawal.
    #[schema(max_length = 64)]
    pub decision_ref: String,
    /// Who took the decision (a client id, or `system` for an automatic rule).
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub decided_by: String,
    pub decided_at: DateTime<Utc>,
    #[schema(max_length = 5000)]
    pub grounds: String,
    pub state: CaseState,
    /// The admin's reason for the current state.
    #[schema(max_length = 2000)]
    pub outcome_reason: Option<String>,
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub handled_by: Option<String>,
    pub filed_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub version: i64,
}

impl From<AppealRow> for Appeal {
    fn from(r: AppealRow) -> Self {
        Appeal {
            id: r.id,
            agency_id: r.agency_id,
            certification_body_id: r.certification_body_id,
            decision: r.decision,
            decision_ref: r.decision_ref,
            decided_by: r.decided_by,
            decided_at: r.decided_at,
            grounds: r.grounds,
            state: r.state,
            outcome_reason: r.outcome_reason,
            handled_by: r.handled_by,
            filed_at: r.filed_at,
            closed_at: r.closed_at,
            updated_at: r.updated_at,
            version: r.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Complaint {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub certification_body_id: String,
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub client_id: Option<String>,
    #[schema(max_length = 64)]
    pub person_ref: Option<String>,
    #[schema(max_length = 5000)]
    pub text: String,
    /// The client that complained: only the complainant and admins read complaints.
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub complainant: String,
    pub state: CaseState,
    #[schema(max_length = 2000)]
    pub outcome_reason: Option<String>,
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub handled_by: Option<String>,
    pub filed_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub version: i64,
}

impl From<ComplaintRow> for Complaint {
    fn from(r: ComplaintRow) -> Self {
        Complaint {
            id: r.id,
            certification_body_id: r.certification_body_id,
            client_id: r.subject_client_id,
            person_ref: r.subject_person_ref,
            text: r.body_text,
            complainant: r.complainant,
            state: r.state,
            outcome_reason: r.outcome_reason,
            handled_by: r.handled_by,
            filed_at: r.filed_at,
            closed_at: r.closed_at,
            updated_at: r.updated_at,
            version: r.version,
        }
    }
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CaseQuery {
    #[param(inline)]
    pub state: Option<CaseState>,
    /// Page size, 1–200 (default 50).
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(schema_with = schema::cursor)]
    pub cursor: Option<String>,
}

fn tagged<T: Serialize>(status: actix_web::http::StatusCode, version: i64, body: T) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::ETAG, etag(version)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// Appeal a decision about the agency (the agency itself).
///
/// A refusal (a rejected application, named by `application_id`), or the agency's standing
/// suspension or withdrawal, within the standard's `decision_policy.appeal_window_days`
/// (default 30) of the decision: later is a 409 saying until when it could be. One open appeal
/// per decision (409). Due diligence shows the appeal in progress.
#[utoipa::path(
    operation_id = "create_appeal",
    tag = "appeals",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    request_body = AppealInput,
    responses(
        (status = 201, description = "Filed.", body = Appeal, headers(("ETag" = String, description = "Its version."))),
        Forbidden, NotFound, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/agencies/{id}/appeals")]
pub async fn create_appeal(
    state: web::Data<AppState>,
    who: Principal,
    id: AgencyId,
    body: ValidJson<AppealInput>,
) -> AppResult<HttpResponse> {
    let (id, now) = (id.into_inner(), state.clock.now());
    let row = state.db.write(move |c| appeals::file(c, &who, &id, body.0, now)).await?;
    Ok(tagged(actix_web::http::StatusCode::CREATED, row.version, Appeal::from(row)))
}

/// List appeals.
///
/// All of them for admins, its own for an agency; oldest first, a cursor page at a time,
/// optionally only those in one `state`.
#[utoipa::path(
    operation_id = "list_appeals",
    tag = "appeals",
    params(CaseQuery),
    responses((status = 200, description = "A page of appeals.", body = AppealPage), Forbidden),
    security(("bearer" = []))
)]
#[get("/appeals")]
pub async fn list_appeals(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<CaseQuery>,
) -> AppResult<HttpResponse> {
    let agency = appeals::list_scope(&who)?;
    let q = query.0;
    let window = pagination::window(q.limit, q.cursor.as_deref())?;
    let (limit, after, case_state) = (window.fetch(), window.after.clone(), q.state);
    let rows = state
        .db
        .read(move |c| store::appeals::appeals_page(c, agency.as_deref(), case_state, after.as_deref(), limit))
        .await?;
    Ok(HttpResponse::Ok().json(Page::of(rows, window.limit, |r| &r.id, Appeal::from)))
}

/// Read one appeal.
///
/// For admins, and the agency that filed it; to anyone else it does not exist (404). The `ETag`
/// is for `If-Match` when moving it on.
#[utoipa::path(
    operation_id = "get_appeal",
    tag = "appeals",
    params(("id" = String, Path, format = Uuid, description = "Appeal id.")),
    responses(
        (status = 200, description = "The appeal.", body = Appeal, headers(("ETag" = String, description = "Its version."))),
        NotFound
    ),
    security(("bearer" = []))
)]
#[get("/appeals/{id}")]
pub async fn get_appeal(state: web::Data<AppState>, who: Principal, id: AppealId) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let row = state.db.read(move |c| appeals::find_visible(c, &who, &id)).await?;
    Ok(tagged(actix_web::http::StatusCode::OK, row.version, Appeal::from(row)))
}

/// Move an appeal on (admins who took no part in the decision appealed).
///
/// `received` → `under_review` → `upheld` or `rejected`, always with a reason; an outcome
/// stands (409). The admin who took the decision may not (403). Upheld, the decision is
/// reversed or reopened at once: a suspension lifted (the original expiry stands), a withdrawal
/// undone if the certificate has not expired meanwhile (otherwise it ends as expired), a
/// refused application pending again; the certification history records it with the appeal
/// as its reason. Send the `ETag` as `If-Match` to refuse a stale move (412).
#[utoipa::path(
    operation_id = "move_appeal",
    tag = "appeals",
    params(("id" = String, Path, format = Uuid, description = "Appeal id."), IfMatch),
    request_body = CaseMove,
    responses(
        (status = 200, description = "The appeal as moved.", body = Appeal, headers(("ETag" = String, description = "New version."))),
        Forbidden, NotFound, Conflict, PreconditionFailed
    ),
    security(("bearer" = []))
)]
#[patch("/appeals/{id}")]
pub async fn move_appeal(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    id: AppealId,
    body: ValidJson<CaseMove>,
) -> AppResult<HttpResponse> {
    let if_match = extract::if_match(&req)?;
    let (id, now) = (id.into_inner(), state.clock.now());
    let row = state.db.write(move |c| appeals::move_on(c, &who, &id, body.0, if_match.as_deref(), now)).await?;
    Ok(tagged(actix_web::http::StatusCode::OK, row.version, Appeal::from(row)))
}

/// Complain about a certification body or one of its auditors (any client).
///
/// Free text (up to 5000 characters), with the body and, optionally, the auditor's client id
/// or `person_ref`. Only the complainant and the scheme's admins read the complaint; the body
/// reads in its feed that one about it was filed and how it was decided, never by whom.
#[utoipa::path(
    operation_id = "create_complaint",
    tag = "appeals",
    request_body = ComplaintInput,
    responses(
        (status = 201, description = "Filed.", body = Complaint, headers(("ETag" = String, description = "Its version."))),
        Forbidden
    ),
    security(("bearer" = []))
)]
#[post("/complaints")]
pub async fn create_complaint(
    state: web::Data<AppState>,
    who: Principal,
    body: ValidJson<ComplaintInput>,
) -> AppResult<HttpResponse> {
    let now = state.clock.now();
    let row = state.db.write(move |c| complaints::file(c, &who, body.0, now)).await?;
    Ok(tagged(actix_web::http::StatusCode::CREATED, row.version, Complaint::from(row)))
}

/// List complaints.
///
/// All of them for admins, one's own for anyone else (a body's staff never read complaints about
/// it: the text can name the complainant); oldest first, a cursor page at a time.
#[utoipa::path(
    operation_id = "list_complaints",
    tag = "appeals",
    params(CaseQuery),
    responses((status = 200, description = "A page of complaints.", body = ComplaintPage)),
    security(("bearer" = []))
)]
#[get("/complaints")]
pub async fn list_complaints(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<CaseQuery>,
) -> AppResult<HttpResponse> {
    let complainant = complaints::list_scope(&who);
    let q = query.0;
    let window = pagination::window(q.limit, q.cursor.as_deref())?;
    let (limit, after, case_state) = (window.fetch(), window.after.clone(), q.state);
    let rows = state
        .db
        .read(move |c| store::appeals::complaints_page(c, complainant.as_deref(), case_state, after.as_deref(), limit))
        .await?;
    Ok(HttpResponse::Ok().json(Page::of(rows, window.limit, |r| &r.id, Complaint::from)))
}

/// Read one complaint.
///
/// For admins, and the client that filed it; to anyone else it does not exist (404). The `ETag`
/// is for `If-Match` when moving it on.
#[utoipa::path(
    operation_id = "get_complaint",
    tag = "appeals",
    params(("id" = String, Path, format = Uuid, description = "Complaint id.")),
    responses(
        (status = 200, description = "The complaint.", body = Complaint, headers(("ETag" = String, description = "Its version."))),
        NotFound
    ),
    security(("bearer" = []))
)]
#[get("/complaints/{id}")]
pub async fn get_complaint(state: web::Data<AppState>, who: Principal, id: ComplaintId) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let row = state.db.read(move |c| complaints::find_visible(c, &who, &id)).await?;
    Ok(tagged(actix_web::http::StatusCode::OK, row.version, Complaint::from(row)))
}

/// Move a complaint on (admins who are neither its subject nor its complainant).
///
/// `received` → `under_review` → `upheld` or `rejected`, always with a reason, which the
/// body reads in its feed; an outcome stands (409). Send the `ETag` as `If-Match` (412 when
/// stale).
#[utoipa::path(
    operation_id = "move_complaint",
    tag = "appeals",
    params(("id" = String, Path, format = Uuid, description = "Complaint id."), IfMatch),
    request_body = CaseMove,
    responses(
        (status = 200, description = "The complaint as moved.", body = Complaint, headers(("ETag" = String, description = "New version."))),
        Forbidden, NotFound, Conflict, PreconditionFailed
    ),
    security(("bearer" = []))
)]
#[patch("/complaints/{id}")]
pub async fn move_complaint(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    id: ComplaintId,
    body: ValidJson<CaseMove>,
) -> AppResult<HttpResponse> {
    let if_match = extract::if_match(&req)?;
    let (id, now) = (id.into_inner(), state.clock.now());
    let row = state.db.write(move |c| complaints::move_on(c, &who, &id, body.0, if_match.as_deref(), now)).await?;
    Ok(tagged(actix_web::http::StatusCode::OK, row.version, Complaint::from(row)))
}
