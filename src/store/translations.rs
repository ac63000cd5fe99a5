//! Translations of standard versions, one row per version and language. The texts are stored
//! whole, as JSON: a published translation never changes.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::standard_translations as translations;
use crate::db::types::{At, Json, JsonText, MaybeAt};
use crate::domain::standard::{StandardStatus, TranslationContent};
use crate::error::AppResult;
use crate::store::InTable;

const TABLE: &str = "standard_translations";

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = translations, treat_none_as_null = true)]
pub struct TranslationRow {
    pub standard_version: String,
    /// A canonical BCP 47 tag.
    pub language: String,
    /// Draft or published; never retired (the version is).
    pub status: StandardStatus,
    #[diesel(serialize_as = JsonText)]
    pub content: Json<TranslationContent>,
    pub version: i64,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
    #[diesel(serialize_as = At)]
    pub updated_at: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub published_at: Option<DateTime<Utc>>,
}

pub fn insert(conn: &mut DbConnection, row: &TranslationRow) -> AppResult<()> {
    diesel::insert_into(translations::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, standard_version: &str, language: &str) -> AppResult<Option<TranslationRow>> {
    translations::table.find((standard_version, language)).first(conn).optional().in_table(TABLE)
}

/// Every translation of a version, by language.
pub fn of_version(conn: &mut DbConnection, standard_version: &str) -> AppResult<Vec<TranslationRow>> {
    translations::table
        .filter(translations::standard_version.eq(standard_version))
        .order(translations::language.asc())
        .load(conn)
        .in_table(TABLE)
}

/// Every published translation, of every version.
pub fn all_published(conn: &mut DbConnection) -> AppResult<Vec<TranslationRow>> {
    translations::table
        .filter(translations::status.eq(StandardStatus::Published))
        .order((translations::standard_version.asc(), translations::language.asc()))
        .load(conn)
        .in_table(TABLE)
}

/// Writes `row` over the stored one if that one still has version `expected`; false when
/// another writer got there first.
pub fn replace_if_version(conn: &mut DbConnection, row: &TranslationRow, expected: i64) -> AppResult<bool> {
    let n = diesel::update(
        translations::table.find((&row.standard_version, &row.language)).filter(translations::version.eq(expected)),
    )
    .set(row.clone())
    .execute(conn)?;
    Ok(n == 1)
}
