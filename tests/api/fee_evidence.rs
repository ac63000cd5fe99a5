//! Fee evidence per corridor: `GET /v1/public/fee-evidence` and the open data exports
//! `/v1/exports/fees.csv` and `.json`. Finalized independent audits and substantiated reports
//! count, each once per category and currency; cells under 3 observations are left out.

use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::exports::parse_csv;
use crate::helpers::{Agency, Body, TestApp, agency_body, assert_problem, id, start};

fn fee(category: &str, amount_minor: i64) -> Value {
    json!({"category": category, "amount_minor": amount_minor, "currency": "NPR"})
}

/// Files a report about `agency_id` where it happened in `country`, with `fees`, and moves it
/// to `state` as an admin; returns the report's reference.
async fn report_in_state(
    app: &TestApp,
    admin: &str,
    agency_id: &str,
    country: &str,
    fees: &[Value],
    state: &str,
) -> String {
    let body = json!({
        "agency_id": agency_id, "category": "recruitment_fee", "fees": fees, "country": country,
        "occurred_on": "2026-01-02", "description": "Paid the agent in cash, no receipt.",
        "contact": "Signal +977 9811111111"
    });
    let created = app.post_created_anonymous("/v1/public/reports", &body).await;
    let reference = created["reference"].as_str().unwrap().to_owned();
    let page = app.get_json("/v1/reports?limit=200", Some(admin)).await;
    let report = page["data"].as_array().unwrap().iter().find(|r| r["reference"] == reference.as_str()).unwrap();
    let path = format!("/v1/reports/{}", id(report));
    let steps = if state == "under_review" { vec!["under_review"] } else { vec!["under_review", state] };
    for step in steps {
        let decision =
            json!({"state": step, "reason": "checked with the worker's receipts", "reason_shareable": false});
        app.ok(Method::PATCH, &path, admin, Some(decision)).await;
    }
    reference
}

/// A substantiated report about `agency_id`; returns its reference.
pub async fn substantiated_report(
    app: &TestApp,
    admin: &str,
    agency_id: &str,
    country: &str,
    fees: &[Value],
) -> String {
    report_in_state(app, admin, agency_id, country, fees, "substantiated").await
}

impl TestApp {
    async fn post_created_anonymous(&self, path: &str, body: &Value) -> Value {
        let res = self.send_anonymous(Method::POST, path, Some(body.clone())).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        res.json().await.unwrap()
    }

    /// Opens an audit of `kind` (or a self-assessment, with the agency's token) against the
    /// test standard and records C.1 as major with `c1` and C.2 as minor with `c2`, the rest
    /// conformant; submits it, and finalizes it if `finalize`.
    async fn audit_with_fees(&self, token: &str, agency: &str, kind: &str, c1: &[Value], c2: &[Value], finalize: bool) {
        let mut opening = json!({"agency_id": agency, "kind": kind});
        if kind != "self_assessment" {
            opening["methods"] = json!({"documents_reviewed": true, "worker_interviews": 12});
        }
        let audit = id(&self.post_created("/v1/assessments", token, &opening).await).to_owned();
        for (code, severity, fees) in
            [("A.1", "conformant", &[][..]), ("A.2", "conformant", &[][..]), ("C.1", "major", c1), ("C.2", "minor", c2)]
        {
            let finding = json!({"severity": severity, "evidence": "seen", "fees": fees});
            self.ok(Method::PUT, &format!("/v1/assessments/{audit}/findings/{code}"), token, Some(finding)).await;
        }
        self.ok(Method::POST, &format!("/v1/assessments/{audit}/submit"), token, None).await;
        if finalize {
            self.ok(Method::POST, &format!("/v1/assessments/{audit}/finalize"), token, None).await;
        }
    }

    /// An agency recruiting from `origins` for `destinations`, assigned to `body`.
    async fn agency_on(&self, admin: &str, n: u32, origins: &[&str], destinations: &[&str], body: &Body) -> Agency {
        let mut fields = agency_body(n);
        fields["origin_countries"] = json!(origins);
        fields["destination_countries"] = json!(destinations);
        let agency_id = id(&self.create_agency(admin, &fields).await).to_owned();
        let agency = Agency { token: self.token_for(Role::Agency, None, Some(&agency_id)).await, id: agency_id };
        self.assign(admin, &agency, body).await;
        agency
    }

    async fn fee_cells(&self, query: &str) -> Vec<Value> {
        let answer = self.get_json(&format!("/v1/public/fee-evidence{query}"), None).await;
        assert_eq!(answer["minimum_observations"], 3);
        answer["data"].as_array().unwrap().clone()
    }
}

/// An app on the fixed clock (audits are finalized in 2026), taking many reports from one
/// address, with the test standard published and an accredited body.
async fn fee_world() -> (TestApp, String, Body) {
    let clock = fairhire::clock::FixedClock::new(start());
    let app = TestApp::spawn_full(|c| c.limits.reports_burst = 100, std::sync::Arc::new(clock)).await;
    let admin = app.admin().await;
    app.publish_test_standard(&admin).await;
    let body = app.body_with_staff(&admin, 1).await;
    (app, admin, body)
}

#[tokio::test]
async fn a_cell_shows_from_three_observations_of_both_sources_with_its_median_and_range() {
    let (app, admin, body) = fee_world().await;
    let agency = app.agency_on(&admin, 1, &["NP"], &["QA"], &body).await;
    let recruitment = "?origin=NP&destination=QA&year=2026&category=recruitment_fee&currency=NPR";

    // One audit: the same fee under two criteria is one observation, its largest amount.
    let c1 = [fee("recruitment_fee", 100_000), fee("recruitment_fee", 50_000), fee("medical", 5_000)];
    app.audit_with_fees(&body.auditor, &agency.id, "stage2", &c1, &[fee("recruitment_fee", 80_000)], true).await;
    app.audit_with_fees(&body.auditor, &agency.id, "special", &[fee("recruitment_fee", 200_000)], &[], true).await;
    assert!(app.fee_cells("").await.is_empty(), "two observations: left out");

    // Reports that are not substantiated, an audit not finalized and a self-assessment do not count.
    report_in_state(&app, &admin, &agency.id, "QA", &[fee("recruitment_fee", 1)], "unsubstantiated").await;
    report_in_state(&app, &admin, &agency.id, "QA", &[fee("recruitment_fee", 1)], "under_review").await;
    app.audit_with_fees(&body.auditor, &agency.id, "surveillance", &[fee("recruitment_fee", 1)], &[], false).await;
    app.audit_with_fees(&agency.token, &agency.id, "self_assessment", &[fee("recruitment_fee", 1)], &[], true).await;
    assert!(app.fee_cells("").await.is_empty(), "still two observations");
    let empty_csv = app.request(Method::GET, "/v1/exports/fees.csv", None).send().await.unwrap();
    let before = empty_csv.headers()["etag"].to_str().unwrap().to_owned();

    // A substantiated report is the third: one worker's total under the heading.
    let reference = substantiated_report(
        &app,
        &admin,
        &agency.id,
        "QA",
        &[fee("recruitment_fee", 120_000), fee("recruitment_fee", 30_000)],
    )
    .await;
    let cells = app.fee_cells("").await;
    assert_eq!(
        cells,
        vec![json!({
            "origin": "NP", "destination": "QA", "year": 2026, "category": "recruitment_fee", "currency": "NPR",
            "observations": 3, "median_minor": 150_000, "min_minor": 100_000, "max_minor": 200_000
        })],
        "medical has one observation and is left out"
    );
    assert_eq!(app.fee_cells(recruitment).await.len(), 1);
    for other in ["?year=2025", "?origin=BD", "?destination=AE", "?category=medical", "?currency=QAR"] {
        assert!(app.fee_cells(other).await.is_empty(), "{other}");
    }

    // Nothing about a worker or a report: no reference, text, contact or date finer than a year.
    let res = app.request(Method::GET, "/v1/public/fee-evidence", None).send().await.unwrap();
    assert_eq!(res.headers()["cache-control"], "public, max-age=300");
    assert_eq!(res.headers()["access-control-allow-origin"], "*");
    let text = res.text().await.unwrap();
    for secret in [reference.as_str(), "no receipt", "9811111111", "2026-01-02", &agency.id] {
        assert!(!text.contains(secret), "{secret} leaked");
    }

    // The open data: the same cell, licensed and versioned.
    let res = app.request(Method::GET, "/v1/exports/fees.csv", None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8; header=present");
    assert_eq!(res.headers()["x-data-license"], "CC-BY-4.0");
    assert_eq!(res.headers()["link"], "<https://creativecommons.org/licenses/by/4.0/>; rel=\"license\"");
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    assert_ne!(etag, before, "the new cell is a new version");
    let records = parse_csv(&res.text().await.unwrap());
    assert_eq!(
        records,
        vec![
            vec![
                "origin",
                "destination",
                "year",
                "category",
                "currency",
                "observations",
                "median_minor",
                "min_minor",
                "max_minor"
            ],
            vec!["NP", "QA", "2026", "recruitment_fee", "NPR", "3", "150000", "100000", "200000"],
        ]
    );
    let res = app.request(Method::GET, "/v1/exports/fees.json", None).send().await.unwrap();
    assert_eq!(res.headers()["content-type"], "application/x-ndjson");
    let lines: Vec<Value> = res.text().await.unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines, cells);

    let res = app.request(Method::GET, "/v1/exports/fees.csv", None).header("if-none-match", &etag).send().await;
    let res = res.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
    assert_eq!(res.headers()["etag"].to_str().unwrap(), etag);
    // A moderation that changes no figure shown changes nothing, not even the version.
    report_in_state(&app, &admin, &agency.id, "QA", &[fee("medical", 7)], "under_review").await;
    let res = app.request(Method::GET, "/v1/exports/fees.csv", None).header("if-none-match", &etag).send().await;
    assert_eq!(res.unwrap().status(), StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn an_observation_counts_once_in_the_corridor_its_facts_fix() {
    let (app, admin, body) = fee_world().await;
    // Recruits in Nepal for Qatar and the Emirates: an audit fixes only the origin.
    let agency = app.agency_on(&admin, 1, &["NP"], &["QA", "AE"], &body).await;
    for amount in [10_000, 20_000, 30_000] {
        app.audit_with_fees(&body.auditor, &agency.id, "special", &[fee("training_orientation", amount)], &[], true)
            .await;
    }
    // Reports from the Emirates fix the destination too.
    for amount in [1_000, 2_000, 4_000] {
        substantiated_report(&app, &admin, &agency.id, "AE", &[fee("medical", amount)]).await;
    }
    let cells = app.fee_cells("").await;
    let corridors: Vec<(Value, Value, Value, i64)> = cells
        .iter()
        .map(|c| {
            (c["origin"].clone(), c["destination"].clone(), c["category"].clone(), c["median_minor"].as_i64().unwrap())
        })
        .collect();
    assert_eq!(
        corridors,
        vec![
            (json!("NP"), Value::Null, json!("training_orientation"), 20_000),
            (json!("NP"), json!("AE"), json!("medical"), 2_000),
        ]
    );
    // Never spread over the corridors the agency serves.
    assert!(app.fee_cells("?destination=QA").await.is_empty());
    assert_eq!(app.fee_cells("?destination=AE").await.len(), 1);

    let csv = app.request(Method::GET, "/v1/exports/fees.csv", None).send().await.unwrap().text().await.unwrap();
    assert!(parse_csv(&csv).contains(&vec![
        "NP".to_owned(),
        String::new(),
        "2026".into(),
        "training_orientation".into(),
        "NPR".into(),
        "3".into(),
        "20000".into(),
        "10000".into(),
        "30000".into()
    ]));
}

#[tokio::test]
async fn bad_fee_evidence_queries_are_refused() {
    let app = TestApp::spawn().await;
    for (query, field) in [("origin=XX", "origin"), ("currency=ABC", "currency"), ("year=3000", "year")] {
        let res = app.send_anonymous(Method::GET, &format!("/v1/public/fee-evidence?{query}"), None).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}");
    }
    for query in ["category=bribes", "year=twenty", "corridor=NP-QA"] {
        let res = app.send_anonymous(Method::GET, &format!("/v1/public/fee-evidence?{query}"), None).await;
        assert_problem(res, 400, "bad-request").await;
    }
}
