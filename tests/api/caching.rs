//! Answers served from memory: revalidation with `ETag` and `If-None-Match`, changes seen at
//! once on the instance that made them and by another instance through the event log, and the
//! attestation reused only while nothing it states changed.

use std::time::Duration;

use reqwest::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, World};

async fn get(app: &TestApp, path: &str, token: Option<&str>, etag: Option<&str>) -> reqwest::Response {
    let mut req = app.request(Method::GET, path, token);
    if let Some(tag) = etag {
        req = req.header(IF_NONE_MATCH, tag);
    }
    req.send().await.unwrap()
}

fn etag(res: &reqwest::Response) -> String {
    res.headers()[ETAG].to_str().unwrap().to_owned()
}

/// Reads `path` on `app` until `seen` holds of the answer; how many reads that took. Bounded,
/// so a change that never shows fails the test instead of hanging it.
async fn read_until(app: &TestApp, path: &str, token: Option<&str>, seen: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..100 {
        let body: Value = get(app, path, token, None).await.json().await.unwrap();
        if seen(&body) {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{path} never showed the change");
}

/// Renames agency `id` to "Renamed Manpower" as `admin`.
async fn rename(app: &TestApp, admin: &str, id: &str) {
    let rename = json!({"legal_name": "Renamed Manpower"});
    let res = app.send(Method::PATCH, &format!("/v1/agencies/{id}"), admin, Some(rename)).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn a_public_record_is_revalidated_by_its_etag_and_a_change_shows_at_once() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.agency(&admin, 1).await;
    let path = format!("/v1/public/agencies/{}", agency.id);

    let first = get(&app, &path, None, None).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()[CACHE_CONTROL], "public, no-cache");
    let tag = etag(&first);
    assert!(tag.starts_with('"') && tag.ends_with('"'), "a strong tag: {tag}");
    let body: Value = first.json().await.unwrap();

    let again = get(&app, &path, None, Some(&tag)).await;
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(etag(&again), tag);
    assert_eq!(again.headers()[CACHE_CONTROL], "public, no-cache");
    assert!(again.bytes().await.unwrap().is_empty());
    // Another tag, a weak form of ours, and `*`.
    assert_eq!(get(&app, &path, None, Some("\"elsewhere\"")).await.status(), StatusCode::OK);
    assert_eq!(get(&app, &path, None, Some(&format!("W/{tag}"))).await.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(get(&app, &path, None, Some("*")).await.status(), StatusCode::NOT_MODIFIED);

    // The change is seen by the very next read, with a new tag.
    rename(&app, &admin, &agency.id).await;
    let changed = get(&app, &path, None, Some(&tag)).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_ne!(etag(&changed), tag);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(changed["legal_name"], "Renamed Manpower");
    assert_eq!(changed["id"], body["id"]);
}

#[tokio::test]
async fn an_id_that_names_nothing_stays_a_404_until_such_an_agency_exists() {
    let (app, _admin) = TestApp::spawn_as_admin().await;
    let missing = "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90";
    for _ in 0..2 {
        let res = get(&app, &format!("/v1/public/agencies/{missing}"), None, None).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        assert_eq!(res.headers()["content-type"], "application/problem+json");
    }
}

#[tokio::test]
async fn another_instance_sees_a_change_through_the_event_log() {
    let (a, admin) = TestApp::spawn_as_admin().await;
    let b = a.another_instance(|c| c.cache.poll_ms = 50).await;
    let agency = a.agency(&admin, 1).await;
    let path = format!("/v1/public/agencies/{}", agency.id);
    // B holds the record before A changes it.
    let before = read_until(&b, &path, None, |v| v["legal_name"] == "Himalayan Overseas Manpower 1").await;
    rename(&a, &admin, &agency.id).await;
    let after = read_until(&b, &path, None, |v| v["legal_name"] == "Renamed Manpower").await;
    assert_eq!(before["id"], after["id"]);
    b.stop().await;
}

#[tokio::test]
async fn an_attestation_is_reused_while_nothing_it_states_changed_and_for_a_minute_at_most() {
    let w = World::at_start().await;
    let path = format!("/v1/public/agencies/{}/attestation", w.agency.id);
    let first = get(&w.app, &path, None, None).await;
    let tag = etag(&first);
    let jws = first.text().await.unwrap();
    assert_eq!(get(&w.app, &path, None, None).await.text().await.unwrap(), jws);
    assert_eq!(get(&w.app, &path, None, Some(&tag)).await.status(), StatusCode::NOT_MODIFIED);
    // The JSON form is another representation, with its own tag.
    let json = w.app.request(Method::GET, &path, None).header("accept", "application/json").send().await.unwrap();
    assert_ne!(etag(&json), tag);
    assert_eq!(json.json::<Value>().await.unwrap()["attestation"], jws.as_str());

    // A minute later the same statement is signed anew.
    w.clock.advance(chrono::Duration::seconds(61));
    let later = get(&w.app, &path, None, Some(&tag)).await;
    assert_eq!(later.status(), StatusCode::OK);
    let resigned = later.text().await.unwrap();
    assert_ne!(resigned, jws);

    // A change to what it states is signed at once.
    w.certified().await;
    let certified = get(&w.app, &path, None, None).await.text().await.unwrap();
    assert_ne!(certified, resigned);
    let claims = certified.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(
        &base64::Engine::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, claims).unwrap(),
    )
    .unwrap();
    assert_eq!(claims["status"]["certification_status"], "certified");
}

#[tokio::test]
async fn due_diligence_is_revalidated_and_follows_a_change_in_the_chain_on_another_instance() {
    let w = World::at_start().await;
    let b = w.app.another_instance(|c| c.cache.poll_ms = 50).await;
    let head = w.app.agency(&w.admin, 2).await;
    let link = json!({"kind": "sub_agent", "agency_id": w.agency.id});
    w.app.post_created(&format!("/v1/agencies/{}/sub-agents", head.id), &head.token, &link).await;
    let path = format!("/v1/agencies/{}/due-diligence", head.id);

    let first = get(&w.app, &path, Some(&w.integrator), None).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(first.headers()[CACHE_CONTROL], "private, no-cache");
    let tag = etag(&first);
    assert_eq!(get(&w.app, &path, Some(&w.integrator), Some(&tag)).await.status(), StatusCode::NOT_MODIFIED);
    // The token still decides: without one, no answer and no 304.
    assert_eq!(get(&w.app, &path, None, Some(&tag)).await.status(), StatusCode::UNAUTHORIZED);

    let never = |v: &Value| v["chain"]["members"][0]["status"] == "never_certified";
    read_until(&b, &path, Some(&w.integrator), never).await;
    // The sub-agent, not the head, changes: certified, then suspended.
    w.certified().await;
    let suspend = json!({"action": "suspend", "reason": "passports kept at the office"});
    assert_eq!(w.decide(&w.admin, suspend).await.status(), StatusCode::OK);
    let here = get(&w.app, &path, Some(&w.integrator), Some(&tag)).await;
    assert_eq!(here.status(), StatusCode::OK);
    assert_eq!(here.json::<Value>().await.unwrap()["chain"]["worst_status"], "suspended");
    read_until(&b, &path, Some(&w.integrator), |v| v["chain"]["worst_status"] == "suspended").await;
    b.stop().await;
}

#[tokio::test]
async fn the_metrics_count_cache_hits_and_misses_and_the_tails_lag() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.agency(&admin, 1).await;
    let path = format!("/v1/public/agencies/{}", agency.id);
    for _ in 0..3 {
        assert_eq!(get(&app, &path, None, None).await.status(), StatusCode::OK);
    }
    let text = app.http.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    let sample = |series: &str| -> f64 {
        text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok()).unwrap_or(0.0)
    };
    let (hits, misses) = (
        sample(r#"fairhire_cache_requests_total{cache="public_agency",outcome="hit"}"#),
        sample(r#"fairhire_cache_requests_total{cache="public_agency",outcome="miss"}"#),
    );
    assert_eq!((hits, misses), (2.0, 1.0), "{text}");
    assert_eq!(sample("fairhire_event_log_tail_lag_events"), 0.0);
    assert!(text.contains("fairhire_event_log_tail_lag_seconds "), "{text}");
}

#[tokio::test]
async fn an_if_none_match_longer_than_documented_is_a_400() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.agency(&admin, 1).await;
    let long = format!("\"{}\"", "a".repeat(1100));
    for path in [format!("/v1/public/agencies/{}", agency.id), format!("/v1/public/agencies/{}/attestation", agency.id)]
    {
        let res = get(&app, &path, None, Some(&long)).await;
        crate::helpers::assert_problem(res, 400, "bad-request").await;
    }
}
