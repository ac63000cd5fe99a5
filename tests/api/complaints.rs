//! Complaints (ISO/IEC 17021-1 §9.8) about a certification body or its auditors: anyone with a
//! token files one; the complainant and admins read it; the body never learns who complained.

use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, World, assert_problem, error_fields, id};

fn complaint(w: &World) -> Value {
    json!({"certification_body_id": w.body.id, "person_ref": "B1-AUDITOR",
        "text": "The auditor interviewed workers with the manager in the room."})
}

async fn step(w: &World, token: &str, complaint_id: &str, state: &str) -> reqwest::Response {
    let path = format!("/v1/complaints/{complaint_id}");
    let read = w.app.send(Method::GET, &path, &w.admin, None).await;
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    w.app
        .send_if_match(Method::PATCH, &path, token, &etag, json!({"state": state, "reason": format!("panel: {state}")}))
        .await
}

#[tokio::test]
async fn anyone_complains_and_the_body_never_learns_who() {
    let w = World::at_start().await;
    let res = w.app.send(Method::POST, "/v1/complaints", &w.integrator, Some(complaint(&w))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let filed: Value = res.json().await.unwrap();
    assert_eq!((filed["state"].as_str(), filed["person_ref"].as_str()), (Some("received"), Some("B1-AUDITOR")));
    let complaint_id = id(&filed).to_owned();
    let path = format!("/v1/complaints/{complaint_id}");
    // Every role may complain.
    for token in [&w.agency.token, &w.body.certifier, &w.admin] {
        let res = w.app.send(Method::POST, "/v1/complaints", token, Some(complaint(&w))).await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }

    // The complainant reads its own; nobody else but admins.
    assert_eq!(w.app.ok(Method::GET, &path, &w.integrator, None).await["text"], complaint(&w)["text"]);
    let other = w.app.token_for(Role::Integrator, None, None).await;
    for token in [&other, &w.body.auditor, &w.agency.token] {
        assert_problem(w.app.send(Method::GET, &path, token, None).await, 404, "not-found").await;
    }
    assert_eq!(w.app.ok(Method::GET, "/v1/complaints", &w.integrator, None).await["data"].as_array().unwrap().len(), 1);
    assert_eq!(w.app.ok(Method::GET, "/v1/complaints", &other, None).await["data"], json!([]));
    assert_eq!(w.app.ok(Method::GET, "/v1/complaints", &w.admin, None).await["data"].as_array().unwrap().len(), 4);

    // The body reads that a complaint about it was filed, not by whom nor what it says.
    let feed = w.app.get_json("/v1/events?limit=200", Some(&w.body.auditor)).await;
    let filed: Vec<&Value> =
        feed["data"].as_array().unwrap().iter().filter(|e| e["type"] == "complaint.filed").collect();
    assert_eq!(filed.len(), 4);
    for event in &filed {
        assert_eq!(event["actor"], "complainant");
        assert_eq!(event["certification_body_id"], w.body.id.as_str());
        assert!(!event.to_string().contains("manager in the room"), "{event}");
    }
    let public = w.app.get_json("/v1/events?limit=200", Some(&other)).await;
    assert!(!public["data"].as_array().unwrap().iter().any(|e| e["type"] == "complaint.filed"));
}

#[tokio::test]
async fn complaints_are_checked_and_handled_by_an_admin_not_involved() {
    let w = World::at_start().await;
    let post = |body: Value| w.app.send(Method::POST, "/v1/complaints", &w.integrator, Some(body));
    let mut bad = complaint(&w);
    bad["certification_body_id"] = json!(MISSING);
    assert_eq!(error_fields(&assert_problem(post(bad).await, 422, "validation").await), vec!["certification_body_id"]);
    let mut bad = complaint(&w);
    bad["client_id"] = json!("no-such-client");
    assert_eq!(error_fields(&assert_problem(post(bad).await, 422, "validation").await), vec!["client_id"]);
    let mut bad = complaint(&w);
    bad["text"] = json!("x".repeat(5001));
    assert_eq!(error_fields(&assert_problem(post(bad).await, 422, "validation").await), vec!["text"]);
    let mut bad = complaint(&w);
    bad["text"] = json!(" ");
    assert_eq!(error_fields(&assert_problem(post(bad).await, 422, "validation").await), vec!["text"]);
    let res = w.app.request(Method::POST, "/v1/complaints", None).json(&complaint(&w)).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);

    // An admin who complained may not handle the complaint.
    let res = w.app.send(Method::POST, "/v1/complaints", &w.admin, Some(complaint(&w))).await;
    let own = id(&res.json::<Value>().await.unwrap()).to_owned();
    assert_problem(step(&w, &w.admin, &own, "under_review").await, 403, "forbidden").await;

    let res = post(complaint(&w)).await;
    let complaint_id = id(&res.json::<Value>().await.unwrap()).to_owned();
    for token in [&w.integrator, &w.body.certifier] {
        assert_problem(step(&w, token, &complaint_id, "under_review").await, 403, "forbidden").await;
    }
    assert_problem(step(&w, &w.admin, &complaint_id, "rejected").await, 409, "conflict").await;
    let path = format!("/v1/complaints/{complaint_id}");
    let stale = w
        .app
        .send_if_match(Method::PATCH, &path, &w.admin, "\"v9\"", json!({"state": "under_review", "reason": "x"}))
        .await;
    assert_problem(stale, 412, "precondition-failed").await;
    assert_eq!(step(&w, &w.admin, &complaint_id, "under_review").await.status(), StatusCode::OK);
    let res = step(&w, &w.admin, &complaint_id, "upheld").await;
    assert_eq!(res.status(), StatusCode::OK);
    let upheld: Value = res.json().await.unwrap();
    assert_eq!((upheld["state"].as_str(), upheld["version"].as_i64()), (Some("upheld"), Some(3)));
    // The complainant reads the outcome and its reason.
    let read = w.app.ok(Method::GET, &path, &w.integrator, None).await;
    assert_eq!(read["outcome_reason"], "panel: upheld");
    assert_problem(step(&w, &w.admin, &complaint_id, "rejected").await, 409, "conflict").await;
    assert_problem(
        w.app.send(Method::GET, &format!("/v1/complaints/{MISSING}"), &w.admin, None).await,
        404,
        "not-found",
    )
    .await;
    let res = w
        .app
        .send(
            Method::PATCH,
            &format!("/v1/complaints/{MISSING}"),
            &w.admin,
            Some(json!({"state": "under_review", "reason": "x"})),
        )
        .await;
    assert_problem(res, 404, "not-found").await;
}
