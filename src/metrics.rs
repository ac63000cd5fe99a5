//! What `GET /metrics` reports, in the Prometheus text format: requests and their latency per
//! route template, the database pool, the caches, the event-log tail, webhook deliveries, the
//! sweeper, and the process itself.
//!
//! Each application has its own registry (not the crate's global one), so that several
//! applications in one process, as the tests start them, count apart. Whatever is counted as it
//! happens lives here; what is cheaper to read when scraped (the pool, the webhook backlog) is
//! read then, by [`Metrics::render`].

use std::sync::Mutex;
use std::time::Duration;

use actix_web::http::{Method, StatusCode};
use prometheus::core::Collector;
use prometheus::{
    Encoder, Gauge, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts,
    Registry, TextEncoder,
};

use crate::db::PoolStats;

/// The media type of the text exposition format, version 0.0.4.
pub const CONTENT_TYPE: &str = prometheus::TEXT_FORMAT;

/// The `route` of a request that matched no route: its path is not a label, or a scanner
/// trying paths would make a series of each.
pub const UNMATCHED: &str = "unmatched";

/// Request latency buckets, in seconds: fine below 10 ms, where the public reads should be.
const LATENCY_BUCKETS: &[f64] = &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// Delivery lag buckets, in seconds: from a prompt delivery to one retried for a day.
const DELIVERY_LAG_BUCKETS: &[f64] =
    &[0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 6.0 * 3600.0, 24.0 * 3600.0];

/// How an attempt to deliver a webhook ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// The receiver acknowledged it.
    Delivered,
    /// It failed and will be tried again.
    Failed,
    /// It failed and the subscription was disabled (the receiver answered 410, or had failed
    /// for `give_up_after_hours`).
    GaveUp,
}

impl DeliveryOutcome {
    fn label(self) -> &'static str {
        match self {
            DeliveryOutcome::Delivered => "delivered",
            DeliveryOutcome::Failed => "failed",
            DeliveryOutcome::GaveUp => "gave_up",
        }
    }
}

pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    http_duration: HistogramVec,
    pool_connections: IntGaugeVec,
    pool_waiting: IntGauge,
    checkout_timeouts: IntCounter,
    cache_requests: IntCounterVec,
    tail_lag_seconds: Gauge,
    tail_lag_events: IntGauge,
    /// Not registered: it is reported only when the scrape could count the backlog.
    webhook_backlog: IntGauge,
    webhook_attempts: IntCounterVec,
    webhook_lag: Histogram,
    sweeper_runs: IntCounterVec,
    /// One scrape at a time: each copies the pool's figures in before it encodes them.
    scraping: Mutex<()>,
}

/// Registers `metric` in `registry` and returns it.
fn registered<M: Collector + Clone + 'static>(registry: &Registry, metric: prometheus::Result<M>) -> Result<M, String> {
    let metric = metric.map_err(|e| format!("metrics: {e}"))?;
    registry.register(Box::new(metric.clone())).map_err(|e| format!("metrics: {e}"))?;
    Ok(metric)
}

impl Metrics {
    pub fn new() -> Result<Metrics, String> {
        let registry = Registry::new();
        let r = &registry;
        let histogram =
            |name: &str, help: &str, buckets: &[f64]| HistogramOpts::new(name, help).buckets(buckets.to_vec());
        let metrics = Metrics {
            http_requests: registered(
                r,
                IntCounterVec::new(
                    Opts::new(
                        "fairhire_http_requests_total",
                        "HTTP requests answered, by method, route template and status.",
                    ),
                    &["method", "route", "status"],
                ),
            )?,
            http_duration: registered(
                r,
                HistogramVec::new(
                    histogram(
                        "fairhire_http_request_duration_seconds",
                        "Time from a request's arrival to its answer, by method and route template.",
                        LATENCY_BUCKETS,
                    ),
                    &["method", "route"],
                ),
            )?,
            pool_connections: registered(
                r,
                IntGaugeVec::new(
                    Opts::new("fairhire_db_pool_connections", "Open database connections, idle or in use."),
                    &["state"],
                ),
            )?,
            pool_waiting: registered(
                r,
                IntGauge::new("fairhire_db_pool_waiting", "Callers waiting for a database connection."),
            )?,
            checkout_timeouts: registered(
                r,
                IntCounter::new(
                    "fairhire_db_checkout_timeouts_total",
                    "Callers that waited out the pool's timeout without a connection.",
                ),
            )?,
            cache_requests: registered(
                r,
                IntCounterVec::new(
                    Opts::new(
                        "fairhire_cache_requests_total",
                        "Lookups in the in-process caches, by cache and outcome.",
                    ),
                    &["cache", "outcome"],
                ),
            )?,
            tail_lag_seconds: registered(
                r,
                Gauge::new(
                    "fairhire_event_log_tail_lag_seconds",
                    "How far this instance's view of the event log is behind the newest event, in seconds.",
                ),
            )?,
            tail_lag_events: registered(
                r,
                IntGauge::new(
                    "fairhire_event_log_tail_lag_events",
                    "How many events of the log this instance has not applied yet.",
                ),
            )?,
            webhook_backlog: IntGauge::new(
                "fairhire_webhook_backlog",
                "Webhook deliveries pending (not yet delivered or given up), for every instance.",
            )
            .map_err(|e| format!("metrics: {e}"))?,
            webhook_attempts: registered(
                r,
                IntCounterVec::new(
                    Opts::new("fairhire_webhook_delivery_attempts_total", "Webhook delivery attempts, by outcome."),
                    &["outcome"],
                ),
            )?,
            webhook_lag: registered(
                r,
                Histogram::with_opts(histogram(
                    "fairhire_webhook_delivery_lag_seconds",
                    "Time from an event to the delivery of a webhook about it.",
                    DELIVERY_LAG_BUCKETS,
                )),
            )?,
            sweeper_runs: registered(
                r,
                IntCounterVec::new(
                    Opts::new("fairhire_sweeper_runs_total", "Passes of the certification rules, by outcome."),
                    &["outcome"],
                ),
            )?,
            scraping: Mutex::new(()),
            registry,
        };
        // The process's resident memory, CPU time, open files and threads, from /proc.
        #[cfg(target_os = "linux")]
        metrics
            .registry
            .register(Box::new(prometheus::process_collector::ProcessCollector::for_self()))
            .map_err(|e| format!("metrics: {e}"))?;
        Ok(metrics)
    }

    /// Counts a request answered with `status` after `elapsed`. `route` is the template of the
    /// route it matched (`/v1/agencies/{id}`) or [`UNMATCHED`].
    pub fn observe_request(&self, method: &Method, route: &str, status: StatusCode, elapsed: Duration) {
        let method = method_label(method);
        self.http_requests.with_label_values(&[method, route, status.as_str()]).inc();
        self.http_duration.with_label_values(&[method, route]).observe(elapsed.as_secs_f64());
    }

    /// A lookup in the cache `cache` found what it looked for.
    pub fn cache_hit(&self, cache: &'static str) {
        self.cache_requests.with_label_values(&[cache, "hit"]).inc();
    }

    /// A lookup in the cache `cache` did not find what it looked for.
    pub fn cache_miss(&self, cache: &'static str) {
        self.cache_requests.with_label_values(&[cache, "miss"]).inc();
    }

    /// How far behind the newest event of the log this instance's view is: in time, and in
    /// events not yet applied.
    pub fn event_log_tail_lag(&self, seconds: f64, events: u64) {
        self.tail_lag_seconds.set(seconds);
        self.tail_lag_events.set(i64::try_from(events).unwrap_or(i64::MAX));
    }

    /// A webhook delivery attempt ended so.
    pub fn webhook_attempt(&self, outcome: DeliveryOutcome) {
        self.webhook_attempts.with_label_values(&[outcome.label()]).inc();
    }

    /// A webhook was delivered `lag` after its event happened.
    pub fn webhook_delivered_after(&self, lag: Duration) {
        self.webhook_lag.observe(lag.as_secs_f64());
    }

    /// A pass of the certification rules ended, well or not.
    pub fn sweeper_run(&self, succeeded: bool) {
        self.sweeper_runs.with_label_values(&[if succeeded { "succeeded" } else { "failed" }]).inc();
    }

    /// Every metric in the text format, with the pool as it stands and the webhook backlog when
    /// it could be counted (`None`: left out rather than reported stale).
    pub fn render(&self, pool: PoolStats, webhook_backlog: Option<i64>) -> Result<String, String> {
        let _turn = self.scraping.lock().unwrap_or_else(|p| p.into_inner());
        self.pool_connections.with_label_values(&["idle"]).set(i64::from(pool.idle));
        self.pool_connections.with_label_values(&["in_use"]).set(i64::from(pool.in_use));
        self.pool_waiting.set(i64::try_from(pool.waiting).unwrap_or(i64::MAX));
        // The pool counts its timeouts itself; the counter catches up with it.
        self.checkout_timeouts.inc_by(pool.checkout_timeouts.saturating_sub(self.checkout_timeouts.get()));
        let mut families = self.registry.gather();
        if let Some(backlog) = webhook_backlog {
            self.webhook_backlog.set(backlog);
            families.extend(self.webhook_backlog.collect());
        }
        let mut text = Vec::new();
        TextEncoder::new().encode(&families, &mut text).map_err(|e| format!("cannot encode the metrics: {e}"))?;
        String::from_utf8(text).map_err(|e| format!("cannot encode the metrics: {e}"))
    }
}

/// A request method as a label: the standard ones by name, any other as `other`, so that a
/// client inventing methods cannot make a series of each.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats(idle: u32, in_use: u32) -> PoolStats {
        PoolStats { idle, in_use, waiting: 1, checkout_timeouts: 3 }
    }

    /// The value of the sample `series` (name and labels as the text format writes them).
    fn sample(text: &str, series: &str) -> Option<f64> {
        text.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
    }

    #[test]
    fn every_metric_is_written_in_the_text_format() {
        let metrics = Metrics::new().unwrap();
        let get = Method::GET;
        metrics.observe_request(&get, "/v1/agencies/{id}", StatusCode::OK, Duration::from_millis(3));
        metrics.observe_request(&get, "/v1/agencies/{id}", StatusCode::OK, Duration::from_millis(30));
        metrics.observe_request(
            &Method::from_bytes(b"BREW").unwrap(),
            UNMATCHED,
            StatusCode::NOT_FOUND,
            Duration::ZERO,
        );
        metrics.cache_hit("public_agency");
        metrics.cache_hit("public_agency");
        metrics.cache_miss("public_agency");
        metrics.event_log_tail_lag(0.25, 3);
        metrics.webhook_attempt(DeliveryOutcome::Delivered);
        metrics.webhook_attempt(DeliveryOutcome::GaveUp);
        metrics.webhook_delivered_after(Duration::from_secs(2));
        metrics.sweeper_run(true);
        let text = metrics.render(stats(2, 1), Some(7)).unwrap();
        for (series, value) in [
            (r#"fairhire_http_requests_total{method="GET",route="/v1/agencies/{id}",status="200"}"#, 2.0),
            (r#"fairhire_http_requests_total{method="other",route="unmatched",status="404"}"#, 1.0),
            (
                r#"fairhire_http_request_duration_seconds_bucket{method="GET",route="/v1/agencies/{id}",le="0.005"}"#,
                1.0,
            ),
            (r#"fairhire_http_request_duration_seconds_count{method="GET",route="/v1/agencies/{id}"}"#, 2.0),
            (r#"fairhire_db_pool_connections{state="idle"}"#, 2.0),
            (r#"fairhire_db_pool_connections{state="in_use"}"#, 1.0),
            ("fairhire_db_pool_waiting", 1.0),
            ("fairhire_db_checkout_timeouts_total", 3.0),
            (r#"fairhire_cache_requests_total{cache="public_agency",outcome="hit"}"#, 2.0),
            (r#"fairhire_cache_requests_total{cache="public_agency",outcome="miss"}"#, 1.0),
            ("fairhire_event_log_tail_lag_seconds", 0.25),
            ("fairhire_event_log_tail_lag_events", 3.0),
            ("fairhire_webhook_backlog", 7.0),
            (r#"fairhire_webhook_delivery_attempts_total{outcome="delivered"}"#, 1.0),
            (r#"fairhire_webhook_delivery_attempts_total{outcome="gave_up"}"#, 1.0),
            (r#"fairhire_webhook_delivery_lag_seconds_bucket{le="2.5"}"#, 1.0),
            (r#"fairhire_sweeper_runs_total{outcome="succeeded"}"#, 1.0),
        ] {
            assert_eq!(sample(&text, series), Some(value), "{series} in\n{text}");
        }
        assert!(text.contains("# TYPE fairhire_http_request_duration_seconds histogram"), "{text}");
        #[cfg(target_os = "linux")]
        assert!(sample(&text, "process_resident_memory_bytes").is_some_and(|rss| rss > 0.0), "{text}");
    }

    #[test]
    fn the_pool_counters_follow_the_pool_and_an_unknown_backlog_is_left_out() {
        let metrics = Metrics::new().unwrap();
        metrics.render(stats(0, 4), Some(1)).unwrap();
        let text = metrics.render(PoolStats { checkout_timeouts: 5, ..stats(4, 0) }, None).unwrap();
        assert_eq!(sample(&text, "fairhire_db_checkout_timeouts_total"), Some(5.0));
        assert_eq!(sample(&text, r#"fairhire_db_pool_connections{state="in_use"}"#), Some(0.0));
        assert!(!text.contains("fairhire_webhook_backlog"), "{text}");
    }

    #[test]
    fn two_applications_count_apart() {
        let (one, other) = (Metrics::new().unwrap(), Metrics::new().unwrap());
        one.sweeper_run(false);
        let text = other.render(stats(0, 0), None).unwrap();
        assert_eq!(sample(&text, r#"fairhire_sweeper_runs_total{outcome="failed"}"#), None);
    }
}
