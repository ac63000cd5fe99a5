//! Standard versions. The content is stored whole, as JSON: a published version never changes.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::standards;
use crate::db::types::{At, Json, JsonText, MaybeAt};
use crate::domain::standard::{StandardContent, StandardStatus};
use crate::error::{AppError, AppResult};
use crate::store::InTable;

const TABLE: &str = "standards";

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = standards)]
pub struct StandardRow {
    pub version: String,
    pub title: String,
    pub status: StandardStatus,
    /// The version's principles, criteria and policy.
    #[diesel(serialize_as = JsonText)]
    pub content: Json<StandardContent>,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub published_at: Option<DateTime<Utc>>,
    #[diesel(serialize_as = MaybeAt)]
    pub retired_at: Option<DateTime<Utc>>,
}

/// The content of a version an assessment is bound to (so it must exist).
pub fn content_of_version(conn: &mut DbConnection, version: &str) -> AppResult<StandardContent> {
    Ok(find(conn, version)?
        .ok_or_else(|| AppError::internal(format!("assessment bound to missing standard {version}")))?
        .content
        .into_inner())
}

pub fn insert(conn: &mut DbConnection, row: &StandardRow) -> AppResult<()> {
    diesel::insert_into(standards::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, version: &str) -> AppResult<Option<StandardRow>> {
    standards::table.find(version).first(conn).optional().in_table(TABLE)
}

pub fn all(conn: &mut DbConnection) -> AppResult<Vec<StandardRow>> {
    standards::table.order(standards::created_at.asc()).load(conn).in_table(TABLE)
}

pub fn count(conn: &mut DbConnection) -> AppResult<i64> {
    Ok(standards::table.count().get_result(conn)?)
}

/// The most recently published version still in force.
pub fn latest_published(conn: &mut DbConnection) -> AppResult<Option<StandardRow>> {
    standards::table
        .filter(standards::status.eq(StandardStatus::Published))
        .order((standards::published_at.desc(), standards::created_at.desc(), standards::version.desc()))
        .first(conn)
        .optional()
        .in_table(TABLE)
}

pub fn set_status(
    conn: &mut DbConnection,
    version: &str,
    status: StandardStatus,
    published_at: Option<DateTime<Utc>>,
    retired_at: Option<DateTime<Utc>>,
) -> AppResult<()> {
    diesel::update(standards::table.find(version))
        .set((
            standards::status.eq(status),
            standards::published_at.eq(MaybeAt(published_at)),
            standards::retired_at.eq(MaybeAt(retired_at)),
        ))
        .execute(conn)?;
    Ok(())
}
