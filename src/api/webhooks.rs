//! `/v1/webhooks`: an integrator's subscriptions, their secrets and their deliveries.

use std::collections::HashMap;

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::extract::{DeliveryRes, ValidJson, ValidQuery, WebhookId, WebhookRes, path_uuid};
use crate::api::pagination::{self, Page};
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::domain::events::EventType;
use crate::domain::schema;
use crate::error::{AppError, AppResult};
use crate::services::webhooks::{self, SubscriptionInput};
use crate::state::AppState;
use crate::store;
use crate::store::webhooks::{AttemptRow, DeliveryRow, SubscriptionRow};
use crate::webhooks::signing::WebhookSecret;
use crate::webhooks::target::{self, TargetPolicy};

crate::api::pagination::documented_page!(WebhookPage, Webhook, "webhook subscriptions");
crate::api::pagination::documented_page!(DeliveryPage, Delivery, "deliveries, newest first");

/// A webhook subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(max_length = 2000, pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\u0000]*$")]
    pub url: String,
    #[schema(max_length = 500)]
    pub description: Option<String>,
    /// Empty: every event type the owner may read.
    #[schema(max_items = 50)]
    pub event_types: Vec<EventType>,
    #[schema(format = Uuid)]
    pub agency_id: Option<String>,
    #[schema(max_length = 2, pattern = "^[A-Z]{2}$")]
    pub country: Option<String>,
    #[schema(max_length = 5, pattern = "^[A-Z]{2}-[A-Z]{2}$")]
    pub corridor: Option<String>,
    pub watchlist_only: bool,
    /// False once the service stopped sending: see `disabled_reason`.
    pub enabled: bool,
    pub disabled_at: Option<DateTime<Utc>>,
    /// Why the service disabled it (the receiver answered 410, or failed for 3 days).
    #[schema(max_length = 500)]
    pub disabled_reason: Option<String>,
    /// Since when deliveries have been failing without a success in between.
    pub failing_since: Option<DateTime<Utc>>,
    /// Until when the secret replaced by the last rotation also signs.
    pub previous_secret_valid_until: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The signing secret (`whsec_…`, Standard Webhooks). Only in the answer to a creation or a
    /// rotation: it is stored encrypted and never shown again.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^whsec_[A-Za-z0-9+/=]+$")]
    #[schema(max_length = 64)]
    pub secret: Option<String>,
}

impl Webhook {
    fn of(row: SubscriptionRow, secret: Option<String>) -> Webhook {
        Webhook {
            event_types: row.event_types.iter().filter_map(|t| t.parse().ok()).collect(),
            id: row.id,
            url: row.url,
            description: row.description,
            agency_id: row.agency_id,
            country: row.country,
            corridor: row.corridor,
            watchlist_only: row.watchlist_only,
            enabled: row.enabled,
            disabled_at: row.disabled_at,
            disabled_reason: row.disabled_reason,
            failing_since: row.failing_since,
            previous_secret_valid_until: row.previous_secret_until,
            created_at: row.created_at,
            updated_at: row.updated_at,
            secret,
        }
    }
}

/// One event pushed to one subscription, with every attempt.
#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    /// Sent as `webhook-id`; the same on every attempt.
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub event_sequence: i64,
    pub event_type: EventType,
    /// `pending` (waiting for its next attempt), `succeeded` or `failed` (given up: the
    /// subscription was disabled or deleted).
    #[schema(example = "pending")]
    #[schema(max_length = 16, pattern = "^[a-z_]+$")]
    pub status: String,
    #[schema(minimum = 0, maximum = 2_147_483_647)]
    pub attempts: i32,
    /// When the next attempt is due, while `pending`.
    pub next_attempt_at: Option<DateTime<Utc>>,
    #[schema(minimum = 100, maximum = 599)]
    pub last_status_code: Option<i32>,
    #[schema(max_length = 501)]
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub history: Vec<Attempt>,
}

/// One attempt to deliver.
#[derive(Debug, Serialize, ToSchema)]
pub struct Attempt {
    pub attempted_at: DateTime<Utc>,
    /// The receiver's HTTP status; null when no answer came (refused, timed out).
    #[schema(minimum = 100, maximum = 599)]
    pub status_code: Option<i32>,
    #[schema(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    pub latency_ms: i64,
    #[schema(max_length = 501)]
    pub error: Option<String>,
    /// The receiver's `Retry-After`, in seconds, when it sent one.
    #[schema(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    pub retry_after_seconds: Option<i64>,
}

impl Delivery {
    fn of(row: DeliveryRow, event_type: &str, attempts: Vec<AttemptRow>) -> AppResult<Delivery> {
        let pending = row.status == store::webhooks::PENDING;
        Ok(Delivery {
            event_type: event_type
                .parse()
                .map_err(|_| AppError::internal(format!("unknown event type in events: {event_type}")))?,
            next_attempt_at: pending.then_some(row.next_attempt_at),
            history: attempts
                .into_iter()
                .map(|a| Attempt {
                    attempted_at: a.attempted_at,
                    status_code: a.status_code,
                    latency_ms: a.latency_ms,
                    error: a.error,
                    retry_after_seconds: a.retry_after_seconds,
                })
                .collect(),
            id: row.id,
            event_sequence: row.event_sequence,
            status: row.status,
            attempts: row.attempts,
            last_status_code: row.last_status_code,
            last_error: row.last_error,
            delivered_at: row.delivered_at,
            created_at: row.created_at,
        })
    }
}

/// Checks a target URL: the form and scheme (`webhooks::target`), and that its host does not
/// resolve to an address we refuse to call. A name that does not resolve now is accepted: it
/// is resolved again, and guarded, at every attempt.
async fn check_target(url: &str, policy: TargetPolicy) -> AppResult<()> {
    let parsed = target::check_url(url, &policy)?;
    if policy.allow_private {
        return Ok(());
    }
    if let Some(url::Host::Domain(host)) = parsed.host() {
        let port = parsed.port_or_known_default().unwrap_or(443);
        if let Ok(addrs) = tokio::net::lookup_host((host, port)).await {
            let addrs: Vec<_> = addrs.collect();
            if !addrs.is_empty() && !addrs.iter().any(|a| target::is_public(a.ip())) {
                return Err(AppError::field("url", "resolves only to loopback, private or link-local addresses"));
            }
        }
    }
    Ok(())
}

/// A new secret, and its sealed form for the database.
fn new_secret(state: &AppState) -> AppResult<(WebhookSecret, String)> {
    let secret = WebhookSecret::generate();
    let sealed = state.data_key.seal(&secret.expose())?;
    Ok((secret, sealed))
}

/// Subscribe to events.
///
/// Events the caller may read that match the filters are pushed to `url`, signed per the
/// Standard Webhooks specification (see the `event` webhook). The answer holds the signing
/// secret, shown this once.
#[utoipa::path(
    operation_id = "create_webhook",
    tag = "webhooks",
    request_body = SubscriptionInput,
    responses(
        (status = 201, description = "Subscribed; keep the secret.", body = Webhook, headers(
            ("Location" = String, description = "The subscription's URL.")
        )),
        Forbidden
    ),
    security(("bearer" = []))
)]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    who: Principal,
    body: ValidJson<SubscriptionInput>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageWebhooks)?;
    let input = body.0;
    crate::services::validate(&input)?;
    check_target(&input.url, TargetPolicy::from(&state.config.webhooks)).await?;
    let (secret, sealed) = new_secret(&state)?;
    let now = state.clock.now();
    let row = state.db.write(move |c| webhooks::create(c, &who, input, sealed, now)).await?;
    let location = format!("/v1/webhooks/{}", row.id);
    Ok(HttpResponse::Created().insert_header(("Location", location)).json(Webhook::of(row, Some(secret.expose()))))
}

/// List the caller's subscriptions.
///
/// A page of the caller's own subscriptions, in creation order: `limit` and `cursor`. Secrets are never
/// shown again.
#[utoipa::path(
    operation_id = "list_webhooks",
    tag = "webhooks",
    params(pagination::PageQuery),
    responses((status = 200, description = "A page of subscriptions.", body = WebhookPage), Forbidden),
    security(("bearer" = []))
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<pagination::PageQuery>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageWebhooks)?;
    let window = pagination::window(query.0.limit, query.0.cursor.as_deref())?;
    let (limit, after) = (window.fetch(), window.after.clone());
    let rows = state.db.read(move |c| store::webhooks::page_owned(c, &who.client_id, after.as_deref(), limit)).await?;
    Ok(HttpResponse::Ok().json(Page::of(rows, window.limit, |r| &r.id, |r| Webhook::of(r, None))))
}

/// Read a subscription, with why it was disabled if it was.
///
/// Only the caller's own subscriptions can be read; another client's is a 404.
#[utoipa::path(
    operation_id = "get_webhook",
    tag = "webhooks",
    params(("id" = String, Path, format = Uuid, description = "Subscription id.")),
    responses((status = 200, description = "The subscription.", body = Webhook), Forbidden),
    security(("bearer" = []))
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(state: web::Data<AppState>, who: Principal, id: WebhookId) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageWebhooks)?;
    let id = id.into_inner();
    let row = state.db.read(move |c| webhooks::find_owned(c, &who, &id)).await?;
    Ok(HttpResponse::Ok().json(Webhook::of(row, None)))
}

/// Delete a subscription: nothing more is sent to it.
///
/// Answers 204, with no body. Only the caller's own subscriptions can be deleted.
#[utoipa::path(
    operation_id = "delete_webhook",
    tag = "webhooks",
    params(("id" = String, Path, format = Uuid, description = "Subscription id.")),
    responses((status = 204, description = "Deleted."), Forbidden),
    security(("bearer" = []))
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(state: web::Data<AppState>, who: Principal, id: WebhookId) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageWebhooks)?;
    let (id, now) = (id.into_inner(), state.clock.now());
    state.db.write(move |c| webhooks::delete(c, &who, &id, now)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Rotate the signing secret.
///
/// The answer holds the new secret, shown this once. For 24 hours the old secret also signs
/// (the `webhook-signature` header then carries both), so a receiver can switch without losing
/// a delivery.
#[utoipa::path(
    operation_id = "rotate_webhook_secret",
    tag = "webhooks",
    params(("id" = String, Path, format = Uuid, description = "Subscription id.")),
    responses((status = 200, description = "Rotated; keep the new secret.", body = Webhook), Forbidden),
    security(("bearer" = []))
)]
#[post("/webhooks/{id}/secret")]
pub async fn rotate_webhook_secret(
    state: web::Data<AppState>,
    who: Principal,
    id: WebhookId,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageWebhooks)?;
    let (secret, sealed) = new_secret(&state)?;
    let (id, now) = (id.into_inner(), state.clock.now());
    let row = state.db.write(move |c| webhooks::rotate_secret(c, &who, &id, sealed, now)).await?;
    Ok(HttpResponse::Ok().json(Webhook::of(row, Some(secret.expose()))))
}

/// Enable a subscription the service disabled.
///
/// Deliveries given up while it was disabled stay failed; redeliver those you need.
#[utoipa::path(
    operation_id = "enable_webhook",
    tag = "webhooks",
    params(("id" = String, Path, format = Uuid, description = "Subscription id.")),
    responses((status = 200, description = "Enabled.", body = Webhook), Forbidden),
    security(("bearer" = []))
)]
#[post("/webhooks/{id}/enable")]
pub async fn enable_webhook(state: web::Data<AppState>, who: Principal, id: WebhookId) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageWebhooks)?;
    let (id, now) = (id.into_inner(), state.clock.now());
    let row = state.db.write(move |c| webhooks::enable(c, &who, &id, now)).await?;
    Ok(HttpResponse::Ok().json(Webhook::of(row, None)))
}

/// The delivery states a list can be narrowed to.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    Pending,
    Succeeded,
    Failed,
}

impl DeliveryStatus {
    fn stored(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => store::webhooks::PENDING,
            DeliveryStatus::Succeeded => store::webhooks::SUCCEEDED,
            DeliveryStatus::Failed => store::webhooks::FAILED,
        }
    }
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DeliveryQuery {
    #[param(inline)]
    pub status: Option<DeliveryStatus>,
    /// Page size, 1–200 (default 50).
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(schema_with = schema::cursor)]
    pub cursor: Option<String>,
}

/// List a subscription's deliveries, newest first, each with every attempt (status, latency,
/// error).
///
/// A page: `limit` and `cursor`; `status` narrows it.
#[utoipa::path(
    operation_id = "list_webhook_deliveries",
    tag = "webhooks",
    params(("id" = String, Path, format = Uuid, description = "Subscription id."), DeliveryQuery),
    responses((status = 200, description = "A page of deliveries.", body = DeliveryPage), Forbidden),
    security(("bearer" = []))
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    who: Principal,
    id: WebhookId,
    query: ValidQuery<DeliveryQuery>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageWebhooks)?;
    let q = query.0;
    let window = pagination::window(q.limit, q.cursor.as_deref())?;
    let (limit, before, id) = (window.fetch(), window.after.clone(), id.into_inner());
    let status = q.status.map(DeliveryStatus::stored);
    let (rows, attempts) = state
        .db
        .read(move |c| {
            webhooks::find_owned(c, &who, &id)?;
            let rows = store::webhooks::deliveries_page(c, &id, status, before.as_deref(), limit)?;
            let ids: Vec<String> = rows.iter().map(|(d, _)| d.id.clone()).collect();
            Ok((rows, store::webhooks::attempts_of(c, &ids)?))
        })
        .await?;
    let mut by_delivery: HashMap<String, Vec<AttemptRow>> = HashMap::new();
    for attempt in attempts {
        by_delivery.entry(attempt.delivery_id.clone()).or_default().push(attempt);
    }
    let page = Page::of(rows, window.limit, |(d, _)| &d.id, |r| r);
    let data = page
        .data
        .into_iter()
        .map(|(d, kind)| {
            let history = by_delivery.remove(&d.id).unwrap_or_default();
            Delivery::of(d, &kind, history)
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(Page { data, next_cursor: page.next_cursor }))
}

/// Redeliver an event.
///
/// Sends the delivery again, now, with the same `webhook-id` (a receiver that already
/// processed it can drop it). Refused while the subscription is disabled or an attempt is in
/// flight.
#[utoipa::path(
    operation_id = "redeliver_webhook_delivery",
    tag = "webhooks",
    params(
        ("id" = String, Path, format = Uuid, description = "Subscription id."),
        ("delivery_id" = String, Path, format = Uuid, description = "Delivery id.")
    ),
    responses((status = 202, description = "Queued for an attempt now.", body = Delivery), Forbidden, Conflict),
    security(("bearer" = []))
)]
#[post("/webhooks/{id}/deliveries/{delivery_id}/redeliver")]
pub async fn redeliver_webhook_delivery(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ManageWebhooks)?;
    let (id, delivery_id) = path.into_inner();
    let id = path_uuid::<WebhookRes>(&id)?;
    let delivery_id = path_uuid::<DeliveryRes>(&delivery_id)?;
    let now = state.clock.now();
    let (row, kind, attempts) = state
        .db
        .write(move |c| {
            let (row, kind) = webhooks::redeliver(c, &who, &id, &delivery_id, now)?;
            let attempts = store::webhooks::attempts_of(c, std::slice::from_ref(&row.id))?;
            Ok((row, kind, attempts))
        })
        .await?;
    Ok(HttpResponse::Accepted().json(Delivery::of(row, &kind, attempts)?))
}
