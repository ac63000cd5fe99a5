//! Sends the webhook outbox.
//!
//! Deliveries are queued in the transaction that appends their events
//! (`services::webhooks::enqueue`); this loop sends them. Each pass claims a batch of due
//! deliveries (one transaction), sends them all at once, and records each outcome in its own
//! transaction as soon as it is known. Claims let several processes dispatch from one database
//! without sending a delivery twice, and one left by a process that died expires after
//! `claim_ttl_seconds`, so the delivery is sent by another: at least once, under the same
//! `webhook-id`, which receivers use to drop repeats.
//!
//! When the application's jobs are stopped ([`crate::jobs::Jobs::stop`]) the loop claims
//! nothing more, lets the attempts in flight finish (each is bounded by `timeout_ms`), records
//! them, and gives back any claim it still holds.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::api::event_model::WebhookPayload;
use crate::error::{AppError, AppResult};
use crate::metrics::DeliveryOutcome;
use crate::services::deliveries::{self, Claimed, Recorded, Verdict};
use crate::state::AppState;
use crate::store;
use crate::store::events::EventRow;
use crate::store::webhooks::{AttemptRow, SubscriptionRow};
use crate::webhooks::client::{self, AttemptResult, DeliveryHeaders};
use crate::webhooks::retry::{Outcome, next_delay};
use crate::webhooks::signing::{WebhookSecret, signature_header};
use crate::webhooks::target::TargetPolicy;

/// The longest pause after the database failed several passes in a row: long enough not to
/// flood the log while it is away, short enough to resume soon after it is back.
const MAX_ERROR_PAUSE: Duration = Duration::from_secs(30);

/// Starts the dispatcher of this process. Fails only when the HTTP client cannot be built.
pub fn spawn(state: AppState) -> Result<JoinHandle<()>, String> {
    let config = &state.config.webhooks;
    let dispatcher = Dispatcher {
        client: client::build_client(config)?,
        policy: TargetPolicy::from(config),
        instance: Arc::from(instance_id()),
        state: state.clone(),
    };
    let stop = state.jobs.stopping();
    tracing::info!(instance = %dispatcher.instance, "webhook dispatcher started");
    Ok(tokio::spawn(dispatcher.run(stop)))
}

/// This process's name in claims and attempts: the host's name and a UUIDv7, so that an
/// operator can tell which machine made an attempt, and two processes on one machine apart.
pub fn instance_id() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| {
            name.trim().chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.')).take(64).collect()
        })
        .filter(|name: &String| !name.is_empty())
        .unwrap_or_else(|| "fairhire".to_owned());
    format!("{host}-{}", uuid::Uuid::now_v7())
}

struct Dispatcher {
    state: AppState,
    client: reqwest::Client,
    policy: TargetPolicy,
    instance: Arc<str>,
}

impl Dispatcher {
    async fn run(self, mut stop: watch::Receiver<bool>) {
        let idle = Duration::from_millis(self.state.config.webhooks.poll_interval_ms.max(1));
        let mut failures: u32 = 0;
        loop {
            let pause = match self.pass(&stop).await {
                // A full pass may have left more due: look again at once.
                Ok(sent) if sent > 0 => {
                    failures = 0;
                    Duration::ZERO
                }
                Ok(_) => {
                    failures = 0;
                    idle
                }
                Err(e) => {
                    failures = failures.saturating_add(1);
                    tracing::warn!(error = %e, failures, "the webhook dispatcher could not claim deliveries");
                    idle.saturating_mul(2u32.saturating_pow(failures.min(16))).min(MAX_ERROR_PAUSE.max(idle))
                }
            };
            if *stop.borrow() || (!pause.is_zero() && super::pause_unless_stopped(&mut stop, pause).await) {
                break;
            }
        }
        self.release().await;
    }

    /// Claims a batch and sends it; returns how many deliveries it claimed.
    async fn pass(&self, stop: &watch::Receiver<bool>) -> AppResult<usize> {
        let now = self.state.clock.now();
        if !self.state.db.read(move |c| store::outbox::any_due(c, now)).await? || *stop.borrow() {
            return Ok(0);
        }
        let config = &self.state.config.webhooks;
        let ttl =
            i64::try_from(config.claim_ttl_seconds).ok().and_then(TimeDelta::try_seconds).unwrap_or(TimeDelta::MAX);
        let limit = i64::from(config.batch_size.max(1));
        let instance = self.instance.clone();
        let claimed = self.state.db.write(move |c| deliveries::claim_due(c, &instance, now, ttl, limit)).await?;
        let count = claimed.len();
        // The batch bounds how many attempts are in flight at once.
        futures_util::future::join_all(claimed.into_iter().map(|claimed| self.deliver(claimed))).await;
        Ok(count)
    }

    /// Sends one delivery and records what came of it.
    async fn deliver(&self, claimed: Claimed) {
        let Claimed { delivery, subscription, event } = claimed;
        let event_type = event.event_type.clone();
        let occurred_at = event.occurred_at;
        let attempted_at = self.state.clock.now();
        let result = match self.message(&delivery.id, &subscription, event, attempted_at) {
            Ok((body, signature)) => {
                let headers =
                    DeliveryHeaders { id: &delivery.id, timestamp: attempted_at.timestamp(), signature: &signature };
                let max = self.state.config.webhooks.max_response_bytes;
                client::post(&self.client, &self.policy, &subscription.url, &headers, body, max).await
            }
            Err(e) => {
                tracing::error!(delivery = %delivery.id, error = %e, "a webhook message could not be prepared");
                AttemptResult {
                    status: None,
                    latency_ms: 0,
                    error: Some("the service could not prepare the message; it will try again".into()),
                    retry_after: None,
                }
            }
        };
        let finished = self.state.clock.now();
        let attempts = u32::try_from(delivery.attempts).unwrap_or(0).saturating_add(1);
        let verdict = match result.outcome() {
            Outcome::Delivered => Verdict::Delivered,
            Outcome::Disable => Verdict::Gone,
            Outcome::Retry => Verdict::RetryAt(self.retry_at(attempts, result.retry_after, finished)),
        };
        if verdict == Verdict::Delivered {
            tracing::info!(
                delivery = %delivery.id,
                subscription = %subscription.id,
                event_type = %event_type,
                attempt = attempts,
                status = result.status,
                latency_ms = result.latency_ms,
                "webhook delivered"
            );
        } else {
            let next_attempt_at = match &verdict {
                Verdict::RetryAt(at) => Some(*at),
                _ => None,
            };
            tracing::warn!(
                delivery = %delivery.id,
                subscription = %subscription.id,
                event_type = %event_type,
                attempt = attempts,
                status = result.status,
                latency_ms = result.latency_ms,
                error = result.error.as_deref(),
                next_attempt_at = ?next_attempt_at,
                "webhook attempt failed"
            );
        }
        let attempt = AttemptRow {
            id: crate::services::new_id(),
            delivery_id: delivery.id.clone(),
            attempted_at,
            instance: self.instance.to_string(),
            status_code: result.status.map(i32::from),
            latency_ms: result.latency_ms,
            error: result.error,
            retry_after_seconds: result.retry_after.map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
        };
        let delivered = verdict == Verdict::Delivered;
        let recorded = self.record(&subscription.id, attempt, verdict, finished).await;
        let metrics = &self.state.metrics;
        match &recorded {
            Ok(Recorded::Disabled(_)) => metrics.webhook_attempt(DeliveryOutcome::GaveUp),
            _ if delivered => {
                metrics.webhook_attempt(DeliveryOutcome::Delivered);
                metrics.webhook_delivered_after((finished - occurred_at).to_std().unwrap_or_default());
            }
            _ => metrics.webhook_attempt(DeliveryOutcome::Failed),
        }
        match recorded {
            Ok(Recorded::Disabled(reason)) => {
                tracing::warn!(subscription = %subscription.id, reason = %reason, "webhook subscription disabled");
            }
            Ok(Recorded::NotOurs) => tracing::warn!(
                delivery = %delivery.id,
                "another process took over this webhook delivery before its attempt was recorded (the claim \
                 outlived webhooks.claim_ttl_seconds); that process sends it, and this attempt is not recorded"
            ),
            Ok(Recorded::Delivered | Recorded::Retrying) => {}
            // The claim stays until it expires or this process stops; the delivery is then sent
            // again, under the same webhook-id.
            Err(e) => tracing::error!(
                delivery = %delivery.id,
                error = %e,
                "the outcome of a webhook attempt could not be recorded; the delivery will be sent again"
            ),
        }
    }

    /// Records an attempt, in its own transaction. A database that is briefly unavailable (the
    /// pool busy, a connection lost) is tried again a few times: an attempt not recorded keeps
    /// its claim until it expires, and the delivery is then sent a second time.
    async fn record(
        &self,
        subscription_id: &str,
        attempt: AttemptRow,
        verdict: Verdict,
        finished: DateTime<Utc>,
    ) -> AppResult<Recorded> {
        const TRIES: u32 = 3;
        let give_up_after = self.state.config.webhooks.give_up_after_hours;
        let mut tried = 0;
        loop {
            tried += 1;
            let (instance, subscription_id) = (self.instance.clone(), subscription_id.to_owned());
            let (attempt, verdict) = (attempt.clone(), verdict.clone());
            let result = self
                .state
                .db
                .write(move |c| {
                    deliveries::record_attempt(
                        c,
                        &instance,
                        &subscription_id,
                        &attempt,
                        verdict,
                        give_up_after,
                        finished,
                    )
                })
                .await;
            match result {
                Err(AppError::Unavailable(_)) if tried < TRIES => {
                    tokio::time::sleep(Duration::from_millis(200) * tried).await;
                }
                result => return result,
            }
        }
    }

    /// The body and the `webhook-signature` of a delivery's message, signed at `now` with the
    /// subscription's secret, and with the previous one too while a rotation overlaps.
    fn message(
        &self,
        delivery_id: &str,
        subscription: &SubscriptionRow,
        event: EventRow,
        now: DateTime<Utc>,
    ) -> AppResult<(Vec<u8>, String)> {
        let body = serde_json::to_vec(&WebhookPayload::of(event)?)
            .map_err(|e| AppError::internal(format!("cannot serialize a webhook payload: {e}")))?;
        let open = |sealed: &str| -> AppResult<WebhookSecret> {
            let text = self.state.data_key.open(sealed)?;
            WebhookSecret::parse(&text)
                .map_err(|_| AppError::internal("a stored webhook secret is not in the whsec_ format"))
        };
        let mut secrets = vec![open(&subscription.secret_sealed)?];
        if let (Some(previous), Some(until)) =
            (&subscription.previous_secret_sealed, subscription.previous_secret_until)
            && until > now
        {
            secrets.push(open(previous)?);
        }
        let signers: Vec<&WebhookSecret> = secrets.iter().collect();
        let signature = signature_header(delivery_id, now.timestamp(), &body, &signers);
        Ok((body, signature))
    }

    /// When to try again after `attempts` failed attempts: backoff with jitter, from when the
    /// last one ended, no sooner than the receiver's `Retry-After`.
    fn retry_at(&self, attempts: u32, retry_after: Option<Duration>, finished: DateTime<Utc>) -> DateTime<Utc> {
        let config = &self.state.config.webhooks;
        let delay = next_delay(
            attempts,
            Duration::from_millis(config.retry_base_ms),
            Duration::from_millis(config.retry_max_ms),
            retry_after,
            rand::random::<f64>(),
        );
        let delay = TimeDelta::from_std(delay).unwrap_or(TimeDelta::MAX);
        // Microseconds, as the clock gives them: PostgreSQL keeps no more.
        finished.checked_add_signed(delay).unwrap_or(DateTime::<Utc>::MAX_UTC).trunc_subsecs(6)
    }

    /// Gives back the claims this process still holds, so that another process may send those
    /// deliveries at once instead of after the claims expire.
    async fn release(&self) {
        let instance = self.instance.clone();
        match self.state.db.write(move |c| deliveries::release(c, &instance)).await {
            Ok(0) => tracing::info!(instance = %self.instance, "webhook dispatcher stopped"),
            Ok(released) => {
                tracing::info!(instance = %self.instance, released, "webhook dispatcher stopped; claims released");
            }
            Err(e) => tracing::warn!(
                instance = %self.instance,
                error = %e,
                "webhook dispatcher stopped, but its claims could not be released; they expire by themselves"
            ),
        }
    }
}
