//! `GET /metrics`: the Prometheus text format, requests counted by route template, the pool, the
//! webhook deliveries and the sweeper; only for the allowed networks, not rate-limited, not
//! logged.

use reqwest::StatusCode;

use crate::helpers::{MISSING, Receiver, Serving, TestApp, agency_body, assert_problem, eventually};

/// The value of the sample `series` (its name and labels as the text format writes them).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

async fn scrape(app: &TestApp) -> String {
    let res = app.http.get(app.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/plain; version=0.0.4");
    assert!(!res.headers().contains_key("ratelimit"), "the metrics are not rate-limited");
    res.text().await.unwrap()
}

#[tokio::test]
async fn requests_are_counted_by_route_template_beside_the_pool_and_the_process() {
    let app = TestApp::spawn_with(|c| {
        c.limits.api_per_second = 1;
        c.limits.api_burst = 6;
    })
    .await;
    let get = |path: String| {
        let app = &app;
        async move { app.http.get(app.url(&path)).send().await.unwrap().status().as_u16() }
    };
    assert_eq!(get(format!("/v1/public/agencies/{MISSING}")).await, 404);
    assert_eq!(get("/v1/public/agencies/0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d91".into()).await, 404);
    assert_eq!(get("/v1/public/agencies".into()).await, 200);
    assert_eq!(get("/wp-login.php".into()).await, 404);
    assert_eq!(app.http.head(app.url("/healthz")).send().await.unwrap().status(), 200);
    // Scrapes are never refused for being many.
    for _ in 0..6 {
        scrape(&app).await;
    }
    let text = scrape(&app).await;

    let requests = |labels: &str| sample(&text, &format!("fairhire_http_requests_total{{{labels}}}"));
    assert_eq!(requests(r#"method="GET",route="/v1/public/agencies/{id}",status="404""#), Some(2.0), "{text}");
    assert_eq!(requests(r#"method="GET",route="/v1/public/agencies",status="200""#), Some(1.0));
    assert_eq!(requests(r#"method="GET",route="unmatched",status="404""#), Some(1.0));
    assert_eq!(requests(r#"method="HEAD",route="/healthz",status="200""#), Some(1.0));
    assert!(requests(r#"method="GET",route="/metrics",status="200""#).is_some_and(|n| n >= 6.0));
    assert!(!text.contains("wp-login") && !text.contains(MISSING), "paths are not labels");
    let latency = r#"fairhire_http_request_duration_seconds_count{method="GET",route="/v1/public/agencies/{id}"}"#;
    assert_eq!(sample(&text, latency), Some(2.0));

    let idle = sample(&text, r#"fairhire_db_pool_connections{state="idle"}"#).unwrap();
    let in_use = sample(&text, r#"fairhire_db_pool_connections{state="in_use"}"#).unwrap();
    // The tests' pool has 2 connections, opened ahead of need; the scrape gave its own back.
    assert!((1.0..=2.0).contains(&(idle + in_use)), "idle {idle}, in use {in_use}");
    assert_eq!(sample(&text, "fairhire_db_pool_waiting"), Some(0.0));
    assert_eq!(sample(&text, "fairhire_db_checkout_timeouts_total"), Some(0.0));
    assert_eq!(sample(&text, "fairhire_webhook_backlog"), Some(0.0));
    assert!(sample(&text, "process_resident_memory_bytes").is_some_and(|rss| rss > 1e6), "{text}");
    // Every request to the test app is from 127.0.0.1: the bucket saw the 5 above, not the scrapes.
    let res = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert!(res.headers()["ratelimit"].to_str().unwrap().starts_with("\"api\";r=0;"), "{:?}", res.headers());
}

#[tokio::test]
async fn webhook_deliveries_and_sweeps_are_counted() {
    let receiver = Receiver::start().await;
    let app = TestApp::spawn_with(|c| {
        c.webhooks.allow_private_targets = true;
        c.webhooks.poll_interval_ms = 50;
    })
    .await;
    let admin = app.admin().await;
    app.subscribe(&receiver.url, &["agency.created"]).await;
    app.create_agency(&admin, &agency_body(1)).await;
    receiver.wait_for_requests(1).await;
    let delivered = r#"fairhire_webhook_delivery_attempts_total{outcome="delivered"}"#;
    let text = eventually("the delivery counted", || scrape(&app), |text| sample(text, delivered).is_some()).await;
    assert_eq!(sample(&text, delivered), Some(1.0));
    assert_eq!(sample(&text, "fairhire_webhook_delivery_lag_seconds_count"), Some(1.0));
    assert!(sample(&text, "fairhire_webhook_delivery_lag_seconds_sum").is_some_and(|s| s > 0.0 && s < 60.0));
    assert_eq!(sample(&text, "fairhire_webhook_backlog"), Some(0.0));
    // The sweeper runs once as the app starts.
    assert_eq!(sample(&text, r#"fairhire_sweeper_runs_total{outcome="succeeded"}"#), Some(1.0), "{text}");
}

#[tokio::test]
async fn a_client_outside_the_allowed_networks_gets_403_and_scrapes_are_not_logged() {
    let app = TestApp::spawn().await;
    // The test's requests come from 127.0.0.1, here a trusted proxy that forwards for others;
    // the list comes from the environment as an operator would write it.
    let mut process = Serving::start_with_env(&app, &[("FAIRHIRE_TRUSTED_PROXIES", r#"["127.0.0.0/8"]"#)]).await;
    let http = reqwest::Client::new();
    let from = |client: &'static str| http.get(process.url("/metrics")).header("x-forwarded-for", client).send();
    let res = from("203.0.113.9").await.unwrap();
    let problem = assert_problem(res, 403, "forbidden").await;
    assert_eq!(problem["instance"], "/metrics");
    assert_eq!(from("10.1.2.3").await.unwrap().status(), StatusCode::OK);
    let res = http.get(process.url("/metrics")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "the proxy itself is on loopback");
    assert_eq!(http.get(process.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);

    process.terminate();
    assert!(process.exited().await.success());
    let paths: Vec<String> = process
        .log()
        .iter()
        .filter(|line| line["message"] == "request")
        .map(|line| line["path"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(paths, ["/healthz"], "{:#?}", process.log());
}
