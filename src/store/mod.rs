//! Diesel queries, one module per aggregate. Functions take a connection and never open a
//! transaction themselves: the caller (`Db::write`) decides what commits together.

pub mod agencies;
pub mod assessments;
pub mod certification_bodies;
pub mod certifications;
pub mod clients;
pub mod corrective_actions;
pub mod idempotency;
pub mod standards;

use chrono::{DateTime, NaiveDateTime, Utc};

/// Timestamps are stored as UTC without an offset (the portable column type).
pub fn to_db_time(t: DateTime<Utc>) -> NaiveDateTime {
    t.naive_utc()
}

pub fn from_db_time(t: NaiveDateTime) -> DateTime<Utc> {
    t.and_utc()
}
