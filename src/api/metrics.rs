//! `GET /metrics`, for the operator's monitoring system.

use actix_web::{HttpMessage, HttpRequest, HttpResponse, get, web};

use crate::api::middleware::ClientAddress;
use crate::config::{Network, in_any};
use crate::error::{AppError, AppResult, Problem};
use crate::state::AppState;
use crate::store;

/// Whether the client at `address` may read the metrics. They say how loaded the service is and
/// how it fails, which is the operator's business: only the networks of `metrics_allow` may.
pub fn may_read_metrics(allowed: &[Network], address: Option<std::net::IpAddr>) -> bool {
    address.is_some_and(|address| in_any(allowed, address))
}

/// The service's metrics, for the operator's monitoring.
///
/// In the Prometheus text format (version 0.0.4): requests and their latency per route template,
/// the database pool, the caches, the event-log tail, webhook deliveries and their backlog, the
/// sweeper, and the process (memory, CPU, open files). Only for clients in the `metrics_allow`
/// networks (loopback and private ones by default; behind a trusted proxy, the client it
/// reports). Not rate-limited.
#[utoipa::path(
    operation_id = "metrics",
    tag = "operations",
    // No credentials: a monitoring system scrapes it; the allowed networks guard it instead.
    security(()),
    responses(
        (status = 200, description = "The metrics.", content((String = "text/plain",
            example = "# HELP fairhire_db_pool_waiting Callers waiting for a database connection.\n# TYPE fairhire_db_pool_waiting gauge\nfairhire_db_pool_waiting 0\n"))),
        (status = 403, description = "The client's address is not in `metrics_allow`.",
            content((Problem = "application/problem+json")))
    )
)]
#[get("/metrics")]
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> AppResult<HttpResponse> {
    // The address the rate limiter found behind any trusted proxy; the peer's without it.
    let address = req.extensions().get::<ClientAddress>().map(|a| a.0).or_else(|| req.peer_addr().map(|p| p.ip()));
    if !may_read_metrics(&state.config.metrics_allow, address) {
        return Err(AppError::Forbidden("the metrics are only for the operator's networks".into()));
    }
    // One count for every instance's backlog. A database that cannot be reached fails it at
    // once, and the rest of the metrics are still worth reporting.
    let counted = state.db.read(|c| Ok((store::outbox::backlog(c)?, store::events::head(c)?.0))).await;
    let backlog = match counted {
        Ok((backlog, head)) => {
            // The read cache's tail: how long since it caught up, and how many events it has
            // still to apply.
            let tail = &state.answers.tail;
            let behind = tail.position().map_or(0, |applied| head.saturating_sub(applied));
            let behind = u64::try_from(behind).unwrap_or(0);
            state.metrics.event_log_tail_lag(tail.lag().as_secs_f64(), behind);
            Some(backlog)
        }
        Err(e) => {
            tracing::debug!(error = %e, "the webhook backlog could not be counted for the metrics");
            None
        }
    };
    let text = state.metrics.render(state.db.stats(), backlog).map_err(AppError::Internal)?;
    Ok(HttpResponse::Ok().content_type(crate::metrics::CONTENT_TYPE).body(text))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn only_the_allowed_networks_may_read_the_metrics() {
        let allowed = Config::default().metrics_allow;
        for address in ["127.0.0.1", "10.2.3.4", "192.168.0.9", "::1"] {
            assert!(may_read_metrics(&allowed, Some(address.parse().unwrap())), "{address}");
        }
        for address in ["203.0.113.9", "2001:db8::1"] {
            assert!(!may_read_metrics(&allowed, Some(address.parse().unwrap())), "{address}");
        }
        assert!(!may_read_metrics(&allowed, None), "an unknown address may not");
        assert!(!may_read_metrics(&[], Some("127.0.0.1".parse().unwrap())), "an empty list allows no one");
    }
}
