//! Webhook subscriptions and their outbox. Deliveries are queued by [`enqueue`] in the
//! transaction that appends the events, so an event is never committed without them; the
//! dispatcher (`jobs::dispatcher`) sends them later.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Principal;
use crate::db::DbConnection;
use crate::db::types::Json;
use crate::domain::events::{EventType, Scope};
use crate::domain::fields::{not_blank, not_null, uuid, valid_corridor, valid_country};
use crate::error::{AppError, AppResult};
use crate::services::events::{self, Draft};
use crate::services::{new_id, validate};
use crate::store;
use crate::store::agencies::AgencyRow;
use crate::store::events::EventRow;
use crate::store::webhooks::{DeliveryRow, Owner, SubscriptionRow};

/// How long a rotated-out secret keeps signing beside the new one, so that a receiver can
/// switch to the new secret without losing a delivery.
pub const ROTATION_OVERLAP_HOURS: i64 = 24;

/// A new subscription: where to push, and which events (the change feed's filters).
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "url": "https://hr.example.com/hooks/fairhire",
    "description": "Supplier status changes",
    "event_types": ["certification.status_changed", "agency.licence_changed"],
    "watchlist_only": true
}))]
pub struct SubscriptionInput {
    /// An `https` URL that resolves to public addresses.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\u0000]+$")]
    pub url: String,
    #[serde(default)]
    #[validate(length(min = 1, max = 500), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 500, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub description: Option<String>,
    /// The event types to receive; empty or absent: every type the owner may read.
    #[serde(default)]
    #[validate(length(max = 50))]
    #[schema(max_items = 50)]
    pub event_types: Vec<EventType>,
    /// Only events about this agency.
    #[serde(default)]
    #[validate(custom(function = "uuid"))]
    #[schema(format = Uuid)]
    pub agency_id: Option<String>,
    /// Only agencies registered in, recruiting from or placing workers in this country.
    #[serde(default, deserialize_with = "not_null")]
    #[validate(custom(function = "valid_country"))]
    #[schema(schema_with = crate::domain::schema::country)]
    pub country: Option<String>,
    /// Only agencies recruiting on this corridor, `NP-QA`.
    #[serde(default)]
    #[validate(custom(function = "valid_corridor"))]
    #[schema(schema_with = crate::domain::schema::nullable_corridor)]
    pub corridor: Option<String>,
    /// Only agencies on the owner's watchlist (as it is when each event happens).
    #[serde(default)]
    pub watchlist_only: bool,
}

/// What the log keeps of a subscription (never its secret).
fn logged(row: &SubscriptionRow) -> serde_json::Value {
    serde_json::json!({
        "url": row.url,
        "event_types": *row.event_types,
        "agency_id": row.agency_id,
        "country": row.country,
        "corridor": row.corridor,
        "watchlist_only": row.watchlist_only,
        "enabled": row.enabled,
        "disabled_reason": row.disabled_reason,
    })
}

fn about(row: &SubscriptionRow, event_type: EventType) -> Draft {
    Draft::new(event_type, "webhook", &row.id)
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("no webhook subscription with id {id}"))
}

/// The caller's subscription, or 404 (another client's is not disclosed).
pub fn find_owned(conn: &mut DbConnection, who: &Principal, id: &str) -> AppResult<SubscriptionRow> {
    store::webhooks::find_owned(conn, &who.client_id, id)?.ok_or_else(|| not_found(id))
}

/// Stores a subscription whose URL the caller checked (`webhooks::target`) and whose secret it
/// sealed.
pub fn create(
    conn: &mut DbConnection,
    who: &Principal,
    input: SubscriptionInput,
    secret_sealed: String,
    now: DateTime<Utc>,
) -> AppResult<SubscriptionRow> {
    validate(&input)?;
    if let Some(agency) = &input.agency_id
        && !store::agencies::exists(conn, agency)?
    {
        return Err(AppError::field("agency_id", format!("no agency with id {agency}")));
    }
    let mut types: Vec<String> = Vec::with_capacity(input.event_types.len());
    for kind in input.event_types {
        let name = kind.to_string();
        if !types.contains(&name) {
            types.push(name);
        }
    }
    let row = SubscriptionRow {
        id: new_id(),
        owner_client_id: who.client_id.clone(),
        url: input.url,
        description: input.description.map(|d| d.trim().to_owned()),
        event_types: Json(types),
        agency_id: input.agency_id,
        country: input.country,
        corridor: input.corridor,
        watchlist_only: input.watchlist_only,
        secret_sealed,
        previous_secret_sealed: None,
        previous_secret_until: None,
        enabled: true,
        disabled_at: None,
        disabled_reason: None,
        failing_since: None,
        created_at: now,
        updated_at: now,
        deleted_at: None,
        version: 1,
    };
    store::webhooks::insert_subscription(conn, &row)?;
    events::record(&who.client_id, about(&row, EventType::WebhookCreated).values(None, Some(logged(&row))), now)?;
    Ok(row)
}

/// Deletes a subscription: nothing more is sent to it.
pub fn delete(conn: &mut DbConnection, who: &Principal, id: &str, now: DateTime<Utc>) -> AppResult<()> {
    let mut row = find_owned(conn, who, id)?;
    let before = logged(&row);
    row.deleted_at = Some(now);
    row.enabled = false;
    store::save(conn, &mut row, now)?;
    events::record(&who.client_id, about(&row, EventType::WebhookDeleted).values(Some(before), None), now)
}

/// Replaces the signing secret; the old one keeps signing beside it for a day.
pub fn rotate_secret(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    secret_sealed: String,
    now: DateTime<Utc>,
) -> AppResult<SubscriptionRow> {
    let mut row = find_owned(conn, who, id)?;
    row.previous_secret_sealed = Some(std::mem::replace(&mut row.secret_sealed, secret_sealed));
    row.previous_secret_until = Some(now + Duration::hours(ROTATION_OVERLAP_HOURS));
    store::save(conn, &mut row, now)?;
    let draft = about(&row, EventType::WebhookSecretRotated)
        .values(None, Some(serde_json::json!({ "previous_secret_until": row.previous_secret_until })));
    events::record(&who.client_id, draft, now)?;
    Ok(row)
}

/// Enables a subscription the service disabled; its failures start counting afresh.
pub fn enable(conn: &mut DbConnection, who: &Principal, id: &str, now: DateTime<Utc>) -> AppResult<SubscriptionRow> {
    let mut row = find_owned(conn, who, id)?;
    if row.enabled {
        return Ok(row);
    }
    let before = logged(&row);
    row.enabled = true;
    row.disabled_at = None;
    row.disabled_reason = None;
    row.failing_since = None;
    store::save(conn, &mut row, now)?;
    let (was, is) = crate::domain::events::changes(&before, &logged(&row));
    events::record(&who.client_id, about(&row, EventType::WebhookEnabled).values(Some(was), Some(is)), now)?;
    Ok(row)
}

/// Disables a subscription (the receiver answered 410, or failed for too long) and gives up its
/// pending deliveries; the owner sees `reason`.
pub fn disable(conn: &mut DbConnection, id: &str, reason: &str, now: DateTime<Utc>) -> AppResult<()> {
    let Some(mut row) = store::webhooks::find(conn, id)? else {
        return Ok(());
    };
    if !row.enabled {
        return Ok(());
    }
    let before = logged(&row);
    row.enabled = false;
    row.disabled_at = Some(now);
    row.disabled_reason = Some(reason.to_owned());
    store::save(conn, &mut row, now)?;
    store::webhooks::give_up_pending(conn, id, reason)?;
    let (was, is) = crate::domain::events::changes(&before, &logged(&row));
    events::record(events::SYSTEM, about(&row, EventType::WebhookDisabled).values(Some(was), Some(is)), now)
}

/// Sends a delivery again (same `webhook-id`), now. Refused (409) while the subscription is
/// disabled, or while an attempt of it is in flight.
pub fn redeliver(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    delivery_id: &str,
    now: DateTime<Utc>,
) -> AppResult<(DeliveryRow, String)> {
    let subscription = find_owned(conn, who, id)?;
    let not_found = || AppError::NotFound(format!("no delivery {delivery_id} of this subscription"));
    store::webhooks::find_delivery(conn, id, delivery_id)?.ok_or_else(not_found)?;
    if !subscription.enabled {
        return Err(AppError::Conflict("the subscription is disabled; enable it first".into()));
    }
    if !store::webhooks::redeliver(conn, delivery_id, now)? {
        return Err(AppError::Conflict("an attempt of this delivery is in flight; try again shortly".into()));
    }
    store::webhooks::find_delivery(conn, id, delivery_id)?.ok_or_else(not_found)
}

/// What a subscription's filters need to know about an event's agency.
struct AgencyFacts {
    countries: Vec<String>,
    origins: Vec<String>,
    destinations: Vec<String>,
}

impl From<AgencyRow> for AgencyFacts {
    fn from(row: AgencyRow) -> Self {
        let origins = row.origin_countries.to_vec();
        let destinations = row.destination_countries.to_vec();
        let mut countries = vec![row.licence_country];
        countries.extend(origins.iter().cloned());
        countries.extend(destinations.iter().cloned());
        AgencyFacts { countries, origins, destinations }
    }
}

/// Whether a subscription wants this event: its owner may read it, and every filter it set
/// matches (the same filters, with the same meaning, as the change feed's).
fn wants(sub: &SubscriptionRow, owner: &Owner, event: &EventRow, agency: Option<&AgencyFacts>, watched: bool) -> bool {
    let scope = Scope::of(owner.role, owner.agency_id.as_deref(), owner.certification_body_id.as_deref());
    if !scope.admits(event.public, event.agency_id.as_deref(), event.certification_body_id.as_deref()) {
        return false;
    }
    if !sub.event_types.is_empty() && !sub.event_types.contains(&event.event_type) {
        return false;
    }
    if sub.agency_id.is_some() && sub.agency_id != event.agency_id {
        return false;
    }
    if let Some(country) = &sub.country
        && !agency.is_some_and(|a| a.countries.contains(country))
    {
        return false;
    }
    if let Some((origin, destination)) = sub.corridor.as_deref().and_then(|c| c.split_once('-'))
        && !agency
            .is_some_and(|a| a.origins.iter().any(|o| o == origin) && a.destinations.iter().any(|d| d == destination))
    {
        return false;
    }
    !sub.watchlist_only || watched
}

/// Queues one delivery per event and subscription that wants it.
pub(crate) fn enqueue(conn: &mut DbConnection, events: &[EventRow]) -> AppResult<()> {
    let subscriptions = store::webhooks::active_with_owner(conn)?;
    if subscriptions.is_empty() {
        return Ok(());
    }
    let mut agencies: HashMap<String, Option<AgencyFacts>> = HashMap::new();
    for id in crate::services::events::agency_ids(events) {
        let facts = store::agencies::find(conn, &id)?.map(AgencyFacts::from);
        agencies.insert(id, facts);
    }
    let mut watched: HashMap<(String, String), bool> = HashMap::new();
    let mut deliveries = Vec::new();
    for event in events {
        let agency = event.agency_id.as_ref().and_then(|id| agencies.get(id)).and_then(Option::as_ref);
        for (sub, owner) in &subscriptions {
            let on_watchlist = match (&event.agency_id, sub.watchlist_only) {
                (Some(agency_id), true) => {
                    let key = (sub.owner_client_id.clone(), agency_id.clone());
                    match watched.get(&key) {
                        Some(known) => *known,
                        None => {
                            let found = store::watchlist::contains(conn, &key.0, &key.1)?;
                            watched.insert(key, found);
                            found
                        }
                    }
                }
                _ => false,
            };
            if wants(sub, owner, event, agency, on_watchlist) {
                deliveries.push(DeliveryRow {
                    id: crate::services::new_id(),
                    subscription_id: sub.id.clone(),
                    event_sequence: event.sequence,
                    status: store::webhooks::PENDING.into(),
                    attempts: 0,
                    next_attempt_at: event.occurred_at,
                    claimed_by: None,
                    claim_expires_at: None,
                    last_attempt_at: None,
                    last_status_code: None,
                    last_error: None,
                    delivered_at: None,
                    created_at: event.occurred_at,
                });
            }
        }
    }
    store::webhooks::insert_deliveries(conn, &deliveries)
}
