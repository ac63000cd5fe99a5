//! An audit from opening to explained score, corrective actions with their deadlines, and who
//! may see and do what.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use fairhire::clock::FixedClock;
use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, agency_body, assert_problem, error_fields};

/// A small standard whose score is easy to compute by hand.
fn test_standard() -> Value {
    json!({
        "version": "t-1.0", "title": "Test standard",
        "principles": [{"code": "A", "title": "Law"}, {"code": "C", "title": "Fees"}],
        "criteria": [
            {"code": "A.1", "principle": "A", "text": "Licensed", "weight": 1.0, "critical": false, "area": "governance"},
            {"code": "A.2", "principle": "A", "text": "Lawful", "weight": 2.0, "critical": false, "area": "policies"},
            {"code": "C.1", "principle": "C", "text": "No fees", "weight": 3.0, "critical": true, "area": "monitoring"},
            {"code": "C.2", "principle": "C", "text": "No deductions", "weight": 2.0, "critical": false, "area": "monitoring"}
        ],
        "policy": {
            "credits": {"conformant": 1.0, "observation": 1.0, "minor": 0.5, "major": 0.0, "critical": 0.0},
            "grade_bands": [{"grade": "A", "min_score": 90}, {"grade": "B", "min_score": 75}, {"grade": "C", "min_score": 60}, {"grade": "D", "min_score": 40}],
            "caps": {"any_critical": "E", "major_on_critical_criterion": "D", "any_major": "C"},
            "certification_minimum": 75
        }
    })
}

struct World {
    app: TestApp,
    clock: FixedClock,
    admin: String,
    agency_id: String,
    other_agency_id: String,
    auditor: String,
    certifier: String,
    agency: String,
    integrator: String,
    stranger_auditor: String,
}

fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap()
}

async fn world() -> World {
    let clock = FixedClock::new(start());
    let app = TestApp::spawn_full(|_| {}, Arc::new(clock.clone())).await;
    let admin = app.admin().await;
    let post = |path: &'static str, body: Value| {
        let req = app.request(Method::POST, path, Some(&admin)).json(&body);
        async move {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), StatusCode::CREATED, "{path}");
            res.json::<Value>().await.unwrap()
        }
    };
    // Published after the default standard, so it is the latest.
    clock.advance(Duration::minutes(1));
    let standard = post("/v1/standards", test_standard()).await;
    assert_eq!(standard["status"], "draft");
    let res = app.request(Method::POST, "/v1/standards/t-1.0/publish", Some(&admin)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = post(
        "/v1/certification-bodies",
        json!({"name": "Gulf Ethical Audit", "country": "AE", "accreditation_status": "accredited"}),
    )
    .await;
    let other = post(
        "/v1/certification-bodies",
        json!({"name": "Other Audit", "country": "QA", "accreditation_status": "accredited"}),
    )
    .await;
    let body_id = body["id"].as_str().unwrap().to_owned();
    let other_id = other["id"].as_str().unwrap().to_owned();
    let agency_id = app.create_agency(&admin, &agency_body(1)).await["id"].as_str().unwrap().to_owned();
    let other_agency_id = app.create_agency(&admin, &agency_body(2)).await["id"].as_str().unwrap().to_owned();
    // The admin assigns the agency to the body (an accepted application).
    let res = app
        .request(Method::POST, &format!("/v1/agencies/{agency_id}/applications"), Some(&admin))
        .json(&json!({"certification_body_id": body_id}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    World {
        auditor: app.token_for(Role::Auditor, Some(&body_id), None).await,
        certifier: app.token_for(Role::Certifier, Some(&body_id), None).await,
        agency: app.token_for(Role::Agency, None, Some(&agency_id)).await,
        integrator: app.token_for(Role::Integrator, None, None).await,
        stranger_auditor: app.token_for(Role::Auditor, Some(&other_id), None).await,
        app,
        clock,
        admin,
        agency_id,
        other_agency_id,
    }
}

impl World {
    async fn send(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> reqwest::Response {
        let req = self.app.request(method, path, Some(token));
        let req = match body {
            Some(b) => req.json(&b),
            None => req,
        };
        req.send().await.unwrap()
    }

    async fn ok(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> Value {
        let res = self.send(method.clone(), path, token, body).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap()
    }

    async fn open_audit(&self) -> String {
        let body = json!({"agency_id": self.agency_id, "kind": "stage2", "standard_version": "t-1.0",
            "methods": {"documents_reviewed": true, "worker_interviews": 25}});
        let res = self.send(Method::POST, "/v1/assessments", &self.auditor, Some(body)).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned()
    }

    async fn find(&self, id: &str, code: &str, severity: &str) -> Value {
        let path = format!("/v1/assessments/{id}/findings/{code}");
        self.ok(Method::PUT, &path, &self.auditor, Some(json!({"severity": severity, "evidence": "seen"}))).await
    }

    /// A finalized stage-2 audit: A.1 conformant, A.2 minor, C.1 conformant, C.2 major.
    async fn finalized_audit(&self) -> String {
        let id = self.open_audit().await;
        for (code, severity) in [("A.1", "conformant"), ("A.2", "minor"), ("C.1", "conformant"), ("C.2", "major")] {
            self.find(&id, code, severity).await;
        }
        self.ok(Method::POST, &format!("/v1/assessments/{id}/submit"), &self.auditor, None).await;
        self.ok(Method::POST, &format!("/v1/assessments/{id}/finalize"), &self.auditor, None).await;
        id
    }
}

#[tokio::test]
async fn an_audit_is_scored_as_computed_by_hand() {
    let w = world().await;
    let id = w.open_audit().await;
    let opened = w.ok(Method::GET, &format!("/v1/assessments/{id}"), &w.auditor, None).await;
    assert_eq!(opened["status"], "draft");
    assert_eq!(opened["standard_version"], "t-1.0");
    assert_eq!(opened["progress"], json!({"recorded": 0, "total": 4}));
    assert_eq!(opened["methods"]["worker_interviews"], 25);

    for (code, severity) in [("A.1", "conformant"), ("A.2", "minor"), ("C.1", "conformant"), ("C.2", "major")] {
        w.find(&id, code, severity).await;
    }
    let submitted = w.ok(Method::POST, &format!("/v1/assessments/{id}/submit"), &w.auditor, None).await;
    assert_eq!(submitted["status"], "submitted");
    let finalized = w.ok(Method::POST, &format!("/v1/assessments/{id}/finalize"), &w.auditor, None).await;
    assert_eq!(finalized["status"], "finalized");

    // By hand: weights 1, 2, 3, 2 (total 8); credits 1, 0.5, 1, 0 → earned 1 + 1 + 3 + 0 = 5.
    // Overall 100 × 5 / 8 = 62.5 → band C (≥ 60). A major finding caps at C: grade C.
    // Principle A: 100 × (1 + 1) / 3 = 66.67; principle C: 100 × 3 / 5 = 60.
    assert_eq!(finalized["overall_score"], 62.5);
    assert_eq!(finalized["grade"], "C");
    let explained = w.ok(Method::GET, &format!("/v1/assessments/{id}/score"), &w.auditor, None).await;
    assert_eq!(explained["fixed"], true);
    let score = &explained["score"];
    assert_eq!(score["overall"], 62.5);
    assert_eq!(score["band_grade"], "C");
    assert_eq!(score["grade"], "C");
    assert_eq!(score["principles"][0]["score"], 66.67);
    assert_eq!(score["principles"][1]["score"], 60.0);
    assert_eq!(score["criteria"][1]["credit"], 0.5);
    assert_eq!(score["criteria"][1]["earned"], 1.0);
    let caps = score["caps"].as_array().unwrap();
    assert_eq!(caps.len(), 1);
    assert_eq!(caps[0]["cap"], "any_major");
    assert_eq!(caps[0]["criteria"], json!(["C.2"]));
    assert_eq!(score["meets_certification_minimum"], false);

    // The explanation is fixed: reading it again gives the same bytes.
    let again =
        w.send(Method::GET, &format!("/v1/assessments/{id}/score"), &w.auditor, None).await.text().await.unwrap();
    assert_eq!(serde_json::from_str::<Value>(&again).unwrap(), explained);

    // The agency now shows the audit's score and grade.
    let agency = w.ok(Method::GET, &format!("/v1/agencies/{}", w.agency_id), &w.integrator, None).await;
    assert_eq!(agency["latest_score"], 62.5);
    assert_eq!(agency["grade"], "C");
    assert_eq!(agency["certification_status"], "applicant");
}

#[tokio::test]
async fn a_finalized_assessment_never_changes_and_an_incomplete_one_cannot_finalize() {
    let w = world().await;
    let id = w.open_audit().await;
    w.find(&id, "A.1", "conformant").await;
    w.ok(Method::POST, &format!("/v1/assessments/{id}/submit"), &w.auditor, None).await;
    let res = w.send(Method::POST, &format!("/v1/assessments/{id}/finalize"), &w.auditor, None).await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("A.2, C.1, C.2"), "{problem}");
    // Drafts cannot be finalized; a new finding sends a submitted assessment back to draft.
    let back = w.find(&id, "A.2", "conformant").await;
    assert_eq!(back["status"], "draft");
    let res = w.send(Method::POST, &format!("/v1/assessments/{id}/finalize"), &w.auditor, None).await;
    assert_problem(res, 409, "conflict").await;

    let done = w.finalized_audit().await;
    for (method, path, body) in [
        (Method::PUT, format!("/v1/assessments/{done}/findings/A.1"), Some(json!({"severity": "critical"}))),
        (Method::POST, format!("/v1/assessments/{done}/submit"), None),
        (Method::POST, format!("/v1/assessments/{done}/finalize"), None),
        (Method::POST, format!("/v1/assessments/{done}/cancel"), None),
    ] {
        let res = w.send(method, &path, &w.auditor, body).await;
        assert_problem(res, 409, "conflict").await;
    }
    let cancelled = w.ok(Method::POST, &format!("/v1/assessments/{id}/cancel"), &w.auditor, None).await;
    assert_eq!(cancelled["status"], "cancelled");
    let res = w
        .send(
            Method::PUT,
            &format!("/v1/assessments/{id}/findings/A.1"),
            &w.auditor,
            Some(json!({"severity": "minor"})),
        )
        .await;
    assert_problem(res, 409, "conflict").await;
}

#[tokio::test]
async fn findings_are_validated_and_fees_belong_to_principle_c() {
    let w = world().await;
    let id = w.open_audit().await;
    let path = |code: &str| format!("/v1/assessments/{id}/findings/{code}");
    let fee = json!({"category": "recruitment_fee", "amount_minor": 15_000_000, "currency": "NPR"});
    let recorded = w
        .ok(
            Method::PUT,
            &path("C.1"),
            &w.auditor,
            Some(json!({"severity": "critical", "workers_interviewed": 12, "fees": [fee]})),
        )
        .await;
    let finding =
        recorded["findings"].as_array().unwrap().iter().find(|f| f["criterion_code"] == "C.1").unwrap().clone();
    assert_eq!(finding["fees"][0]["amount_minor"], 15_000_000);
    assert_eq!(finding["workers_interviewed"], 12);
    // Recording again replaces the finding.
    let replaced = w.ok(Method::PUT, &path("C.1"), &w.auditor, Some(json!({"severity": "conformant"}))).await;
    assert_eq!(replaced["progress"]["recorded"], 1);

    let res = w.send(Method::PUT, &path("A.1"), &w.auditor, Some(json!({"severity": "minor", "fees": [fee]}))).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["fees"]);
    let bad_fee = json!({"severity": "major", "fees": [{"category": "bribe", "amount_minor": 1, "currency": "NPR"}]});
    let res = w.send(Method::PUT, &path("C.1"), &w.auditor, Some(bad_fee)).await;
    assert_problem(res, 422, "validation").await;
    for fee in [
        json!({"category": "medical", "amount_minor": 100, "currency": "XYZ"}),
        json!({"category": "medical", "amount_minor": -1, "currency": "NPR"}),
    ] {
        let res =
            w.send(Method::PUT, &path("C.1"), &w.auditor, Some(json!({"severity": "major", "fees": [fee]}))).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert!(error_fields(&problem)[0].starts_with("fees[0]."), "{problem}");
    }
    let res = w.send(Method::PUT, &path("Z.9"), &w.auditor, Some(json!({"severity": "minor"}))).await;
    assert_problem(res, 404, "not-found").await;
    let res = w.send(Method::PUT, &path("A.1"), &w.auditor, Some(json!({"severity": "terrible"}))).await;
    assert_problem(res, 422, "validation").await;

    // If-Match protects against recording on a stale read.
    let current = w.send(Method::GET, &format!("/v1/assessments/{id}"), &w.auditor, None).await;
    let etag = current.headers()["etag"].to_str().unwrap().to_owned();
    let res = w
        .app
        .request(Method::PUT, &path("A.1"), Some(&w.auditor))
        .header("if-match", &etag)
        .json(&json!({"severity": "conformant"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = w
        .app
        .request(Method::PUT, &path("A.2"), Some(&w.auditor))
        .header("if-match", &etag)
        .json(&json!({"severity": "conformant"}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 412, "precondition-failed").await;
}

#[tokio::test]
async fn finalizing_opens_corrective_actions_with_their_deadlines() {
    let w = world().await;
    let id = w.finalized_audit().await;
    let list = w.ok(Method::GET, &format!("/v1/corrective-actions?assessment_id={id}"), &w.auditor, None).await;
    let actions = list["data"].as_array().unwrap();
    assert_eq!(actions.len(), 2, "one per minor, major or critical finding: {list}");
    let by_code = |code: &str| actions.iter().find(|a| a["criterion_code"] == code).unwrap().clone();
    let (minor, major) = (by_code("A.2"), by_code("C.2"));
    assert_eq!(minor["severity"], "minor");
    assert_eq!(minor["status"], "open");
    assert_eq!(minor["overdue"], false);
    // Finalized at the fixed clock's time (one minute past 09:00): plan in 14 days, closure in 365 (minor) or 90 (major).
    assert_eq!(minor["plan_due"], "2026-03-16T09:01:00Z");
    assert_eq!(minor["closure_due"], "2027-03-02T09:01:00Z");
    assert_eq!(major["plan_due"], "2026-03-16T09:01:00Z");
    assert_eq!(major["closure_due"], "2026-05-31T09:01:00Z");
    let major_path = format!("/v1/corrective-actions/{}", major["id"].as_str().unwrap());

    // The agency plans and shows evidence; an auditor of the body verifies or sends it back.
    let res = w.send(Method::POST, &format!("{major_path}/verify"), &w.auditor, None).await;
    assert_problem(res, 409, "conflict").await;
    let res =
        w.send(Method::POST, &format!("{major_path}/evidence"), &w.agency, Some(json!({"evidence": "receipts"}))).await;
    assert_problem(res, 409, "conflict").await;
    let planned =
        w.ok(Method::POST, &format!("{major_path}/plan"), &w.agency, Some(json!({"plan": "Refund all fees"}))).await;
    assert_eq!(planned["status"], "plan_submitted");
    let shown =
        w.ok(Method::POST, &format!("{major_path}/evidence"), &w.agency, Some(json!({"evidence": "5 receipts"}))).await;
    assert_eq!(shown["status"], "evidence_submitted");
    for token in [&w.agency, &w.certifier, &w.admin] {
        let res = w.send(Method::POST, &format!("{major_path}/verify"), token, None).await;
        assert_problem(res, 403, "forbidden").await;
    }
    let res = w.send(Method::POST, &format!("{major_path}/verify"), &w.stranger_auditor, None).await;
    assert_problem(res, 404, "not-found").await;
    let res = w.send(Method::POST, &format!("{major_path}/reject"), &w.auditor, Some(json!({"reason": " "}))).await;
    assert_problem(res, 422, "validation").await;
    let rejected = w
        .ok(Method::POST, &format!("{major_path}/reject"), &w.auditor, Some(json!({"reason": "2 receipts missing"})))
        .await;
    assert_eq!(rejected["status"], "open");
    assert_eq!(rejected["rejection_reason"], "2 receipts missing");
    let res = w.send(Method::POST, &format!("{major_path}/plan"), &w.auditor, Some(json!({"plan": "x"}))).await;
    assert_problem(res, 403, "forbidden").await;
    w.ok(Method::POST, &format!("{major_path}/plan"), &w.agency, Some(json!({"plan": "Refund all 7"}))).await;
    w.ok(Method::POST, &format!("{major_path}/evidence"), &w.agency, Some(json!({"evidence": "7 receipts"}))).await;
    let verified = w.ok(Method::POST, &format!("{major_path}/verify"), &w.auditor, None).await;
    assert_eq!(verified["status"], "verified");
    assert!(verified["verified_at"].is_string());
    let res = w.send(Method::POST, &format!("{major_path}/verify"), &w.auditor, None).await;
    assert_problem(res, 409, "conflict").await;

    // Fifteen days on, the minor action still has no plan: overdue. The verified one is not.
    w.clock.advance(Duration::days(15));
    let overdue = w.ok(Method::GET, "/v1/corrective-actions?overdue=true", &w.auditor, None).await;
    let codes: Vec<&str> =
        overdue["data"].as_array().unwrap().iter().map(|a| a["criterion_code"].as_str().unwrap()).collect();
    assert_eq!(codes, vec!["A.2"]);
    assert_eq!(overdue["data"][0]["overdue"], true);
    let on_time = w.ok(Method::GET, "/v1/corrective-actions?overdue=false", &w.auditor, None).await;
    assert_eq!(on_time["data"].as_array().unwrap().len(), 1);
    let filtered = w.ok(Method::GET, "/v1/corrective-actions?severity=major&status=verified", &w.agency, None).await;
    assert_eq!(filtered["data"].as_array().unwrap().len(), 1);
    let filtered =
        w.ok(Method::GET, &format!("/v1/corrective-actions?agency_id={}", w.other_agency_id), &w.admin, None).await;
    assert_eq!(filtered["data"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn who_may_open_assessments() {
    let w = world().await;
    let audit = |agency: &str, kind: &str| json!({"agency_id": agency, "kind": kind});
    // An auditor only for agencies that applied to its body; never a self-assessment.
    let res = w.send(Method::POST, "/v1/assessments", &w.auditor, Some(audit(&w.other_agency_id, "stage1"))).await;
    assert_problem(res, 403, "forbidden").await;
    let res = w.send(Method::POST, "/v1/assessments", &w.stranger_auditor, Some(audit(&w.agency_id, "stage1"))).await;
    assert_problem(res, 403, "forbidden").await;
    let res = w.send(Method::POST, "/v1/assessments", &w.auditor, Some(audit(&w.agency_id, "self_assessment"))).await;
    assert_problem(res, 403, "forbidden").await;
    // An agency only its own self-assessment.
    let res = w.send(Method::POST, "/v1/assessments", &w.agency, Some(audit(&w.agency_id, "stage2"))).await;
    assert_problem(res, 403, "forbidden").await;
    let res =
        w.send(Method::POST, "/v1/assessments", &w.agency, Some(audit(&w.other_agency_id, "self_assessment"))).await;
    assert_problem(res, 403, "forbidden").await;
    for token in [&w.admin, &w.certifier, &w.integrator] {
        let res = w.send(Method::POST, "/v1/assessments", token, Some(audit(&w.agency_id, "stage2"))).await;
        assert_problem(res, 403, "forbidden").await;
    }
    let res =
        w.app.request(Method::POST, "/v1/assessments", None).json(&audit(&w.agency_id, "stage2")).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
    // Unknown agency, unknown or unpublished standard.
    let res = w
        .send(
            Method::POST,
            "/v1/assessments",
            &w.auditor,
            Some(audit("0193f0a4-0000-7000-8000-0000000000ff", "stage1")),
        )
        .await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["agency_id"]);
    let body = json!({"agency_id": w.agency_id, "kind": "stage1", "standard_version": "nope-9"});
    let res = w.send(Method::POST, "/v1/assessments", &w.auditor, Some(body)).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["standard_version"]);
    // Without a version the latest published one is used.
    let opened = w.ok(Method::POST, "/v1/assessments", &w.auditor, Some(audit(&w.agency_id, "stage1"))).await;
    assert_eq!(opened["standard_version"], "t-1.0");
    // A retry with the same idempotency key opens nothing new.
    let send = || {
        w.app
            .request(Method::POST, "/v1/assessments", Some(&w.auditor))
            .header("idempotency-key", "audit-2026-03")
            .json(&audit(&w.agency_id, "stage2"))
            .send()
    };
    let first: Value = send().await.unwrap().json().await.unwrap();
    let again = send().await.unwrap();
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap()["id"], first["id"]);
}

#[tokio::test]
async fn a_self_assessment_is_shown_but_never_grades_the_agency() {
    let w = world().await;
    let res = w
        .send(
            Method::POST,
            "/v1/assessments",
            &w.agency,
            Some(json!({"agency_id": w.agency_id, "kind": "self_assessment", "standard_version": "t-1.0"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        w.ok(Method::GET, &format!("/v1/assessments/{id}"), &w.agency, None).await["certification_body_id"],
        Value::Null
    );
    for code in ["A.1", "A.2", "C.1", "C.2"] {
        let path = format!("/v1/assessments/{id}/findings/{code}");
        // Auditors have no part in a self-assessment.
        let res = w.send(Method::PUT, &path, &w.auditor, Some(json!({"severity": "minor"}))).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        w.ok(Method::PUT, &path, &w.agency, Some(json!({"severity": "minor"}))).await;
    }
    w.ok(Method::POST, &format!("/v1/assessments/{id}/submit"), &w.agency, None).await;
    let done = w.ok(Method::POST, &format!("/v1/assessments/{id}/finalize"), &w.agency, None).await;
    assert_eq!(done["overall_score"], 50.0);
    assert_eq!(done["grade"], "D");
    let actions = w.ok(Method::GET, &format!("/v1/corrective-actions?assessment_id={id}"), &w.admin, None).await;
    assert_eq!(actions["data"], json!([]), "a self-assessment opens no corrective actions");
    let agency = w.ok(Method::GET, &format!("/v1/agencies/{}", w.agency_id), &w.admin, None).await;
    assert_eq!(agency["grade"], Value::Null);
}

#[tokio::test]
async fn each_role_sees_only_what_it_may() {
    let w = world().await;
    let done = w.finalized_audit().await;
    let draft = w.open_audit().await;
    w.find(&draft, "A.1", "critical").await;
    let get = |token: &String, id: &String| {
        let req = w.app.request(Method::GET, &format!("/v1/assessments/{id}"), Some(token));
        async move { req.send().await.unwrap() }
    };

    // The body's auditor and certifier, the agency itself and admins see findings.
    for token in [&w.auditor, &w.certifier, &w.agency, &w.admin] {
        for id in [&done, &draft] {
            let seen: Value = get(token, id).await.json().await.unwrap();
            assert!(seen["findings"].is_array(), "{seen}");
        }
        assert_eq!(w.send(Method::GET, &format!("/v1/assessments/{done}/score"), token, None).await.status(), 200);
    }
    // An integrator sees finalized scores and grades, never findings or drafts.
    let seen: Value = get(&w.integrator, &done).await.json().await.unwrap();
    assert_eq!(seen["grade"], "C");
    assert!(seen.get("findings").is_none(), "{seen}");
    assert_problem(get(&w.integrator, &draft).await, 404, "not-found").await;
    let res = w.send(Method::GET, &format!("/v1/assessments/{done}/score"), &w.integrator, None).await;
    assert_problem(res, 403, "forbidden").await;
    let listed = w.ok(Method::GET, "/v1/assessments", &w.integrator, None).await;
    let ids: Vec<&str> = listed["data"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec![done.as_str()]);
    assert!(listed["data"][0].get("findings").is_none());
    let res = w.send(Method::GET, "/v1/corrective-actions", &w.integrator, None).await;
    assert_problem(res, 403, "forbidden").await;

    // Another body's auditor and another agency see nothing, not even that it exists.
    let other_agency = w.app.token_for(Role::Agency, None, Some(&w.other_agency_id)).await;
    for token in [&w.stranger_auditor, &other_agency] {
        for id in [&done, &draft] {
            assert_problem(get(token, id).await, 404, "not-found").await;
            let res = w
                .send(
                    Method::PUT,
                    &format!("/v1/assessments/{id}/findings/A.1"),
                    token,
                    Some(json!({"severity": "conformant"})),
                )
                .await;
            assert_problem(res, 404, "not-found").await;
        }
        let listed = w.ok(Method::GET, "/v1/assessments", token, None).await;
        assert_eq!(listed["data"], json!([]));
        let actions = w.ok(Method::GET, "/v1/corrective-actions", token, None).await;
        assert_eq!(actions["data"], json!([]));
    }
    // The body's certifier and the agency see the audit but may not work on it.
    for token in [&w.certifier, &w.agency, &w.admin] {
        let res = w
            .send(
                Method::PUT,
                &format!("/v1/assessments/{draft}/findings/A.1"),
                token,
                Some(json!({"severity": "conformant"})),
            )
            .await;
        assert_problem(res, 403, "forbidden").await;
        let res = w.send(Method::POST, &format!("/v1/assessments/{draft}/submit"), token, None).await;
        assert_problem(res, 403, "forbidden").await;
    }
    // A preview score is there before finalization.
    let preview = w.ok(Method::GET, &format!("/v1/assessments/{draft}/score"), &w.auditor, None).await;
    assert_eq!(preview["fixed"], false);
    assert_eq!(preview["score"]["complete"], false);
    assert_eq!(preview["score"]["missing"], json!(["A.2", "C.1", "C.2"]));
    let listed =
        w.ok(Method::GET, &format!("/v1/assessments?status=draft&agency_id={}", w.agency_id), &w.auditor, None).await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert_eq!(listed["data"][0]["progress"], json!({"recorded": 1, "total": 4}));
}
