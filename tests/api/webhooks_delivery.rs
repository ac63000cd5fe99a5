//! Webhooks as a receiver gets them: signed in the Standard Webhooks format, retried with
//! backoff under one `webhook-id`, given up on when the receiver is gone or has failed for too
//! long, never sent to a private address unless allowed, and delivered once each by several
//! processes sharing a database, across a restart, a crash and a SIGTERM.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::TimeDelta;
use fairhire::clock::FixedClock;
use fairhire::config::Config;
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use standardwebhooks::Webhook;

use crate::helpers::{Received, Receiver, Reply, Serving, StoredDelivery, TestApp, agency_body, eventually, id, start};

/// Settings that make webhooks quick to test: receivers on 127.0.0.1, retries within seconds.
fn quick(c: &mut Config) {
    c.webhooks.allow_private_targets = true;
    c.webhooks.retry_base_ms = 100;
    c.webhooks.retry_max_ms = 2_000;
    c.webhooks.poll_interval_ms = 50;
    c.webhooks.timeout_ms = 2_000;
    c.webhooks.claim_ttl_seconds = 3;
}

/// [`quick`], as the settings of a `fairhire serve` process, changed by `changes`.
fn quick_process(changes: &[(&'static str, &'static str)]) -> Vec<(&'static str, &'static str)> {
    let mut settings = vec![
        ("allow_private_targets", "true"),
        ("retry_base_ms", "100"),
        ("retry_max_ms", "2000"),
        ("poll_interval_ms", "50"),
        ("timeout_ms", "2000"),
        ("claim_ttl_seconds", "3"),
    ];
    for (name, value) in changes {
        settings.retain(|(n, _)| n != name);
        settings.push((name, value));
    }
    settings
}

/// An app that queues deliveries but sends none: the processes under test do.
fn no_dispatch(c: &mut Config) {
    quick(c);
    c.webhooks.dispatch = false;
}

/// The Standard Webhooks headers of a request, for a verifier.
fn signed_headers(request: &Received) -> HeaderMap {
    let mut headers = HeaderMap::new();
    for name in ["webhook-id", "webhook-timestamp", "webhook-signature"] {
        headers.insert(name, HeaderValue::from_str(request.header(name)).unwrap());
    }
    headers
}

fn all_succeeded(expected: usize) -> impl Fn(&Vec<StoredDelivery>) -> bool {
    move |deliveries| deliveries.len() == expected && deliveries.iter().all(|d| d.status == "succeeded")
}

fn distinct_ids(seen: &[Received]) -> HashSet<String> {
    seen.iter().map(|r| r.webhook_id().to_owned()).collect()
}

#[tokio::test]
async fn the_receiver_verifies_the_signature_and_reads_the_change() {
    let receiver = Receiver::start().await;
    let app = TestApp::spawn_with(quick).await;
    let admin = app.admin().await;
    let subscription = app.subscribe(&receiver.url, &["agency.created", "agency.updated"]).await;
    let created = app.create_agency(&admin, &agency_body(1)).await;
    let path = format!("/v1/agencies/{}", id(&created));
    let website = json!({"website": "https://himal.example.com"});
    let res = app.send_if_match(Method::PATCH, &path, &admin, "\"v1\"", website).await;
    assert_eq!(res.status(), StatusCode::OK);

    let seen = receiver.wait_for_requests(2).await;
    let verifier = Webhook::new(&subscription.secret).unwrap();
    for request in &seen {
        verifier.verify(&request.body, &signed_headers(request)).expect("the signature verifies with the secret");
        assert_eq!(request.header("content-type"), "application/json");
    }
    let mut bodies: Vec<Value> = seen.iter().map(Received::json).collect();
    bodies.sort_by_key(|body| body["data"]["sequence"].as_i64().unwrap());
    let (creation, update) = (&bodies[0], &bodies[1]);

    assert_eq!(creation["type"], "agency.created");
    assert_eq!(creation["timestamp"], creation["data"]["occurred_at"]);
    assert_eq!(creation["data"]["type"], "agency.created");
    assert_eq!(creation["data"]["subject"], json!({"type": "agency", "id": id(&created)}));
    assert!(creation["data"]["sequence"].as_i64().unwrap() > 0, "{creation}");
    assert_eq!(creation["data"]["previous"], Value::Null, "a creation has no previous value");
    assert_eq!(creation["data"]["current"]["legal_name"], created["legal_name"]);

    assert_eq!(update["type"], "agency.updated");
    assert!(update["data"]["sequence"].as_i64() > creation["data"]["sequence"].as_i64());
    assert_eq!(update["data"]["previous"], json!({"website": null}), "only what changed");
    assert_eq!(update["data"]["current"], json!({"website": "https://himal.example.com"}));

    let deliveries =
        eventually("both recorded as succeeded", || app.deliveries(&subscription.id), all_succeeded(2)).await;
    let stored: HashSet<String> = deliveries.into_iter().map(|d| d.id).collect();
    assert_eq!(distinct_ids(&seen), stored, "the webhook-id is the delivery's id");
}

#[tokio::test]
async fn while_a_secret_is_rotated_both_secrets_sign() {
    let receiver = Receiver::start().await;
    let app = TestApp::spawn_with(quick).await;
    let admin = app.admin().await;
    let subscription = app.subscribe(&receiver.url, &["agency.created"]).await;
    let new_secret = app.rotate_webhook_secret(&subscription).await;
    app.create_agency(&admin, &agency_body(1)).await;

    let request = receiver.wait_for_requests(1).await.remove(0);
    assert_eq!(request.header("webhook-signature").split(' ').count(), 2, "{request:?}");
    for secret in [&subscription.secret, &new_secret] {
        Webhook::new(secret).unwrap().verify(&request.body, &signed_headers(&request)).expect("either secret verifies");
    }
}

#[tokio::test]
async fn failures_are_retried_under_one_webhook_id_and_retry_after_is_honoured() {
    let receiver =
        Receiver::scripted(&[Reply::Status(500), Reply::Status(500), Reply::RetryAfter(429, 1), Reply::Status(200)])
            .await;
    let app = TestApp::spawn_with(quick).await;
    let admin = app.admin().await;
    let subscription = app.subscribe(&receiver.url, &["agency.created"]).await;
    app.create_agency(&admin, &agency_body(1)).await;

    let seen = receiver.wait_for_requests(4).await;
    let delivery =
        eventually("the delivery succeeded", || app.deliveries(&subscription.id), all_succeeded(1)).await.remove(0);
    assert_eq!(seen.iter().map(|r| r.answered).collect::<Vec<_>>(), [500, 500, 429, 200]);
    assert!(seen.iter().all(|r| r.webhook_id() == delivery.id), "one webhook-id for every attempt");
    let verifier = Webhook::new(&subscription.secret).unwrap();
    for request in &seen {
        verifier.verify(&request.body, &signed_headers(request)).expect("each attempt is signed");
    }

    let attempts = app.attempts(&subscription.id).await;
    let statuses: Vec<Option<i32>> = attempts.iter().map(|a| a.status_code).collect();
    assert_eq!(statuses, [Some(500), Some(500), Some(429), Some(200)]);
    assert_eq!(attempts[2].retry_after_seconds, Some(1));
    // Backoff starts at half of retry_base_ms (100 ms) at the least, and Retry-After is a floor.
    let gap = |i: usize| attempts[i + 1].attempted_at - attempts[i].attempted_at;
    assert!(gap(0) >= TimeDelta::milliseconds(50), "{:?}", gap(0));
    assert!(gap(2) >= TimeDelta::seconds(1), "Retry-After: 1 was not honoured: {:?}", gap(2));
    assert_eq!(delivery.attempts, 4);
    assert!(delivery.delivered_at.is_some() && delivery.claimed_by.is_none(), "{delivery:?}");
    let stored = app.stored_subscription(&subscription.id).await;
    assert!(stored.enabled);
    assert_eq!(stored.failing_since, None, "a success ends the run of failures");
}

#[tokio::test]
async fn a_410_disables_the_subscription_and_gives_up_its_pending_deliveries() {
    let receiver = Receiver::scripted(&[Reply::Status(410)]).await;
    // Three deliveries are queued while nothing dispatches, then sent one at a time: the first
    // is answered 410 while the other two are still pending.
    let app = TestApp::spawn_with(no_dispatch).await;
    let admin = app.admin().await;
    let subscription = app.subscribe(&receiver.url, &["agency.created"]).await;
    for n in 1..=3 {
        app.create_agency(&admin, &agency_body(n)).await;
    }
    let app = app
        .restart(|c| {
            c.webhooks.dispatch = true;
            c.webhooks.batch_size = 1;
        })
        .await;

    let stored =
        eventually("the subscription disabled", || app.stored_subscription(&subscription.id), |s| !s.enabled).await;
    let reason = "the receiver answered 410 Gone";
    assert_eq!(stored.disabled_reason.as_deref(), Some(reason));
    let deliveries = app.deliveries(&subscription.id).await;
    assert_eq!(deliveries.iter().map(|d| d.attempts).collect::<Vec<_>>(), [1, 0, 0], "{deliveries:#?}");
    for delivery in &deliveries {
        assert_eq!(delivery.status, "failed", "{delivery:?}");
        assert_eq!(delivery.last_error.as_deref(), Some(reason));
        assert_eq!(delivery.claimed_by, None);
    }
    assert_eq!(receiver.requests().len(), 1, "nothing more was sent");

    let feed = app.get_json("/v1/events?types=webhook.disabled", Some(&admin)).await;
    let event = &feed["data"][0];
    assert_eq!(event["subject"], json!({"type": "webhook", "id": subscription.id}));
    assert_eq!(event["actor"], "system");
    assert_eq!(event["current"]["disabled_reason"], reason);
}

#[tokio::test]
async fn a_subscription_failing_for_give_up_after_hours_is_disabled() {
    let receiver = Receiver::start().await;
    receiver.answer_from_now_on(Reply::Status(500));
    let clock = FixedClock::new(start());
    // give_up_after_hours is left at its default, 72.
    let app = TestApp::spawn_full(quick, Arc::new(clock.clone())).await;
    let admin = app.admin().await;
    let subscription = app.subscribe(&receiver.url, &["agency.created"]).await;
    app.create_agency(&admin, &agency_body(1)).await;

    // The clock stands still, so each retry waits for the test to move it.
    eventually("the first attempt", || app.attempts(&subscription.id), |a| a.len() == 1).await;
    assert_eq!(app.stored_subscription(&subscription.id).await.failing_since, Some(start()));
    clock.advance(TimeDelta::hours(1));
    eventually("the second attempt", || app.attempts(&subscription.id), |a| a.len() == 2).await;
    let stored = app.stored_subscription(&subscription.id).await;
    assert!(stored.enabled, "failing for an hour is not enough");
    assert_eq!(stored.failing_since, Some(start()), "the run started with the first failure");

    clock.advance(TimeDelta::hours(71));
    let stored =
        eventually("the subscription disabled", || app.stored_subscription(&subscription.id), |s| !s.enabled).await;
    assert_eq!(stored.disabled_reason.as_deref(), Some("deliveries failed for 3 days"));
    let attempts = app.attempts(&subscription.id).await;
    let times: Vec<_> = attempts.iter().map(|a| a.attempted_at).collect();
    assert_eq!(times, [start(), start() + TimeDelta::hours(1), start() + TimeDelta::hours(72)]);
    let delivery = app.deliveries(&subscription.id).await.remove(0);
    assert_eq!(delivery.status, "failed");
    assert_eq!(delivery.last_error.as_deref(), Some("deliveries failed for 3 days"));
}

#[tokio::test]
async fn a_loopback_target_gets_nothing_unless_private_targets_are_allowed() {
    let receiver = Receiver::start().await;
    let app = TestApp::spawn_with(|c| {
        quick(c);
        c.webhooks.allow_private_targets = false;
    })
    .await;
    let admin = app.admin().await;
    let subscription = app.subscribe(&receiver.url, &["agency.created"]).await;
    app.create_agency(&admin, &agency_body(1)).await;

    let attempts = eventually("a refused attempt", || app.attempts(&subscription.id), |a| !a.is_empty()).await;
    assert_eq!(attempts[0].status_code, None);
    let error = attempts[0].error.as_deref().unwrap();
    assert!(error.starts_with("the target is refused: url must"), "{error}");
    assert!(!error.contains("not-for-the-logs"), "no URL query in the error: {error}");
    assert!(receiver.requests().is_empty(), "nothing reached the receiver");
    assert_eq!(app.deliveries(&subscription.id).await[0].status, "pending");
}

#[tokio::test]
async fn every_event_is_delivered_after_a_restart() {
    // The receiver is down (every request a 503) while events happen, some while a dispatcher
    // tries them and some while none runs; then the app is stopped and started again.
    let receiver = Receiver::start().await;
    receiver.answer_from_now_on(Reply::Status(503));
    let app = TestApp::spawn_with(quick).await;
    let admin = app.admin().await;
    let subscription = app.subscribe(&receiver.url, &["agency.created"]).await;
    for n in 1..=3 {
        app.create_agency(&admin, &agency_body(n)).await;
    }
    eventually(
        "every delivery tried while the receiver is down",
        || app.deliveries(&subscription.id),
        |ds| ds.len() == 3 && ds.iter().all(|d| d.attempts >= 1),
    )
    .await;
    app.stop_dispatcher().await;
    for n in 4..=6 {
        app.create_agency(&admin, &agency_body(n)).await;
    }
    let queued = app.deliveries(&subscription.id).await;
    assert_eq!(queued.len(), 6);
    for delivery in &queued {
        assert_eq!((delivery.status.as_str(), &delivery.claimed_by), ("pending", &None), "{delivery:?}");
    }

    let app = app.restart(|_| {}).await;
    receiver.answer_from_now_on(Reply::Status(200));
    let seen = receiver
        .wait_until("every event accepted", |seen| {
            seen.iter().filter(|r| r.answered == 200).map(Received::webhook_id).collect::<HashSet<_>>().len() == 6
        })
        .await;
    let accepted: HashSet<String> =
        seen.iter().filter(|r| r.answered == 200).map(|r| r.webhook_id().to_owned()).collect();
    assert_eq!(accepted, queued.iter().map(|d| d.id.clone()).collect::<HashSet<_>>());
    eventually("every delivery recorded as succeeded", || app.deliveries(&subscription.id), all_succeeded(6)).await;
}

#[tokio::test]
async fn two_processes_on_one_database_deliver_each_event_exactly_once() {
    const EVENTS: usize = 30;
    let receiver = Receiver::start().await;
    let app = TestApp::spawn_with(no_dispatch).await;
    let admin = app.admin().await;
    let subscription = app.subscribe(&receiver.url, &["agency.created"]).await;
    let settings = quick_process(&[]);
    let mut processes = [Serving::start(&app, &settings).await, Serving::start(&app, &settings).await];

    let http = reqwest::Client::new();
    for n in 0..EVENTS {
        let process = &processes[n % 2];
        let body = agency_body(u32::try_from(n).unwrap() + 1);
        let res = http.post(process.url("/v1/agencies")).bearer_auth(&admin).json(&body).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    }
    // Closes the connections, so that the processes stop at once when asked.
    drop(http);

    receiver.wait_until("every event", |seen| distinct_ids(seen).len() == EVENTS).await;
    eventually("every delivery recorded", || app.deliveries(&subscription.id), all_succeeded(EVENTS)).await;
    // Once both have stopped, nothing can be in flight any more.
    for process in &mut processes {
        process.terminate();
        assert!(process.exited().await.success(), "{:#?}", process.log());
    }
    let seen = receiver.requests();
    assert_eq!(seen.len(), EVENTS, "each event was sent once");
    assert_eq!(distinct_ids(&seen).len(), EVENTS);
    assert_eq!(app.attempts(&subscription.id).await.len(), EVENTS);
    for process in &processes {
        let log = serde_json::to_string(&process.log()).unwrap();
        assert!(log.contains("webhook dispatcher stopped"), "{log}");
        assert!(!log.contains("not-for-the-logs"), "the URL's query is never logged");
        assert!(!log.contains(&subscription.secret["whsec_".len()..]), "the secret is never logged");
    }
}

#[tokio::test]
async fn a_process_killed_mid_delivery_loses_nothing() {
    let receiver = Receiver::scripted(&[Reply::HangThenOk(Duration::from_secs(60))]).await;
    let app = TestApp::spawn_with(no_dispatch).await;
    let admin = app.admin().await;
    let subscription = app.subscribe(&receiver.url, &["agency.created"]).await;
    // An attempt may take 5 s; a claim lasts a second longer.
    let settings = quick_process(&[("timeout_ms", "5000"), ("claim_ttl_seconds", "6")]);
    let mut processes = [Serving::start(&app, &settings).await, Serving::start(&app, &settings).await];
    let instances = [processes[0].instance().await, processes[1].instance().await];
    app.create_agency(&admin, &agency_body(1)).await;

    let first = receiver.wait_for_requests(1).await.remove(0);
    let delivery = app.deliveries(&subscription.id).await.remove(0);
    let holder = delivery.claimed_by.expect("the delivery in flight is claimed");
    let killed = instances.iter().position(|i| *i == holder).expect("one of the processes holds the claim");
    processes[killed].kill();

    let seen = receiver.wait_for_requests(2).await;
    assert_eq!(seen[1].webhook_id(), first.webhook_id(), "sent again under the same webhook-id");
    let delivery =
        eventually("the delivery succeeded", || app.deliveries(&subscription.id), all_succeeded(1)).await.remove(0);
    assert_eq!(delivery.id, first.webhook_id());
    let attempts = app.attempts(&subscription.id).await;
    assert_eq!(attempts.len(), 1, "the killed process recorded nothing: {attempts:#?}");
    assert_eq!(attempts[0].delivery_id, delivery.id);
    assert_eq!(attempts[0].instance, instances[1 - killed]);
    assert_eq!(attempts[0].status_code, Some(200));
}

#[tokio::test]
async fn a_delivery_in_flight_at_sigterm_is_finished_not_left_claimed_and_delivered() {
    // Two receivers: one answers within the attempt's time, so the attempt finishes; one hangs
    // past it, so the attempt times out and the delivery waits for a retry.
    let slow = Receiver::scripted(&[Reply::HangThenOk(Duration::from_secs(1))]).await;
    let stuck = Receiver::scripted(&[Reply::HangThenOk(Duration::from_secs(60))]).await;
    let app = TestApp::spawn_with(no_dispatch).await;
    let admin = app.admin().await;
    let finishing = app.subscribe(&slow.url, &["agency.created"]).await;
    let timing_out = app.subscribe(&stuck.url, &["agency.created"]).await;
    // A claim left behind would hold the delivery for a minute, past every deadline below.
    let settings = quick_process(&[("timeout_ms", "3000"), ("claim_ttl_seconds", "60")]);
    let mut process = Serving::start(&app, &settings).await;
    app.create_agency(&admin, &agency_body(1)).await;
    slow.wait_for_requests(1).await;
    stuck.wait_for_requests(1).await;

    process.terminate();
    let status = process.exited().await;
    assert!(status.success(), "{status:?} {:#?}", process.log());
    let finished = app.deliveries(&finishing.id).await.remove(0);
    assert_eq!((finished.status.as_str(), &finished.claimed_by), ("succeeded", &None), "{finished:?}");
    let retried = app.deliveries(&timing_out.id).await.remove(0);
    assert_eq!((retried.status.as_str(), retried.attempts, &retried.claimed_by), ("pending", 1, &None), "{retried:?}");
    let attempt = app.attempts(&timing_out.id).await.remove(0);
    assert!(attempt.error.as_deref().unwrap().starts_with("timed out"), "{attempt:?}");

    let _next = Serving::start(&app, &settings).await;
    let seen = stuck.wait_for_requests(2).await;
    assert_eq!(seen[1].webhook_id(), retried.id);
    eventually("the retried delivery succeeded", || app.deliveries(&timing_out.id), all_succeeded(1)).await;
    assert_eq!(slow.requests().len(), 1, "the finished delivery was not sent again");
}

#[tokio::test]
async fn a_delivery_that_outlasts_the_shutdown_bound_does_not_hold_the_exit() {
    let stuck = Receiver::scripted(&[Reply::HangThenOk(Duration::from_secs(60))]).await;
    let app = TestApp::spawn_with(no_dispatch).await;
    let admin = app.admin().await;
    let subscription = app.subscribe(&stuck.url, &["agency.created"]).await;
    // An attempt may take 8 s, but the process has 1 s to stop.
    let settings = quick_process(&[("timeout_ms", "8000"), ("claim_ttl_seconds", "60")]);
    let mut env: Vec<(String, &str)> = settings
        .iter()
        .map(|(name, value)| (format!("FAIRHIRE_WEBHOOKS__{}", name.to_ascii_uppercase()), *value))
        .collect();
    env.push(("FAIRHIRE_SHUTDOWN_TIMEOUT_SECONDS".into(), "1"));
    let mut process = Serving::start_with_env(&app, &env).await;
    app.create_agency(&admin, &agency_body(1)).await;
    stuck.wait_for_requests(1).await;

    process.terminate();
    let signalled = std::time::Instant::now();
    let status = process.exited().await;
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0), "{:#?}", process.log());
    assert!(took < Duration::from_secs(4), "stopped {took:?} after the signal");
    let log = serde_json::to_string(&process.log()).unwrap();
    assert!(log.contains("did not finish within the shutdown timeout"), "{log}");
    // The attempt was cut short: its claim is left to expire, and another process sends it.
    let delivery = app.deliveries(&subscription.id).await.remove(0);
    assert_eq!((delivery.status.as_str(), delivery.attempts), ("pending", 0), "{delivery:?}");
    assert!(delivery.claimed_by.is_some(), "{delivery:?}");
}
