//! The one write path. Every change to the data goes through an operation here: it takes the
//! connection (inside the caller's transaction), the actor, a typed input and `now`, checks the
//! rules that need the data, writes, and returns typed rows. The API, the CLI, the demo seed and
//! the background jobs all call these, so a rule holds for every one of them.
//!
//! Static permissions (a role may never do X) are checked by the caller before the call; the
//! ones that depend on the data (this auditor's body, this agency's own record) are checked
//! here, in the transaction that reads the data. A version read and written back goes through
//! [`crate::store::save`], which refuses a lost update (409); a stale `If-Match` is refused
//! before any change by [`check_if_match`] (412).

pub mod agencies;
pub mod appeals;
pub mod applications;
pub mod assessments;
pub mod certification;
pub mod certification_bodies;
pub mod clients;
pub mod complaints;
pub mod corrective_actions;
pub mod deliveries;
pub mod due_diligence;
pub mod events;
pub mod evidence_files;
pub mod grants;
pub mod idempotency;
pub mod reports;
pub mod retention;
pub mod reviews;
pub mod standards;
pub mod sub_agents;
pub mod verifications;
pub mod watchlist;
pub mod webhooks;

use crate::error::{AppError, AppResult};

/// The entity tag of a resource at `version`: every versioned resource uses this form.
pub fn etag(version: i64) -> String {
    format!("\"v{version}\"")
}

/// Checks an `If-Match` value against the row's version: absent or `*` passes; otherwise one
/// of the listed tags must match exactly (strong comparison, RFC 9110 §13.1.1). A stale tag is
/// 412; see [`crate::store::save`] for the other half of the lost-update rule.
pub fn check_if_match(if_match: Option<&str>, version: i64) -> AppResult<()> {
    let Some(value) = if_match else {
        return Ok(());
    };
    let current = etag(version);
    if value.split(',').map(str::trim).any(|tag| tag == "*" || tag == current) {
        Ok(())
    } else {
        Err(AppError::PreconditionFailed(format!(
            "the resource has changed: its current ETag is {current}; fetch it again"
        )))
    }
}

/// Checks a typed input with its `validator` rules: the CLI and the seed get the same 422
/// answers as the API.
pub fn validate<T: validator::Validate>(value: &T) -> AppResult<()> {
    value.validate().map_err(|e| AppError::Validation(crate::error::field_errors(&e)))
}

/// A new id: UUIDv7, so ids sort by creation time (cursor pages rely on it).
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
