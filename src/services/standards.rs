//! Standard versions: drafts, publication (after which a version never changes) and retirement.

use chrono::{DateTime, Utc};

use crate::db::DbConnection;
use crate::db::types::Json;
use crate::domain::events::EventType;
use crate::domain::standard::{StandardContent, StandardStatus};
use crate::error::{AppError, AppResult, FieldError};
use crate::services::events::{self, Draft};
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
    let logged = created(&content, StandardStatus::Published)?;
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
    events::record(events::SYSTEM, logged, now)?;
    Ok(true)
}

/// A new version in the log: its status and its whole content, so that what a standard said is
/// kept with the events that relied on it.
fn created(content: &StandardContent, status: StandardStatus) -> AppResult<Draft> {
    let values = serde_json::json!({ "status": status, "content": events::to_value(content)? });
    Ok(Draft::new(EventType::StandardCreated, "standard", &content.version).values(None, Some(values)))
}

/// Stores a new draft version, checked whole: every fault is named (422); a version id already
/// taken is a 409.
pub fn create_draft(
    conn: &mut DbConnection,
    actor: &str,
    content: StandardContent,
    now: DateTime<Utc>,
) -> AppResult<StandardRow> {
    let faults = content.faults();
    if !faults.is_empty() {
        return Err(AppError::Validation(faults.into_iter().map(|(f, m)| FieldError::new(f, m)).collect()));
    }
    if store::standards::find(conn, &content.version)?.is_some() {
        return Err(AppError::Conflict(format!("standard version {} already exists", content.version)));
    }
    events::record(actor, created(&content, StandardStatus::Draft)?, now)?;
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
    actor: &str,
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
    let draft = Draft::new(EventType::StandardStatusChanged, "standard", version)
        .values(Some(serde_json::json!({"status": row.status})), Some(serde_json::json!({"status": to})));
    events::record(actor, draft, now)?;
    Ok(StandardRow { status: to, published_at, retired_at, ..row })
}
