//! Standard versions: drafts, publication (after which a version never changes) and retirement.

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::types::Json;
use crate::domain::standard::{StandardContent, StandardStatus};
use crate::error::{AppError, AppResult, FieldError};
use crate::store;
use crate::store::standards::StandardRow;

fn not_found(version: &str) -> AppError {
    AppError::NotFound(format!("no standard version {version}"))
}

/// Stores the default standard as published when the database has no standard at all. True
/// when it did.
pub fn ensure_default(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<bool> {
    if store::standards::count(conn)? > 0 {
        return Ok(false);
    }
    let content = StandardContent::default_standard().map_err(AppError::internal)?;
    store::standards::insert(
        conn,
        &StandardRow {
            version: content.version.clone(),
            title: content.title.clone(),
            status: StandardStatus::Published,
            content: Json(content),
            created_at: now,
            published_at: Some(now),
            retired_at: None,
        },
    )?;
    Ok(true)
}

/// Stores a new draft version, checked whole: every fault is named (422); a version id already
/// taken is a 409.
pub fn create_draft(conn: &mut DbConnection, content: StandardContent, now: DateTime<Utc>) -> AppResult<StandardRow> {
    let faults = content.faults();
    if !faults.is_empty() {
        return Err(AppError::Validation(faults.into_iter().map(|(f, m)| FieldError::new(f, m)).collect()));
    }
    if store::standards::find(conn, &content.version)?.is_some() {
        return Err(AppError::Conflict(format!("standard version {} already exists", content.version)));
    }
    let row = StandardRow {
        version: content.version.clone(),
        title: content.title.trim().to_owned(),
        status: StandardStatus::Draft,
        content: Json(content),
        created_at: now,
        published_at: None,
        retired_at: None,
    };
    store::standards::insert(conn, &row)?;
    Ok(row)
}

/// Moves a version along draft → published → retired.
pub fn change_status(
    conn: &mut DbConnection,
    version: &str,
    to: StandardStatus,
    now: DateTime<Utc>,
) -> AppResult<StandardRow> {
    let row = store::standards::find(conn, version)?.ok_or_else(|| not_found(version))?;
    let (published_at, retired_at) = match (row.status, to) {
        (StandardStatus::Draft, StandardStatus::Published) => (Some(now), None),
        (StandardStatus::Published, StandardStatus::Retired) => (row.published_at, Some(now)),
        (from, _) => {
            return Err(AppError::Conflict(format!(
                "a {from} standard cannot become {to}; versions go draft, published, retired"
            )));
        }
    };
    store::standards::set_status(conn, version, to, published_at, retired_at)?;
    Ok(StandardRow { status: to, published_at, retired_at, ..row })
}
