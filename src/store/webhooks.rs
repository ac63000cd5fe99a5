//! Webhook subscriptions, the outbox of deliveries, and the log of attempts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{api_clients, webhook_attempts, webhook_deliveries, webhook_subscriptions};
use crate::db::types::{At, Json, JsonText, MaybeAt};
use crate::domain::roles::Role;
use crate::error::AppResult;
use crate::store::InTable;

const SUBSCRIPTIONS: &str = "webhook_subscriptions";

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = webhook_subscriptions, treat_none_as_null = true)]
pub struct SubscriptionRow {
    pub id: String,
    pub owner_client_id: String,
    pub url: String,
    pub description: Option<String>,
    #[diesel(serialize_as = JsonText)]
    pub event_types: Json<Vec<String>>,
    pub agency_id: Option<String>,
    pub country: Option<String>,
    pub corridor: Option<String>,
    pub watchlist_only: bool,
    pub secret_sealed: String,
    pub previous_secret_sealed: Option<String>,
    #[diesel(serialize_as = MaybeAt)]
    pub previous_secret_until: Option<DateTime<Utc>>,
    pub enabled: bool,
    #[diesel(serialize_as = MaybeAt)]
    pub disabled_at: Option<DateTime<Utc>>,
    pub disabled_reason: Option<String>,
    #[diesel(serialize_as = MaybeAt)]
    pub failing_since: Option<DateTime<Utc>>,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
    #[diesel(serialize_as = At)]
    pub updated_at: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub deleted_at: Option<DateTime<Utc>>,
    pub version: i64,
}

crate::store::versioned!(SubscriptionRow, webhook_subscriptions, "webhook subscription");

/// The owner's role and bindings, which decide the events a subscription may receive.
#[derive(Debug, Clone, Queryable)]
pub struct Owner {
    pub role: Role,
    pub agency_id: Option<String>,
    pub certification_body_id: Option<String>,
}

/// Enabled subscriptions whose owner is not revoked, with the owner's role and bindings.
pub fn active_with_owner(conn: &mut DbConnection) -> AppResult<Vec<(SubscriptionRow, Owner)>> {
    webhook_subscriptions::table
        .inner_join(api_clients::table.on(api_clients::id.eq(webhook_subscriptions::owner_client_id)))
        .filter(webhook_subscriptions::enabled.eq(true))
        .filter(webhook_subscriptions::deleted_at.is_null())
        .filter(api_clients::revoked_at.is_null())
        .select((
            webhook_subscriptions::all_columns,
            (api_clients::role, api_clients::agency_id, api_clients::certification_body_id),
        ))
        .load(conn)
        .in_table(SUBSCRIPTIONS)
}

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = webhook_deliveries, treat_none_as_null = true)]
pub struct DeliveryRow {
    /// The `webhook-id` of every attempt of this delivery.
    pub id: String,
    pub subscription_id: String,
    pub event_sequence: i64,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub attempts: i32,
    #[diesel(serialize_as = At)]
    pub next_attempt_at: DateTime<Utc>,
    pub claimed_by: Option<String>,
    #[diesel(serialize_as = MaybeAt)]
    pub claim_expires_at: Option<DateTime<Utc>>,
    #[diesel(serialize_as = MaybeAt)]
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    #[diesel(serialize_as = MaybeAt)]
    pub delivered_at: Option<DateTime<Utc>>,
    #[diesel(serialize_as = At)]
    pub created_at: DateTime<Utc>,
}

pub fn insert_deliveries(conn: &mut DbConnection, rows: &[DeliveryRow]) -> AppResult<()> {
    // One statement per row: batch inserts do not compile over the two-backend connection.
    for row in rows {
        diesel::insert_into(webhook_deliveries::table).values(row.clone()).execute(conn)?;
    }
    Ok(())
}

pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<Option<SubscriptionRow>> {
    webhook_subscriptions::table.find(id).first(conn).optional().in_table(SUBSCRIPTIONS)
}

/// Marks the subscription's pending deliveries failed, with `reason` as their last error.
pub fn give_up_pending(conn: &mut DbConnection, subscription_id: &str, reason: &str) -> AppResult<()> {
    diesel::update(
        webhook_deliveries::table
            .filter(webhook_deliveries::subscription_id.eq(subscription_id))
            .filter(webhook_deliveries::status.eq(PENDING)),
    )
    .set((webhook_deliveries::status.eq(FAILED), webhook_deliveries::last_error.eq(reason)))
    .execute(conn)?;
    Ok(())
}

pub fn insert_subscription(conn: &mut DbConnection, row: &SubscriptionRow) -> AppResult<()> {
    diesel::insert_into(webhook_subscriptions::table).values(row.clone()).execute(conn)?;
    Ok(())
}

/// A subscription of this owner that is not deleted.
pub fn find_owned(conn: &mut DbConnection, owner: &str, id: &str) -> AppResult<Option<SubscriptionRow>> {
    webhook_subscriptions::table
        .filter(webhook_subscriptions::id.eq(id))
        .filter(webhook_subscriptions::owner_client_id.eq(owner))
        .filter(webhook_subscriptions::deleted_at.is_null())
        .first(conn)
        .optional()
        .in_table(SUBSCRIPTIONS)
}

/// The owner's subscriptions in id order, after `after`.
pub fn page_owned(
    conn: &mut DbConnection,
    owner: &str,
    after: Option<&str>,
    limit: i64,
) -> AppResult<Vec<SubscriptionRow>> {
    let mut query = webhook_subscriptions::table
        .filter(webhook_subscriptions::owner_client_id.eq(owner.to_owned()))
        .filter(webhook_subscriptions::deleted_at.is_null())
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(webhook_subscriptions::id.gt(after.to_owned()));
    }
    query.order(webhook_subscriptions::id.asc()).limit(limit).load(conn).in_table(SUBSCRIPTIONS)
}

const DELIVERIES: &str = "webhook_deliveries";

/// A subscription's deliveries, newest first (by id, UUIDv7), before `before`, with the type of
/// the event each one carries.
pub fn deliveries_page(
    conn: &mut DbConnection,
    subscription_id: &str,
    status: Option<&str>,
    before: Option<&str>,
    limit: i64,
) -> AppResult<Vec<(DeliveryRow, String)>> {
    use crate::db::schema::events;
    let mut query = webhook_deliveries::table
        .inner_join(events::table)
        .filter(webhook_deliveries::subscription_id.eq(subscription_id.to_owned()))
        .select((webhook_deliveries::all_columns, events::event_type))
        .into_boxed();
    if let Some(status) = status {
        query = query.filter(webhook_deliveries::status.eq(status.to_owned()));
    }
    if let Some(before) = before {
        query = query.filter(webhook_deliveries::id.lt(before.to_owned()));
    }
    query.order(webhook_deliveries::id.desc()).limit(limit).load(conn).in_table(DELIVERIES)
}

pub fn find_delivery(
    conn: &mut DbConnection,
    subscription_id: &str,
    id: &str,
) -> AppResult<Option<(DeliveryRow, String)>> {
    use crate::db::schema::events;
    webhook_deliveries::table
        .inner_join(events::table)
        .filter(webhook_deliveries::subscription_id.eq(subscription_id))
        .filter(webhook_deliveries::id.eq(id))
        .select((webhook_deliveries::all_columns, events::event_type))
        .first(conn)
        .optional()
        .in_table(DELIVERIES)
}

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = webhook_attempts)]
pub struct AttemptRow {
    pub id: String,
    pub delivery_id: String,
    #[diesel(serialize_as = At)]
    pub attempted_at: DateTime<Utc>,
    /// The process that made the attempt.
    pub instance: String,
    pub status_code: Option<i32>,
    pub latency_ms: i64,
    pub error: Option<String>,
    pub retry_after_seconds: Option<i64>,
}

/// The attempts of these deliveries, oldest first.
pub fn attempts_of(conn: &mut DbConnection, delivery_ids: &[String]) -> AppResult<Vec<AttemptRow>> {
    if delivery_ids.is_empty() {
        return Ok(Vec::new());
    }
    webhook_attempts::table
        .filter(webhook_attempts::delivery_id.eq_any(delivery_ids))
        .order((webhook_attempts::delivery_id.asc(), webhook_attempts::attempted_at.asc()))
        .load(conn)
        .in_table("webhook_attempts")
}

/// Makes a delivery due again now, unless a live claim holds it; true when it did.
pub fn redeliver(conn: &mut DbConnection, id: &str, now: DateTime<Utc>) -> AppResult<bool> {
    let free = webhook_deliveries::claim_expires_at.is_null().or(webhook_deliveries::claim_expires_at.lt(At(now)));
    let n = diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq(id)).filter(free))
        .set((
            webhook_deliveries::status.eq(PENDING),
            webhook_deliveries::next_attempt_at.eq(At(now)),
            webhook_deliveries::claimed_by.eq(None::<String>),
            webhook_deliveries::claim_expires_at.eq(MaybeAt(None)),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

/// A delivery waiting for its next attempt.
pub const PENDING: &str = "pending";
/// A delivery the receiver acknowledged (2xx).
pub const SUCCEEDED: &str = "succeeded";
/// A delivery given up on: its subscription was disabled or deleted.
pub const FAILED: &str = "failed";
