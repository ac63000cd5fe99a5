//! Appeals (ISO/IEC 17021-1 §9.7): what an agency may appeal and until when, who decides, and
//! what an upheld appeal undoes.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, World, assert_problem, error_fields, id};

fn appeal(decision: &str) -> Value {
    json!({"decision": decision, "grounds": "The fees were refunded before the decision; receipts are on file."})
}

async fn file(w: &World, token: &str, body: Value) -> reqwest::Response {
    w.app.send(Method::POST, &format!("/v1/agencies/{}/appeals", w.agency.id), token, Some(body)).await
}

/// Moves an appeal with the admin `token`, sending the current ETag; returns the answer.
async fn step(w: &World, token: &str, appeal_id: &str, state: &str) -> reqwest::Response {
    let path = format!("/v1/appeals/{appeal_id}");
    let read = w.app.send(Method::GET, &path, &w.admin, None).await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let body = json!({"state": state, "reason": format!("panel: {state}")});
    w.app.send_if_match(Method::PATCH, &path, token, &etag, body).await
}

async fn due_diligence(w: &World) -> Value {
    w.app.get_json(&format!("/v1/agencies/{}/due-diligence", w.agency.id), Some(&w.integrator)).await
}

#[tokio::test]
async fn an_upheld_appeal_of_a_suspension_reinstates_the_agency() {
    let w = World::at_start().await;
    let before = w.certified().await;
    w.clock.advance(Duration::days(20));
    let suspend = json!({"action": "suspend", "reason": "fees reported by workers"});
    assert_eq!(w.decide(&w.admin, suspend).await.status(), StatusCode::OK);
    // Read once, so that the summary is held in the cache before the appeal.
    assert_eq!(due_diligence(&w).await["appeal_in_progress"], Value::Null);

    w.clock.advance(Duration::days(10));
    let res = file(&w, &w.agency.token, appeal("suspension")).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let filed: Value = res.json().await.unwrap();
    assert_eq!((filed["state"].as_str(), filed["decided_by"].is_string()), (Some("received"), true));
    let appeal_id = id(&filed).to_owned();
    let shown = due_diligence(&w).await["appeal_in_progress"].clone();
    assert_eq!(shown["id"], appeal_id.as_str(), "the next read shows the appeal: {shown}");
    assert_eq!((shown["decision"].as_str(), shown["state"].as_str()), (Some("suspension"), Some("received")));
    assert!(shown.get("grounds").is_none());
    let res = file(&w, &w.agency.token, appeal("suspension")).await;
    assert!(assert_problem(res, 409, "conflict").await["detail"].as_str().unwrap().contains("open appeal"));

    // The admin who suspended may not handle the appeal; another admin may.
    let decider = step(&w, &w.admin, &appeal_id, "under_review").await;
    assert_problem(decider, 403, "forbidden").await;
    let panel = w.app.admin().await;
    assert_problem(step(&w, &panel, &appeal_id, "upheld").await, 409, "conflict").await;
    let path = format!("/v1/appeals/{appeal_id}");
    let stale = w
        .app
        .send_if_match(Method::PATCH, &path, &panel, "\"v0\"", json!({"state": "under_review", "reason": "x"}))
        .await;
    assert_problem(stale, 412, "precondition-failed").await;
    let res = w.app.send(Method::PATCH, &path, &panel, Some(json!({"state": "under_review"}))).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["reason"]);
    assert_eq!(step(&w, &panel, &appeal_id, "under_review").await.status(), StatusCode::OK);
    assert_eq!(due_diligence(&w).await["appeal_in_progress"]["state"], "under_review");
    let res = step(&w, &panel, &appeal_id, "upheld").await;
    assert_eq!(res.status(), StatusCode::OK);
    let upheld: Value = res.json().await.unwrap();
    assert_eq!((upheld["state"].as_str(), upheld["outcome_reason"].as_str()), (Some("upheld"), Some("panel: upheld")));
    assert!(upheld["closed_at"].is_string());

    let view = w.certification().await;
    assert_eq!(view["status"], "certified");
    assert_eq!(view["certificate"]["suspended_at"], Value::Null);
    assert_eq!(view["certificate"]["valid_until"], before["certificate"]["valid_until"], "the original expiry stands");
    assert_eq!(view["certificate"]["number"], before["certificate"]["number"]);
    let last = view["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["from"].as_str(), last["to"].as_str()), (Some("suspended"), Some("certified")));
    assert!(last["reason"].as_str().unwrap().starts_with(&format!("appeal {appeal_id} upheld")), "{last}");
    assert_eq!(due_diligence(&w).await["appeal_in_progress"], Value::Null);
    assert_problem(step(&w, &panel, &appeal_id, "rejected").await, 409, "conflict").await;

    // Every step is an event about the agency; the reversal is a public transition.
    let feed = w.app.get_json("/v1/events?limit=200", Some(&w.agency.token)).await;
    let kinds: Vec<&str> = feed["data"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds.iter().filter(|k| **k == "appeal.filed").count(), 1);
    assert_eq!(kinds.iter().filter(|k| **k == "appeal.state_changed").count(), 2);
    let public = w.app.get_json("/v1/events?limit=200", Some(&w.integrator)).await;
    let data = public["data"].as_array().unwrap();
    assert!(!data.iter().any(|e| e["type"].as_str().unwrap().starts_with("appeal.")));
    let reinstated = data.iter().rfind(|e| e["type"] == "certification.status_changed").unwrap();
    assert!(reinstated["current"]["reason"].as_str().unwrap().contains(&appeal_id));
}

#[tokio::test]
async fn an_appeal_is_in_time_and_names_a_decision_that_stands() {
    let w = World::at_start().await;
    let res = file(&w, &w.agency.token, appeal("suspension")).await;
    assert!(assert_problem(res, 409, "conflict").await["detail"].as_str().unwrap().contains("not suspended"));
    w.certified().await;
    assert_eq!(w.decide(&w.admin, json!({"action": "suspend", "reason": "fees"})).await.status(), StatusCode::OK);
    w.clock.advance(Duration::days(31));
    let res = file(&w, &w.agency.token, appeal("suspension")).await;
    let late = assert_problem(res, 409, "conflict").await["detail"].as_str().unwrap().to_owned();
    assert!(late.contains("too late") && late.contains("30 days"), "{late}");

    // A withdrawal upheld puts the certificate back as the withdrawal found it (suspended).
    w.agree_certificate("withdraw").await;
    assert_eq!(w.decide(&w.admin, json!({"action": "withdraw", "reason": "fraud"})).await.status(), StatusCode::OK);
    let res = file(&w, &w.agency.token, appeal("withdrawal")).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let appeal_id = id(&res.json::<Value>().await.unwrap()).to_owned();
    let panel = w.app.admin().await;
    step(&w, &panel, &appeal_id, "under_review").await;
    assert_eq!(step(&w, &panel, &appeal_id, "upheld").await.status(), StatusCode::OK);
    assert_eq!(w.certification().await["status"], "suspended");

    let res =
        file(&w, &w.agency.token, json!({"decision": "withdrawal", "application_id": MISSING, "grounds": "x"})).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["application_id"]);
    let res = file(&w, &w.agency.token, json!({"decision": "suspension", "grounds": "  "})).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["grounds"]);
}

#[tokio::test]
async fn an_upheld_appeal_of_a_refusal_reopens_the_application() {
    let w = World::at_start().await;
    let res = w.app.apply(Some(&w.agency.token), &w.agency.id, &w.body.id).await;
    let application = id(&res.json::<Value>().await.unwrap()).to_owned();
    let decision = format!("/v1/applications/{application}/decision");
    let reject = json!({"decision": "reject", "reason": "incomplete file"});
    w.app.ok(Method::POST, &decision, &w.body.certifier, Some(reject)).await;

    let res = file(&w, &w.agency.token, appeal("refusal")).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["application_id"]);
    let refusal = json!({"decision": "refusal", "application_id": application, "grounds": "The file was complete."});
    let res = file(&w, &w.agency.token, refusal).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let appeal_id = id(&res.json::<Value>().await.unwrap()).to_owned();
    // The certifier who refused is no admin; any admin may handle it.
    step(&w, &w.admin, &appeal_id, "under_review").await;
    assert_eq!(step(&w, &w.admin, &appeal_id, "upheld").await.status(), StatusCode::OK);
    let reopened = w.app.ok(Method::GET, &format!("/v1/applications/{application}"), &w.agency.token, None).await;
    assert_eq!(reopened["status"], "pending", "back to be decided: {reopened}");
    let accepted = w.app.ok(Method::POST, &decision, &w.body.certifier, Some(json!({"decision": "accept"}))).await;
    assert_eq!(accepted["status"], "accepted");
}

#[tokio::test]
async fn who_may_file_read_and_handle_appeals() {
    let w = World::at_start().await;
    w.certified().await;
    assert_eq!(w.decide(&w.admin, json!({"action": "suspend", "reason": "fees"})).await.status(), StatusCode::OK);
    let other = w.app.agency(&w.admin, 2).await;
    for token in [&w.admin, &w.integrator, &w.body.auditor, &w.body.certifier, &other.token] {
        assert_problem(file(&w, token, appeal("suspension")).await, 403, "forbidden").await;
    }
    let res = w
        .app
        .request(Method::POST, &format!("/v1/agencies/{}/appeals", w.agency.id), None)
        .json(&appeal("suspension"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
    let res = w
        .app
        .send(Method::POST, &format!("/v1/agencies/{MISSING}/appeals"), &w.agency.token, Some(appeal("suspension")))
        .await;
    assert_problem(res, 403, "forbidden").await;
    let res = file(&w, &w.agency.token, appeal("suspension")).await;
    let appeal_id = id(&res.json::<Value>().await.unwrap()).to_owned();
    let path = format!("/v1/appeals/{appeal_id}");

    assert_eq!(w.app.ok(Method::GET, &path, &w.agency.token, None).await["id"], appeal_id.as_str());
    for token in [&other.token, &w.integrator, &w.body.certifier] {
        assert_problem(w.app.send(Method::GET, &path, token, None).await, 404, "not-found").await;
    }
    assert_problem(w.app.send(Method::GET, &format!("/v1/appeals/{MISSING}"), &w.admin, None).await, 404, "not-found")
        .await;
    assert_eq!(w.app.ok(Method::GET, "/v1/appeals", &w.agency.token, None).await["data"].as_array().unwrap().len(), 1);
    assert_eq!(w.app.ok(Method::GET, "/v1/appeals", &other.token, None).await["data"], json!([]));
    assert_eq!(
        w.app.ok(Method::GET, "/v1/appeals?state=received", &w.admin, None).await["data"].as_array().unwrap().len(),
        1
    );
    for token in [&w.integrator, &w.body.certifier] {
        assert_problem(w.app.send(Method::GET, "/v1/appeals", token, None).await, 403, "forbidden").await;
    }
    for token in [&w.agency.token, &w.body.certifier, &w.integrator] {
        let res = w.app.send(Method::PATCH, &path, token, Some(json!({"state": "under_review", "reason": "x"}))).await;
        assert_problem(res, 403, "forbidden").await;
    }
    let res = w.app.send(Method::GET, "/v1/appeals?state=open", &w.admin, None).await;
    assert_eq!(res.status().as_u16(), 400);
}

#[tokio::test]
async fn a_withdrawal_upheld_after_the_certificate_expired_ends_as_expired() {
    let w = World::at_start().await;
    w.certified().await;
    // Ten days before the end of the cycle, the certificate is withdrawn; the appeal is decided
    // after the day it would have expired anyway.
    w.clock.advance(Duration::days(3 * 365 - 10));
    w.agree_certificate("withdraw").await;
    assert_eq!(w.decide(&w.admin, json!({"action": "withdraw", "reason": "fraud"})).await.status(), StatusCode::OK);
    let res = file(&w, &w.agency.token, appeal("withdrawal")).await;
    let appeal_id = id(&res.json::<Value>().await.unwrap()).to_owned();
    let panel = w.app.admin().await;
    step(&w, &panel, &appeal_id, "under_review").await;
    w.clock.advance(Duration::days(20));
    assert_eq!(step(&w, &panel, &appeal_id, "upheld").await.status(), StatusCode::OK);
    let view = w.certification().await;
    assert_eq!(view["status"], "expired", "no longer shown as a sanction: {view}");
    let last = view["history"].as_array().unwrap().last().unwrap().clone();
    assert!(last["reason"].as_str().unwrap().contains("expired on"), "{last}");
}
