//! API clients: who may ask for tokens.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::api_clients;
use crate::db::types::{At, MaybeAt};
use crate::domain::roles::Role;
use crate::error::AppResult;
use crate::store::InTable;

const TABLE: &str = "api_clients";

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = api_clients)]
pub struct ClientRow {
    pub id: String,
    pub name: String,
    pub role: Role,
    pub certification_body_id: Option<String>,
    pub agency_id: Option<String>,
    pub secret_hash: String,
    pub created_by: Option<String>,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub revoked_at: Option<DateTime<Utc>>,
    pub person_ref: Option<String>,
}

pub fn insert(conn: &mut DbConnection, row: &ClientRow) -> AppResult<()> {
    diesel::insert_into(api_clients::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<ClientRow>> {
    api_clients::table.find(id).first::<ClientRow>(conn).optional().in_table(TABLE)
}

/// True when the client exists and has not been revoked.
pub fn is_active(conn: &mut DbConnection, id: &str) -> AppResult<bool> {
    let found: i64 = api_clients::table
        .filter(api_clients::id.eq(id))
        .filter(api_clients::revoked_at.is_null())
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// Clients in id order (ids are UUIDv7, so creation order), after `after`.
pub fn page(conn: &mut DbConnection, after: Option<&str>, limit: i64) -> AppResult<Vec<ClientRow>> {
    let mut query = api_clients::table.into_boxed();
    if let Some(after) = after {
        query = query.filter(api_clients::id.gt(after.to_owned()));
    }
    query.order(api_clients::id.asc()).limit(limit).load::<ClientRow>(conn).in_table(TABLE)
}

/// Marks the client revoked at `at`; a client already revoked keeps its first revocation time.
pub fn revoke(conn: &mut DbConnection, id: &str, at: DateTime<Utc>) -> AppResult<()> {
    diesel::update(api_clients::table.filter(api_clients::id.eq(id)).filter(api_clients::revoked_at.is_null()))
        .set(api_clients::revoked_at.eq(MaybeAt(Some(at))))
        .execute(conn)?;
    Ok(())
}
