//! The event log: appending under the chain head's lock, the change feed's query, and the
//! ordered walk that verifies the chain.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};

use crate::db::schema::{agencies, event_chain_head, events, watchlist_entries, worker_reports};
use crate::db::types::At;
use crate::db::{DbConnection, MultiBackend};
use crate::domain::events::{Link, Scope};
use crate::error::AppResult;
use crate::store::InTable;
use crate::store::agencies::element_pattern;

const TABLE: &str = "events";

#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(table_name = events)]
pub struct EventRow {
    pub sequence: i64,
    pub id: String,
    pub event_type: String,
    pub subject_type: String,
    pub subject_id: String,
    pub agency_id: Option<String>,
    pub certification_body_id: Option<String>,
    pub public: bool,
    pub actor: String,
    #[diesel(serialize_as = At)]
    pub occurred_at: DateTime<Utc>,
    pub previous_values: Option<String>,
    pub current_values: Option<String>,
    pub previous_hash: String,
    pub hash: String,
    pub personal_values: Option<String>,
    pub personal_digest: Option<String>,
    #[diesel(serialize_as = crate::db::types::MaybeAt)]
    pub personal_erased_at: Option<DateTime<Utc>>,
}

impl EventRow {
    /// The fields the hash covers.
    pub fn link(&self) -> Link<'_> {
        Link {
            sequence: self.sequence,
            id: &self.id,
            event_type: &self.event_type,
            subject_type: &self.subject_type,
            subject_id: &self.subject_id,
            agency_id: self.agency_id.as_deref(),
            certification_body_id: self.certification_body_id.as_deref(),
            public: self.public,
            actor: &self.actor,
            occurred_at: self.occurred_at,
            previous_values: self.previous_values.as_deref(),
            current_values: self.current_values.as_deref(),
            previous_hash: &self.previous_hash,
            personal_digest: self.personal_digest.as_deref(),
        }
    }
}

/// The last link of the chain, locked until the caller's transaction ends.
///
/// Holding this lock from the append to the commit is what makes sequence order commit order:
/// the next writer reads the head only once this one has committed. On PostgreSQL the row is
/// locked with `FOR UPDATE`; on SQLite every write transaction already holds the database's
/// single write lock from its start (`BEGIN IMMEDIATE`, see `db::write_transaction`).
pub fn lock_head(conn: &mut DbConnection) -> AppResult<(i64, String)> {
    #[derive(QueryableByName)]
    struct Head {
        #[diesel(sql_type = BigInt)]
        last_sequence: i64,
        #[diesel(sql_type = Text)]
        last_hash: String,
    }
    let head: Head = match conn {
        DbConnection::Pg(pg) => {
            diesel::sql_query("SELECT last_sequence, last_hash FROM event_chain_head WHERE id = 1 FOR UPDATE")
                .get_result(pg)?
        }
        DbConnection::Sqlite(lite) => {
            diesel::sql_query("SELECT last_sequence, last_hash FROM event_chain_head WHERE id = 1").get_result(lite)?
        }
    };
    Ok((head.last_sequence, head.last_hash))
}

/// The head without a lock, for the verifier's report.
pub fn head(conn: &mut DbConnection) -> AppResult<(i64, String)> {
    Ok(event_chain_head::table
        .find(1)
        .select((event_chain_head::last_sequence, event_chain_head::last_hash))
        .first(conn)?)
}

/// Appends events already chained to the locked head, and moves the head to the last one.
pub fn append(conn: &mut DbConnection, rows: &[EventRow]) -> AppResult<()> {
    let Some(last) = rows.last() else {
        return Ok(());
    };
    match conn {
        // Batch inserts do not compile over the two-backend connection, so on PostgreSQL's own,
        // where each statement is a round trip; 17 columns, so 2,000 rows stay under its
        // 65,535 parameters per statement.
        DbConnection::Pg(pg) => {
            for chunk in rows.chunks(2_000) {
                diesel::insert_into(events::table).values(chunk.to_vec()).execute(pg)?;
            }
        }
        DbConnection::Sqlite(_) => {
            for row in rows {
                diesel::insert_into(events::table).values(row.clone()).execute(conn)?;
            }
        }
    }
    diesel::update(event_chain_head::table.find(1))
        .set((event_chain_head::last_sequence.eq(last.sequence), event_chain_head::last_hash.eq(&last.hash)))
        .execute(conn)?;
    Ok(())
}

/// Erases the personal values of every event about this subject that still holds some; the
/// digests stay, so the chain still verifies. Returns how many events were erased.
pub fn erase_personal_of(
    conn: &mut DbConnection,
    subject_type: &str,
    subject_id: &str,
    at: DateTime<Utc>,
) -> AppResult<usize> {
    diesel::update(
        events::table
            .filter(events::subject_id.eq(subject_id))
            .filter(events::subject_type.eq(subject_type))
            .filter(events::personal_values.is_not_null()),
    )
    .set((events::personal_values.eq(None::<String>), events::personal_erased_at.eq(At(at))))
    .execute(conn)
    .in_table(TABLE)
}

/// What a feed reader asks for.
#[derive(Debug, Clone, Default)]
pub struct FeedFilter {
    pub types: Vec<String>,
    pub agency_id: Option<String>,
    /// Agencies registered in, recruiting from or placing workers in this country.
    pub country: Option<String>,
    /// Agencies recruiting from the first country for the second.
    pub corridor: Option<(String, String)>,
    /// Only agencies on this client's watchlist.
    pub watchlist_of: Option<String>,
    pub subject_id: Option<String>,
}

type Condition = Box<dyn BoxableExpression<events::table, MultiBackend, SqlType = Bool>>;

/// The scope as SQL.
fn in_scope(scope: &Scope) -> Condition {
    match scope {
        Scope::All => Box::new(diesel::dsl::sql::<Bool>("1 = 1")),
        Scope::Public => Box::new(events::public.eq(true)),
        Scope::PublicOrAgency(id) => {
            Box::new(events::public.eq(true).or(events::agency_id.eq(id.clone()).assume_not_null()))
        }
        Scope::PublicOrBody(id) => {
            Box::new(events::public.eq(true).or(events::certification_body_id.eq(id.clone()).assume_not_null()))
        }
    }
}

fn filtered(scope: &Scope, filter: &FeedFilter) -> events::BoxedQuery<'static, MultiBackend> {
    let mut query = events::table.into_boxed::<MultiBackend>().filter(in_scope(scope));
    if !filter.types.is_empty() {
        query = query.filter(events::event_type.eq_any(filter.types.clone()));
    }
    if let Some(id) = &filter.agency_id {
        query = query.filter(events::agency_id.eq(id.clone()));
    }
    if let Some(id) = &filter.subject_id {
        query = query.filter(events::subject_id.eq(id.clone()));
    }
    if let Some(country) = &filter.country {
        let pattern = element_pattern(country);
        let ids = agencies::table.select(agencies::id).filter(
            agencies::licence_country
                .eq(country.clone())
                .or(agencies::origin_countries.like(pattern.clone()).escape('\\'))
                .or(agencies::destination_countries.like(pattern).escape('\\')),
        );
        query = query.filter(events::agency_id.assume_not_null().eq_any(ids));
    }
    if let Some((origin, destination)) = &filter.corridor {
        let ids = agencies::table
            .select(agencies::id)
            .filter(agencies::origin_countries.like(element_pattern(origin)).escape('\\'))
            .filter(agencies::destination_countries.like(element_pattern(destination)).escape('\\'));
        query = query.filter(events::agency_id.assume_not_null().eq_any(ids));
    }
    if let Some(client) = &filter.watchlist_of {
        let ids = watchlist_entries::table
            .select(watchlist_entries::agency_id)
            .filter(watchlist_entries::client_id.eq(client.clone()));
        query = query.filter(events::agency_id.assume_not_null().eq_any(ids));
    }
    query
}

/// Events after `after` in sequence order that the scope admits and the filter matches.
pub fn feed(
    conn: &mut DbConnection,
    scope: &Scope,
    filter: &FeedFilter,
    after: i64,
    limit: i64,
) -> AppResult<Vec<EventRow>> {
    filtered(scope, filter)
        .filter(events::sequence.gt(after))
        .order(events::sequence.asc())
        .limit(limit)
        .load(conn)
        .in_table(TABLE)
}

/// Events from `from` on, in sequence order, for the verifier.
pub fn run_from(conn: &mut DbConnection, from: i64, limit: i64) -> AppResult<Vec<EventRow>> {
    events::table
        .filter(events::sequence.ge(from))
        .order(events::sequence.asc())
        .limit(limit)
        .load(conn)
        .in_table(TABLE)
}

/// Whether an event of this type about this subject was ever written (the sweeper reports an
/// overdue corrective action once).
pub fn exists_for(conn: &mut DbConnection, event_type: &str, subject_id: &str) -> AppResult<bool> {
    let n: i64 = events::table
        .filter(events::subject_id.eq(subject_id))
        .filter(events::event_type.eq(event_type))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// An event's place in the log and what it is about, for the read cache's tail.
#[derive(Debug, Queryable)]
pub struct Change {
    pub sequence: i64,
    pub agency_id: Option<String>,
    pub body_id: Option<String>,
    /// The agency a worker report is about: report events do not name it (the agency reported
    /// must not read them in its feed), yet a decision on a report changes the agency's record.
    pub reported_agency_id: Option<String>,
}

impl Change {
    /// The agency whose answers the event changes, if any.
    pub fn agency(&self) -> Option<&str> {
        self.agency_id.as_deref().or(self.reported_agency_id.as_deref())
    }
}

/// The events after `after`, in order, as [`Change`]s: what the read cache's tail applies.
pub fn changed_after(conn: &mut DbConnection, after: i64, limit: i64) -> AppResult<Vec<Change>> {
    let report = worker_reports::id.eq(events::subject_id).and(events::subject_type.eq("report"));
    events::table
        .left_join(worker_reports::table.on(report))
        .filter(events::sequence.gt(after))
        .order(events::sequence.asc())
        .select((
            events::sequence,
            events::agency_id,
            events::certification_body_id,
            worker_reports::agency_id.nullable(),
        ))
        .limit(limit)
        .load(conn)
        .in_table(TABLE)
}

/// The sequence and agency of the events after `after`, in order: what the search index replays
/// to stay current.
pub fn agencies_touched_after(
    conn: &mut DbConnection,
    after: i64,
    limit: i64,
) -> AppResult<Vec<(i64, Option<String>)>> {
    events::table
        .filter(events::sequence.gt(after))
        .order(events::sequence.asc())
        .select((events::sequence, events::agency_id))
        .limit(limit)
        .load(conn)
        .in_table(TABLE)
}
