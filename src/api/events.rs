//! `/v1/events`: the change feed over the event log, and the admin's check of its hash chain.

use actix_web::{HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::api::event_model::Event;
use crate::api::extract::{AssessmentId, ValidQuery};
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::domain::events::{EventType, Scope};
use crate::domain::fields::{uuid, valid_corridor, valid_country};
use crate::error::AppResult;
use crate::services::events::ChainReport;
use crate::state::AppState;
use crate::store;
use crate::store::events::{EventRow, FeedFilter};

/// A page of the feed.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventFeed {
    #[schema(max_items = 500)]
    pub data: Vec<Event>,
    /// Pass as `after` to read on: the sequence of the last event returned, or the `after`
    /// sent when nothing new matched. Poll with it; it never skips an event.
    #[schema(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    pub next_after: i64,
}

fn event_types(list: &str) -> Result<(), ValidationError> {
    match list.split(',').map(str::trim).find(|name| name.parse::<EventType>().is_err()) {
        None => Ok(()),
        Some(bad) => Err(ValidationError::new("types")
            .with_message(format!("{bad:?} is not an event type; see the Event schema for the list").into())),
    }
}

/// The `types` filter: event types, comma-separated, each one of [`EventType`]'s.
fn event_type_list() -> utoipa::openapi::ObjectBuilder {
    use strum::IntoEnumIterator;
    let one = EventType::iter().map(|t| t.to_string().replace('.', r"\.")).collect::<Vec<_>>().join("|");
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::Type::String)
        .min_length(Some(1))
        .max_length(Some(2000))
        .pattern(Some(format!("^ *({one}) *(, *({one}) *)*$")))
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeedQuery {
    /// Only events after this sequence number (0, the default, reads from the start).
    #[validate(range(min = 0))]
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    pub after: Option<i64>,
    /// Comma-separated event types, e.g. `certification.status_changed,agency.licence_changed`.
    #[validate(length(min = 1, max = 2000), custom(function = "event_types"))]
    #[param(schema_with = event_type_list, example = "certification.status_changed,agency.grade_changed")]
    pub types: Option<String>,
    #[validate(custom(function = "uuid"))]
    #[param(format = Uuid)]
    pub agency_id: Option<String>,
    /// Agencies registered in, recruiting from or placing workers in this country.
    #[validate(custom(function = "valid_country"))]
    #[param(schema_with = crate::domain::schema::country)]
    pub country: Option<String>,
    /// Agencies recruiting on this corridor: origin and destination, `NP-QA`.
    #[validate(custom(function = "valid_corridor"))]
    #[param(schema_with = crate::domain::schema::corridor)]
    pub corridor: Option<String>,
    /// `true`: only agencies on the caller's watchlist.
    pub watchlist: Option<bool>,
    /// Page size, 1–500 (default 100).
    #[validate(range(min = 1, max = 500))]
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// Read the change feed.
///
/// Events in sequence order after `after`. Sequence numbers follow commit order, so a client
/// that polls with the last `next_after` never misses an event. Integrators read public-level
/// events (status, grade, licence, certificate); an agency also reads every event about itself;
/// auditors and certifiers their body's work; admins everything.
#[utoipa::path(
    operation_id = "list_events",
    tag = "events",
    params(FeedQuery),
    responses((status = 200, description = "Events after `after`.", body = EventFeed)),
    security(("bearer" = []))
)]
#[get("/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<FeedQuery>,
) -> AppResult<HttpResponse> {
    let q = query.0;
    let after = q.after.unwrap_or(0);
    let limit = i64::from(q.limit.unwrap_or(100));
    let filter = FeedFilter {
        types: q.types.map(|t| t.split(',').map(|s| s.trim().to_owned()).collect()).unwrap_or_default(),
        agency_id: q.agency_id,
        country: q.country,
        corridor: q.corridor.and_then(|c| c.split_once('-').map(|(a, b)| (a.to_owned(), b.to_owned()))),
        watchlist_of: q.watchlist.unwrap_or(false).then(|| who.client_id.clone()),
        subject_id: None,
    };
    let scope = Scope::of(who.role, who.agency_id.as_deref(), who.certification_body_id.as_deref());
    let rows = state.db.read(move |c| store::events::feed(c, &scope, &filter, after, limit)).await?;
    Ok(HttpResponse::Ok().json(feed_page(rows, after)?))
}

fn feed_page(rows: Vec<EventRow>, after: i64) -> AppResult<EventFeed> {
    let next_after = rows.last().map_or(after, |r| r.sequence);
    Ok(EventFeed { data: rows.into_iter().map(Event::of).collect::<AppResult<_>>()?, next_after })
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HistoryQuery {
    /// Only events after this sequence number.
    #[validate(range(min = 0))]
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    pub after: Option<i64>,
    /// Page size, 1–500 (default 100).
    #[validate(range(min = 1, max = 500))]
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u32>,
}

/// Read an assessment's history.
///
/// Every event about the assessment, oldest first: opening, each finding as recorded and as
/// changed later (the earlier values stay), submission and finalization. For those who may read
/// its findings.
#[utoipa::path(
    operation_id = "list_assessment_events",
    tag = "assessments",
    params(("id" = String, Path, format = Uuid, description = "Assessment id."), HistoryQuery),
    responses((status = 200, description = "The assessment's events.", body = EventFeed), Forbidden),
    security(("bearer" = []))
)]
#[get("/assessments/{id}/events")]
pub async fn list_assessment_events(
    state: web::Data<AppState>,
    who: Principal,
    id: AssessmentId,
    query: ValidQuery<HistoryQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let after = query.0.after.unwrap_or(0);
    let limit = i64::from(query.0.limit.unwrap_or(100));
    let rows = state
        .db
        .read(move |c| {
            let row = crate::services::assessments::find_visible(c, &who, &id)?;
            authorize(
                &who,
                Action::ReadFindings { agency_id: &row.agency_id, body_id: row.certification_body_id.as_deref() },
            )?;
            let filter = FeedFilter { subject_id: Some(id), ..FeedFilter::default() };
            store::events::feed(c, &Scope::All, &filter, after, limit)
        })
        .await?;
    Ok(HttpResponse::Ok().json(feed_page(rows, after)?))
}

/// Verify the event log.
///
/// Re-walks the hash chain from the first event and names the first link that does not hold:
/// an event changed after it was written, one removed, or one that does not name the hash of
/// the event before it. Admins only.
#[utoipa::path(
    operation_id = "verify_event_log",
    tag = "events",
    responses((status = 200, description = "The result of the walk (look at `intact`).", body = ChainReport), Forbidden),
    security(("bearer" = []))
)]
#[get("/events/verification")]
pub async fn verify_event_log(state: web::Data<AppState>, who: Principal) -> AppResult<HttpResponse> {
    authorize(&who, Action::VerifyEventLog)?;
    let report = state.db.read(crate::services::events::verify).await?;
    Ok(HttpResponse::Ok().json(report))
}
