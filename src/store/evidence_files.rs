//! Evidence files' rows: what each attachment is, whose, and where its contents are.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::evidence_files;
use crate::db::types::{At, MaybeAt};
use crate::domain::evidence_files::ParentKind;
use crate::error::AppResult;
use crate::store::InTable;

const FILES: &str = "evidence_files";

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = evidence_files)]
pub struct FileRow {
    pub id: String,
    pub parent_kind: ParentKind,
    pub parent_id: String,
    pub criterion_code: Option<String>,
    pub agency_id: String,
    pub certification_body_id: Option<String>,
    pub name: Option<String>,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub names_workers: bool,
    pub uploaded_by: String,
    #[diesel(serialize_as = At)]
    pub uploaded_at: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub erased_at: Option<DateTime<Utc>>,
}

pub fn insert(conn: &mut DbConnection, row: &FileRow) -> AppResult<()> {
    diesel::insert_into(evidence_files::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<FileRow>> {
    evidence_files::table.find(id).first(conn).optional().in_table(FILES)
}

/// The files of an assessment (its own and its findings') or of a corrective action, in
/// upload order, after the id `after`.
pub fn page_of(conn: &mut DbConnection, parent_id: &str, after: Option<&str>, limit: i64) -> AppResult<Vec<FileRow>> {
    let mut query = evidence_files::table.filter(evidence_files::parent_id.eq(parent_id)).into_boxed();
    if let Some(after) = after {
        query = query.filter(evidence_files::id.gt(after.to_owned()));
    }
    query.order(evidence_files::id.asc()).limit(limit).load(conn).in_table(FILES)
}

pub fn delete(conn: &mut DbConnection, id: &str) -> AppResult<()> {
    diesel::delete(evidence_files::table.find(id)).execute(conn)?;
    Ok(())
}

/// How many attachments whose contents are still kept have this hash: while one has, the
/// stored object stays.
pub fn holders_of(conn: &mut DbConnection, sha256: &str) -> AppResult<i64> {
    evidence_files::table
        .filter(evidence_files::sha256.eq(sha256))
        .filter(evidence_files::erased_at.is_null())
        .count()
        .get_result(conn)
        .in_table(FILES)
}

/// Forgets a file's name and marks its contents erased; false if it already was.
pub fn mark_erased(conn: &mut DbConnection, id: &str, at: DateTime<Utc>) -> AppResult<bool> {
    let n = diesel::update(evidence_files::table.find(id).filter(evidence_files::erased_at.is_null()))
        .set((evidence_files::name.eq(None::<String>), evidence_files::erased_at.eq(At(at))))
        .execute(conn)?;
    Ok(n == 1)
}

/// Attachments declared to name workers, uploaded before `cutoff` and not yet erased, oldest
/// first, at most `limit`: what a retention sweep erases.
pub fn naming_workers_before(conn: &mut DbConnection, cutoff: DateTime<Utc>, limit: i64) -> AppResult<Vec<FileRow>> {
    evidence_files::table
        .filter(evidence_files::names_workers.eq(true))
        .filter(evidence_files::erased_at.is_null())
        .filter(evidence_files::uploaded_at.lt(At(cutoff)))
        .order(evidence_files::uploaded_at.asc())
        .limit(limit)
        .load(conn)
        .in_table(FILES)
}
