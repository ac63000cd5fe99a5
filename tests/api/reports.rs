//! Worker reports: filed and followed up without a token, moderated by admins, logged for
//! admins only; substantiated ones weigh on risk, show in due diligence and, from 3, in the
//! public registry, and one of a critical breach grounds a suspension.

use chrono::Duration;
use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, TestApp, World, assert_problem, error_fields, id};

const CODE_HEADER: &str = "X-Follow-Up-Code";

fn report_about(agency_id: &str, category: &str) -> Value {
    json!({
        "agency_id": agency_id,
        "category": category,
        "fees": [{"category": "recruitment_fee", "amount_minor": 15000000, "currency": "NPR"}],
        "country": "NP",
        "occurred_on": "2025-12-20",
        "description": "The agent asked 150,000 rupees before giving me the visa. No receipt.",
        "contact": "WhatsApp +977 9800000000, evenings",
        "language": "ne"
    })
}

/// Files a report without a token; returns (reference, follow-up code).
async fn file(app: &TestApp, body: Value) -> (String, String) {
    let res = app.send_anonymous(Method::POST, "/v1/public/reports", Some(body)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = res.json().await.unwrap();
    let reference = created["reference"].as_str().unwrap().to_owned();
    assert_eq!(location, format!("/v1/public/reports/{reference}"));
    assert_eq!(created["state"], "received");
    (reference, created["follow_up_code"].as_str().unwrap().to_owned())
}

async fn follow_up(app: &TestApp, reference: &str, code: &str) -> reqwest::Response {
    app.request(Method::GET, &format!("/v1/public/reports/{reference}"), None)
        .header(CODE_HEADER, code)
        .send()
        .await
        .unwrap()
}

/// The admin's id of the report with this reference.
async fn report_id(app: &TestApp, admin: &str, reference: &str) -> String {
    let page = app.get_json("/v1/reports?limit=200", Some(admin)).await;
    let found = page["data"].as_array().unwrap().iter().find(|r| r["reference"] == reference).expect("listed");
    id(found).to_owned()
}

async fn moderate(app: &TestApp, admin: &str, report: &str, state: &str, shareable: bool) -> Value {
    let body = json!({"state": state, "reason": format!("moved to {state}"), "reason_shareable": shareable});
    app.ok(Method::PATCH, &format!("/v1/reports/{report}"), admin, Some(body)).await
}

/// Files a report of `category` about the world's agency and substantiates it; returns its id.
async fn substantiated(w: &World, category: &str) -> String {
    let (reference, _) = file(&w.app, report_about(&w.agency.id, category)).await;
    let report = report_id(&w.app, &w.admin, &reference).await;
    moderate(&w.app, &w.admin, &report, "under_review", false).await;
    moderate(&w.app, &w.admin, &report, "substantiated", false).await;
    report
}

#[tokio::test]
async fn a_worker_files_a_report_and_follows_it_up_with_the_secret_code() {
    let w = World::at_start().await;
    let (reference, code) = file(&w.app, report_about(&w.agency.id, "recruitment_fee")).await;
    assert!(regex_like(&reference, "R-XXXX-XXXX"), "{reference}");
    assert!(regex_like(&code, "XXXX-XXXX-XXXX"), "{code}");

    let res = follow_up(&w.app, &reference, &code).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let seen: Value = res.json().await.unwrap();
    assert_eq!(seen["state"], "received");
    assert_eq!(seen["reason"], Value::Null);
    assert!(seen.get("description").is_none() && seen.get("contact").is_none(), "{seen}");
    // Typed by hand: lower case, spaces instead of dashes.
    let typed = code.to_lowercase().replace('-', " ");
    assert_eq!(follow_up(&w.app, &reference.to_lowercase(), &typed).await.status(), 200);

    // A wrong code and an unknown reference are the same 404; no code is a 400.
    assert_problem(follow_up(&w.app, &reference, "AAAA-AAAA-AAAA").await, 404, "not-found").await;
    assert_problem(follow_up(&w.app, "R-0000-0000", &code).await, 404, "not-found").await;
    let res = w.app.request(Method::GET, &format!("/v1/public/reports/{reference}"), None).send().await.unwrap();
    assert_problem(res, 400, "bad-request").await;

    // Stored: the code only as an argon2 hash, the contact sealed.
    let stored = w.app.stored_report(&reference).await;
    assert!(stored.follow_up_hash.starts_with("$argon2id$") && !stored.follow_up_hash.contains(&code));
    let sealed = stored.contact_sealed.expect("a contact");
    assert!(!sealed.contains("9800000000") && !sealed.contains("WhatsApp"), "{sealed}");

    // The moderator reads the contact on the one report, never in the list.
    let report = report_id(&w.app, &w.admin, &reference).await;
    let listed = w.app.get_json(&format!("/v1/reports?agency_id={}", w.agency.id), Some(&w.admin)).await;
    assert_eq!(listed["data"][0]["has_contact"], true);
    assert_eq!(listed["data"][0]["contact"], Value::Null);
    let one = w.app.get_json(&format!("/v1/reports/{report}"), Some(&w.admin)).await;
    assert_eq!(one["contact"], "WhatsApp +977 9800000000, evenings");
    assert_eq!(one["fees"][0]["amount_minor"], 15000000);
    assert_eq!(one["language"], "ne");

    // The reporter sees each state; the reason only when the moderator shares it.
    moderate(&w.app, &w.admin, &report, "under_review", false).await;
    let seen: Value = follow_up(&w.app, &reference, &code).await.json().await.unwrap();
    assert_eq!((seen["state"].as_str(), &seen["reason"]), (Some("under_review"), &Value::Null));
    moderate(&w.app, &w.admin, &report, "referred", true).await;
    let seen: Value = follow_up(&w.app, &reference, &code).await.json().await.unwrap();
    assert_eq!(seen["state"], "referred");
    assert_eq!(seen["reason"], "moved to referred");
}

/// Whether `text` has the shape of `pattern`, where `X` is a character of Crockford's base32.
fn regex_like(text: &str, pattern: &str) -> bool {
    const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    text.len() == pattern.len()
        && text.chars().zip(pattern.chars()).all(|(t, p)| if p == 'X' { ALPHABET.contains(t) } else { t == p })
}

#[tokio::test]
async fn a_report_about_an_agency_outside_the_registry_names_it() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let body = json!({"agency_name": "Sunrise Manpower (not licensed)", "category": "document_retention",
        "description": "They kept my passport at the office."});
    let (reference, _) = file(&app, body).await;
    let report = report_id(&app, &admin, &reference).await;
    let one = app.get_json(&format!("/v1/reports/{report}"), Some(&admin)).await;
    assert_eq!(one["agency_id"], Value::Null);
    assert_eq!(one["agency_name"], "Sunrise Manpower (not licensed)");
    assert_eq!(one["has_contact"], false);
    assert_eq!(one["fees"], json!([]));
}

#[tokio::test]
async fn a_report_that_is_not_valid_is_refused_field_by_field_and_nothing_is_kept() {
    let w = World::at_start().await;
    let good = report_about(&w.agency.id, "recruitment_fee");
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = good.clone();
        body.as_object_mut().unwrap().remove(field);
        body
    };
    let mut nameless = without("agency_id");
    nameless.as_object_mut().unwrap().remove("agency_name");
    for (body, field) in [
        (without("category"), "category"),
        (with("category", json!("bad_luck")), "category"),
        (nameless, "agency_id"),
        (with("agency_id", json!(MISSING)), "agency_id"),
        (with("agency_id", json!("not-a-uuid")), "agency_id"),
        (with("occurred_on", json!("2026-02-01")), "occurred_on"),
        (with("country", json!("XX")), "country"),
        (with("country", Value::Null), "country"),
        (with("fees", json!([{"category": "medical", "amount_minor": 5, "currency": "ZZZ"}])), "fees[0].currency"),
        (with("fees", json!([{"category": "medical", "amount_minor": -5, "currency": "NPR"}])), "fees[0].amount_minor"),
        (with("description", json!("   ")), "description"),
        (with("description", json!("x".repeat(5001))), "description"),
        (with("description", json!("a\u{0}b")), "description"),
        (with("contact", json!("x".repeat(301))), "contact"),
        (with("language", json!("Nepali")), "language"),
        (with("ip_address", json!("10.0.0.1")), "ip_address"),
    ] {
        let res = w.app.send_anonymous(Method::POST, "/v1/public/reports", Some(body.clone())).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(error_fields(&problem), vec![field], "{body}");
    }
    assert_eq!(w.app.get_json("/v1/reports", Some(&w.admin)).await["data"], json!([]));
}

#[tokio::test]
async fn only_admins_moderate_and_a_report_is_reviewed_before_it_is_decided_once() {
    let w = World::at_start().await;
    let (reference, _) = file(&w.app, report_about(&w.agency.id, "deception")).await;
    let report = report_id(&w.app, &w.admin, &reference).await;
    let path = format!("/v1/reports/{report}");
    let decision = json!({"state": "under_review", "reason": "looking into it"});

    for token in [&w.integrator, &w.agency.token, &w.body.auditor, &w.body.certifier] {
        assert_eq!(w.app.status(Method::GET, "/v1/reports", token, None).await, 403);
        assert_eq!(w.app.status(Method::GET, &path, token, None).await, 403);
        assert_eq!(w.app.status(Method::PATCH, &path, token, Some(decision.clone())).await, 403);
    }
    let res = w.app.request(Method::GET, "/v1/reports", None).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
    assert_eq!(w.app.status(Method::GET, &format!("/v1/reports/{MISSING}"), &w.admin, None).await, 404);
    assert_eq!(
        w.app.status(Method::PATCH, &format!("/v1/reports/{MISSING}"), &w.admin, Some(decision.clone())).await,
        404
    );

    // Decided straight from received: refused.
    let early = json!({"state": "substantiated", "reason": "obvious"});
    assert_problem(w.app.send(Method::PATCH, &path, &w.admin, Some(early.clone())).await, 409, "conflict").await;
    // A reason is required.
    let res = w.app.send(Method::PATCH, &path, &w.admin, Some(json!({"state": "under_review"}))).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["reason"]);

    let read = w.app.request(Method::GET, &path, Some(&w.admin)).send().await.unwrap();
    let etag = read.headers()["etag"].to_str().unwrap().to_owned();
    let reviewed = w.app.send_if_match(Method::PATCH, &path, &w.admin, &etag, decision.clone()).await;
    assert_eq!(reviewed.status(), 200);
    // The same ETag again is stale.
    let stale = w.app.send_if_match(Method::PATCH, &path, &w.admin, &etag, early.clone()).await;
    assert_problem(stale, 412, "precondition-failed").await;

    let decided = moderate(&w.app, &w.admin, &report, "unsubstantiated", false).await;
    assert_eq!(decided["state"], "unsubstantiated");
    assert!(decided["decided_at"].is_string());
    // A decision stands.
    for to in ["substantiated", "under_review", "received"] {
        let body = json!({"state": to, "reason": "second thoughts"});
        assert_problem(w.app.send(Method::PATCH, &path, &w.admin, Some(body)).await, 409, "conflict").await;
    }
    let queue = w.app.get_json("/v1/reports?state=unsubstantiated&category=deception", Some(&w.admin)).await;
    assert_eq!(queue["data"].as_array().unwrap().len(), 1);
    let none = w.app.get_json("/v1/reports?state=received", Some(&w.admin)).await;
    assert_eq!(none["data"], json!([]));
    let res = w.app.request(Method::GET, "/v1/reports?state=lost", Some(&w.admin)).send().await.unwrap();
    assert!([400, 422].contains(&res.status().as_u16()));

    // Every change is in the log, for admins only: not the agency reported, not integrators.
    let log = w.app.get_json("/v1/events?types=report.received,report.state_changed", Some(&w.admin)).await;
    let kinds: Vec<&str> = log["data"].as_array().unwrap().iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["report.received", "report.state_changed", "report.state_changed"]);
    let received = &log["data"][0];
    assert_eq!(received["actor"], "reporter");
    assert!(!received.to_string().contains("visa"), "no text in the log: {received}");
    assert!(!received.to_string().contains("WhatsApp"), "no contact in the log: {received}");
    for token in [&w.agency.token, &w.integrator] {
        let feed = w.app.get_json("/v1/events?types=report.received,report.state_changed", Some(token)).await;
        assert_eq!(feed["data"], json!([]));
    }
}

#[tokio::test]
async fn substantiated_reports_weigh_on_risk_show_in_due_diligence_and_publicly_from_three() {
    let w = World::at_start().await;
    w.certified().await;
    let diligence = format!("/v1/agencies/{}/due-diligence", w.agency.id);
    let public = format!("/v1/public/agencies/{}", w.agency.id);
    let before = w.app.get_json(&diligence, Some(&w.integrator)).await;
    assert_eq!(before["substantiated_reports"], json!([]));

    // Filed but not substantiated: no weight.
    file(&w.app, report_about(&w.agency.id, "medical")).await;
    let one = substantiated(&w, "document_retention").await;
    let dd = w.app.get_json(&diligence, Some(&w.integrator)).await;
    assert_eq!(dd["risk_level"], "high");
    let reasons: Vec<&str> =
        dd["risk_reasons"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains(&"1 substantiated worker report in the last 12 months"), "{reasons:?}");
    assert_eq!(dd["substantiated_reports"].as_array().unwrap().len(), 1);
    assert_eq!(dd["substantiated_reports"][0]["category"], "document_retention");
    assert!(dd["substantiated_reports"][0].get("description").is_none());
    // Fewer than three: the public sees no count.
    assert_eq!(w.app.get_json(&public, None).await["substantiated_reports"], Value::Null);
    assert!(!one.is_empty());

    substantiated(&w, "recruitment_fee").await;
    assert_eq!(w.app.get_json(&public, None).await["substantiated_reports"], Value::Null);
    substantiated(&w, "contract_substitution").await;
    assert_eq!(w.app.get_json(&public, None).await["substantiated_reports"], 3);
    let listed = w.app.get_json("/v1/public/agencies", None).await;
    let entry = listed["data"].as_array().unwrap().iter().find(|a| a["id"] == w.agency.id.as_str()).unwrap();
    assert_eq!(entry["substantiated_reports"], 3);
    let dd = w.app.get_json(&diligence, Some(&w.integrator)).await;
    assert_eq!(dd["risk_level"], "critical");

    // Thirteen months on, they no longer weigh on risk, and due diligence still lists them.
    w.clock.advance(Duration::days(396));
    let dd = w.app.get_json(&diligence, Some(&w.admin)).await;
    let reasons = dd["risk_reasons"].to_string();
    assert!(!reasons.contains("worker report"), "{reasons}");
    assert_eq!(dd["substantiated_reports"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn a_substantiated_report_of_a_critical_breach_grounds_a_suspension() {
    let w = World::at_start().await;
    w.certified().await;
    let suspend = |report: &str| json!({"action": "suspend", "report_id": report, "reason": "passports held"});

    let deception = substantiated(&w, "deception").await;
    let (pending_ref, _) = file(&w.app, report_about(&w.agency.id, "document_retention")).await;
    let pending = report_id(&w.app, &w.admin, &pending_ref).await;
    let other_agency = w.app.agency(&w.admin, 2).await;
    let (elsewhere_ref, _) = file(&w.app, report_about(&other_agency.id, "document_retention")).await;
    let elsewhere = report_id(&w.app, &w.admin, &elsewhere_ref).await;
    moderate(&w.app, &w.admin, &elsewhere, "under_review", false).await;
    moderate(&w.app, &w.admin, &elsewhere, "substantiated", false).await;

    for report in [deception.as_str(), pending.as_str(), elsewhere.as_str(), MISSING] {
        let res = w.decide(&w.admin, suspend(report)).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(error_fields(&problem), vec!["report_id"], "{report}: {problem}");
    }
    let grounds = substantiated(&w, "document_retention").await;
    let withdraw = json!({"action": "withdraw", "report_id": grounds, "reason": "passports held"});
    assert_eq!(
        error_fields(&assert_problem(w.decide(&w.admin, withdraw).await, 422, "validation").await),
        vec!["report_id"]
    );
    assert_eq!(w.certification().await["status"], "certified");
    // Others than admins and the body's certifier may not, report or not.
    let res = w.decide(&w.integrator, suspend(&grounds)).await;
    assert_problem(res, 403, "forbidden").await;

    let res = w.decide(&w.admin, suspend(&grounds)).await;
    assert_eq!(res.status(), 200, "{}", res.text().await.unwrap());
    let certification = w.certification().await;
    assert_eq!(certification["status"], "suspended");
    let grounds_ref = w.app.get_json(&format!("/v1/reports/{grounds}"), Some(&w.admin)).await["reference"].clone();
    let history = certification.to_string();
    assert!(history.contains(grounds_ref.as_str().unwrap()), "the reason names the report: {history}");
}

#[tokio::test]
async fn filing_is_limited_per_client_address() {
    let app = TestApp::spawn_with(|c| {
        c.limits.reports_burst = 2;
        c.limits.reports_per_hour = 1;
    })
    .await;
    let body = json!({"agency_name": "Anyone", "category": "other", "description": "something happened"});
    // Mistakes a worker corrects do not use up the allowance.
    for _ in 0..3 {
        let res = app.send_anonymous(Method::POST, "/v1/public/reports", Some(json!({"category": "other"}))).await;
        assert_eq!(res.status(), 422);
    }
    file(&app, body.clone()).await;
    file(&app, body.clone()).await;
    let res = app.send_anonymous(Method::POST, "/v1/public/reports", Some(body)).await;
    let retry_after: u64 = res.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry_after > 60, "about an hour: {retry_after}");
    assert_problem(res, 429, "rate-limited").await;
    // Reading the registry is not limited by it.
    assert_eq!(app.request(Method::GET, "/v1/public/agencies", None).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn the_role_of_a_caller_does_not_change_what_filing_does() {
    // A token is ignored: the report is as anonymous with one as without.
    let w = World::at_start().await;
    let token = w.app.token_for(Role::Integrator, None, None).await;
    let res = w.app.send(Method::POST, "/v1/public/reports", &token, Some(report_about(&w.agency.id, "other"))).await;
    assert_eq!(res.status(), 201);
    let log = w.app.get_json("/v1/events?types=report.received", Some(&w.admin)).await;
    assert_eq!(log["data"][0]["actor"], "reporter");
}
