//! An integrator's watchlist: adding and removing agencies in bulk, by id or by licence.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::Principal;
use crate::db::DbConnection;
use crate::domain::agency::licence_key;
use crate::domain::events::EventType;
use crate::error::{AppError, AppResult, FieldError};
use crate::services::events::{self, Draft};
use crate::services::validate;
use crate::store;
use crate::store::watchlist::EntryRow;

/// One agency, named by its id or by its licence.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum AgencyRef {
    Id(AgencyIdRef),
    Licence(LicenceRef),
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgencyIdRef {
    #[schema(format = Uuid)]
    pub agency_id: String,
}

/// The licence as registered: issuing country and number (case and spaces are ignored).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenceRef {
    #[schema(pattern = "^[A-Z]{2}$")]
    #[schema(max_length = 2)]
    pub licence_country: String,
    #[schema(min_length = 1, max_length = 100)]
    pub licence_number: String,
}

/// Agencies to add to or remove from the caller's watchlist.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"agencies": [
    {"agency_id": "0193f0c1-5d2e-7a10-9c35-2b8e4f1a6d90"},
    {"licence_country": "NP", "licence_number": "DoFE-1234/2075"}
]}))]
pub struct WatchlistChange {
    #[validate(length(min = 1, max = 1000))]
    #[schema(min_items = 1, max_items = 1000)]
    pub agencies: Vec<AgencyRef>,
}

/// What a change did.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({"changed": 2, "unchanged": 0}))]
pub struct WatchlistChangeResult {
    /// Agencies added (or removed) by this request.
    #[schema(format = Int32, minimum = 0, maximum = 1000)]
    pub changed: usize,
    /// Agencies already on the list (or, when removing, not on it).
    #[schema(format = Int32, minimum = 0, maximum = 1000)]
    pub unchanged: usize,
}

/// The agency ids the references name, in order and without repeats. Every reference must name
/// an agency: a list with one that does not is refused whole (422, naming each), so that what
/// an integrator watches is never silently less than what it sent.
fn resolve(conn: &mut DbConnection, refs: &[AgencyRef]) -> AppResult<Vec<String>> {
    let mut ids = Vec::with_capacity(refs.len());
    let mut errors = Vec::new();
    let by_id: Vec<String> = refs
        .iter()
        .filter_map(|r| match r {
            AgencyRef::Id(r) => Some(r.agency_id.clone()),
            AgencyRef::Licence(_) => None,
        })
        .collect();
    let existing: HashSet<String> = store::agencies::existing_ids(conn, &by_id)?.into_iter().collect();
    for (i, reference) in refs.iter().enumerate() {
        match reference {
            AgencyRef::Id(r) if existing.contains(&r.agency_id) => ids.push(r.agency_id.clone()),
            AgencyRef::Id(r) => errors.push(FieldError::new(
                format!("agencies[{i}].agency_id"),
                format!("no agency with id {}", r.agency_id),
            )),
            AgencyRef::Licence(r) => {
                match store::agencies::find_by_licence(conn, &r.licence_country, &licence_key(&r.licence_number))? {
                    Some(agency) => ids.push(agency.id),
                    None => errors.push(FieldError::new(
                        format!("agencies[{i}]"),
                        format!("no agency holds licence {} issued in {}", r.licence_number, r.licence_country),
                    )),
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut seen = HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    Ok(ids)
}

/// Adds agencies to the caller's watchlist; those already on it stay as they are.
pub fn add(
    conn: &mut DbConnection,
    who: &Principal,
    change: WatchlistChange,
    now: DateTime<Utc>,
) -> AppResult<WatchlistChangeResult> {
    validate(&change)?;
    let ids = resolve(conn, &change.agencies)?;
    let listed: HashSet<String> = store::watchlist::already_listed(conn, &who.client_id, &ids)?.into_iter().collect();
    let new: Vec<String> = ids.iter().filter(|id| !listed.contains(*id)).cloned().collect();
    let rows: Vec<EntryRow> = new
        .iter()
        .map(|agency_id| EntryRow { client_id: who.client_id.clone(), agency_id: agency_id.clone(), added_at: now })
        .collect();
    store::watchlist::insert(conn, &rows)?;
    if !new.is_empty() {
        let draft = Draft::new(EventType::WatchlistChanged, "client", &who.client_id)
            .values(None, Some(serde_json::json!({ "added": new })));
        events::record(&who.client_id, draft, now)?;
    }
    Ok(WatchlistChangeResult { changed: new.len(), unchanged: ids.len() - new.len() })
}

/// Removes agencies from the caller's watchlist; those not on it are counted as unchanged.
pub fn remove(
    conn: &mut DbConnection,
    who: &Principal,
    change: WatchlistChange,
    now: DateTime<Utc>,
) -> AppResult<WatchlistChangeResult> {
    validate(&change)?;
    let ids = resolve(conn, &change.agencies)?;
    let listed: Vec<String> = store::watchlist::already_listed(conn, &who.client_id, &ids)?;
    let removed = store::watchlist::remove(conn, &who.client_id, &listed)?;
    if !listed.is_empty() {
        let draft = Draft::new(EventType::WatchlistChanged, "client", &who.client_id)
            .values(Some(serde_json::json!({ "removed": listed })), None);
        events::record(&who.client_id, draft, now)?;
    }
    Ok(WatchlistChangeResult { changed: removed, unchanged: ids.len() - removed })
}
