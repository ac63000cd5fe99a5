//! Worker reports: `/v1/public/reports` for the worker who files and follows one (no token),
//! `/v1/reports` for the admins who moderate them.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::extract::{self, PathId, ValidJson, ValidQuery};
use crate::api::middleware::take_report_allowance;
use crate::api::pagination::{self, Page};
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::domain::assessment::FeeAmount;
use crate::domain::fields::uuid;
use crate::domain::reports::{ReportCategory, ReportState};
use crate::domain::schema;
use crate::error::{AppError, AppResult};
use crate::services::etag;
use crate::services::reports::{self, FollowUp, Moderation, ReportInput, Submitted};
use crate::state::AppState;
use crate::store;
use crate::store::reports::{ReportFilter, ReportRow};

crate::api::pagination::documented_page!(ReportPage, Report, "worker reports, oldest first");

/// The header that carries a report's follow-up code: a header, never the URL, so that it is
/// not kept in browser histories, proxies' logs or `Referer`.
pub const FOLLOW_UP_HEADER: &str = "X-Follow-Up-Code";

/// File a report about an agency.
///
/// No token needed, and nothing about the reporter is kept: no address, user agent or device
/// data. The answer holds the report's `reference` and a secret `follow_up_code`, shown only
/// this once; together they open `GET /v1/public/reports/{reference}`. Name the agency by
/// `agency_id` when it is in the registry, else by `agency_name`. The contact, if given, is
/// stored encrypted and seen only by the scheme's moderators. Valid submissions are limited per
/// client address (kept in memory only): past the limit the answer is 429.
#[utoipa::path(
    operation_id = "create_report",
    tags = ["public", "reports"],
    security(()),
    request_body = ReportInput,
    responses(
        (status = 201, description = "The report was received. Keep the follow-up code: it is not shown again.",
            body = Submitted,
            headers(("Location" = String, description = "Where to follow the report up (with the code)."))),
    )
)]
#[post("/public/reports")]
pub async fn create_report(
    req: HttpRequest,
    state: web::Data<AppState>,
    input: ValidJson<ReportInput>,
) -> AppResult<HttpResponse> {
    // The body passed validation (ValidJson) before anything is taken from the allowance.
    take_report_allowance(&req)?;
    let now = state.clock.now();
    let key = state.data_key.clone();
    let submitted = state.db.write(move |conn| reports::submit(conn, &key, input.0, now)).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/v1/public/reports/{}", submitted.reference)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(submitted))
}

/// Follow a report up.
///
/// No token needed: the follow-up code, sent in `X-Follow-Up-Code`, opens it. The answer says
/// where the report stands, and the moderator's reason when they chose to share it. An unknown
/// reference and a wrong code are the same 404. Each try costs a deliberate hash, so tries are
/// rate-limited like the token endpoint.
#[utoipa::path(
    operation_id = "get_report_follow_up",
    tags = ["public", "reports"],
    security(()),
    params(
        ("reference" = String, Path, description = "The report's reference, e.g. R-7K3M-Q9PX.", example = "R-7K3M-Q9PX",
            max_length = 64),
        ("X-Follow-Up-Code" = String, Header, description = "The follow-up code given when the report was filed \
            (case, spaces and dashes are ignored).", example = "H4ZD-82NC-WQ5T", max_length = 64, pattern = r"[0-9A-Za-z]")
    ),
    responses(
        (status = 200, description = "Where the report stands.", body = FollowUp,
            headers(("Cache-Control" = String, description = "`no-store`."))),
    )
)]
#[get("/public/reports/{reference}")]
pub async fn get_report_follow_up(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
) -> AppResult<HttpResponse> {
    let code = req
        .headers()
        .get(FOLLOW_UP_HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.trim().is_empty())
        .map(str::to_owned)
        .ok_or_else(|| AppError::BadRequest(format!("send the follow-up code in the {FOLLOW_UP_HEADER} header")))?;
    if code.len() > 64 || reference.len() > 64 {
        return Err(AppError::NotFound("no report with this reference and follow-up code".into()));
    }
    let reference = reference.into_inner();
    let found = state.db.read(move |conn| reports::follow_up(conn, &reference, &code)).await?;
    Ok(HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(found))
}

/// A worker report as its moderators see it.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193f0d2-1a2b-7c3d-8e4f-5a6b7c8d9e0f",
    "reference": "R-7K3M-Q9PX",
    "agency_id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90",
    "agency_name": null,
    "category": "recruitment_fee",
    "fees": [{"category": "recruitment_fee", "amount_minor": 15000000, "currency": "NPR"}],
    "country": "NP",
    "occurred_on": "2026-10-02",
    "description": "The agent asked 150,000 rupees before giving me the visa. No receipt.",
    "has_contact": true,
    "contact": null,
    "language": "ne",
    "state": "under_review",
    "reason": "Asked the reporter for the bank slip.",
    "reason_shareable": false,
    "moderated_by": "0193f0a1-0000-7000-8000-000000000001",
    "received_at": "2026-11-29T10:15:00Z",
    "decided_at": null,
    "updated_at": "2026-11-30T08:00:00Z",
    "version": 2
}))]
pub struct Report {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(max_length = 11, pattern = "^R-[0-9A-Z]{4}-[0-9A-Z]{4}$")]
    pub reference: String,
    #[schema(format = Uuid)]
    pub agency_id: Option<String>,
    #[schema(max_length = 300)]
    pub agency_name: Option<String>,
    pub category: ReportCategory,
    #[schema(max_items = 20)]
    pub fees: Vec<FeeAmount>,
    #[schema(max_length = 2, pattern = "^[A-Z]{2}$")]
    pub country: Option<String>,
    pub occurred_on: Option<NaiveDate>,
    #[schema(max_length = 5000)]
    pub description: String,
    /// Whether the reporter left a way to reach them.
    pub has_contact: bool,
    /// The contact, decrypted: only when one report is read (`GET /v1/reports/{id}`), never in
    /// lists.
    #[schema(max_length = 300)]
    pub contact: Option<String>,
    #[schema(max_length = 35)]
    pub language: Option<String>,
    pub state: ReportState,
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
    /// Whether the reporter sees `reason` when following the report up.
    pub reason_shareable: bool,
    /// The client that last moderated it.
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub moderated_by: Option<String>,
    pub received_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub version: i64,
}

impl Report {
    fn of(row: ReportRow, contact: Option<String>) -> Report {
        Report {
            has_contact: row.contact_sealed.is_some(),
            contact,
            id: row.id,
            reference: row.reference,
            agency_id: row.agency_id,
            agency_name: row.agency_name,
            category: row.category,
            fees: row.fees.0,
            country: row.country,
            occurred_on: row.occurred_on,
            description: row.description,
            language: row.language,
            state: row.state,
            reason: row.reason,
            reason_shareable: row.reason_shareable,
            moderated_by: row.moderated_by,
            received_at: row.received_at,
            decided_at: row.decided_at,
            updated_at: row.updated_at,
            version: row.version,
        }
    }
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    #[param(inline)]
    pub state: Option<ReportState>,
    #[param(inline)]
    pub category: Option<ReportCategory>,
    /// Only reports about this agency.
    #[validate(custom(function = "uuid"))]
    #[param(format = Uuid)]
    pub agency_id: Option<String>,
    /// Page size, 1–200 (default 50).
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(schema_with = schema::cursor)]
    pub cursor: Option<String>,
}

/// List worker reports (admins).
///
/// Oldest first, so that the queue is worked in the order reports came in. Contacts are not
/// shown in lists.
#[utoipa::path(
    operation_id = "list_reports",
    tag = "reports",
    params(ReportQuery),
    responses((status = 200, description = "A page of reports.", body = ReportPage), Forbidden),
    security(("bearer" = []))
)]
#[get("/reports")]
pub async fn list_reports(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<ReportQuery>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ModerateReports)?;
    let q = query.0;
    let window = pagination::window(q.limit, q.cursor.as_deref())?;
    let filter = ReportFilter { state: q.state, agency_id: q.agency_id, category: q.category };
    let (limit, after) = (window.fetch(), window.after.clone());
    let rows = state.db.read(move |c| store::reports::page(c, &filter, after.as_deref(), limit)).await?;
    let page = Page::of(rows, window.limit, |r| &r.id, |r| Report::of(r, None));
    Ok(HttpResponse::Ok().json(page))
}

pub type ReportId = PathId<extract::ReportRes>;

/// Read one worker report (admins), with the reporter's contact.
///
/// The `ETag` is `"v<version>"`, for a moderation with `If-Match`.
#[utoipa::path(
    operation_id = "get_report",
    tag = "reports",
    params(("id" = String, Path, format = Uuid, description = "Report id.")),
    responses(
        (status = 200, description = "The report.", body = Report, headers(("ETag" = String, description = "Its version."))),
        Forbidden
    ),
    security(("bearer" = []))
)]
#[get("/reports/{id}")]
pub async fn get_report(state: web::Data<AppState>, who: Principal, id: ReportId) -> AppResult<HttpResponse> {
    authorize(&who, Action::ModerateReports)?;
    let id = id.into_inner();
    let lookup = id.clone();
    let row = state
        .db
        .read(move |c| store::reports::find(c, &lookup))
        .await?
        .ok_or_else(|| AppError::NotFound(format!("no report with id {id}")))?;
    let contact = row.contact_sealed.as_deref().map(|sealed| state.data_key.open(sealed)).transpose()?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(row.version)))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(Report::of(row, contact)))
}

/// Moderate a worker report (admins).
///
/// Moves it `received` → `under_review` → `substantiated`, `unsubstantiated` or `referred`,
/// always with a reason; a decided report stays decided (409). The reporter sees the new
/// state, and the reason only with `reason_shareable`. A substantiated report counts in the
/// agency's risk for 12 months and in its due diligence; one of a critical breach (fees,
/// documents withheld, contract substitution, threats or violence) can ground a suspension
/// (`report_id` in `POST /v1/agencies/{id}/certification/transitions`). Send the `ETag` as
/// `If-Match` to refuse the change if another moderator moved it first (412).
#[utoipa::path(
    operation_id = "moderate_report",
    tag = "reports",
    params(("id" = String, Path, format = Uuid, description = "Report id."), IfMatch),
    request_body = Moderation,
    responses(
        (status = 200, description = "The report as moderated (without the contact).", body = Report,
            headers(("ETag" = String, description = "New version."))),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[patch("/reports/{id}")]
pub async fn moderate_report(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    id: ReportId,
    decision: ValidJson<Moderation>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ModerateReports)?;
    let if_match = extract::if_match(&req)?;
    let (id, now) = (id.into_inner(), state.clock.now());
    let row = state.db.write(move |c| reports::moderate(c, &who, &id, decision.0, if_match.as_deref(), now)).await?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, etag(row.version))).json(Report::of(row, None)))
}
