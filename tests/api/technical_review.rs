//! Technical review before certify, reinstate and withdraw decisions (ISO/IEC 17021-1 §9.5):
//! who may review, which review a decision rests on, and the standard's three-people policy.

use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, UNREGISTERED_BODY, World, assert_problem, error_fields, test_standard};

fn certify(audit: &str) -> Value {
    json!({"action": "certify", "assessment_id": audit, "reason": "stage 2 passed"})
}

async fn refusal(res: reqwest::Response) -> String {
    assert_problem(res, 409, "conflict").await["detail"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn certify_needs_a_current_agreeing_review() {
    let w = World::at_start().await;
    w.apply_and_accept().await;
    let audit = w.audit("stage2", &[]).await;

    let detail = refusal(w.decide(&w.body.certifier, certify(&audit)).await).await;
    assert!(detail.contains("no technical review agrees to certify"), "{detail}");

    // Returned: reasons are required, and the file goes back.
    let res = w
        .app
        .send(
            Method::POST,
            &format!("/v1/assessments/{audit}/reviews"),
            &w.body.reviewer,
            Some(json!({"outcome": "returned"})),
        )
        .await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["reasons"]);
    let res = w
        .app
        .send(
            Method::POST,
            &format!("/v1/assessments/{audit}/reviews"),
            &w.body.reviewer,
            Some(json!({"outcome": "agree", "reasons": "  "})),
        )
        .await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["reasons"]);
    w.agree_audit(&audit).await;
    let returned = w.review_audit(&w.body.reviewer, &audit, "returned").await;
    assert_eq!(returned.status(), StatusCode::CREATED);
    let returned: Value = returned.json().await.unwrap();
    assert_eq!((returned["outcome"].as_str(), returned["decision"].as_str()), (Some("returned"), Some("certify")));
    assert_eq!(returned["reasons"], "reviewed: returned");
    let detail = refusal(w.decide(&w.body.certifier, certify(&audit)).await).await;
    assert!(detail.contains("returned the file"), "a later return supersedes the agreement: {detail}");

    w.agree_audit(&audit).await;
    let res = w.decide(&w.body.certifier, certify(&audit)).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());

    let reviews = w.app.ok(Method::GET, &format!("/v1/assessments/{audit}/reviews"), &w.body.certifier, None).await;
    let outcomes: Vec<&str> = reviews.as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes, ["agree", "returned", "agree"]);
    assert!(reviews[2]["used_at"].is_string(), "the decision spent the review it rested on: {reviews}");
    assert_eq!(reviews[0]["used_at"], Value::Null);

    // The audit's decision is taken: nothing left to review.
    let detail = refusal(w.review_audit(&w.body.reviewer, &audit, "agree").await).await;
    assert!(detail.contains("already supported"), "{detail}");

    // Each review is an event for the body and the agency, not for every integrator.
    let feed = w.app.get_json("/v1/events?limit=200", Some(&w.admin)).await;
    let recorded: Vec<&Value> =
        feed["data"].as_array().unwrap().iter().filter(|e| e["type"] == "certification.review_recorded").collect();
    assert_eq!(recorded.len(), 3);
    assert_eq!(recorded[1]["agency_id"], w.agency.id.as_str());
    assert_eq!(recorded[1]["certification_body_id"], w.body.id.as_str());
    let public = w.app.get_json("/v1/events?limit=200", Some(&w.integrator)).await;
    assert!(!public["data"].as_array().unwrap().iter().any(|e| e["type"] == "certification.review_recorded"));
}

#[tokio::test]
async fn who_may_review_an_audit() {
    let w = World::at_start().await;
    w.apply_and_accept().await;
    let audit = w.audit("stage2", &[]).await;

    // The lead auditor may not, nor the same person through a certifier client.
    let detail = refusal(w.review_audit(&w.body.auditor, &audit, "agree").await).await;
    assert!(detail.contains("four-eyes"), "{detail}");
    let same_person = w.app.staff_token(&w.admin, Role::Certifier, &w.body.id, &w.body.auditor_ref).await;
    assert!(refusal(w.review_audit(&same_person, &audit, "agree").await).await.contains("four-eyes"));
    // A client without a person reference is not taken to be someone else.
    let anonymous = w.app.token_for(Role::Certifier, Some(&w.body.id), None).await;
    assert!(refusal(w.review_audit(&anonymous, &audit, "agree").await).await.contains("four-eyes"));

    // Outside the body, or not its staff: 403.
    let other_body = w.app.token_for(Role::Certifier, Some(UNREGISTERED_BODY), None).await;
    for token in [&w.admin, &w.agency.token, &w.integrator, &other_body] {
        assert_problem(w.review_audit(token, &audit, "agree").await, 403, "forbidden").await;
    }
    let res = w.app.send(Method::GET, &format!("/v1/assessments/{audit}/reviews"), &w.agency.token, None).await;
    assert_problem(res, 403, "forbidden").await;
    assert_problem(w.review_audit(&w.body.reviewer, MISSING, "agree").await, 404, "not-found").await;
    let res = w.app.send(Method::GET, &format!("/v1/assessments/{MISSING}/reviews"), &w.admin, None).await;
    assert_problem(res, 404, "not-found").await;
    let res = w
        .app
        .send(
            Method::POST,
            &format!("/v1/assessments/{audit}/reviews"),
            &w.body.reviewer,
            Some(json!({"outcome": "maybe"})),
        )
        .await;
    assert_eq!(res.status().as_u16(), 422);

    // Another auditor of the body, who did not lead it, may: a competent reviewer of its own.
    let second_auditor = w.app.staff_token(&w.admin, Role::Auditor, &w.body.id, "B1-AUDITOR-2").await;
    assert_eq!(w.review_audit(&second_auditor, &audit, "agree").await.status(), StatusCode::CREATED);
    // Admins read every review.
    let listed = w.app.ok(Method::GET, &format!("/v1/assessments/{audit}/reviews"), &w.admin, None).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);

    // Only a finalized stage-2 or recertification audit supports a certification.
    let surveillance = w.audit("surveillance", &[]).await;
    assert!(refusal(w.review_audit(&w.body.reviewer, &surveillance, "agree").await).await.contains("surveillance"));
    let opened = w
        .app
        .open_assessment(
            &w.body.auditor,
            &json!({"agency_id": w.agency.id, "kind": "stage2",
        "methods": {"documents_reviewed": true, "worker_interviews": 20}}),
        )
        .await;
    assert!(refusal(w.review_audit(&w.body.reviewer, &opened, "agree").await).await.contains("not finalized"));
}

#[tokio::test]
async fn three_people_for_certify_but_the_reviewer_may_reinstate_by_default() {
    let w = World::at_start().await;
    w.apply_and_accept().await;
    let audit = w.audit("stage2", &[]).await;
    // The certifier reviews, then would decide: the default policy wants a third person.
    assert_eq!(w.review_audit(&w.body.certifier, &audit, "agree").await.status(), StatusCode::CREATED);
    let detail = refusal(w.decide(&w.body.certifier, certify(&audit)).await).await;
    assert!(detail.contains("three people"), "{detail}");
    w.agree_audit(&audit).await;
    assert_eq!(w.decide(&w.body.certifier, certify(&audit)).await.status(), StatusCode::OK);

    // Suspended by the admin; the certifier reviews the reinstatement and decides it itself.
    let suspend = json!({"action": "suspend", "reason": "fees reported"});
    assert_eq!(w.decide(&w.admin, suspend.clone()).await.status(), StatusCode::OK);
    let reinstate = json!({"action": "reinstate", "reason": "fees refunded"});
    let detail = refusal(w.decide(&w.body.certifier, reinstate.clone()).await).await;
    assert!(detail.contains("no technical review agrees to reinstate"), "{detail}");
    let res = w.review_certificate(&w.body.certifier, "reinstate", "agree").await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let review: Value = res.json().await.unwrap();
    assert_eq!(review["certificate_number"], w.certification().await["certificate"]["number"]);
    assert_eq!(w.decide(&w.body.certifier, reinstate.clone()).await.status(), StatusCode::OK);

    // A review supports one decision: the next suspension's reinstatement needs a new one.
    assert_eq!(w.decide(&w.admin, suspend).await.status(), StatusCode::OK);
    let detail = refusal(w.decide(&w.body.certifier, reinstate.clone()).await).await;
    assert!(detail.contains("already supported a decision"), "{detail}");
    // A returned withdrawal review blocks the admin's withdrawal too.
    assert_eq!(w.review_certificate(&w.body.reviewer, "withdraw", "returned").await.status(), StatusCode::CREATED);
    let withdraw = json!({"action": "withdraw", "reason": "fraud"});
    assert!(refusal(w.decide(&w.admin, withdraw.clone()).await).await.contains("returned"));
    w.agree_certificate("withdraw").await;
    assert_eq!(w.decide(&w.admin, withdraw).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_standard_may_let_the_reviewer_certify() {
    let w = World::at_start().await;
    let mut standard = test_standard();
    standard["decision_policy"] = json!({"reviewer_distinct_from_decider": []});
    assert_eq!(w.app.create_standard(&w.admin, &standard).await.status(), StatusCode::CREATED);
    let published = w.app.standard_transition(Some(&w.admin), "t-1.0", "publish").await;
    assert_eq!(published.status(), StatusCode::OK);
    let stored = w.app.get_json("/v1/standards/t-1.0", Some(&w.admin)).await;
    assert_eq!(stored["decision_policy"], json!({"reviewer_distinct_from_decider": [], "appeal_window_days": 30}));
    let default = w.app.get_json("/v1/standards/ers-1.0", Some(&w.admin)).await;
    assert_eq!(
        default["decision_policy"],
        json!({"reviewer_distinct_from_decider": ["certify"], "appeal_window_days": 30}),
        "a version stored without the policy reads the defaults"
    );
    let mut bad = test_standard();
    bad["version"] = json!("t-2.0");
    bad["decision_policy"] = json!({"appeal_window_days": 0});
    let res = w.app.create_standard(&w.admin, &bad).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["decision_policy.appeal_window_days"]);

    w.apply_and_accept().await;
    let audit = w.audit("stage2", &[]).await;
    assert_eq!(w.review_audit(&w.body.certifier, &audit, "agree").await.status(), StatusCode::CREATED);
    let res = w.decide(&w.body.certifier, certify(&audit)).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn certificate_reviews_name_a_decision_the_agency_can_take() {
    let w = World::at_start().await;
    let path = format!("/v1/agencies/{}/certification/reviews", w.agency.id);
    // No certificate yet.
    assert!(
        refusal(w.review_certificate(&w.body.reviewer, "withdraw", "agree").await).await.contains("no certificate")
    );
    w.certified().await;
    assert!(refusal(w.review_certificate(&w.body.reviewer, "reinstate", "agree").await).await.contains("certified"));
    // The lead of the audit the certificate rests on may not review a decision on it.
    let detail = refusal(w.review_certificate(&w.body.auditor, "withdraw", "agree").await).await;
    assert!(detail.contains("the certificate rests on"), "{detail}");
    let res = w.review_certificate(&w.body.reviewer, "certify", "agree").await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["decision"]);
    let res = w
        .app
        .send(
            Method::POST,
            &path,
            &w.body.reviewer,
            Some(json!({"decision": "withdraw", "outcome": "agree", "assessment_id": MISSING})),
        )
        .await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["assessment_id"]);
    // The lead of the audit a withdrawal rests on may not review it.
    let special = w.audit("special", &[("A.1", "minor")]).await;
    let res = w
        .app
        .send(
            Method::POST,
            &path,
            &w.body.auditor,
            Some(json!({"decision": "withdraw", "outcome": "agree", "assessment_id": special})),
        )
        .await;
    assert!(refusal(res).await.contains("four-eyes"));
    let res = w
        .app
        .send(
            Method::POST,
            &path,
            &w.body.reviewer,
            Some(json!({"decision": "withdraw", "outcome": "agree", "assessment_id": special})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);

    let other_body = w.app.token_for(Role::Certifier, Some(UNREGISTERED_BODY), None).await;
    for token in [&w.admin, &w.agency.token, &w.integrator, &other_body] {
        assert_problem(w.review_certificate(token, "withdraw", "agree").await, 403, "forbidden").await;
    }
    for token in [&w.agency.token, &w.integrator] {
        assert_problem(w.app.send(Method::GET, &path, token, None).await, 403, "forbidden").await;
    }
    let all = w.app.ok(Method::GET, &path, &w.admin, None).await;
    assert_eq!(all.as_array().unwrap().len(), 2, "the certify review and the withdrawal's");
    let own = w.app.ok(Method::GET, &path, &w.body.auditor, None).await;
    assert_eq!(own.as_array().unwrap().len(), 2);
    assert_eq!(w.app.ok(Method::GET, &path, &other_body, None).await, json!([]), "another body sees none");
    let res = w.app.send(Method::GET, &format!("/v1/agencies/{MISSING}/certification/reviews"), &w.admin, None).await;
    assert_problem(res, 404, "not-found").await;
    let res = w
        .app
        .send(
            Method::POST,
            &format!("/v1/agencies/{MISSING}/certification/reviews"),
            &w.body.reviewer,
            Some(json!({"decision": "withdraw", "outcome": "agree"})),
        )
        .await;
    assert_problem(res, 404, "not-found").await;
    let res = w
        .app
        .request(Method::POST, &path, None)
        .json(&json!({"decision": "withdraw", "outcome": "agree"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 401);
}
