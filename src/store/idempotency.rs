//! Saved answers to `POST` requests sent with an `Idempotency-Key`, so a retry gets the first
//! answer instead of creating a second resource.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::idempotency_keys;
use crate::db::types::At;
use crate::error::AppResult;

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct SavedResponse {
    pub client_id: String,
    pub idempotency_key: String,
    pub scope: String,
    pub request_hash: String,
    pub response_status: i32,
    pub response_body: String,
    pub response_location: Option<String>,
    pub response_etag: Option<String>,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
}

/// The saved answer for this client's key, unless it was saved before `not_before` (a key is
/// remembered for a limited time; an expired one is forgotten here).
pub fn find(
    conn: &mut DbConnection,
    client_id: &str,
    key: &str,
    not_before: DateTime<Utc>,
) -> AppResult<Option<SavedResponse>> {
    let by_key = idempotency_keys::table
        .filter(idempotency_keys::client_id.eq(client_id))
        .filter(idempotency_keys::idempotency_key.eq(key));
    let saved = by_key.first::<SavedResponse>(conn).optional()?;
    match saved {
        Some(s) if s.created_at < not_before => {
            diesel::delete(by_key).execute(conn)?;
            Ok(None)
        }
        other => Ok(other),
    }
}

pub fn save(conn: &mut DbConnection, saved: &SavedResponse) -> AppResult<()> {
    diesel::insert_into(idempotency_keys::table).values(saved.clone()).execute(conn)?;
    Ok(())
}
