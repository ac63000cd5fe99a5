//! Webhook subscriptions, the outbox of deliveries, and the log of attempts.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{api_clients, webhook_deliveries, webhook_subscriptions};
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
