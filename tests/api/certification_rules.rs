//! The certification rules a worker relies on: a grave breach needs an auditor to see it end,
//! an audit supports one decision, accreditation and licences must be in force, a suspension
//! is lifted only when its cause is gone, surveillance falls on the anniversaries, and an ended
//! certificate is shown as ended.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{World, assert_problem, error_fields, id};

/// The agency answers the open corrective action on `code` and the body's auditor verifies it.
async fn close_action(w: &World, code: &str) {
    let list = format!("/v1/corrective-actions?agency_id={}&status=open", w.agency.id);
    let actions = w.app.ok(Method::GET, &list, &w.agency.token, None).await;
    let action = actions["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["criterion_code"] == code)
        .unwrap_or_else(|| panic!("an open action on {code}: {actions}"));
    let path = |step: &str| format!("/v1/corrective-actions/{}/{step}", id(action));
    w.app.ok(Method::POST, &path("plan"), &w.agency.token, Some(json!({"plan": "stop it"}))).await;
    w.app.ok(Method::POST, &path("evidence"), &w.agency.token, Some(json!({"evidence": "receipts"}))).await;
    let verified = w.app.ok(Method::POST, &path("verify"), &w.body.auditor, None).await;
    assert_eq!(verified["status"], "verified");
}

fn certify(audit: &str) -> Value {
    json!({"action": "certify", "assessment_id": audit, "reason": "stage 2 passed"})
}

/// The refusal's detail, which names every unmet condition.
async fn refusal(w: &World, token: &str, transition: Value) -> String {
    let problem = assert_problem(w.decide(token, transition).await, 409, "conflict").await;
    problem["detail"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_grave_finding_blocks_certification_until_a_follow_up_audit_sees_it_ended() {
    let w = World::at_start().await;
    w.apply_and_accept().await;
    // A fee charged (critical) and passports held (a major on a critical criterion); the score
    // stays above the minimum, so only the findings stand in the way.
    let stage2 = w.audit("stage2", &[("C.1", "critical"), ("D.1", "major")]).await;
    let detail = refusal(&w, &w.body.certifier, certify(&stage2)).await;
    assert!(detail.contains("2 major or critical corrective action(s) are not verified"), "{detail}");
    assert!(detail.contains("C.1 (critical finding of 2026-01-05, corrective action not verified yet)"), "{detail}");
    assert!(detail.contains("D.1 (major finding"), "{detail}");

    // Typed answers verified on paper are not enough.
    close_action(&w, "C.1").await;
    close_action(&w, "D.1").await;
    let detail = refusal(&w, &w.body.certifier, certify(&stage2)).await;
    assert!(detail.contains("C.1 (critical finding of 2026-01-05, corrective action verified)"), "{detail}");
    assert!(!detail.contains("not verified"), "{detail}");

    // A follow-up that still finds D.1 wanting clears C.1 only.
    w.clock.advance(Duration::days(10));
    w.audit("follow_up", &[("D.1", "minor")]).await;
    let detail = refusal(&w, &w.body.certifier, certify(&stage2)).await;
    assert!(detail.contains("D.1") && !detail.contains("C.1 ("), "{detail}");
    // The minor finding of the follow-up needs a plan, like any other.
    assert!(detail.contains("1 minor corrective action(s) have no plan yet"), "{detail}");

    w.clock.advance(Duration::days(10));
    w.audit("follow_up", &[]).await;
    close_action(&w, "D.1").await;
    w.agree_audit(&stage2).await;
    let res = w.decide(&w.body.certifier, certify(&stage2)).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
}

#[tokio::test]
async fn an_audit_supports_one_decision_and_a_race_has_one_winner() {
    let w = World::at_start().await;
    w.apply_and_accept().await;
    let stage2 = w.audit("stage2", &[]).await;
    // Five certifiers' requests at once: exactly one certificate, on both backends.
    w.agree_audit(&stage2).await;
    let attempts = (0..5).map(|_| w.decide(&w.body.certifier, certify(&stage2)));
    let statuses: Vec<u16> =
        futures_util::future::join_all(attempts).await.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == 200 || *s == 409), "{statuses:?}");
    let first = w.certification().await;
    let issued = first["history"].as_array().unwrap().iter().filter(|t| t["to"] == "certified").count();
    assert_eq!(issued, 1);

    // Certified again only on a recertification audit, and that audit only once. Decided before
    // expiry, the new cycle continues from the old end.
    w.clock.advance(Duration::days(2 * 365 + 300));
    let detail = refusal(&w, &w.body.certifier, certify(&stage2)).await;
    assert!(detail.contains("already supported"), "{detail}");
    let recertification = w.audit("recertification", &[]).await;
    w.agree_audit(&recertification).await;
    let renewed = w.decide(&w.body.certifier, certify(&recertification)).await;
    assert_eq!(renewed.status(), StatusCode::OK);
    let renewed: Value = renewed.json().await.unwrap();
    assert_eq!(renewed["certificate"]["valid_until"], "2032-01-05T09:00:00Z", "{renewed}");
    assert_eq!(renewed["certificate"]["next_surveillance_due"], "2030-01-05T09:00:00Z");
    assert_ne!(renewed["certificate"]["number"], first["certificate"]["number"]);
    let detail = refusal(&w, &w.body.certifier, certify(&recertification)).await;
    assert!(detail.contains("already supported"), "{detail}");
}

#[tokio::test]
async fn accreditation_must_be_in_force_to_audit_finalize_and_certify() {
    let w = World::at_start().await;
    w.apply_and_accept().await;
    let body_path = format!("/v1/certification-bodies/{}", w.body.id);
    let lapse = |until: &str| json!({"accredited_until": until});
    // An accreditation that ended in 2020: no audit can be opened under it.
    w.app.ok(Method::PATCH, &body_path, &w.admin, Some(lapse("2020-12-31"))).await;
    let opening = json!({"agency_id": w.agency.id, "kind": "stage2"});
    let res = w.app.send(Method::POST, "/v1/assessments", &w.body.auditor, Some(opening.clone())).await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("ended on 2020-12-31"), "{problem}");
    // Nor can the body take an application.
    let newcomer = w.app.agency(&w.admin, 2).await;
    let res = w.app.apply(Some(&newcomer.token), &newcomer.id, &w.body.id).await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("cannot take applications"), "{problem}");

    // Nor finalized once the body is suspended.
    w.app.ok(Method::PATCH, &body_path, &w.admin, Some(json!({"accredited_until": null}))).await;
    let opened = w.app.post_created("/v1/assessments", &w.body.auditor, &opening).await;
    let draft = id(&opened).to_owned();
    let standard = w.app.get_json("/v1/standards/ers-1.0", Some(&w.admin)).await;
    for criterion in standard["criteria"].as_array().unwrap() {
        let code = criterion["code"].as_str().unwrap();
        w.app.record_finding(&w.body.auditor, &draft, code, "conformant").await;
    }
    w.app.ok(Method::POST, &format!("/v1/assessments/{draft}/submit"), &w.body.auditor, None).await;
    w.app.ok(Method::PATCH, &body_path, &w.admin, Some(json!({"accreditation_status": "suspended"}))).await;
    let res = w.app.send(Method::POST, &format!("/v1/assessments/{draft}/finalize"), &w.body.auditor, None).await;
    assert!(assert_problem(res, 409, "conflict").await["detail"].as_str().unwrap().contains("not accredited"));

    // Nor used to certify.
    w.app.ok(Method::PATCH, &body_path, &w.admin, Some(json!({"accreditation_status": "accredited"}))).await;
    w.app.ok(Method::POST, &format!("/v1/assessments/{draft}/finalize"), &w.body.auditor, None).await;
    w.app.ok(Method::PATCH, &body_path, &w.admin, Some(lapse("2026-01-04"))).await;
    let detail = refusal(&w, &w.body.certifier, certify(&draft)).await;
    assert!(detail.contains("ended on 2026-01-04"), "{detail}");

    // A certificate issued while accredited stays valid when the accreditation lapses, and due
    // diligence says so.
    w.app.ok(Method::PATCH, &body_path, &w.admin, Some(json!({"accredited_until": null}))).await;
    w.agree_audit(&draft).await;
    let res = w.decide(&w.body.certifier, certify(&draft)).await;
    assert_eq!(res.status(), StatusCode::OK);
    w.app.ok(Method::PATCH, &body_path, &w.admin, Some(json!({"accreditation_status": "withdrawn"}))).await;
    let dd = w.app.get_json(&format!("/v1/agencies/{}/due-diligence", w.agency.id), Some(&w.integrator)).await;
    assert_eq!(dd["certification_status"], "certified");
    let reasons = dd["risk_reasons"].to_string();
    assert!(reasons.contains("the certificate stands, but") && reasons.contains("not accredited (withdrawn)"), "{dd}");
}

#[tokio::test]
async fn reinstatement_needs_the_cause_of_suspension_gone() {
    let w = World::at_start().await;
    w.certified().await;
    // A short-notice audit finds documents held: the certificate is suspended at once.
    w.clock.advance(Duration::days(30));
    w.audit("special", &[("D.1", "critical")]).await;
    assert_eq!(w.certification().await["status"], "suspended");
    let reinstate = json!({"action": "reinstate", "reason": "documents returned"});
    let detail = refusal(&w, &w.body.certifier, reinstate.clone()).await;
    assert!(detail.contains("1 major or critical corrective action(s) are not verified"), "{detail}");
    assert!(detail.contains("D.1 (critical finding"), "{detail}");

    close_action(&w, "D.1").await;
    let detail = refusal(&w, &w.body.certifier, reinstate.clone()).await;
    assert!(detail.contains("D.1 (critical finding") && detail.contains("verified)"), "{detail}");

    w.clock.advance(Duration::days(5));
    w.audit("follow_up", &[]).await;
    w.agree_certificate("reinstate").await;
    let res = w.decide(&w.body.certifier, reinstate).await;
    assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    let certification: Value = res.json().await.unwrap();
    assert_eq!(certification["status"], "certified");
    assert_eq!(certification["certificate"]["valid_until"], "2029-01-05T09:00:00Z", "the original expiry stands");
}

#[tokio::test]
async fn a_surveillance_audit_satisfies_the_next_anniversary_only_when_not_too_early() {
    let w = World::at_start().await;
    w.certified().await;
    // On the day of certification: no surveillance of the year to come.
    w.audit("surveillance", &[]).await;
    assert_eq!(w.certification().await["certificate"]["next_surveillance_due"], "2027-01-05T09:00:00Z");
    // Ten months on (two early): it counts for the first anniversary, and only that one.
    w.clock.advance(Duration::days(304));
    w.audit("surveillance", &[]).await;
    assert_eq!(w.certification().await["certificate"]["next_surveillance_due"], "2028-01-05T09:00:00Z");
    w.audit("surveillance", &[]).await;
    assert_eq!(w.certification().await["certificate"]["next_surveillance_due"], "2028-01-05T09:00:00Z");
}

#[tokio::test]
async fn an_expired_licence_is_critical_blocks_certification_and_suspends() {
    let w = World::at_start().await;
    let agency_path = format!("/v1/agencies/{}", w.agency.id);
    let licence = |until: &str| {
        json!({"licence": {"number": "DoFE-1/2075", "issuing_authority": "Department of Foreign Employment",
            "country": "NP", "valid_until": until, "verified_at": "2026-01-02T10:00:00Z",
            "verified_by": "GEA-0042", "source": "https://dofe.gov.np/agencies"}})
    };
    let dd_path = format!("/v1/agencies/{}/due-diligence", w.agency.id);
    w.app.ok(Method::PATCH, &agency_path, &w.admin, Some(licence("2020-06-30"))).await;
    let dd = w.app.get_json(&dd_path, Some(&w.integrator)).await;
    assert_eq!(dd["risk_level"], "critical");
    assert_eq!(dd["risk_reasons"][0]["reason"], "the licence to recruit expired on 2020-06-30");
    assert_eq!(dd["licence_valid_until"], "2020-06-30");
    // Who checked it, when and where, is public; the agency itself may not change it.
    let public = w.app.get_json(&format!("/v1/public/agencies/{}", w.agency.id), None).await;
    assert_eq!(public["licence"]["source"], "https://dofe.gov.np/agencies");
    assert_eq!(public["licence"]["verified_at"], "2026-01-02T10:00:00Z");
    let res = w.app.send(Method::PATCH, &agency_path, &w.agency.token, Some(licence("2030-06-30"))).await;
    assert_problem(res, 403, "forbidden").await;

    w.apply_and_accept().await;
    let stage2 = w.audit("stage2", &[]).await;
    let detail = refusal(&w, &w.body.certifier, certify(&stage2)).await;
    assert_eq!(detail, "the agency's licence expired on 2020-06-30");
    w.app.ok(Method::PATCH, &agency_path, &w.admin, Some(licence("2026-02-28"))).await;
    w.agree_audit(&stage2).await;
    assert_eq!(w.decide(&w.body.certifier, certify(&stage2)).await.status(), StatusCode::OK);

    // The licence runs out while certified: the sweep suspends, and a renewed licence lets the
    // certifier reinstate.
    w.clock.advance(Duration::days(54));
    assert_eq!(w.app.sweep().await.suspended, Vec::<String>::new(), "valid through its last day");
    w.clock.advance(Duration::days(1));
    assert_eq!(w.app.sweep().await.suspended, vec![w.agency.id.clone()]);
    let last = w.certification().await["history"].as_array().unwrap().last().cloned().unwrap();
    assert_eq!(
        (&last["rule"], &last["reason"]),
        (&json!("licence_expired"), &json!("the agency's licence expired on 2026-02-28 while certified"))
    );
    let reinstate = json!({"action": "reinstate", "reason": "licence renewed"});
    let detail = refusal(&w, &w.body.certifier, reinstate.clone()).await;
    assert!(detail.contains("licence expired on 2026-02-28; record a valid licence first"), "{detail}");
    w.app.ok(Method::PATCH, &agency_path, &w.admin, Some(licence("2029-02-28"))).await;
    w.agree_certificate("reinstate").await;
    assert_eq!(w.decide(&w.body.certifier, reinstate).await.status(), StatusCode::OK);
    let attestation =
        w.app.send_anonymous(Method::GET, &format!("/v1/public/agencies/{}/attestation", w.agency.id), None).await;
    let jws = attestation.text().await.unwrap();
    // The signature is checked by the attestation tests; here only the claims matter.
    let payload = jws.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    assert_eq!(claims["status"]["licence_valid_until"], "2029-02-28");
}

#[tokio::test]
async fn an_ended_certificate_is_shown_as_ended_with_its_date_and_reason() {
    let w = World::at_start().await;
    w.certified().await;
    w.clock.advance(Duration::days(40));
    let withdraw = json!({"action": "withdraw", "reason": "workers' passports found in the office safe"});
    w.agree_certificate("withdraw").await;
    assert_eq!(w.decide(&w.body.certifier, withdraw).await.status(), StatusCode::OK);
    let dd = w.app.get_json(&format!("/v1/agencies/{}/due-diligence", w.agency.id), Some(&w.integrator)).await;
    assert_eq!((&dd["certificate_number"], &dd["certificate_valid_until"]), (&Value::Null, &Value::Null), "{dd}");
    let ended = json!({"state": "ended", "ended_at": "2026-02-14T09:00:00Z",
        "end_reason": "workers' passports found in the office safe"});
    for (key, value) in ended.as_object().unwrap() {
        assert_eq!(&dd["certificate"][key], value, "{dd}");
    }
    let public = w.app.get_json(&format!("/v1/public/agencies/{}", w.agency.id), None).await;
    assert_eq!(public["certification_status"], "withdrawn");
    for (key, value) in ended.as_object().unwrap() {
        assert_eq!(&public["certificate"][key], value, "{public}");
    }
}

#[tokio::test]
async fn fees_belong_to_breaches_and_dates_must_be_plausible() {
    let w = World::at_start().await;
    w.apply_and_accept().await;
    let opened = w
        .app
        .post_created("/v1/assessments", &w.body.auditor, &json!({"agency_id": w.agency.id, "kind": "stage2"}))
        .await;
    let path = format!("/v1/assessments/{}/findings/C.1", id(&opened));
    let fee = json!([{"category": "recruitment_fee", "amount_minor": 1500000, "currency": "NPR"}]);
    for severity in ["conformant", "observation", "not_applicable"] {
        let res =
            w.app.send(Method::PUT, &path, &w.body.auditor, Some(json!({"severity": severity, "fees": fee}))).await;
        assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["fees"], "{severity}");
    }
    let res = w.app.send(Method::PUT, &path, &w.body.auditor, Some(json!({"severity": "minor", "fees": fee}))).await;
    assert_eq!(res.status(), StatusCode::OK);

    let agency_path = format!("/v1/agencies/{}", w.agency.id);
    for until in ["0000-01-01", "1899-12-31", "2201-01-01"] {
        let licence = json!({"licence": {"number": "DoFE-1/2075", "issuing_authority": "Department of Foreign Employment", "country": "NP", "valid_until": until}});
        let res = w.app.send(Method::PATCH, &agency_path, &w.admin, Some(licence)).await;
        assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["licence.valid_until"], "{until}");
    }
    let res = w
        .app
        .send(
            Method::PATCH,
            &format!("/v1/certification-bodies/{}", w.body.id),
            &w.admin,
            Some(json!({"accredited_until": "1800-01-01"})),
        )
        .await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["accredited_until"]);
    // Who and where need a when.
    let licence = json!({"licence": {"number": "DoFE-1/2075", "issuing_authority": "Department of Foreign Employment", "country": "NP", "source": "register"}});
    let res = w.app.send(Method::PATCH, &agency_path, &w.admin, Some(licence)).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["licence"]);
}

#[tokio::test]
async fn four_eyes_are_not_assumed_for_a_client_without_a_person() {
    let w = World::at_start().await;
    w.apply_and_accept().await;
    let stage2 = w.audit("stage2", &[]).await;
    // A certifier client stored before person_ref was required: nothing shows it is not the
    // auditor who led the audit.
    let anonymous = w.app.token_for(fairhire::domain::roles::Role::Certifier, Some(&w.body.id), None).await;
    let detail = refusal(&w, &anonymous, certify(&stage2)).await;
    assert!(detail.contains("four-eyes"), "{detail}");
    w.agree_audit(&stage2).await;
    assert_eq!(w.decide(&w.body.certifier, certify(&stage2)).await.status(), StatusCode::OK);
}
