//! The certification cycle over HTTP and by the sweeper, with a fixed clock walked across the
//! whole three-year cycle.

use chrono::{DateTime, Duration, Months, Utc};
use fairhire::clock::Clock;
use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    MISSING, UNREGISTERED_BODY, World, agency_body, assert_problem, error_fields, id, rfc3339, start,
};

#[tokio::test]
async fn applications_are_accepted_deferred_or_rejected_by_the_body() {
    let w = World::at_start().await;
    let path = format!("/v1/agencies/{}/applications", w.agency.id);
    let application =
        w.app.ok(Method::POST, &path, &w.agency.token, Some(json!({"certification_body_id": w.body.id}))).await;
    let decision = format!("/v1/applications/{}/decision", id(&application));

    let res = w.app.send(Method::POST, &decision, &w.body.certifier, Some(json!({"decision": "defer"}))).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["reason"]);
    for token in [&w.body.auditor, &w.integrator, &w.agency.token] {
        let res = w.app.send(Method::POST, &decision, token, Some(json!({"decision": "accept"}))).await;
        assert_problem(res, 403, "forbidden").await;
    }
    let other_body = w.app.token_for(Role::Certifier, Some(UNREGISTERED_BODY), None).await;
    let res = w.app.send(Method::POST, &decision, &other_body, Some(json!({"decision": "accept"}))).await;
    assert_problem(res, 403, "forbidden").await;

    let deferred = w
        .app
        .ok(
            Method::POST,
            &decision,
            &w.body.certifier,
            Some(json!({"decision": "defer", "reason": "send the licence"})),
        )
        .await;
    assert_eq!(deferred["status"], "deferred");
    assert_eq!(deferred["deferred_until"], "2026-03-06T09:00:00Z", "60 days to complete");
    // Still within the 60 days, a deferred application can be accepted.
    w.clock.advance(Duration::days(30));
    let accepted = w.app.ok(Method::POST, &decision, &w.body.certifier, Some(json!({"decision": "accept"}))).await;
    assert_eq!(accepted["status"], "accepted");
    let res = w
        .app
        .send(Method::POST, &decision, &w.body.certifier, Some(json!({"decision": "reject", "reason": "x"})))
        .await;
    assert_problem(res, 409, "conflict").await;
    let res = w
        .app
        .send(
            Method::POST,
            &format!("/v1/applications/{MISSING}/decision"),
            &w.admin,
            Some(json!({"decision": "accept"})),
        )
        .await;
    assert_problem(res, 404, "not-found").await;

    // A deferred application left alone lapses after 60 days.
    let other_agency = w.app.agency(&w.admin, 2).await;
    let path = format!("/v1/agencies/{}/applications", other_agency.id);
    let second =
        w.app.ok(Method::POST, &path, &other_agency.token, Some(json!({"certification_body_id": w.body.id}))).await;
    let decision = format!("/v1/applications/{}/decision", id(&second));
    w.app.ok(Method::POST, &decision, &w.admin, Some(json!({"decision": "defer", "reason": "incomplete"}))).await;
    w.clock.advance(Duration::days(59));
    assert_eq!(w.app.sweep().await.lapsed_applications, 0);
    w.clock.advance(Duration::days(2));
    assert_eq!(w.app.sweep().await.lapsed_applications, 1);
    assert_eq!(w.app.sweep().await.lapsed_applications, 0, "the sweep is idempotent");
    let res = w.app.send(Method::POST, &decision, &w.admin, Some(json!({"decision": "accept"}))).await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("lapsed"));
}

#[tokio::test]
async fn certification_needs_every_guard_and_four_eyes() {
    let w = World::at_start().await;
    // Never applied: certify is refused with the reason.
    let early = w
        .app
        .send(
            Method::POST,
            "/v1/assessments",
            &w.body.auditor,
            Some(json!({"agency_id": w.agency.id, "kind": "stage2"})),
        )
        .await;
    assert_problem(early, 403, "forbidden").await;
    w.apply_and_accept().await;
    let audit = w.audit("stage2", &[("B.2", "minor")]).await;
    let certify = |reason: &str| json!({"action": "certify", "assessment_id": audit, "reason": reason});

    // The minor finding's corrective action has no plan yet.
    let res = w.decide(&w.body.certifier, certify("ok")).await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("no plan"), "{problem}");
    let actions = w
        .app
        .ok(Method::GET, &format!("/v1/corrective-actions?agency_id={}", w.agency.id), &w.agency.token, None)
        .await;
    let action = actions["data"][0]["id"].as_str().unwrap().to_owned();
    w.app
        .ok(
            Method::POST,
            &format!("/v1/corrective-actions/{action}/plan"),
            &w.agency.token,
            Some(json!({"plan": "train staff"})),
        )
        .await;

    // The auditor who led the audit may not decide, even through a certifier client.
    let auditor_as_certifier = w.app.staff_token(&w.admin, Role::Certifier, &w.body.id, &w.body.auditor_ref).await;
    let res = w.decide(&auditor_as_certifier, certify("ok")).await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("four-eyes"), "{problem}");
    for token in [&w.body.auditor, &w.admin, &w.agency.token, &w.integrator] {
        assert_problem(w.decide(token, certify("ok")).await, 403, "forbidden").await;
    }
    let res = w.decide(&w.body.certifier, json!({"action": "certify", "reason": "no audit named"})).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["assessment_id"]);
    let res = w.decide(&w.body.certifier, json!({"action": "certify", "assessment_id": audit, "reason": "  "})).await;
    assert_problem(res, 422, "validation").await;

    // More than 6 months after the audit, it no longer supports a decision.
    w.clock.advance(Duration::days(200));
    let res = w.decide(&w.body.certifier, certify("late")).await;
    assert!(assert_problem(res, 409, "conflict").await["detail"].as_str().unwrap().contains("6 months"));
    w.clock.set(start() + Duration::days(10));

    w.agree_audit(&audit).await;
    let res = w.decide(&w.body.certifier, certify("stage 2 passed")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let now = w.clock.now();
    let view: Value = res.json().await.unwrap();
    assert_eq!(view["status"], "certified");
    let cert = &view["certificate"];
    assert!(cert["number"].as_str().unwrap().starts_with("FH-2026-"), "{cert}");
    assert_eq!(cert["valid_from"], rfc3339(now));
    assert_eq!(cert["valid_until"], rfc3339(now.checked_add_months(Months::new(36)).unwrap()));
    assert_eq!(cert["next_surveillance_due"], rfc3339(now.checked_add_months(Months::new(12)).unwrap()));
    let history = view["history"].as_array().unwrap();
    let steps: Vec<(&str, &str)> =
        history.iter().map(|h| (h["from"].as_str().unwrap(), h["to"].as_str().unwrap())).collect();
    assert_eq!(steps, vec![("never_certified", "applicant"), ("applicant", "certified")]);
    assert_eq!(history[1]["reason"], "stage 2 passed");
    assert_eq!(history[1]["certificate_number"], cert["number"]);

    // Illegal transitions say why.
    let res = w.decide(&w.body.certifier, json!({"action": "reinstate", "reason": "x"})).await;
    assert!(assert_problem(res, 409, "conflict").await["detail"].as_str().unwrap().contains("certified"));
    let res = w.decide(&w.body.certifier, certify("again")).await;
    assert!(assert_problem(res, 409, "conflict").await["detail"].as_str().unwrap().contains("recertification"));
    let agency: Value = w.app.ok(Method::GET, &format!("/v1/agencies/{}", w.agency.id), &w.integrator, None).await;
    assert_eq!(agency["certification_status"], "certified");
}

#[tokio::test]
async fn the_sweeper_suspends_withdraws_and_expires_across_the_cycle() {
    let w = World::at_start().await;
    w.certified().await;
    assert_eq!(w.app.sweep().await, Default::default(), "nothing to do right after certification");

    // Year 1: the surveillance audit is not done; 30 days of grace, then suspension.
    w.clock.advance(Duration::days(365 + 30));
    assert_eq!(w.app.sweep().await.suspended.len(), 0);
    w.clock.advance(Duration::days(2));
    assert_eq!(w.app.sweep().await.suspended, vec![w.agency.id.clone()]);
    assert_eq!(w.app.sweep().await, Default::default(), "idempotent");
    let view = w.certification().await;
    assert_eq!(view["status"], "suspended");
    let last = view["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["actor"].as_str(), last["rule"].as_str()), (Some("system"), Some("surveillance_overdue")));

    // Reinstatement waits for the cause to be resolved: the surveillance audit.
    let res = w.decide(&w.body.certifier, json!({"action": "reinstate", "reason": "audit booked"})).await;
    assert!(assert_problem(res, 409, "conflict").await["detail"].as_str().unwrap().contains("surveillance"));
    w.audit("surveillance", &[]).await;
    w.agree_certificate("reinstate").await;
    let view: Value = w
        .decide(&w.body.certifier, json!({"action": "reinstate", "reason": "surveillance done"}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["status"], "certified");
    assert_eq!(view["certificate"]["suspended_at"], Value::Null);
    let valid_until = view["certificate"]["valid_until"].clone();

    // Year 2: surveillance on time. A major finding's action left unverified past 90 days suspends.
    w.clock.advance(Duration::days(300));
    w.audit("surveillance", &[("G.1", "major")]).await;
    assert_eq!(w.certification().await["status"], "certified", "a major finding does not suspend by itself");
    w.clock.advance(Duration::days(91));
    let report = w.app.sweep().await;
    assert_eq!(report.suspended, vec![w.agency.id.clone()]);
    let last = w.certification().await["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["rule"], "overdue_corrective_action");

    // Six months suspended: withdrawn.
    w.clock.advance(Duration::days(182));
    assert_eq!(w.app.sweep().await.withdrawn.len(), 0);
    w.clock.advance(Duration::days(2));
    assert_eq!(w.app.sweep().await.withdrawn, vec![w.agency.id.clone()]);
    let view = w.certification().await;
    assert_eq!(view["status"], "withdrawn");
    assert_eq!(view["certificate"]["valid_until"], valid_until, "the original expiry stood throughout");
    let last = view["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((last["actor"].as_str(), last["rule"].as_str()), (Some("system"), Some("suspended_six_months")));

    // A withdrawn agency may start again.
    let path = format!("/v1/agencies/{}/applications", w.agency.id);
    w.app.ok(Method::POST, &path, &w.admin, Some(json!({"certification_body_id": w.body.id}))).await;
    assert_eq!(w.certification().await["status"], "applicant");
}

#[tokio::test]
async fn a_certificate_kept_up_expires_after_three_years() {
    let w = World::at_start().await;
    let view = w.certified().await;
    let valid_until: DateTime<Utc> = view["certificate"]["valid_until"].as_str().unwrap().parse().unwrap();
    for _ in 0..2 {
        w.clock.advance(Duration::days(360));
        w.audit("surveillance", &[]).await;
        assert_eq!(w.app.sweep().await, Default::default());
    }
    w.clock.set(valid_until - Duration::seconds(1));
    assert_eq!(w.app.sweep().await, Default::default());
    w.clock.set(valid_until);
    assert_eq!(w.app.sweep().await.expired, vec![w.agency.id.clone()]);
    assert_eq!(w.app.sweep().await, Default::default());
    let view = w.certification().await;
    assert_eq!(view["status"], "expired");
    let last = view["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["rule"], "certificate_expired");
    assert_eq!(last["from"], "certified");
}

#[tokio::test]
async fn a_critical_finding_suspends_at_once_and_decisions_by_hand_are_recorded() {
    let w = World::at_start().await;
    w.certified().await;
    w.clock.advance(Duration::days(40));
    w.audit("special", &[("D.1", "critical")]).await;
    let view = w.certification().await;
    assert_eq!(view["status"], "suspended");
    let last = view["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["rule"], "critical_finding");
    assert!(last["reason"].as_str().unwrap().contains("D.1"));

    // The admin withdraws by decision, with a reason; integrators see it at once.
    w.agree_certificate("withdraw").await;
    let res = w.decide(&w.admin, json!({"action": "withdraw", "reason": "passports found in the office safe"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let diligence =
        w.app.ok(Method::GET, &format!("/v1/agencies/{}/due-diligence", w.agency.id), &w.integrator, None).await;
    assert_eq!(diligence["certification_status"], "withdrawn");
    assert_eq!(diligence["risk_level"], "critical");
    let last = w.certification().await["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["reason"], "passports found in the office safe");
    assert_eq!(last["rule"], Value::Null);
    let res = w.decide(&w.admin, json!({"action": "suspend", "reason": "again"})).await;
    assert_problem(res, 409, "conflict").await;
}

#[tokio::test]
async fn due_diligence_answers_with_risk_and_reasons() {
    let w = World::at_start().await;
    let path = format!("/v1/agencies/{}/due-diligence", w.agency.id);
    let unknown = w.app.ok(Method::GET, &path, &w.integrator, None).await;
    assert_eq!(unknown["certification_status"], "never_certified");
    assert_eq!(unknown["risk_level"], "high");
    let reasons: Vec<&str> =
        unknown["risk_reasons"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert!(reasons.contains(&"never certified") && reasons.contains(&"no independent audit on record"), "{reasons:?}");
    assert_eq!(unknown["last_audit_at"], Value::Null);

    w.certified().await;
    let good = w.app.ok(Method::GET, &path, &w.integrator, None).await;
    assert_eq!(good["certification_status"], "certified");
    assert_eq!(good["grade"], "A");
    assert_eq!(good["latest_score"], 100.0);
    assert_eq!(good["risk_level"], "low");
    assert_eq!(good["risk_reasons"], json!([]));
    assert_eq!(good["last_audit_kind"], "stage2");
    assert!(good["certificate_number"].as_str().unwrap().starts_with("FH-"));
    assert_eq!(good["open_corrective_actions"], 0);

    // Nineteen months on, with no audit since, the last audit is stale.
    w.clock.advance(Duration::days(30 * 19));
    let stale = w.app.ok(Method::GET, &path, &w.integrator, None).await;
    assert_eq!(stale["risk_level"], "high");

    // Who may ask.
    for token in [&w.admin, &w.body.auditor, &w.body.certifier, &w.agency.token] {
        assert_eq!(w.app.send(Method::GET, &path, token, None).await.status(), StatusCode::OK);
    }
    let other = w.app.create_agency(&w.admin, &agency_body(3)).await;
    let other_path = format!("/v1/agencies/{}/due-diligence", id(&other));
    assert_problem(w.app.send(Method::GET, &other_path, &w.agency.token, None).await, 403, "forbidden").await;
    let res = w.app.send_anonymous(Method::GET, &path, None).await;
    assert_problem(res, 401, "unauthorized").await;
    let res = w.app.send(Method::GET, &format!("/v1/agencies/{MISSING}/due-diligence"), &w.admin, None).await;
    assert_problem(res, 404, "not-found").await;
    let res = w.app.send(Method::GET, &format!("/v1/agencies/{MISSING}/certification"), &w.admin, None).await;
    assert_problem(res, 404, "not-found").await;
}
