//! Personal data: kept apart from the hashed event values, erased at a person's request (admins)
//! and by the retention policy in the sweep, with the event log still verifying afterwards.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, TestApp, World, assert_problem, error_fields};

const EMAIL: &str = "recruiter.rai@himal-hr.example";
const PHONE: &str = "+977 1 5550101";

/// Gives the world's agency contact details; returns the sequence of the `agency.updated` event.
async fn add_contact(w: &World) -> i64 {
    let path = format!("/v1/agencies/{}", w.agency.id);
    w.app.ok(Method::PATCH, &path, &w.admin, Some(json!({"contact_email": EMAIL, "contact_phone": PHONE}))).await;
    let event = last_event(&w.app, &w.admin, "agency.updated").await;
    event["sequence"].as_i64().unwrap()
}

async fn last_event(app: &TestApp, admin: &str, kind: &str) -> Value {
    let page = app.get_json(&format!("/v1/events?types={kind}&limit=100"), Some(admin)).await;
    page["data"].as_array().and_then(|events| events.last()).cloned().unwrap_or_else(|| panic!("no {kind} event"))
}

async fn event_at(app: &TestApp, admin: &str, sequence: i64) -> Value {
    let page = app.get_json(&format!("/v1/events?after={}&limit=1", sequence - 1), Some(admin)).await;
    page["data"][0].clone()
}

async fn erase(app: &TestApp, token: &str, kind: &str, record: &str) -> reqwest::Response {
    let body = json!({"kind": kind, "record_id": record, "reason": "the person asked (ticket 17)"});
    app.send(Method::POST, "/v1/erasures", token, Some(body)).await
}

async fn assert_log_intact(app: &TestApp, admin: &str) {
    let report = app.get_json("/v1/events/verification", Some(admin)).await;
    assert_eq!(report["intact"], true, "{report}");
}

#[tokio::test]
async fn an_agency_contact_is_kept_apart_from_the_hashed_values_and_erased_on_request() {
    let w = World::at_start().await;
    let sequence = add_contact(&w).await;

    // Stored apart: the hashed values do not hold it, the personal values do, under a digest.
    let (hashed, personal, digest) = w.app.stored_event(sequence).await;
    let hashed = hashed.unwrap();
    assert!(!hashed.contains(EMAIL) && !hashed.contains("5550101"), "{hashed}");
    assert!(personal.as_deref().unwrap().contains(EMAIL));
    // The feed shows the event whole, with the digest its hash covers.
    let before = event_at(&w.app, &w.admin, sequence).await;
    assert_eq!(before["current"]["contact_email"], EMAIL);
    assert_eq!(before["current"]["contact_phone"], PHONE);
    assert_eq!(before["personal_digest"].as_str(), digest.as_deref());
    assert_eq!(before["personal_erased_at"], Value::Null);
    assert_log_intact(&w.app, &w.admin).await;

    let res = erase(&w.app, &w.admin, "agency_contact", &w.agency.id).await;
    assert_eq!(res.status(), StatusCode::OK);
    let erased: Value = res.json().await.unwrap();
    assert_eq!(erased["kind"], "agency_contact");
    assert_eq!(erased["erased_fields"], json!(["contact_email", "contact_phone"]));
    assert_eq!(erased["events_erased"], 1, "{erased}");

    // The record and the event no longer hold it; the event keeps its hash and digest.
    let agency = w.app.get_json(&format!("/v1/agencies/{}", w.agency.id), Some(&w.admin)).await;
    assert_eq!(agency["contact_email"], Value::Null);
    assert_eq!(agency["contact_phone"], Value::Null);
    let after = event_at(&w.app, &w.admin, sequence).await;
    assert!(after["current"].get("contact_email").is_none(), "{after}");
    assert_eq!(after["hash"], before["hash"]);
    assert_eq!(after["personal_digest"], before["personal_digest"]);
    assert!(after["personal_erased_at"].is_string());
    assert_eq!(w.app.stored_event(sequence).await.1, None);
    assert_log_intact(&w.app, &w.admin).await;

    // The erasure is logged without the data, and the agency reads it in its own feed.
    let logged = last_event(&w.app, &w.admin, "personal_data.erased").await;
    assert_eq!(logged["current"]["fields"], json!(["contact_email", "contact_phone"]));
    assert_eq!(logged["current"]["ground"], "request");
    assert!(!logged.to_string().contains(EMAIL));
    let own = w.app.get_json("/v1/events?types=personal_data.erased", Some(&w.agency.token)).await;
    assert_eq!(own["data"].as_array().unwrap().len(), 1);

    // Asking again erases nothing more.
    let again: Value = erase(&w.app, &w.admin, "agency_contact", &w.agency.id).await.json().await.unwrap();
    assert_eq!(again["erased_fields"], json!([]));
    assert_eq!(again["events_erased"], 0);
}

#[tokio::test]
async fn the_database_lets_personal_values_be_erased_once_and_nothing_else_change() {
    let w = World::at_start().await;
    let sequence = add_contact(&w).await;
    let now = "'2026-06-01 00:00:00'";
    for sql in [
        // Erased without saying when, or with another column changed on the way.
        format!("UPDATE events SET personal_values = NULL WHERE sequence = {sequence}"),
        format!(
            "UPDATE events SET personal_values = NULL, personal_erased_at = {now}, actor = 'x' WHERE sequence = {sequence}"
        ),
        format!(
            "UPDATE events SET personal_values = NULL, personal_erased_at = {now}, personal_digest = NULL WHERE sequence = {sequence}"
        ),
        format!("UPDATE events SET personal_values = '{{}}', personal_erased_at = {now} WHERE sequence = {sequence}"),
        format!("DELETE FROM events WHERE sequence = {sequence}"),
    ] {
        let refused = w.app.try_execute(&sql).await;
        assert!(refused.is_err(), "{sql}");
    }
    let erase =
        format!("UPDATE events SET personal_values = NULL, personal_erased_at = {now} WHERE sequence = {sequence}");
    assert_eq!(w.app.try_execute(&erase).await, Ok(1));
    let twice = format!("UPDATE events SET personal_erased_at = '2026-07-01 00:00:00' WHERE sequence = {sequence}");
    assert!(w.app.try_execute(&twice).await.is_err(), "erased once, then frozen again");
    assert_log_intact(&w.app, &w.admin).await;
}

#[tokio::test]
async fn altered_personal_values_are_named_by_the_verification() {
    let w = World::at_start().await;
    let sequence = add_contact(&w).await;
    let (_, personal, _) = w.app.stored_event(sequence).await;
    let forged = personal.unwrap().replace(EMAIL, "someone.else@example.org");
    w.app.force_edit_event_column(sequence, "personal_values", &forged).await;
    let report = w.app.get_json("/v1/events/verification", Some(&w.admin)).await;
    assert_eq!(report["intact"], false);
    assert_eq!(report["first_broken_sequence"], sequence);
    assert!(report["problem"].as_str().unwrap().contains("personal values"), "{report}");
}

#[tokio::test]
async fn erasure_is_for_admins_and_every_refusal_is_a_problem() {
    let w = World::at_start().await;
    let res = w
        .app
        .send_anonymous(
            Method::POST,
            "/v1/erasures",
            Some(json!({"kind": "agency_contact", "record_id": w.agency.id, "reason": "x"})),
        )
        .await;
    assert_problem(res, 401, "unauthorized").await;
    for (role, token) in w.app.non_admin_tokens(&w.body.id, &w.agency.id).await {
        let res = erase(&w.app, &token, "agency_contact", &w.agency.id).await;
        assert_eq!(res.status(), 403, "{role:?}");
    }
    assert_problem(erase(&w.app, &w.admin, "agency_contact", MISSING).await, 404, "not-found").await;
    assert_problem(erase(&w.app, &w.admin, "report_contact", MISSING).await, 404, "not-found").await;
    let refused = |body: Value| w.app.send(Method::POST, "/v1/erasures", &w.admin, Some(body));
    let res = refused(json!({"kind": "passport", "record_id": "x", "reason": " "})).await;
    let problem = assert_problem(res, 422, "validation").await;
    assert!(error_fields(&problem).contains(&"kind".to_owned()), "{problem}");
    let res = refused(json!({"kind": "agency_contact", "record_id": "x", "reason": " "})).await;
    let mut fields = error_fields(&assert_problem(res, 422, "validation").await);
    fields.sort();
    assert_eq!(fields, ["reason", "record_id"]);
    let res = w.app.send_raw(Method::POST, "/v1/erasures", &w.admin, "application/json", "{\"kind\":").await;
    assert_problem(res, 400, "bad-request").await;
    // Nothing was erased by any of them.
    assert!(
        w.app.get_json("/v1/events?types=personal_data.erased", Some(&w.admin)).await["data"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

/// Files a report with a contact about the world's agency and decides it; returns its id.
async fn decided_report(w: &World) -> String {
    let body = json!({
        "agency_id": w.agency.id, "category": "recruitment_fee", "country": "NP",
        "description": "They kept my passport until I paid.", "contact": "Signal +977 9800000001"
    });
    let res = w.app.send_anonymous(Method::POST, "/v1/public/reports", Some(body)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let listed = w.app.get_json("/v1/reports?limit=200", Some(&w.admin)).await;
    let id = listed["data"][0]["id"].as_str().unwrap().to_owned();
    for state in ["under_review", "unsubstantiated"] {
        let decision = json!({"state": state, "reason": "checked with the employer", "reason_shareable": false});
        w.app.ok(Method::PATCH, &format!("/v1/reports/{id}"), &w.admin, Some(decision)).await;
    }
    id
}

#[tokio::test]
async fn a_report_contact_is_erased_when_its_retention_period_ends() {
    let w = World::at_start().await;
    let report = decided_report(&w).await;
    let path = format!("/v1/reports/{report}");
    assert_eq!(w.app.sweep().await.personal_data_erased.report_contacts, 0);
    w.clock.advance(Duration::days(179));
    assert_eq!(w.app.sweep().await.personal_data_erased.report_contacts, 0, "kept 180 days");
    assert_eq!(w.app.get_json(&path, Some(&w.admin)).await["contact"], "Signal +977 9800000001");

    w.clock.advance(Duration::days(2));
    assert_eq!(w.app.sweep().await.personal_data_erased.report_contacts, 1);
    let after = w.app.get_json(&path, Some(&w.admin)).await;
    assert_eq!(after["contact"], Value::Null);
    assert_eq!(after["has_contact"], false);
    assert_eq!(after["description"], "They kept my passport until I paid.", "the report itself stays");
    assert_eq!(w.app.sweep().await.personal_data_erased.report_contacts, 0, "once");
    let logged = last_event(&w.app, &w.admin, "personal_data.erased").await;
    assert_eq!(logged["current"]["ground"], "retention");
    assert_eq!(logged["actor"], "system");
    assert_eq!(logged["agency_id"], Value::Null, "report events are for admins only");
    assert_log_intact(&w.app, &w.admin).await;
}

#[tokio::test]
async fn a_report_contact_is_erased_on_request_before_its_period_ends() {
    let w = World::at_start().await;
    let report = decided_report(&w).await;
    let erased: Value = erase(&w.app, &w.admin, "report_contact", &report).await.json().await.unwrap();
    assert_eq!(erased["erased_fields"], json!(["contact"]));
    let read = w.app.get_json(&format!("/v1/reports/{report}"), Some(&w.admin)).await;
    assert_eq!(read["contact"], Value::Null);
}

#[tokio::test]
async fn an_idle_agency_loses_its_contact_and_one_in_the_cycle_keeps_it() {
    let w = World::at_start().await;
    add_contact(&w).await;
    let applied = w.app.agency_that_applied(&w.admin, 2, &w.body).await;
    w.app
        .ok(
            Method::PATCH,
            &format!("/v1/agencies/{}", applied.id),
            &w.admin,
            Some(json!({"contact_email": "ops@b.example"})),
        )
        .await;

    w.clock.advance(Duration::days(729));
    assert_eq!(w.app.sweep().await.personal_data_erased.agency_contacts, 0, "kept 730 days");
    w.clock.advance(Duration::days(2));
    assert_eq!(w.app.sweep().await.personal_data_erased.agency_contacts, 1);
    let idle = w.app.get_json(&format!("/v1/agencies/{}", w.agency.id), Some(&w.admin)).await;
    assert_eq!(idle["contact_email"], Value::Null);
    let in_cycle = w.app.get_json(&format!("/v1/agencies/{}", applied.id), Some(&w.admin)).await;
    assert_eq!(in_cycle["contact_email"], "ops@b.example", "an open application keeps it");
    assert_log_intact(&w.app, &w.admin).await;
}

/// A PNG declared to name workers, attached to a draft audit of the world's agency; returns the
/// file as listed.
async fn file_naming_workers(w: &World, name: &str) -> Value {
    w.app.publish_test_standard(&w.admin).await;
    w.apply_and_accept().await;
    let opening = json!({"agency_id": w.agency.id, "kind": "stage2", "methods": {"documents_reviewed": true}});
    let audit = w.app.open_assessment(&w.body.auditor, &opening).await;
    let png: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\x0bIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";
    let res = w
        .app
        .request(Method::POST, &format!("/v1/assessments/{audit}/files"), Some(&w.body.auditor))
        .query(&[("name", name), ("names_workers", "true")])
        .header("content-type", "application/octet-stream")
        .body(png.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json().await.unwrap()
}

#[tokio::test]
async fn a_file_naming_workers_is_erased_with_its_name_in_the_log_when_retention_ends() {
    let w = World::at_start().await;
    let name = "interview notes - Sita Tamang.png";
    let file = file_naming_workers(&w, name).await;
    let file_id = file["id"].as_str().unwrap().to_owned();
    let attached = last_event(&w.app, &w.admin, "evidence_file.attached").await;
    assert_eq!(attached["current"]["file_name"], name);
    let sequence = attached["sequence"].as_i64().unwrap();
    assert!(!w.app.stored_event(sequence).await.0.unwrap().contains("Sita"), "the name is kept apart");

    w.clock.advance(Duration::days(1459));
    assert_eq!(w.app.sweep().await.personal_data_erased.evidence_files, 0, "kept 1,460 days");
    w.clock.advance(Duration::days(2));
    assert_eq!(w.app.sweep().await.personal_data_erased.evidence_files, 1);
    assert_eq!(w.app.sweep().await.personal_data_erased.evidence_files, 0, "once");

    let res = w.app.send(Method::GET, &format!("/v1/files/{file_id}/content"), &w.admin, None).await;
    assert_eq!(res.status(), 410);
    let kept = w.app.get_json(&format!("/v1/files/{file_id}"), Some(&w.admin)).await;
    assert_eq!(kept["sha256"], file["sha256"], "the proof of what was there stays");
    assert!(!kept.to_string().contains("Sita"), "{kept}");
    let after = event_at(&w.app, &w.admin, sequence).await;
    assert!(after["current"].get("file_name").is_none() && after["personal_erased_at"].is_string(), "{after}");
    assert!(w.app.state.blobs.keys().await.unwrap().is_empty(), "the contents are deleted");
    let logged = last_event(&w.app, &w.admin, "personal_data.erased").await;
    assert_eq!(logged["current"]["fields"], json!(["file_name", "content"]));
    assert_eq!(logged["certification_body_id"], w.body.id.as_str());
    assert_log_intact(&w.app, &w.admin).await;
}

#[tokio::test]
async fn an_admin_erases_an_evidence_file_on_request() {
    let w = World::at_start().await;
    let file = file_naming_workers(&w, "payslip of a worker.png").await;
    let file_id = file["id"].as_str().unwrap();
    let erased: Value = erase(&w.app, &w.admin, "evidence_file", file_id).await.json().await.unwrap();
    assert_eq!(erased["erased_fields"], json!(["file_name", "content"]));
    assert_eq!(erased["events_erased"], 1);
    let res = w.app.send(Method::GET, &format!("/v1/files/{file_id}/content"), &w.body.auditor, None).await;
    assert_eq!(res.status(), 410);
    assert_problem(erase(&w.app, &w.admin, "evidence_file", MISSING).await, 404, "not-found").await;
    assert_log_intact(&w.app, &w.admin).await;
}
