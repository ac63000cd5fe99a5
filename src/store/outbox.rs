//! The dispatcher's queries on the outbox: claiming due deliveries, recording how an attempt
//! ended, and giving claims back.
//!
//! A claim (`claimed_by`, `claim_expires_at`) reserves a delivery for one process while it sends
//! it. Claims keep several dispatchers on one database from sending the same delivery twice; one
//! left by a process that died expires, and the delivery is claimed again. Only the process
//! holding a claim records the attempt's outcome.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use crate::db::DbConnection;
use crate::db::schema::{api_clients, events, webhook_attempts, webhook_deliveries, webhook_subscriptions};
use crate::db::types::{At, MaybeAt};
use crate::error::AppResult;
use crate::store::InTable;
use crate::store::events::EventRow;
use crate::store::webhooks::{AttemptRow, DeliveryRow, FAILED, PENDING, SUCCEEDED, SubscriptionRow};

const DELIVERIES: &str = "webhook_deliveries";

/// A delivery this process has claimed, with what it takes to send it.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub delivery: DeliveryRow,
    pub subscription: SubscriptionRow,
    pub event: EventRow,
}

/// Whether any delivery is due and free to claim. A read, so that an idle dispatcher does not
/// take the write lock (SQLite's one writer) every time it looks.
pub fn any_due(conn: &mut DbConnection, now: DateTime<Utc>) -> AppResult<bool> {
    use webhook_deliveries as d;
    let free = d::claim_expires_at.is_null().or(d::claim_expires_at.lt(At(now)));
    let found: Option<String> = d::table
        .filter(d::status.eq(PENDING))
        .filter(d::next_attempt_at.le(At(now)))
        .filter(free)
        .select(d::id)
        .first(conn)
        .optional()
        .in_table(DELIVERIES)?;
    Ok(found.is_some())
}

/// How many deliveries are pending: not yet delivered nor given up on, due or not.
pub fn backlog(conn: &mut DbConnection) -> AppResult<i64> {
    use webhook_deliveries as d;
    d::table.filter(d::status.eq(PENDING)).count().get_result(conn).in_table(DELIVERIES)
}

/// Claims up to `limit` deliveries for `instance` until `now + ttl`, oldest due first, and
/// returns them. A delivery is claimed when it is pending and due, its subscription is enabled
/// and not deleted, its owner is not revoked, and no live claim holds it.
///
/// The two backends lock differently, and this is the one place that shows it. PostgreSQL runs
/// one statement that skips the rows another transaction is claiming (`FOR UPDATE SKIP
/// LOCKED`), so concurrent dispatchers take different rows instead of waiting on each other.
/// SQLite's write transaction already holds the database's one write lock (`BEGIN IMMEDIATE`),
/// so the candidates are read first and each is claimed by an update that re-checks that it is
/// free; only those it changed are returned.
pub fn claim_due(
    conn: &mut DbConnection,
    instance: &str,
    now: DateTime<Utc>,
    ttl: Duration,
    limit: i64,
) -> AppResult<Vec<Claimed>> {
    let until = now.checked_add_signed(ttl).unwrap_or(DateTime::<Utc>::MAX_UTC);
    let ids = match conn {
        DbConnection::Pg(pg) => claim_on_postgres(pg, instance, now, until, limit)?,
        DbConnection::Sqlite(_) => {
            let mut taken = Vec::new();
            for id in due_candidates(conn, now, limit)? {
                if take(conn, &id, instance, now, until)? {
                    taken.push(id);
                }
            }
            taken
        }
    };
    load(conn, &ids)
}

fn claim_on_postgres(
    pg: &mut diesel::PgConnection,
    instance: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> AppResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = Text)]
        id: String,
    }
    // `FOR UPDATE OF d` locks the deliveries only: a subscription or client row being edited
    // must not hold up (or be held up by) the dispatcher.
    let rows: Vec<Id> = diesel::sql_query(
        "UPDATE webhook_deliveries SET claimed_by = $1, claim_expires_at = $2 \
         WHERE id IN ( \
             SELECT d.id FROM webhook_deliveries d \
             JOIN webhook_subscriptions s ON s.id = d.subscription_id \
             JOIN api_clients c ON c.id = s.owner_client_id \
             WHERE d.status = $3 AND d.next_attempt_at <= $4 \
               AND (d.claim_expires_at IS NULL OR d.claim_expires_at < $4) \
               AND s.enabled AND s.deleted_at IS NULL AND c.revoked_at IS NULL \
             ORDER BY d.next_attempt_at, d.id \
             LIMIT $5 \
             FOR UPDATE OF d SKIP LOCKED) \
         RETURNING id",
    )
    .bind::<Text, _>(instance)
    .bind::<Timestamp, _>(until.naive_utc())
    .bind::<Text, _>(PENDING)
    .bind::<Timestamp, _>(now.naive_utc())
    .bind::<BigInt, _>(limit)
    .load(pg)
    .in_table(DELIVERIES)?;
    Ok(rows.into_iter().map(|row| row.id).collect())
}

/// The ids of deliveries that may be claimed now, oldest due first.
fn due_candidates(conn: &mut DbConnection, now: DateTime<Utc>, limit: i64) -> AppResult<Vec<String>> {
    use {api_clients as c, webhook_deliveries as d, webhook_subscriptions as s};
    let free = d::claim_expires_at.is_null().or(d::claim_expires_at.lt(At(now)));
    d::table
        .inner_join(s::table)
        .inner_join(c::table.on(c::id.eq(s::owner_client_id)))
        .filter(d::status.eq(PENDING))
        .filter(d::next_attempt_at.le(At(now)))
        .filter(free)
        .filter(s::enabled.eq(true))
        .filter(s::deleted_at.is_null())
        .filter(c::revoked_at.is_null())
        .order((d::next_attempt_at.asc(), d::id.asc()))
        .select(d::id)
        .limit(limit)
        .load(conn)
        .in_table(DELIVERIES)
}

/// Claims one delivery if it is still pending and free; true when it did.
fn take(
    conn: &mut DbConnection,
    id: &str,
    instance: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> AppResult<bool> {
    use webhook_deliveries as d;
    let free = d::claim_expires_at.is_null().or(d::claim_expires_at.lt(At(now)));
    let changed = diesel::update(d::table.filter(d::id.eq(id)).filter(d::status.eq(PENDING)).filter(free))
        .set((d::claimed_by.eq(instance), d::claim_expires_at.eq(MaybeAt(Some(until)))))
        .execute(conn)?;
    Ok(changed == 1)
}

/// The claimed deliveries with their subscriptions and events, in the order they were due.
fn load(conn: &mut DbConnection, ids: &[String]) -> AppResult<Vec<Claimed>> {
    use webhook_deliveries as d;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(DeliveryRow, SubscriptionRow, EventRow)> = d::table
        .inner_join(webhook_subscriptions::table)
        .inner_join(events::table)
        .filter(d::id.eq_any(ids))
        .order((d::next_attempt_at.asc(), d::id.asc()))
        .select((d::all_columns, webhook_subscriptions::all_columns, events::all_columns))
        .load(conn)
        .in_table(DELIVERIES)?;
    Ok(rows.into_iter().map(|(delivery, subscription, event)| Claimed { delivery, subscription, event }).collect())
}

/// Where an attempt leaves its delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// The receiver has it: `succeeded`, delivered now.
    Delivered,
    /// Still pending, tried again at this time.
    RetryAt(DateTime<Utc>),
    /// `failed`, with this reason as its last error: nothing more is sent.
    GiveUp(String),
}

/// Records an attempt (`attempt.delivery_id`) and moves its delivery on: one more attempt, the
/// last status and error, then `next`; the claim is cleared. Only while `instance` still holds
/// the claim: a process whose claim expired and was taken by another writes nothing, and gets
/// false, since the other process's attempt is the one that counts now.
pub fn finish_attempt(
    conn: &mut DbConnection,
    instance: &str,
    attempt: &AttemptRow,
    next: Next,
    now: DateTime<Utc>,
) -> AppResult<bool> {
    use webhook_deliveries as d;
    let ours = d::table.filter(d::id.eq(&attempt.delivery_id)).filter(d::claimed_by.eq(instance));
    let common = (
        d::attempts.eq(d::attempts + 1),
        d::last_attempt_at.eq(MaybeAt(Some(attempt.attempted_at))),
        d::last_status_code.eq(attempt.status_code),
        d::claimed_by.eq(None::<String>),
        d::claim_expires_at.eq(MaybeAt(None)),
    );
    let changed = match next {
        Next::Delivered => diesel::update(ours)
            .set((
                common,
                d::last_error.eq(attempt.error.clone()),
                d::status.eq(SUCCEEDED),
                d::delivered_at.eq(MaybeAt(Some(now))),
            ))
            .execute(conn)?,
        // The status is left as it is: a delivery given up on while its attempt was in flight
        // (its subscription was disabled) stays given up.
        Next::RetryAt(at) => diesel::update(ours)
            .set((common, d::last_error.eq(attempt.error.clone()), d::next_attempt_at.eq(At(at))))
            .execute(conn)?,
        Next::GiveUp(reason) => {
            diesel::update(ours).set((common, d::last_error.eq(reason), d::status.eq(FAILED))).execute(conn)?
        }
    };
    if changed == 0 {
        return Ok(false);
    }
    diesel::insert_into(webhook_attempts::table).values(attempt.clone()).execute(conn)?;
    Ok(true)
}

/// Starts the subscription's run of failures at `now`, unless one is under way, and returns
/// when the run started.
///
/// The version goes up with the change, as `store::save` would do, so that an owner's change
/// made from an earlier read is refused rather than writing the old value back.
pub fn failing(conn: &mut DbConnection, subscription_id: &str, now: DateTime<Utc>) -> AppResult<Option<DateTime<Utc>>> {
    use webhook_subscriptions as s;
    diesel::update(s::table.filter(s::id.eq(subscription_id)).filter(s::failing_since.is_null()))
        .set((s::failing_since.eq(MaybeAt(Some(now))), s::version.eq(s::version + 1)))
        .execute(conn)?;
    let since: Option<Option<DateTime<Utc>>> = s::table
        .filter(s::id.eq(subscription_id))
        .select(s::failing_since)
        .first(conn)
        .optional()
        .in_table("webhook_subscriptions")?;
    Ok(since.flatten())
}

/// Ends the subscription's run of failures, if it had one: a delivery got through.
pub fn recovered(conn: &mut DbConnection, subscription_id: &str) -> AppResult<()> {
    use webhook_subscriptions as s;
    diesel::update(s::table.filter(s::id.eq(subscription_id)).filter(s::failing_since.is_not_null()))
        .set((s::failing_since.eq(MaybeAt(None)), s::version.eq(s::version + 1)))
        .execute(conn)?;
    Ok(())
}

/// Gives back every claim `instance` holds, so that other processes may send those deliveries
/// at once rather than after the claims expire. Returns how many there were.
pub fn release(conn: &mut DbConnection, instance: &str) -> AppResult<usize> {
    use webhook_deliveries as d;
    Ok(diesel::update(d::table.filter(d::claimed_by.eq(instance)))
        .set((d::claimed_by.eq(None::<String>), d::claim_expires_at.eq(MaybeAt(None))))
        .execute(conn)?)
}
