//! `/v1/webhooks`: subscriptions, their secret, their deliveries, and who may touch them. The
//! deliveries themselves, to a real receiver, are in `webhooks_delivery.rs`.

use chrono::Duration;
use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, World, assert_problem, error_fields, id, rfc3339};

const HOOK: &str = "https://hooks.example.com/fairhire";

async fn subscribe(w: &World, token: &str, body: Value) -> Value {
    let res = w.app.send(Method::POST, "/v1/webhooks", token, Some(body)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = res.json().await.unwrap();
    assert_eq!(location, format!("/v1/webhooks/{}", id(&created)));
    created
}

#[tokio::test]
async fn an_integrator_subscribes_and_is_shown_the_secret_once() {
    let w = World::at_start().await;
    let created =
        subscribe(&w, &w.integrator, json!({"url": HOOK, "event_types": ["certification.status_changed"]})).await;
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert_eq!(created["enabled"], true);
    assert_eq!(created["event_types"], json!(["certification.status_changed"]));
    assert_eq!(created["watchlist_only"], false);

    let path = format!("/v1/webhooks/{}", id(&created));
    let read = w.app.get_json(&path, Some(&w.integrator)).await;
    assert!(read.get("secret").is_none(), "never shown again: {read}");
    assert_eq!(read["url"], HOOK);
    let listed = w.app.get_json("/v1/webhooks", Some(&w.integrator)).await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert!(listed["data"][0].get("secret").is_none());

    let rotated = w.app.ok(Method::POST, &format!("{path}/secret"), &w.integrator, None).await;
    let new_secret = rotated["secret"].as_str().unwrap();
    assert!(new_secret.starts_with("whsec_") && new_secret != secret);
    assert_eq!(rotated["previous_secret_valid_until"], rfc3339(crate::helpers::start() + Duration::hours(24)));

    // Already enabled: enabling changes nothing.
    let enabled = w.app.ok(Method::POST, &format!("{path}/enable"), &w.integrator, None).await;
    assert_eq!(enabled["enabled"], true);

    assert_eq!(w.app.status(Method::DELETE, &path, &w.integrator, None).await, 204);
    let res = w.app.request(Method::GET, &path, Some(&w.integrator)).send().await.unwrap();
    assert_problem(res, 404, "not-found").await;
    assert_eq!(w.app.get_json("/v1/webhooks", Some(&w.integrator)).await["data"], json!([]));
    assert_eq!(w.app.status(Method::DELETE, &path, &w.integrator, None).await, 404);
}

#[tokio::test]
async fn a_subscription_is_refused_an_unsafe_url_or_unknown_filter() {
    let w = World::at_start().await;
    for (body, field) in [
        (json!({"url": "http://hooks.example.com/x"}), "url"),
        (json!({"url": "https://127.0.0.1/x"}), "url"),
        (json!({"url": "https://[::1]/x"}), "url"),
        (json!({"url": "https://10.1.2.3/x"}), "url"),
        (json!({"url": "https://169.254.169.254/latest/meta-data"}), "url"),
        (json!({"url": "https://localhost/x"}), "url"),
        (json!({"url": "https://user:pw@hooks.example.com/x"}), "url"),
        (json!({"url": "ftp://hooks.example.com/x"}), "url"),
        (json!({"url": format!("https://hooks.example.com/{}", "a".repeat(2000))}), "url"),
        (json!({"url": HOOK, "event_types": ["agency.exploded"]}), "event_types[0]"),
        (json!({"url": HOOK, "corridor": "NP"}), "corridor"),
        (json!({"url": HOOK, "country": "XX"}), "country"),
        (json!({"url": HOOK, "country": null}), "country"),
        (json!({"url": HOOK, "agency_id": MISSING}), "agency_id"),
        (json!({"url": HOOK, "secret": "whsec_mine"}), "secret"),
        (json!({}), "url"),
    ] {
        let res = w.app.send(Method::POST, "/v1/webhooks", &w.integrator, Some(body.clone())).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(error_fields(&problem), vec![field], "{body}");
    }
    assert_eq!(w.app.get_json("/v1/webhooks", Some(&w.integrator)).await["data"], json!([]));
}

#[tokio::test]
async fn only_integrators_and_admins_keep_webhooks_and_only_their_own() {
    let w = World::at_start().await;
    let created = subscribe(&w, &w.integrator, json!({"url": HOOK})).await;
    let path = format!("/v1/webhooks/{}", id(&created));
    let body = json!({"url": HOOK});
    for token in [&w.body.auditor, &w.body.certifier, &w.agency.token] {
        assert_eq!(w.app.status(Method::POST, "/v1/webhooks", token, Some(body.clone())).await, 403);
        assert_eq!(w.app.status(Method::GET, "/v1/webhooks", token, None).await, 403);
        assert_eq!(w.app.status(Method::GET, &path, token, None).await, 403);
        assert_eq!(w.app.status(Method::DELETE, &path, token, None).await, 403);
        assert_eq!(w.app.status(Method::POST, &format!("{path}/secret"), token, None).await, 403);
        assert_eq!(w.app.status(Method::GET, &format!("{path}/deliveries"), token, None).await, 403);
    }
    // Another integrator, and even an admin, do not see this one's subscription.
    let other = w.app.token_for(Role::Integrator, None, None).await;
    for token in [&other, &w.admin] {
        assert_eq!(w.app.status(Method::GET, &path, token, None).await, 404);
        assert_eq!(w.app.status(Method::DELETE, &path, token, None).await, 404);
        assert_eq!(w.app.status(Method::POST, &format!("{path}/secret"), token, None).await, 404);
        assert_eq!(w.app.status(Method::GET, &format!("{path}/deliveries"), token, None).await, 404);
        assert_eq!(w.app.get_json("/v1/webhooks", Some(token)).await["data"], json!([]));
    }
    assert_eq!(w.app.status(Method::POST, "/v1/webhooks", &w.admin, Some(body)).await, 201);
    let res = w.app.request(Method::GET, "/v1/webhooks", None).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
    let res = w.app.request(Method::GET, "/v1/webhooks/not-a-uuid", Some(&w.integrator)).send().await.unwrap();
    assert_problem(res, 404, "not-found").await;
}

#[tokio::test]
async fn matching_events_queue_deliveries_that_can_be_listed_and_redelivered() {
    let w = World::at_start().await;
    let status =
        subscribe(&w, &w.integrator, json!({"url": HOOK, "event_types": ["certification.status_changed"]})).await;
    let licence = subscribe(&w, &w.integrator, json!({"url": HOOK, "event_types": ["agency.licence_changed"]})).await;
    let watched = subscribe(&w, &w.integrator, json!({"url": HOOK, "watchlist_only": true})).await;
    w.apply_and_accept().await;

    let deliveries = |sub: &Value| format!("/v1/webhooks/{}/deliveries", id(sub));
    let page = w.app.get_json(&deliveries(&status), Some(&w.integrator)).await;
    let data = page["data"].as_array().unwrap();
    assert_eq!(data.len(), 1, "{page}");
    assert_eq!(data[0]["event_type"], "certification.status_changed");
    assert!(data[0]["event_sequence"].as_i64().unwrap() > 0);
    assert!(["pending", "succeeded", "failed"].contains(&data[0]["status"].as_str().unwrap()));
    assert!(data[0]["history"].is_array());
    // Private events never reach an integrator, and the other filters hold.
    assert_eq!(w.app.get_json(&deliveries(&licence), Some(&w.integrator)).await["data"], json!([]));
    assert_eq!(w.app.get_json(&deliveries(&watched), Some(&w.integrator)).await["data"], json!([]));

    let delivery = id(&data[0]).to_owned();
    let redeliver = format!("{}/{delivery}/redeliver", deliveries(&status));
    let res = w.app.send(Method::POST, &redeliver, &w.integrator, None).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);
    let queued: Value = res.json().await.unwrap();
    assert_eq!(queued["id"], delivery.as_str());
    assert_eq!(queued["status"], "pending");

    let res =
        w.app.send(Method::POST, &format!("{}/{MISSING}/redeliver", deliveries(&status)), &w.integrator, None).await;
    assert_problem(res, 404, "not-found").await;
    let res =
        w.app.send(Method::POST, &format!("{}/{delivery}/redeliver", deliveries(&licence)), &w.integrator, None).await;
    assert_problem(res, 404, "not-found").await;
    let res = w.app.send(Method::POST, &format!("{}/nope/redeliver", deliveries(&status)), &w.integrator, None).await;
    assert_problem(res, 404, "not-found").await;

    // A disabled subscription says why; redelivering waits for it to be enabled.
    w.app.disable_webhook(id(&status), "the receiver answered 410 Gone").await;
    let read = w.app.get_json(&format!("/v1/webhooks/{}", id(&status)), Some(&w.integrator)).await;
    assert_eq!(read["enabled"], false);
    assert_eq!(read["disabled_reason"], "the receiver answered 410 Gone");
    let failed = w.app.get_json(&format!("{}?status=failed", deliveries(&status)), Some(&w.integrator)).await;
    assert_eq!(failed["data"].as_array().unwrap().len(), 1, "pending deliveries are given up");
    let res = w.app.send(Method::POST, &redeliver, &w.integrator, None).await;
    assert_problem(res, 409, "conflict").await;
    let enabled = w.app.ok(Method::POST, &format!("/v1/webhooks/{}/enable", id(&status)), &w.integrator, None).await;
    assert_eq!((enabled["enabled"].clone(), enabled["disabled_reason"].clone()), (json!(true), Value::Null));
    let res = w.app.send(Method::POST, &redeliver, &w.integrator, None).await;
    assert_eq!(res.status(), StatusCode::ACCEPTED);

    let res = w
        .app
        .request(Method::GET, &format!("{}?status=lost", deliveries(&status)), Some(&w.integrator))
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "bad-request").await;
    let res = w
        .app
        .request(Method::GET, &format!("{}?limit=0", deliveries(&status)), Some(&w.integrator))
        .send()
        .await
        .unwrap();
    assert_problem(res, 422, "validation").await;
}
