//! Sharing grants: an agency lets one integrator read its full findings until a date; the
//! grant is revocable at once, expires with the clock, and every read under it is recorded for
//! the agency to list.

use chrono::Duration;
use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, TestApp, World, assert_problem, error_fields, id};

fn grants(agency_id: &str) -> String {
    format!("/v1/agencies/{agency_id}/grants")
}

/// An integrator client created through the API: its id and a token.
async fn integrator(app: &TestApp, admin: &str, name: &str) -> (String, String) {
    let (client_id, secret) = app.create_client(admin, &json!({"name": name, "role": "integrator"})).await;
    let token = app.client_credentials_token(&client_id, &secret).await;
    (client_id, token)
}

/// The world on the test standard, with a finalized stage-2 audit of its agency: (world,
/// audit id).
async fn audited_world() -> (World, String) {
    let w = World::at_start().await;
    w.app.publish_test_standard(&w.admin).await;
    w.apply_and_accept().await;
    let audit = w.audit("stage2", &[("A.2", "minor")]).await;
    (w, audit)
}

/// What an integrator may read of the audit: (findings shown, score explanation status).
async fn reads(app: &TestApp, token: &str, audit: &str) -> (bool, u16) {
    let assessment = app.get_json(&format!("/v1/assessments/{audit}"), Some(token)).await;
    let score = app.status(Method::GET, &format!("/v1/assessments/{audit}/score"), token, None).await;
    (assessment.get("findings").is_some_and(|f| f.as_array().is_some_and(|a| a.len() == 4)), score)
}

fn grant_body(client_id: &str, until: &str) -> Value {
    json!({"client_id": client_id, "valid_until": until})
}

#[tokio::test]
async fn an_integrator_reads_findings_under_a_grant_every_read_is_listed_and_revoking_ends_it_at_once() {
    let (w, audit) = audited_world().await;
    let (client, token) = integrator(&w.app, &w.admin, "HR platform").await;
    // Without a grant: no findings, no explanation.
    assert_eq!(reads(&w.app, &token, &audit).await, (false, 403));

    let res =
        w.app.send(Method::POST, &grants(&w.agency.id), &w.agency.token, Some(grant_body(&client, "2026-06-30"))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let grant: Value = res.json().await.unwrap();
    let grant_id = id(&grant).to_owned();
    assert_eq!(location, format!("{}/{grant_id}", grants(&w.agency.id)));
    assert_eq!((grant["state"].as_str(), grant["valid_until"].as_str()), (Some("active"), Some("2026-06-30")));
    assert_eq!((grant["client_id"].as_str(), grant["reads"].as_i64()), (Some(client.as_str()), Some(0)));

    assert_eq!(reads(&w.app, &token, &audit).await, (true, 200));
    // Another integrator has no grant.
    assert_eq!(reads(&w.app, &w.integrator, &audit).await, (false, 403));

    // The agency sees who read what, and when.
    let listed = w.app.get_json(&grants(&w.agency.id), Some(&w.agency.token)).await;
    assert_eq!(listed["data"][0]["reads"], 2);
    assert_eq!(listed["data"][0]["last_read_at"], "2026-01-05T09:00:00Z");
    let log = w.app.get_json(&format!("{}/{grant_id}/reads", grants(&w.agency.id)), Some(&w.agency.token)).await;
    let seen: Vec<(&str, &str, &str)> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["client_id"].as_str().unwrap(), r["assessment_id"].as_str().unwrap(), r["what"].as_str().unwrap()))
        .collect();
    assert_eq!(
        seen,
        [(client.as_str(), audit.as_str(), "findings"), (client.as_str(), audit.as_str(), "score_explanation")]
    );
    assert_eq!(log["data"][0]["grant_id"], grant_id.as_str());
    let paged = w.app.get_json(&format!("{}/{grant_id}/reads?limit=1", grants(&w.agency.id)), Some(&w.admin)).await;
    assert_eq!(paged["next_cursor"], log["data"][0]["id"]);

    // Revoked: refused at once, and nothing more is logged.
    let one = format!("{}/{grant_id}", grants(&w.agency.id));
    assert_eq!(w.app.status(Method::DELETE, &one, &w.agency.token, None).await, 204);
    assert_eq!(reads(&w.app, &token, &audit).await, (false, 403));
    let listed = w.app.get_json(&grants(&w.agency.id), Some(&w.admin)).await;
    assert_eq!((listed["data"][0]["state"].as_str(), listed["data"][0]["reads"].as_i64()), (Some("revoked"), Some(2)));
    assert_eq!(listed["data"][0]["revoked_at"], "2026-01-05T09:00:00Z");
    let again = assert_problem(w.app.send(Method::DELETE, &one, &w.agency.token, None).await, 409, "conflict").await;
    assert!(again["detail"].as_str().unwrap().contains("already revoked"), "{again}");

    // A new grant may follow a revoked one.
    w.app.post_created(&grants(&w.agency.id), &w.admin, &grant_body(&client, "2026-02-01")).await;
    assert_eq!(reads(&w.app, &token, &audit).await, (true, 200));
}

#[tokio::test]
async fn a_grant_expires_after_its_last_day_and_only_finalized_assessments_are_shared() {
    let (w, audit) = audited_world().await;
    let (client, token) = integrator(&w.app, &w.admin, "HR platform").await;
    let grant = w.app.post_created(&grants(&w.agency.id), &w.agency.token, &grant_body(&client, "2026-01-10")).await;
    // A draft audit stays out of reach: integrators see finalized assessments only.
    let draft =
        w.app.open_assessment(&w.body.auditor, &json!({"agency_id": w.agency.id, "kind": "surveillance"})).await;
    assert_problem(w.app.send(Method::GET, &format!("/v1/assessments/{draft}"), &token, None).await, 404, "not-found")
        .await;

    w.clock.advance(Duration::days(5) + Duration::hours(14)); // 2026-01-10 23:00
    assert_eq!(reads(&w.app, &token, &audit).await, (true, 200));
    w.clock.advance(Duration::hours(1)); // 2026-01-11 00:00
    assert_eq!(reads(&w.app, &token, &audit).await, (false, 403));
    let listed = w.app.get_json(&grants(&w.agency.id), Some(&w.agency.token)).await;
    assert_eq!((listed["data"][0]["state"].as_str(), listed["data"][0]["reads"].as_i64()), (Some("expired"), Some(2)));
    let one = format!("{}/{}", grants(&w.agency.id), id(&grant));
    let res = w.app.send(Method::DELETE, &one, &w.agency.token, None).await;
    assert!(assert_problem(res, 409, "conflict").await["detail"].as_str().unwrap().contains("expired"));
    // An expired grant does not block a new one.
    w.app.post_created(&grants(&w.agency.id), &w.agency.token, &grant_body(&client, "2026-03-01")).await;
}

#[tokio::test]
async fn a_grant_that_is_not_valid_is_refused() {
    let w = World::at_start().await;
    let (client, _) = integrator(&w.app, &w.admin, "HR platform").await;
    let (revoked, _) = integrator(&w.app, &w.admin, "Gone platform").await;
    assert_eq!(w.app.status(Method::DELETE, &format!("/v1/clients/{revoked}"), &w.admin, None).await, 204);
    let auditor_client = w.app.insert_client(Role::Auditor, Some(&w.body.id), None).await;
    let path = grants(&w.agency.id);
    let post = |body: Value| {
        let (app, path, token) = (&w.app, path.clone(), w.agency.token.clone());
        async move { app.send(Method::POST, &path, &token, Some(body)).await }
    };
    let fields = |res| async move { error_fields(&assert_problem(res, 422, "validation").await) };

    assert_eq!(fields(post(grant_body(MISSING, "2026-06-30")).await).await, ["client_id"]);
    assert_eq!(fields(post(grant_body(&auditor_client, "2026-06-30")).await).await, ["client_id"]);
    assert_eq!(fields(post(grant_body(&revoked, "2026-06-30")).await).await, ["client_id"]);
    assert_eq!(fields(post(grant_body("nope", "2026-06-30")).await).await, ["client_id"]);
    for until in ["2026-01-05", "2025-12-31", "2028-01-06"] {
        assert_eq!(fields(post(grant_body(&client, until)).await).await, ["valid_until"], "{until}");
    }
    assert_eq!(fields(post(grant_body(&client, "30/06/2026")).await).await, ["valid_until"]);
    assert_eq!(fields(post(json!({"client_id": client})).await).await, ["valid_until"]);
    assert_eq!(
        fields(post(json!({"client_id": client, "valid_until": "2026-06-30", "scope": "all"})).await).await,
        ["scope"]
    );

    // The last day allowed: 24 months ahead. Then one grant in force per integrator.
    w.app.post_created(&path, &w.agency.token, &grant_body(&client, "2028-01-05")).await;
    assert_problem(post(grant_body(&client, "2026-06-30")).await, 409, "conflict").await;

    // Unknown grants, or another agency's, are 404; so is a malformed id.
    let other = w.app.agency(&w.admin, 2).await;
    let theirs = w.app.post_created(&grants(&other.id), &other.token, &grant_body(&client, "2026-06-30")).await;
    for grant in [MISSING, id(&theirs), "not-a-uuid"] {
        let one = format!("{path}/{grant}");
        assert_problem(w.app.send(Method::DELETE, &one, &w.agency.token, None).await, 404, "not-found").await;
        let reads = format!("{path}/{grant}/reads");
        assert_problem(w.app.send(Method::GET, &reads, &w.agency.token, None).await, 404, "not-found").await;
    }
    let res = w.app.send(Method::POST, &grants(MISSING), &w.admin, Some(grant_body(&client, "2026-06-30"))).await;
    assert_problem(res, 404, "not-found").await;
}

#[tokio::test]
async fn only_the_agency_itself_and_admins_manage_grants_and_their_events_stay_between_them() {
    let w = World::at_start().await;
    let (client, grantee) = integrator(&w.app, &w.admin, "HR platform").await;
    let other = w.app.agency(&w.admin, 2).await;
    let path = grants(&w.agency.id);
    let grant = w.app.post_created(&path, &w.admin, &grant_body(&client, "2026-06-30")).await;
    let one = format!("{path}/{}", id(&grant));
    let log = format!("{one}/reads");

    let mut outsiders = w.app.non_admin_tokens(&w.body.id, &other.id).await;
    outsiders.push((Role::Integrator, grantee.clone()));
    for (role, token) in &outsiders {
        let res = w.app.send(Method::POST, &path, token, Some(grant_body(&client, "2026-07-01"))).await;
        assert_problem(res, 403, "forbidden").await;
        for target in [&path, &log] {
            assert_eq!(w.app.status(Method::GET, target, token, None).await, 403, "{role:?} GET {target}");
        }
        assert_problem(w.app.send(Method::DELETE, &one, token, None).await, 403, "forbidden").await;
    }
    for (method, target) in [(Method::POST, &path), (Method::GET, &path), (Method::GET, &log), (Method::DELETE, &one)] {
        let body = (method == Method::POST).then(|| grant_body(&client, "2026-07-01"));
        assert_problem(w.app.send_anonymous(method, target, body).await, 401, "unauthorized").await;
    }
    assert_eq!(w.app.get_json(&path, Some(&w.agency.token)).await["data"].as_array().unwrap().len(), 1);
    assert_eq!(w.app.status(Method::DELETE, &one, &w.agency.token, None).await, 204);

    // Granting and revoking are logged for admins and the agency, not for integrators.
    let feed = "/v1/events?types=grant.created,grant.revoked&limit=50";
    let events = w.app.get_json(feed, Some(&w.admin)).await["data"].as_array().unwrap().clone();
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["grant.created", "grant.revoked"]);
    assert_eq!(events[0]["current"], json!({"client_id": client, "valid_until": "2026-06-30"}));
    assert_eq!(events[0]["agency_id"], w.agency.id.as_str());
    assert_eq!(events[1]["current"]["revoked_at"], "2026-01-05T09:00:00Z");
    assert_eq!(w.app.get_json(feed, Some(&w.agency.token)).await["data"].as_array().unwrap().len(), 2);
    for token in [&grantee, &w.integrator, &other.token, &w.body.auditor] {
        assert!(w.app.get_json(feed, Some(token)).await["data"].as_array().unwrap().is_empty());
    }
}
