//! The agency registry.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use crate::db::schema::agencies;
use crate::db::types::{At, Json, JsonText, MaybeAt, NullableJsonText};
use crate::db::{DbConnection, MultiBackend};
use crate::domain::agency::{Address, CertificationStatus, Grade, Sector, contains_pattern};
use crate::error::{AppError, AppResult};
use crate::store::InTable;

const TABLE: &str = "agencies";

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = agencies, treat_none_as_null = true)]
pub struct AgencyRow {
    pub id: String,
    pub legal_name: String,
    #[diesel(serialize_as = JsonText)]
    pub trading_names: Json<Vec<String>>,
    pub licence_number: String,
    pub licence_key: String,
    pub licence_authority: String,
    pub licence_country: String,
    pub licence_valid_from: Option<NaiveDate>,
    pub licence_valid_until: Option<NaiveDate>,
    #[diesel(serialize_as = JsonText)]
    pub origin_countries: Json<Vec<String>>,
    #[diesel(serialize_as = JsonText)]
    pub destination_countries: Json<Vec<String>>,
    #[diesel(serialize_as = JsonText)]
    pub sectors: Json<Vec<Sector>>,
    #[diesel(serialize_as = NullableJsonText)]
    pub address: Option<Json<Address>>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub certification_status: CertificationStatus,
    pub grade: Option<Grade>,
    pub latest_score: Option<f64>,
    pub version: i64,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
    #[diesel(serialize_as = At)]
    pub updated_at: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub licence_verified_at: Option<DateTime<Utc>>,
    pub licence_verified_by: Option<String>,
    pub licence_source: Option<String>,
}

/// What a registry search filters on (names are searched by `crate::search`). Text values are
/// already folded by the caller.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub licence_key: Option<String>,
    /// Licensed in, recruiting from or recruiting to this country.
    pub country: Option<String>,
    pub origin: Option<String>,
    pub destination: Option<String>,
    pub sector: Option<Sector>,
    pub status: Option<CertificationStatus>,
    pub grade: Option<Grade>,
    /// Only this agency (an agency caller sees itself alone).
    pub only_id: Option<String>,
}

fn licence_taken(row: &AgencyRow) -> AppError {
    AppError::Conflict(format!(
        "an agency with licence {} issued in {} is already registered",
        row.licence_number, row.licence_country
    ))
}

fn map_unique(row: &AgencyRow) -> impl FnOnce(diesel::result::Error) -> AppError + '_ {
    move |e| match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            licence_taken(row)
        }
        other => other.into(),
    }
}

pub fn insert(conn: &mut DbConnection, row: &AgencyRow) -> AppResult<()> {
    diesel::insert_into(agencies::table).values(row.clone()).execute(conn).map_err(map_unique(row))?;
    Ok(())
}

/// Inserts many agencies: in statements of many rows on PostgreSQL (batch inserts do not compile
/// over the two-backend connection, so on its own connection), one by one on SQLite, where a
/// statement costs no round trip.
pub fn insert_many(conn: &mut DbConnection, rows: &[AgencyRow]) -> AppResult<()> {
    match conn {
        DbConnection::Pg(pg) => {
            // 31 columns: 1,000 rows stay under PostgreSQL's 65,535 parameters per statement.
            for chunk in rows.chunks(1_000) {
                diesel::insert_into(agencies::table).values(chunk.to_vec()).execute(pg).map_err(|e| match e {
                    diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
                        AppError::Conflict("a licence in the batch is already registered".into())
                    }
                    other => other.into(),
                })?;
            }
            Ok(())
        }
        DbConnection::Sqlite(_) => rows.iter().try_for_each(|row| insert(conn, row)),
    }
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<AgencyRow>> {
    agencies::table.find(id).first::<AgencyRow>(conn).optional().in_table(TABLE)
}

pub fn exists(conn: &mut DbConnection, id: &str) -> AppResult<bool> {
    let n: i64 = agencies::table.filter(agencies::id.eq(id)).count().get_result(conn)?;
    Ok(n > 0)
}

impl crate::store::Versioned for AgencyRow {
    const WHAT: &'static str = "agency";
    fn version(&self) -> i64 {
        self.version
    }
    fn touch(&mut self, now: DateTime<Utc>) {
        self.version += 1;
        self.updated_at = now;
    }
    /// As for every versioned row, but a licence already registered is named as such.
    fn write_if_version(conn: &mut DbConnection, row: &AgencyRow, expected: i64) -> AppResult<bool> {
        let changed =
            diesel::update(agencies::table.filter(agencies::id.eq(&row.id)).filter(agencies::version.eq(expected)))
                .set(row.clone())
                .execute(conn)
                .map_err(map_unique(row))?;
        Ok(changed == 1)
    }
}

/// A JSON array column holds this code. Codes are validated upper-case letters, so the quoted
/// form cannot match anything but a whole element.
pub(crate) fn element_pattern(code: &str) -> String {
    contains_pattern(&format!("\"{code}\""))
}

/// One page of agencies matching `filter`, in id (creation) order, after the id `after`.
pub fn search(conn: &mut DbConnection, filter: &Filter, after: Option<&str>, limit: i64) -> AppResult<Vec<AgencyRow>> {
    let mut query = agencies::table.into_boxed::<MultiBackend>();
    if let Some(key) = &filter.licence_key {
        query = query.filter(agencies::licence_key.eq(key.clone()));
    }
    if let Some(country) = &filter.country {
        let pattern = element_pattern(country);
        query = query.filter(
            agencies::licence_country
                .eq(country.clone())
                .or(agencies::origin_countries.like(pattern.clone()).escape('\\'))
                .or(agencies::destination_countries.like(pattern).escape('\\')),
        );
    }
    if let Some(origin) = &filter.origin {
        query = query.filter(agencies::origin_countries.like(element_pattern(origin)).escape('\\'));
    }
    if let Some(destination) = &filter.destination {
        query = query.filter(agencies::destination_countries.like(element_pattern(destination)).escape('\\'));
    }
    if let Some(sector) = filter.sector {
        let name: &'static str = sector.into();
        query = query.filter(agencies::sectors.like(element_pattern(name)).escape('\\'));
    }
    if let Some(status) = filter.status {
        query = query.filter(agencies::certification_status.eq(status));
    }
    if let Some(grade) = filter.grade {
        query = query.filter(agencies::grade.eq(grade));
    }
    if let Some(id) = &filter.only_id {
        query = query.filter(agencies::id.eq(id.clone()));
    }
    if let Some(after) = after {
        query = query.filter(agencies::id.gt(after.to_owned()));
    }
    query.order(agencies::id.asc()).limit(limit).load::<AgencyRow>(conn).in_table(TABLE)
}

/// The agency holding the licence `key` (see `domain::agency::licence_key`) issued in `country`.
pub fn find_by_licence(conn: &mut DbConnection, country: &str, key: &str) -> AppResult<Option<AgencyRow>> {
    agencies::table
        .filter(agencies::licence_country.eq(country))
        .filter(agencies::licence_key.eq(key))
        .first::<AgencyRow>(conn)
        .optional()
        .in_table(TABLE)
}

/// Of these ids, the ones that name an agency.
pub fn existing_ids(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<String>> {
    let mut found = Vec::new();
    for chunk in ids.chunks(500) {
        let part: Vec<String> = agencies::table.filter(agencies::id.eq_any(chunk)).select(agencies::id).load(conn)?;
        found.extend(part);
    }
    Ok(found)
}

/// The agencies with these ids, in no particular order.
pub fn find_many(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<AgencyRow>> {
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        found.extend(agencies::table.filter(agencies::id.eq_any(chunk)).load::<AgencyRow>(conn).in_table(TABLE)?);
    }
    Ok(found)
}

/// The agencies holding these licence `keys` (see `domain::agency::licence_key`) issued in
/// `country`, in batches of 500.
pub fn find_by_licences(conn: &mut DbConnection, country: &str, keys: &[String]) -> AppResult<Vec<AgencyRow>> {
    let mut found = Vec::new();
    for chunk in keys.chunks(500) {
        found.extend(
            agencies::table
                .filter(agencies::licence_country.eq(country))
                .filter(agencies::licence_key.eq_any(chunk))
                .load::<AgencyRow>(conn)
                .in_table(TABLE)?,
        );
    }
    Ok(found)
}

/// Agencies that still hold contact details though they have needed none since before `cutoff`:
/// no certificate in force or suspended, no application a body may still decide, and no change
/// since then. What the retention policy erases.
pub fn contacts_idle_since(conn: &mut DbConnection, cutoff: DateTime<Utc>) -> AppResult<Vec<AgencyRow>> {
    use crate::db::schema::applications;
    use crate::domain::certification_body::ApplicationStatus;
    let open_applications = applications::table.select(applications::agency_id).filter(applications::status.eq_any([
        ApplicationStatus::Pending,
        ApplicationStatus::Accepted,
        ApplicationStatus::Deferred,
    ]));
    agencies::table
        .filter(agencies::contact_email.is_not_null().or(agencies::contact_phone.is_not_null()))
        .filter(agencies::certification_status.ne_all([CertificationStatus::Certified, CertificationStatus::Suspended]))
        .filter(agencies::updated_at.lt(At(cutoff)))
        .filter(agencies::id.ne_all(open_applications))
        .order(agencies::id.asc())
        .load(conn)
        .in_table(TABLE)
}
