//! Answers to creating requests sent with an `Idempotency-Key`, remembered in the same
//! transaction as what they created, so that a retry gets the first answer instead of a
//! second resource.

use chrono::{DateTime, Duration, Utc};

use crate::db::DbConnection;
use crate::error::AppResult;
use crate::store;
use crate::store::idempotency::SavedResponse;

/// How long a key is remembered.
const KEY_LIFETIME_HOURS: i64 = 24;

/// The answer saved for this client's key, if it is still remembered at `now` (an expired one
/// is forgotten here).
pub fn recall(
    conn: &mut DbConnection,
    client_id: &str,
    key: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<SavedResponse>> {
    store::idempotency::find(conn, client_id, key, now - Duration::hours(KEY_LIFETIME_HOURS))
}

/// Remembers an answer.
pub fn remember(conn: &mut DbConnection, saved: &SavedResponse) -> AppResult<()> {
    store::idempotency::save(conn, saved)
}
