//! `/v1/watchlist`: the agencies an integrator works with. The change feed (`watchlist=true`)
//! and webhook subscriptions (`watchlist_only`) can be narrowed to them.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::{ValidJson, ValidQuery};
use crate::api::pagination::{self, Page, PageQuery};
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::error::AppResult;
use crate::services::watchlist::{self, WatchlistChange, WatchlistChangeResult};
use crate::state::AppState;
use crate::store;

crate::api::pagination::documented_page!(WatchlistPage, WatchedAgency, "watched agencies");

/// An agency on the caller's watchlist.
#[derive(Debug, Serialize, ToSchema)]
pub struct WatchedAgency {
    #[schema(format = Uuid)]
    pub agency_id: String,
    #[schema(max_length = 200)]
    pub legal_name: String,
    #[schema(example = "NP")]
    #[schema(max_length = 2, pattern = "^[A-Z]{2}$")]
    pub licence_country: String,
    #[schema(example = "DoFE-1234/2075")]
    #[schema(max_length = 64)]
    pub licence_number: String,
    pub added_at: DateTime<Utc>,
}

/// List the caller's watchlist.
///
/// A page of the agencies the caller watches, by agency id: `limit` and `cursor`.
#[utoipa::path(
    operation_id = "list_watchlist",
    tag = "watchlist",
    params(PageQuery),
    responses((status = 200, description = "A page of watched agencies, in agency id order.", body = WatchlistPage), Forbidden),
    security(("bearer" = []))
)]
#[get("/watchlist")]
pub async fn list_watchlist(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<PageQuery>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageWatchlist)?;
    let window = pagination::window(query.0.limit, query.0.cursor.as_deref())?;
    let (limit, after) = (window.fetch(), window.after.clone());
    let rows = state.db.read(move |c| store::watchlist::page(c, &who.client_id, after.as_deref(), limit)).await?;
    let page = Page::of(
        rows,
        window.limit,
        |(entry, ..)| &entry.agency_id,
        |(entry, legal_name, licence_country, licence_number)| WatchedAgency {
            agency_id: entry.agency_id,
            legal_name,
            licence_country,
            licence_number,
            added_at: entry.added_at,
        },
    );
    Ok(HttpResponse::Ok().json(page))
}

/// Add agencies to the watchlist.
///
/// Up to 1,000 agencies, each by id or by licence (issuing country and number). Agencies
/// already on the list stay as they are. If any reference names no agency, nothing is added
/// and each one is named (422).
#[utoipa::path(
    operation_id = "add_to_watchlist",
    tag = "watchlist",
    request_body = WatchlistChange,
    responses((status = 200, description = "Added.", body = WatchlistChangeResult), Forbidden),
    security(("bearer" = []))
)]
#[post("/watchlist")]
pub async fn add_to_watchlist(
    state: web::Data<AppState>,
    who: Principal,
    body: ValidJson<WatchlistChange>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageWatchlist)?;
    let now = state.clock.now();
    let result = state.db.write(move |c| watchlist::add(c, &who, body.0, now)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Remove agencies from the watchlist.
///
/// The same body as adding. Agencies not on the list are counted as unchanged. If any
/// reference names no agency, nothing is removed and each one is named (422).
#[utoipa::path(
    operation_id = "remove_from_watchlist",
    tag = "watchlist",
    request_body = WatchlistChange,
    responses((status = 200, description = "Removed.", body = WatchlistChangeResult), Forbidden),
    security(("bearer" = []))
)]
#[delete("/watchlist")]
pub async fn remove_from_watchlist(
    state: web::Data<AppState>,
    who: Principal,
    body: ValidJson<WatchlistChange>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageWatchlist)?;
    let now = state.clock.now();
    let result = state.db.write(move |c| watchlist::remove(c, &who, body.0, now)).await?;
    Ok(HttpResponse::Ok().json(result))
}
