//! The dispatcher's side of webhooks: claiming due deliveries, recording each attempt and
//! what follows from it, giving claims back. The subscriptions themselves are in
//! `services::webhooks`.

use chrono::{DateTime, Duration, Utc};

use crate::db::DbConnection;
use crate::error::AppResult;
use crate::services::webhooks::disable;
use crate::store;

pub use crate::store::outbox::Claimed;

/// Why a subscription is disabled when its receiver answers 410.
pub const GONE: &str = "the receiver answered 410 Gone";

/// Claims up to `limit` due deliveries for the process `instance`, for `ttl`.
pub fn claim_due(
    conn: &mut DbConnection,
    instance: &str,
    now: DateTime<Utc>,
    ttl: Duration,
    limit: i64,
) -> AppResult<Vec<Claimed>> {
    store::outbox::claim_due(conn, instance, now, ttl, limit)
}

/// What the dispatcher made of an attempt's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A 2xx.
    Delivered,
    /// 410: the receiver is gone for good.
    Gone,
    /// Anything else: try again at this time.
    RetryAt(DateTime<Utc>),
}

/// What recording an attempt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recorded {
    Delivered,
    Retrying,
    /// The subscription was disabled, for this reason.
    Disabled(String),
    /// The process no longer held the claim (it expired and another process took the delivery),
    /// so nothing was written.
    NotOurs,
}

/// Why a subscription is disabled after failing for `hours`, in the words an owner reads.
pub fn give_up_reason(hours: u64) -> String {
    let plural = |n: u64, unit: &str| if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") };
    let span = if hours >= 24 && hours.is_multiple_of(24) { plural(hours / 24, "day") } else { plural(hours, "hour") };
    format!("deliveries failed for {span}")
}

/// Records an attempt of a delivery this process claimed, and what follows from it: a success
/// ends the subscription's run of failures; a 410 disables the subscription; a failure starts
/// or continues the run, and disables the subscription once the run has lasted
/// `give_up_after_hours`. Disabling gives up every pending delivery of the subscription and is
/// logged (`webhook.disabled`, by `system`).
pub fn record_attempt(
    conn: &mut DbConnection,
    instance: &str,
    subscription_id: &str,
    attempt: &store::webhooks::AttemptRow,
    verdict: Verdict,
    give_up_after_hours: u64,
    now: DateTime<Utc>,
) -> AppResult<Recorded> {
    use store::outbox::Next;
    match verdict {
        Verdict::Delivered => {
            if !store::outbox::finish_attempt(conn, instance, attempt, Next::Delivered, now)? {
                return Ok(Recorded::NotOurs);
            }
            store::outbox::recovered(conn, subscription_id)?;
            Ok(Recorded::Delivered)
        }
        Verdict::Gone => {
            if !store::outbox::finish_attempt(conn, instance, attempt, Next::GiveUp(GONE.into()), now)? {
                return Ok(Recorded::NotOurs);
            }
            disable(conn, subscription_id, GONE, now)?;
            Ok(Recorded::Disabled(GONE.into()))
        }
        Verdict::RetryAt(at) => {
            if !store::outbox::finish_attempt(conn, instance, attempt, Next::RetryAt(at), now)? {
                return Ok(Recorded::NotOurs);
            }
            let since = store::outbox::failing(conn, subscription_id, now)?.unwrap_or(now);
            let limit = i64::try_from(give_up_after_hours).ok().and_then(Duration::try_hours).unwrap_or(Duration::MAX);
            if now - since >= limit {
                let reason = give_up_reason(give_up_after_hours);
                disable(conn, subscription_id, &reason, now)?;
                return Ok(Recorded::Disabled(reason));
            }
            Ok(Recorded::Retrying)
        }
    }
}

/// Gives back every claim the process `instance` holds (it is stopping).
pub fn release(conn: &mut DbConnection, instance: &str) -> AppResult<usize> {
    store::outbox::release(conn, instance)
}

#[cfg(test)]
mod tests {
    use super::give_up_reason;

    #[test]
    fn the_give_up_reason_says_the_setting_in_days_when_it_is_whole_days() {
        assert_eq!(give_up_reason(72), "deliveries failed for 3 days");
        assert_eq!(give_up_reason(24), "deliveries failed for 1 day");
        assert_eq!(give_up_reason(36), "deliveries failed for 36 hours");
        assert_eq!(give_up_reason(1), "deliveries failed for 1 hour");
        assert_eq!(give_up_reason(0), "deliveries failed for 0 hours");
    }
}
