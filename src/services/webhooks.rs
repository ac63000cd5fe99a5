//! Webhook subscriptions and their outbox. Deliveries are queued by [`enqueue`] in the
//! transaction that appends the events, so an event is never committed without them; the
//! dispatcher (`jobs::dispatcher`) sends them later.

use std::collections::HashMap;

use crate::db::DbConnection;
use crate::domain::events::Scope;
use crate::error::AppResult;
use crate::store;
use crate::store::agencies::AgencyRow;
use crate::store::events::EventRow;
use crate::store::webhooks::{DeliveryRow, Owner, SubscriptionRow};

/// The delivery id, used as `webhook-id`: `msg_` and 32 hex digits, unique and time-ordered.
pub fn new_message_id() -> String {
    format!("msg_{}", uuid::Uuid::now_v7().simple())
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
                    id: new_message_id(),
                    subscription_id: sub.id.clone(),
                    event_sequence: event.sequence,
                    status: "pending".into(),
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
