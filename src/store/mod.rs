//! Diesel queries, one module per aggregate. Functions take a connection and never open a
//! transaction themselves: the caller (`Db::write`) decides what commits together. Only
//! `services` writes through here; the API reads.

pub mod agencies;
pub mod appeals;
pub mod assessments;
pub mod certification_bodies;
pub mod certifications;
pub mod clients;
pub mod corrective_actions;
pub mod events;
pub mod evidence_files;
pub mod exports;
pub mod fee_evidence;
pub mod grants;
pub mod idempotency;
pub mod outbox;
pub mod reports;
pub mod reviews;
pub mod standards;
pub mod sub_agents;
pub mod translations;
pub mod watchlist;
pub mod webhooks;

use chrono::{DateTime, Utc};
use diesel::result::{DeserializeFieldError, Error as DieselError};

use crate::db::DbConnection;
use crate::error::{AppError, AppResult};

/// Turns a query's error into the service's, naming the table when a stored value could not be
/// read (diesel names the column): a corrupt value is an internal error, never a default.
pub(crate) trait InTable<T> {
    fn in_table(self, table: &'static str) -> AppResult<T>;
}

impl<T> InTable<T> for diesel::QueryResult<T> {
    fn in_table(self, table: &'static str) -> AppResult<T> {
        self.map_err(|e| match e {
            DieselError::DeserializationError(cause) => {
                let column = cause
                    .downcast_ref::<DeserializeFieldError>()
                    .and_then(|f| f.field_name.clone())
                    .unwrap_or_else(|| "?".into());
                let reason = match cause.downcast_ref::<DeserializeFieldError>() {
                    Some(field) => field.error.to_string(),
                    None => cause.to_string(),
                };
                AppError::internal(format!("unreadable stored value in {table}.{column}: {reason}"))
            }
            other => other.into(),
        })
    }
}

/// A row whose writes are guarded by a version number: every change bumps it, and a change is
/// written only if the version is still the one read (optimistic locking). Public, like
/// [`save`], for the integration tests' fixtures; only `services` call them in the crate.
pub trait Versioned {
    /// What the row is, for the error message ("the agency changed ...").
    const WHAT: &'static str;
    fn version(&self) -> i64;
    fn touch(&mut self, now: DateTime<Utc>);
    /// Writes the row if the stored version is still `expected`; false when it is not.
    fn write_if_version(conn: &mut DbConnection, row: &Self, expected: i64) -> AppResult<bool>;
}

/// Saves a changed row, bumping its version and `updated_at`.
///
/// The one rule for a lost update: when another writer changed the row between this request's
/// read and its write, the write is refused with 409 `conflict` and nothing of the request is
/// kept (the caller's transaction rolls back). A stale `If-Match` is the other case, checked
/// before any change: 412 (see `services::check_if_match`).
pub fn save<R: Versioned>(conn: &mut DbConnection, row: &mut R, now: DateTime<Utc>) -> AppResult<()> {
    let expected = row.version();
    row.touch(now);
    if R::write_if_version(conn, row, expected)? {
        Ok(())
    } else {
        Err(AppError::Conflict(format!("the {} changed while this request ran; fetch it again and retry", R::WHAT)))
    }
}

/// Implements [`Versioned`] for a row of a table with `id`, `version` and `updated_at` columns.
macro_rules! versioned {
    ($row:ty, $table:ident, $what:literal) => {
        impl $crate::store::Versioned for $row {
            const WHAT: &'static str = $what;
            fn version(&self) -> i64 {
                self.version
            }
            fn touch(&mut self, now: chrono::DateTime<chrono::Utc>) {
                self.version += 1;
                self.updated_at = now;
            }
            fn write_if_version(
                conn: &mut $crate::db::DbConnection,
                row: &Self,
                expected: i64,
            ) -> $crate::error::AppResult<bool> {
                use diesel::prelude::*;
                let n =
                    diesel::update($table::table.filter($table::id.eq(&row.id)).filter($table::version.eq(expected)))
                        .set(row.clone())
                        .execute(conn)?;
                Ok(n == 1)
            }
        }
    };
}
pub(crate) use versioned;

/// Runs the reads of `f` on one snapshot of the database, so that an answer built from several
/// queries describes one moment even while writers commit: a read-only `REPEATABLE READ`
/// transaction on PostgreSQL (whose default gives each statement its own snapshot), a deferred
/// transaction on SQLite (in WAL mode, its reads see the database as of their first read).
pub fn snapshot<T>(conn: &mut DbConnection, f: impl FnOnce(&mut DbConnection) -> AppResult<T>) -> AppResult<T> {
    use diesel::{Connection, RunQueryDsl};
    conn.transaction(|conn| {
        if let DbConnection::Pg(pg) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(pg)?;
        }
        f(conn)
    })
}
