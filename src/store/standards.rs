//! Standard versions. The content is stored whole, as JSON: a published version never changes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::standards;
use crate::domain::standard::StandardContent;
use crate::error::{AppError, AppResult};

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = standards)]
pub struct StandardRow {
    pub version: String,
    pub title: String,
    pub status: String,
    pub content: String,
    pub created_at: NaiveDateTime,
    pub published_at: Option<NaiveDateTime>,
    pub retired_at: Option<NaiveDateTime>,
}

impl StandardRow {
    /// The version's principles, criteria and policy.
    pub fn content(&self) -> AppResult<StandardContent> {
        serde_json::from_str(&self.content).map_err(|e| AppError::internal(format!("standard {}: {e}", self.version)))
    }
}

/// The content of a version an assessment is bound to (so it must exist).
pub fn content_of_version(conn: &mut DbConnection, version: &str) -> AppResult<StandardContent> {
    find(conn, version)?
        .ok_or_else(|| AppError::internal(format!("assessment bound to missing standard {version}")))?
        .content()
}

pub fn insert(conn: &mut DbConnection, row: &StandardRow) -> AppResult<()> {
    diesel::insert_into(standards::table).values(row).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, version: &str) -> AppResult<Option<StandardRow>> {
    Ok(standards::table.find(version).first(conn).optional()?)
}

pub fn all(conn: &mut DbConnection) -> AppResult<Vec<StandardRow>> {
    Ok(standards::table.order(standards::created_at.asc()).load(conn)?)
}

pub fn count(conn: &mut DbConnection) -> AppResult<i64> {
    Ok(standards::table.count().get_result(conn)?)
}

/// The most recently published version still in force.
pub fn latest_published(conn: &mut DbConnection) -> AppResult<Option<StandardRow>> {
    Ok(standards::table
        .filter(standards::status.eq("published"))
        .order((standards::published_at.desc(), standards::created_at.desc(), standards::version.desc()))
        .first(conn)
        .optional()?)
}

pub fn set_status(
    conn: &mut DbConnection,
    version: &str,
    status: &str,
    published_at: Option<NaiveDateTime>,
    retired_at: Option<NaiveDateTime>,
) -> AppResult<()> {
    diesel::update(standards::table.find(version))
        .set((
            standards::status.eq(status),
            standards::published_at.eq(published_at),
            standards::retired_at.eq(retired_at),
        ))
        .execute(conn)?;
    Ok(())
}
