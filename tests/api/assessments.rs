//! An audit from opening to explained score, corrective actions with their deadlines, and who
//! may see and do what.

use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{Agency, MISSING, World, assert_problem, error_fields, ids};

/// The shared world with the test standard published (after the default one, so it is the
/// latest) and the agency assigned by the admin to the body (an accepted application).
async fn world() -> World {
    let w = World::at_start().await;
    w.clock.advance(Duration::minutes(1));
    w.app.publish_test_standard(&w.admin).await;
    w.app.assign(&w.admin, &w.agency, &w.body).await;
    w
}

/// Strangers to the audits: another agency, applied nowhere, and an auditor of another body.
async fn strangers(w: &World) -> (Agency, String) {
    (w.app.agency(&w.admin, 2).await, w.app.body_with_staff(&w.admin, 2).await.auditor)
}

/// Opens a stage-2 audit of the agency against the test standard; returns its id.
async fn open_audit(w: &World) -> String {
    let body = json!({"agency_id": w.agency.id, "kind": "stage2", "standard_version": "t-1.0",
        "methods": {"documents_reviewed": true, "worker_interviews": 25}});
    w.app.open_assessment(&w.body.auditor, &body).await
}

/// Records a finding on the audit as the body's auditor.
async fn find(w: &World, id: &str, code: &str, severity: &str) -> Value {
    w.app.record_finding(&w.body.auditor, id, code, severity).await
}

/// A finalized stage-2 audit: A.1 conformant, A.2 minor, C.1 conformant, C.2 major.
async fn finalized_audit(w: &World) -> String {
    w.audit("stage2", &[("A.2", "minor"), ("C.2", "major")]).await
}

#[tokio::test]
async fn an_audit_is_scored_as_computed_by_hand() {
    let w = world().await;
    let id = open_audit(&w).await;
    let opened = w.app.ok(Method::GET, &format!("/v1/assessments/{id}"), &w.body.auditor, None).await;
    assert_eq!(opened["status"], "draft");
    assert_eq!(opened["standard_version"], "t-1.0");
    assert_eq!(opened["progress"], json!({"recorded": 0, "total": 4}));
    assert_eq!(opened["methods"]["worker_interviews"], 25);

    for (code, severity) in [("A.1", "conformant"), ("A.2", "minor"), ("C.1", "conformant"), ("C.2", "major")] {
        find(&w, &id, code, severity).await;
    }
    let submitted = w.app.ok(Method::POST, &format!("/v1/assessments/{id}/submit"), &w.body.auditor, None).await;
    assert_eq!(submitted["status"], "submitted");
    let finalized = w.app.ok(Method::POST, &format!("/v1/assessments/{id}/finalize"), &w.body.auditor, None).await;
    assert_eq!(finalized["status"], "finalized");

    // By hand: weights 1, 2, 3, 2 (total 8); credits 1, 0.5, 1, 0 → earned 1 + 1 + 3 + 0 = 5.
    // Overall 100 × 5 / 8 = 62.5 → band C (≥ 60). A major finding caps at C: grade C.
    // Principle A: 100 × (1 + 1) / 3 = 66.67; principle C: 100 × 3 / 5 = 60.
    assert_eq!(finalized["overall_score"], 62.5);
    assert_eq!(finalized["grade"], "C");
    let explained = w.app.ok(Method::GET, &format!("/v1/assessments/{id}/score"), &w.body.auditor, None).await;
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
    let again = w
        .app
        .send(Method::GET, &format!("/v1/assessments/{id}/score"), &w.body.auditor, None)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(serde_json::from_str::<Value>(&again).unwrap(), explained);

    // The agency now shows the audit's score and grade.
    let agency = w.app.ok(Method::GET, &format!("/v1/agencies/{}", w.agency.id), &w.integrator, None).await;
    assert_eq!(agency["latest_score"], 62.5);
    assert_eq!(agency["grade"], "C");
    assert_eq!(agency["certification_status"], "applicant");
}

#[tokio::test]
async fn a_finalized_assessment_never_changes_and_an_incomplete_one_cannot_finalize() {
    let w = world().await;
    let id = open_audit(&w).await;
    find(&w, &id, "A.1", "conformant").await;
    w.app.ok(Method::POST, &format!("/v1/assessments/{id}/submit"), &w.body.auditor, None).await;
    let res = w.app.send(Method::POST, &format!("/v1/assessments/{id}/finalize"), &w.body.auditor, None).await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("A.2, C.1, C.2"), "{problem}");
    // Drafts cannot be finalized; a new finding sends a submitted assessment back to draft.
    let back = find(&w, &id, "A.2", "conformant").await;
    assert_eq!(back["status"], "draft");
    let res = w.app.send(Method::POST, &format!("/v1/assessments/{id}/finalize"), &w.body.auditor, None).await;
    assert_problem(res, 409, "conflict").await;

    let done = finalized_audit(&w).await;
    for (method, path, body) in [
        (Method::PUT, format!("/v1/assessments/{done}/findings/A.1"), Some(json!({"severity": "critical"}))),
        (Method::POST, format!("/v1/assessments/{done}/submit"), None),
        (Method::POST, format!("/v1/assessments/{done}/finalize"), None),
        (Method::POST, format!("/v1/assessments/{done}/cancel"), None),
    ] {
        let res = w.app.send(method, &path, &w.body.auditor, body).await;
        assert_problem(res, 409, "conflict").await;
    }
    let cancelled = w.app.ok(Method::POST, &format!("/v1/assessments/{id}/cancel"), &w.body.auditor, None).await;
    assert_eq!(cancelled["status"], "cancelled");
    let res = w
        .app
        .send(
            Method::PUT,
            &format!("/v1/assessments/{id}/findings/A.1"),
            &w.body.auditor,
            Some(json!({"severity": "minor"})),
        )
        .await;
    assert_problem(res, 409, "conflict").await;
}

#[tokio::test]
async fn findings_are_validated_and_fees_belong_to_principle_c() {
    let w = world().await;
    let id = open_audit(&w).await;
    let path = |code: &str| format!("/v1/assessments/{id}/findings/{code}");
    let fee = json!({"category": "recruitment_fee", "amount_minor": 15_000_000, "currency": "NPR"});
    let recorded = w
        .app
        .ok(
            Method::PUT,
            &path("C.1"),
            &w.body.auditor,
            Some(json!({"severity": "critical", "workers_interviewed": 12, "fees": [fee]})),
        )
        .await;
    let finding =
        recorded["findings"].as_array().unwrap().iter().find(|f| f["criterion_code"] == "C.1").unwrap().clone();
    assert_eq!(finding["fees"][0]["amount_minor"], 15_000_000);
    assert_eq!(finding["workers_interviewed"], 12);
    // Recording again replaces the finding.
    let replaced = w.app.ok(Method::PUT, &path("C.1"), &w.body.auditor, Some(json!({"severity": "conformant"}))).await;
    assert_eq!(replaced["progress"]["recorded"], 1);

    let res =
        w.app.send(Method::PUT, &path("A.1"), &w.body.auditor, Some(json!({"severity": "minor", "fees": [fee]}))).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["fees"]);
    let bad_fee = json!({"severity": "major", "fees": [{"category": "bribe", "amount_minor": 1, "currency": "NPR"}]});
    let res = w.app.send(Method::PUT, &path("C.1"), &w.body.auditor, Some(bad_fee)).await;
    assert_problem(res, 422, "validation").await;
    for fee in [
        json!({"category": "medical", "amount_minor": 100, "currency": "XYZ"}),
        json!({"category": "medical", "amount_minor": -1, "currency": "NPR"}),
    ] {
        let res = w
            .app
            .send(Method::PUT, &path("C.1"), &w.body.auditor, Some(json!({"severity": "major", "fees": [fee]})))
            .await;
        let problem = assert_problem(res, 422, "validation").await;
        assert!(error_fields(&problem)[0].starts_with("fees[0]."), "{problem}");
    }
    let res = w.app.send(Method::PUT, &path("Z.9"), &w.body.auditor, Some(json!({"severity": "minor"}))).await;
    assert_problem(res, 404, "not-found").await;
    let res = w.app.send(Method::PUT, &path("A.1"), &w.body.auditor, Some(json!({"severity": "terrible"}))).await;
    assert_problem(res, 422, "validation").await;

    // If-Match protects against recording on a stale read.
    let current = w.app.send(Method::GET, &format!("/v1/assessments/{id}"), &w.body.auditor, None).await;
    let etag = current.headers()["etag"].to_str().unwrap().to_owned();
    let res =
        w.app.send_if_match(Method::PUT, &path("A.1"), &w.body.auditor, &etag, json!({"severity": "conformant"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let res =
        w.app.send_if_match(Method::PUT, &path("A.2"), &w.body.auditor, &etag, json!({"severity": "conformant"})).await;
    assert_problem(res, 412, "precondition-failed").await;
}

#[tokio::test]
async fn finalizing_opens_corrective_actions_with_their_deadlines() {
    let w = world().await;
    let (other_agency, stranger_auditor) = strangers(&w).await;
    let id = finalized_audit(&w).await;
    let list =
        w.app.ok(Method::GET, &format!("/v1/corrective-actions?assessment_id={id}"), &w.body.auditor, None).await;
    let actions = list["data"].as_array().unwrap();
    assert_eq!(actions.len(), 2, "one per minor, major or critical finding: {list}");
    let by_code = |code: &str| actions.iter().find(|a| a["criterion_code"] == code).unwrap().clone();
    let (minor, major) = (by_code("A.2"), by_code("C.2"));
    assert_eq!(minor["severity"], "minor");
    assert_eq!(minor["status"], "open");
    assert_eq!(minor["overdue"], false);
    // Finalized at the fixed clock's time (2026-01-05, one minute past 09:00): plan in 14 days,
    // closure in 365 (minor) or 90 (major).
    assert_eq!(minor["plan_due"], "2026-01-19T09:01:00Z");
    assert_eq!(minor["closure_due"], "2027-01-05T09:01:00Z");
    assert_eq!(major["plan_due"], "2026-01-19T09:01:00Z");
    assert_eq!(major["closure_due"], "2026-04-05T09:01:00Z");
    let major_path = format!("/v1/corrective-actions/{}", major["id"].as_str().unwrap());

    // The agency plans and shows evidence; an auditor of the body verifies or sends it back.
    let res = w.app.send(Method::POST, &format!("{major_path}/verify"), &w.body.auditor, None).await;
    assert_problem(res, 409, "conflict").await;
    let res = w
        .app
        .send(Method::POST, &format!("{major_path}/evidence"), &w.agency.token, Some(json!({"evidence": "receipts"})))
        .await;
    assert_problem(res, 409, "conflict").await;
    let planned = w
        .app
        .ok(Method::POST, &format!("{major_path}/plan"), &w.agency.token, Some(json!({"plan": "Refund all fees"})))
        .await;
    assert_eq!(planned["status"], "plan_submitted");
    let shown = w
        .app
        .ok(Method::POST, &format!("{major_path}/evidence"), &w.agency.token, Some(json!({"evidence": "5 receipts"})))
        .await;
    assert_eq!(shown["status"], "evidence_submitted");
    for token in [&w.agency.token, &w.body.certifier, &w.admin] {
        let res = w.app.send(Method::POST, &format!("{major_path}/verify"), token, None).await;
        assert_problem(res, 403, "forbidden").await;
    }
    let res = w.app.send(Method::POST, &format!("{major_path}/verify"), &stranger_auditor, None).await;
    assert_problem(res, 404, "not-found").await;
    let res =
        w.app.send(Method::POST, &format!("{major_path}/reject"), &w.body.auditor, Some(json!({"reason": " "}))).await;
    assert_problem(res, 422, "validation").await;
    let rejected = w
        .app
        .ok(
            Method::POST,
            &format!("{major_path}/reject"),
            &w.body.auditor,
            Some(json!({"reason": "2 receipts missing"})),
        )
        .await;
    assert_eq!(rejected["status"], "open");
    assert_eq!(rejected["rejection_reason"], "2 receipts missing");
    let res =
        w.app.send(Method::POST, &format!("{major_path}/plan"), &w.body.auditor, Some(json!({"plan": "x"}))).await;
    assert_problem(res, 403, "forbidden").await;
    w.app.ok(Method::POST, &format!("{major_path}/plan"), &w.agency.token, Some(json!({"plan": "Refund all 7"}))).await;
    w.app
        .ok(Method::POST, &format!("{major_path}/evidence"), &w.agency.token, Some(json!({"evidence": "7 receipts"})))
        .await;
    let verified = w.app.ok(Method::POST, &format!("{major_path}/verify"), &w.body.auditor, None).await;
    assert_eq!(verified["status"], "verified");
    assert!(verified["verified_at"].is_string());
    let res = w.app.send(Method::POST, &format!("{major_path}/verify"), &w.body.auditor, None).await;
    assert_problem(res, 409, "conflict").await;

    // Fifteen days on, the minor action still has no plan: overdue. The verified one is not.
    w.clock.advance(Duration::days(15));
    let overdue = w.app.ok(Method::GET, "/v1/corrective-actions?overdue=true", &w.body.auditor, None).await;
    let codes: Vec<&str> =
        overdue["data"].as_array().unwrap().iter().map(|a| a["criterion_code"].as_str().unwrap()).collect();
    assert_eq!(codes, vec!["A.2"]);
    assert_eq!(overdue["data"][0]["overdue"], true);
    let on_time = w.app.ok(Method::GET, "/v1/corrective-actions?overdue=false", &w.body.auditor, None).await;
    assert_eq!(on_time["data"].as_array().unwrap().len(), 1);
    let filtered =
        w.app.ok(Method::GET, "/v1/corrective-actions?severity=major&status=verified", &w.agency.token, None).await;
    assert_eq!(filtered["data"].as_array().unwrap().len(), 1);
    let filtered =
        w.app.ok(Method::GET, &format!("/v1/corrective-actions?agency_id={}", other_agency.id), &w.admin, None).await;
    assert_eq!(filtered["data"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn who_may_open_assessments() {
    let w = world().await;
    let (other_agency, stranger_auditor) = strangers(&w).await;
    let audit = |agency: &str, kind: &str| json!({"agency_id": agency, "kind": kind});
    // An auditor only for agencies that applied to its body; never a self-assessment.
    let res =
        w.app.send(Method::POST, "/v1/assessments", &w.body.auditor, Some(audit(&other_agency.id, "stage1"))).await;
    assert_problem(res, 403, "forbidden").await;
    let res = w.app.send(Method::POST, "/v1/assessments", &stranger_auditor, Some(audit(&w.agency.id, "stage1"))).await;
    assert_problem(res, 403, "forbidden").await;
    let res = w
        .app
        .send(Method::POST, "/v1/assessments", &w.body.auditor, Some(audit(&w.agency.id, "self_assessment")))
        .await;
    assert_problem(res, 403, "forbidden").await;
    // An agency only its own self-assessment.
    let res = w.app.send(Method::POST, "/v1/assessments", &w.agency.token, Some(audit(&w.agency.id, "stage2"))).await;
    assert_problem(res, 403, "forbidden").await;
    let res = w
        .app
        .send(Method::POST, "/v1/assessments", &w.agency.token, Some(audit(&other_agency.id, "self_assessment")))
        .await;
    assert_problem(res, 403, "forbidden").await;
    for token in [&w.admin, &w.body.certifier, &w.integrator] {
        let res = w.app.send(Method::POST, "/v1/assessments", token, Some(audit(&w.agency.id, "stage2"))).await;
        assert_problem(res, 403, "forbidden").await;
    }
    let res = w.app.send_anonymous(Method::POST, "/v1/assessments", Some(audit(&w.agency.id, "stage2"))).await;
    assert_problem(res, 401, "unauthorized").await;
    // Unknown agency, unknown or unpublished standard.
    let res = w.app.send(Method::POST, "/v1/assessments", &w.body.auditor, Some(audit(MISSING, "stage1"))).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["agency_id"]);
    let body = json!({"agency_id": w.agency.id, "kind": "stage1", "standard_version": "nope-9"});
    let res = w.app.send(Method::POST, "/v1/assessments", &w.body.auditor, Some(body)).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["standard_version"]);
    // Without a version the latest published one is used.
    let opened = w.app.ok(Method::POST, "/v1/assessments", &w.body.auditor, Some(audit(&w.agency.id, "stage1"))).await;
    assert_eq!(opened["standard_version"], "t-1.0");
    // A retry with the same idempotency key opens nothing new.
    let send = || {
        w.app
            .request(Method::POST, "/v1/assessments", Some(&w.body.auditor))
            .header("idempotency-key", "audit-2026-03")
            .json(&audit(&w.agency.id, "stage2"))
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
        .app
        .send(
            Method::POST,
            "/v1/assessments",
            &w.agency.token,
            Some(json!({"agency_id": w.agency.id, "kind": "self_assessment", "standard_version": "t-1.0"})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let id = res.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    assert_eq!(
        w.app.ok(Method::GET, &format!("/v1/assessments/{id}"), &w.agency.token, None).await["certification_body_id"],
        Value::Null
    );
    for code in ["A.1", "A.2", "C.1", "C.2"] {
        let path = format!("/v1/assessments/{id}/findings/{code}");
        // Auditors have no part in a self-assessment.
        let res = w.app.send(Method::PUT, &path, &w.body.auditor, Some(json!({"severity": "minor"}))).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        w.app.ok(Method::PUT, &path, &w.agency.token, Some(json!({"severity": "minor"}))).await;
    }
    w.app.ok(Method::POST, &format!("/v1/assessments/{id}/submit"), &w.agency.token, None).await;
    let done = w.app.ok(Method::POST, &format!("/v1/assessments/{id}/finalize"), &w.agency.token, None).await;
    assert_eq!(done["overall_score"], 50.0);
    assert_eq!(done["grade"], "D");
    let actions = w.app.ok(Method::GET, &format!("/v1/corrective-actions?assessment_id={id}"), &w.admin, None).await;
    assert_eq!(actions["data"], json!([]), "a self-assessment opens no corrective actions");
    let agency = w.app.ok(Method::GET, &format!("/v1/agencies/{}", w.agency.id), &w.admin, None).await;
    assert_eq!(agency["grade"], Value::Null);
}

#[tokio::test]
async fn each_role_sees_only_what_it_may() {
    let w = world().await;
    let (other_agency, stranger_auditor) = strangers(&w).await;
    let done = finalized_audit(&w).await;
    let draft = open_audit(&w).await;
    find(&w, &draft, "A.1", "critical").await;
    let get = |token: &String, id: &String| {
        let req = w.app.request(Method::GET, &format!("/v1/assessments/{id}"), Some(token));
        async move { req.send().await.unwrap() }
    };

    // The body's auditor and certifier, the agency itself and admins see findings.
    for token in [&w.body.auditor, &w.body.certifier, &w.agency.token, &w.admin] {
        for id in [&done, &draft] {
            let seen: Value = get(token, id).await.json().await.unwrap();
            assert!(seen["findings"].is_array(), "{seen}");
        }
        assert_eq!(w.app.send(Method::GET, &format!("/v1/assessments/{done}/score"), token, None).await.status(), 200);
    }
    // An integrator sees finalized scores and grades, never findings or drafts.
    let seen: Value = get(&w.integrator, &done).await.json().await.unwrap();
    assert_eq!(seen["grade"], "C");
    assert!(seen.get("findings").is_none(), "{seen}");
    assert_problem(get(&w.integrator, &draft).await, 404, "not-found").await;
    let res = w.app.send(Method::GET, &format!("/v1/assessments/{done}/score"), &w.integrator, None).await;
    assert_problem(res, 403, "forbidden").await;
    let listed = w.app.ok(Method::GET, "/v1/assessments", &w.integrator, None).await;
    assert_eq!(ids(&listed), vec![done.as_str()]);
    assert!(listed["data"][0].get("findings").is_none());
    let res = w.app.send(Method::GET, "/v1/corrective-actions", &w.integrator, None).await;
    assert_problem(res, 403, "forbidden").await;

    // Another body's auditor and another agency see nothing, not even that it exists.
    for token in [&stranger_auditor, &other_agency.token] {
        for id in [&done, &draft] {
            assert_problem(get(token, id).await, 404, "not-found").await;
            let res = w
                .app
                .send(
                    Method::PUT,
                    &format!("/v1/assessments/{id}/findings/A.1"),
                    token,
                    Some(json!({"severity": "conformant"})),
                )
                .await;
            assert_problem(res, 404, "not-found").await;
        }
        let listed = w.app.ok(Method::GET, "/v1/assessments", token, None).await;
        assert_eq!(listed["data"], json!([]));
        let actions = w.app.ok(Method::GET, "/v1/corrective-actions", token, None).await;
        assert_eq!(actions["data"], json!([]));
    }
    // The body's certifier and the agency see the audit but may not work on it.
    for token in [&w.body.certifier, &w.agency.token, &w.admin] {
        let res = w
            .app
            .send(
                Method::PUT,
                &format!("/v1/assessments/{draft}/findings/A.1"),
                token,
                Some(json!({"severity": "conformant"})),
            )
            .await;
        assert_problem(res, 403, "forbidden").await;
        let res = w.app.send(Method::POST, &format!("/v1/assessments/{draft}/submit"), token, None).await;
        assert_problem(res, 403, "forbidden").await;
    }
    // A preview score is there before finalization.
    let preview = w.app.ok(Method::GET, &format!("/v1/assessments/{draft}/score"), &w.body.auditor, None).await;
    assert_eq!(preview["fixed"], false);
    assert_eq!(preview["score"]["complete"], false);
    assert_eq!(preview["score"]["missing"], json!(["A.2", "C.1", "C.2"]));
    let listed = w
        .app
        .ok(Method::GET, &format!("/v1/assessments?status=draft&agency_id={}", w.agency.id), &w.body.auditor, None)
        .await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert_eq!(listed["data"][0]["progress"], json!({"recorded": 1, "total": 4}));
}
