//! Bulk verification (`POST /v1/verifications`): every outcome in request order, JSON and CSV,
//! the attestation checked offline as a relying party would, the permission matrix, the rate
//! limit's cost, and agreement with the due-diligence summary.

use chrono::Duration;
use fairhire::domain::roles::Role;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{
    Agency, ForcedCertificate, MISSING, TestApp, World, agency_body, assert_problem, error_fields, id, start,
};

const PATH: &str = "/v1/verifications";

/// Posts `body` as JSON with `token`; asserts a 200 and returns the answer.
async fn verify(app: &TestApp, token: &str, body: Value) -> Value {
    let res = app.send(Method::POST, PATH, token, Some(body)).await;
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).unwrap()
}

fn outcomes(answer: &Value) -> Vec<&str> {
    answer["results"].as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect()
}

/// The world's body certifies the agency `n` on a clean stage-2 audit; returns the agency and
/// the audit.
async fn certified_agency(w: &World, n: u32) -> (Agency, String) {
    let agency = w.app.agency_that_applied(&w.admin, n, &w.body).await;
    let audit = w.app.finalized_audit(&agency, &w.body, "stage2", &[]).await;
    let review = json!({"outcome": "agree"});
    w.app.post_created(&format!("/v1/assessments/{audit}/reviews"), &w.body.reviewer, &review).await;
    let certify = json!({"action": "certify", "assessment_id": audit, "reason": "clean stage 2"});
    decide(w, &w.body.certifier, &agency.id, certify).await;
    (agency, audit)
}

async fn decide(w: &World, token: &str, agency_id: &str, transition: Value) {
    let path = format!("/v1/agencies/{agency_id}/certification/transitions");
    w.app.ok(Method::POST, &path, token, Some(transition)).await;
}

#[tokio::test]
async fn every_outcome_is_answered_in_request_order_with_repeats_and_mixed_lookups() {
    let w = World::at_start().await;
    w.certified().await; // agency 1
    let never = w.app.agency(&w.admin, 2).await;
    let applicant = w.app.agency_that_applied(&w.admin, 3, &w.body).await;
    let (suspended, _) = certified_agency(&w, 4).await;
    decide(&w, &w.admin, &suspended.id, json!({"action": "suspend", "reason": "overdue fee refund"})).await;
    let (withdrawn, _) = certified_agency(&w, 5).await;
    let review = json!({"decision": "withdraw", "outcome": "agree"});
    w.app
        .post_created(&format!("/v1/agencies/{}/certification/reviews", withdrawn.id), &w.body.reviewer, &review)
        .await;
    decide(&w, &w.admin, &withdrawn.id, json!({"action": "withdraw", "reason": "fraud"})).await;
    // Certified, but the certificate's validity ran out before any sweep recorded it.
    let (lapsed, audit) = certified_agency(&w, 6).await;
    let certificate = ForcedCertificate {
        agency_id: lapsed.id.clone(),
        number: "FH-2023-LAPSED01".into(),
        certification_body_id: w.body.id.clone(),
        assessment_id: audit,
        valid_from: start() - Duration::days(3 * 365),
        valid_until: start() - Duration::days(1),
        next_surveillance_due: start() + Duration::days(1),
    };
    w.app.force_certification(&certificate, "certified").await;

    let items = json!([
        {"reference": "certified by id", "agency_id": w.agency.id},
        {"reference": "never by licence", "licence_country": "np", "licence_number": " dofe-2/2075 "},
        {"agency_id": MISSING},
        {"agency_id": applicant.id},
        {"licence_country": "NP", "licence_number": "DoFE-4/2075"},
        {"agency_id": withdrawn.id.to_uppercase()},
        {"agency_id": lapsed.id},
        {"name": "himalayan MANPOWER", "country": "QA"},
        {"name": "Overseas Himalayan Manpower 2 Pvt. Ltd.", "country": "AE"},
        {"name": "Gulf Star Recruiters", "country": "NP"},
        {"name": "Himalayan Overseas Manpower 1", "country": "SA"},
        {"reference": "broken", "licence_country": "NP"},
        {"licence_country": "NP", "licence_number": "DoFE-999/2075"},
        {"reference": "certified again", "agency_id": w.agency.id}
    ]);
    let answer = verify(&w.app, &w.integrator, json!({ "items": items })).await;
    assert_eq!(
        outcomes(&answer),
        [
            "found",
            "never_certified",
            "not_found",
            "never_certified",
            "suspended",
            "withdrawn",
            "expired",
            "ambiguous",
            "never_certified",
            "not_found",
            "not_found",
            "invalid",
            "not_found",
            "found"
        ]
    );
    let results = answer["results"].as_array().unwrap();
    assert_eq!(answer["count"], 14);
    for (i, result) in results.iter().enumerate() {
        assert_eq!(result["request_index"], i);
        assert_eq!(result["reference"], items[i].get("reference").cloned().unwrap_or(Value::Null));
    }
    let lookups: Vec<&Value> = results.iter().map(|r| &r["lookup"]).collect();
    assert_eq!(lookups[..3], [&json!("agency_id"), &json!("licence"), &json!("agency_id")]);
    assert_eq!((lookups[7], lookups[11]), (&json!("name"), &Value::Null));

    // A found agency: who it is and where it stands, as of the service's clock.
    let found = &results[0]["agency"];
    assert_eq!(found["id"], w.agency.id.as_str());
    assert_eq!(found["legal_name"], "Himalayan Overseas Manpower 1");
    assert_eq!(
        (found["licence_country"].as_str(), found["licence_number"].as_str()),
        (Some("NP"), Some("DoFE-1/2075"))
    );
    assert_eq!(found["certification_status"], "certified");
    assert_eq!(found["grade"], "A");
    assert_eq!(found["risk_level"], "low");
    assert_eq!(found["licence_valid_today"], true);
    assert_eq!(found["certificate"]["state"], "in_force");
    assert_eq!(found["certificate"]["valid_today"], true);
    assert_eq!(results[13]["agency"], *found, "a repeated item gets the same answer");

    // Never certified: no certificate; withdrawn and suspended: theirs, not valid today.
    assert_eq!(results[1]["agency"]["id"], never.id.as_str());
    assert_eq!(results[1]["agency"]["certificate"], Value::Null);
    assert_eq!(results[1]["agency"]["risk_level"], "high");
    assert_eq!(results[4]["agency"]["certificate"]["state"], "suspended");
    assert_eq!(results[4]["agency"]["certificate"]["valid_today"], false);
    assert_eq!(results[5]["agency"]["id"], withdrawn.id.as_str(), "an id in any UUID form");
    assert_eq!(results[5]["agency"]["certificate"]["state"], "ended");
    assert_eq!(results[5]["agency"]["certificate"]["end_reason"], "fraud");
    assert_eq!(results[6]["agency"]["certification_status"], "certified");
    assert_eq!(results[6]["agency"]["certificate"]["valid_today"], false);

    // A loose name: every agency serving QA is a candidate, best first, capped at 5.
    let candidates = results[7]["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 5);
    assert!(candidates.iter().all(|c| c["similarity"] == 0.75), "{candidates:?}");
    assert_eq!(candidates[0]["agency_id"], w.agency.id.as_str(), "ties in registration order");
    assert_eq!(results[7]["agency"], Value::Null);
    // A name the same once word order and legal form are set aside is a match.
    assert_eq!(results[8]["agency"]["id"], never.id.as_str());
    assert_eq!(results[8]["name_similarity"], 1.0);

    // An invalid item says what is wrong; the others were answered all the same.
    assert_eq!(
        results[11]["errors"],
        json!([{"field": "items[11].licence_number", "message": "is required with licence_country"}])
    );
    for result in results.iter().filter(|r| r["outcome"] != "invalid") {
        assert_eq!(result["errors"], json!([]));
    }
}

#[tokio::test]
async fn a_verification_and_the_due_diligence_summary_agree() {
    let w = World::at_start().await;
    w.certified().await;
    // A minor finding whose plan is never sent, a substantiated report, an expired licence.
    let late = w.app.agency_that_applied(&w.admin, 2, &w.body).await;
    w.app.finalized_audit(&late, &w.body, "stage2", &[("A.1", "minor"), ("B.1", "major")]).await;
    let reported = w.app.agency(&w.admin, 3).await;
    let report = w
        .app
        .send_anonymous(
            Method::POST,
            "/v1/public/reports",
            Some(json!({
                "category": "recruitment_fee", "agency_id": reported.id, "description": "paid a fee"
            })),
        )
        .await;
    assert_eq!(report.status(), StatusCode::CREATED);
    let reports = w.app.get_json("/v1/reports", Some(&w.admin)).await;
    let report_path = format!("/v1/reports/{}", id(&reports["data"][0]));
    for state in ["under_review", "substantiated"] {
        let decision = json!({"state": state, "reason": "checked", "reason_shareable": false});
        w.app.ok(Method::PATCH, &report_path, &w.admin, Some(decision)).await;
    }
    let mut lapsed_licence = agency_body(4);
    lapsed_licence["licence"]["valid_until"] = json!("2025-12-31");
    let lapsed = w.app.create_agency(&w.admin, &lapsed_licence).await;
    // The certifying body's accreditation lapses: a reason on the agency it certified.
    let body_path = format!("/v1/certification-bodies/{}", w.body.id);
    w.app.ok(Method::PATCH, &body_path, &w.admin, Some(json!({"accredited_until": "2026-01-20"}))).await;
    w.clock.advance(Duration::days(40));

    let ids = [w.agency.id.as_str(), late.id.as_str(), reported.id.as_str(), id(&lapsed), MISSING];
    let items: Vec<Value> = ids.iter().map(|id| json!({"agency_id": id})).collect();
    let answer = verify(&w.app, &w.integrator, json!({ "items": items })).await;
    for (result, agency_id) in answer["results"].as_array().unwrap().iter().zip(&ids[..4]) {
        let summary = w.app.get_json(&format!("/v1/agencies/{agency_id}/due-diligence"), Some(&w.integrator)).await;
        let agency = &result["agency"];
        assert!(!summary["risk_reasons"].as_array().unwrap().is_empty() || summary["risk_level"] == "low");
        for (ours, theirs) in [
            ("risk_level", "risk_level"),
            ("risk_reasons", "risk_reasons"),
            ("certification_status", "certification_status"),
            ("grade", "grade"),
            ("licence_valid_until", "licence_valid_until"),
        ] {
            assert_eq!(agency[ours], summary[theirs], "{agency_id}: {ours}");
        }
        let certificate = agency["certificate"].as_object().map(|c| {
            let mut c = c.clone();
            c.remove("valid_today");
            Value::Object(c)
        });
        assert_eq!(certificate.unwrap_or(Value::Null), summary["certificate"], "{agency_id}: certificate");
    }
    let risk: Vec<&Value> =
        answer["results"].as_array().unwrap()[..4].iter().map(|r| &r["agency"]["risk_level"]).collect();
    assert_eq!(risk, [&json!("medium"), &json!("high"), &json!("high"), &json!("critical")], "{answer:#}");
    let late_reasons = answer["results"][1]["agency"]["risk_reasons"].to_string();
    assert!(late_reasons.contains("major corrective action(s) overdue"), "{late_reasons}");
    assert!(late_reasons.contains("minor corrective action(s) overdue"), "{late_reasons}");
    assert!(answer["results"][0]["agency"]["risk_reasons"].to_string().contains("accreditation"));
    assert_eq!(answer["results"][3]["agency"]["licence_valid_today"], false);
}

#[tokio::test]
async fn a_thousand_items_are_answered_and_more_or_none_refused() {
    let w = World::at_start().await;
    let other = w.app.agency(&w.admin, 2).await;
    let items: Vec<Value> = (0..1000)
        .map(|i| match i % 4 {
            0 => json!({"agency_id": w.agency.id, "reference": format!("r{i}")}),
            1 => json!({"licence_country": "NP", "licence_number": "DoFE-2/2075", "reference": format!("r{i}")}),
            2 => json!({"agency_id": MISSING, "reference": format!("r{i}")}),
            _ => json!({"name": "Himalayan Overseas Manpower 2", "country": "NP", "reference": format!("r{i}")}),
        })
        .collect();
    let answer = verify(&w.app, &w.integrator, json!({ "items": items })).await;
    let results = answer["results"].as_array().unwrap();
    assert_eq!(results.len(), 1000);
    for (i, result) in results.iter().enumerate() {
        assert_eq!(
            (result["request_index"].as_u64(), result["reference"].as_str()),
            (Some(i as u64), Some(format!("r{i}").as_str()))
        );
        let expected = match i % 4 {
            0 => Some(w.agency.id.as_str()),
            2 => None,
            _ => Some(other.id.as_str()),
        };
        assert_eq!(result["agency"]["id"].as_str(), expected, "{result}");
    }

    let mut too_many = items.clone();
    too_many.push(json!({"agency_id": MISSING}));
    for body in [json!({ "items": too_many }), json!({"items": []})] {
        let res = w.app.send(Method::POST, PATH, &w.integrator, Some(body)).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(error_fields(&problem), ["items"]);
    }
    let csv = format!("agency_id\n{}", format!("{MISSING}\n").repeat(1001));
    let res = w.app.send_raw(Method::POST, PATH, &w.integrator, "text/csv", csv).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), ["items"]);
    // The body's shape is still the request's: an unknown field is refused whole.
    let res = w.app.send(Method::POST, PATH, &w.integrator, Some(json!({"items": [{"licence": "x"}]}))).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), ["items[0].licence"]);
    // So is an item that is not an object, which serde would read as fields by position.
    let body = json!({"items": [{"agency_id": MISSING}, [null, null]]});
    let res = w.app.send(Method::POST, PATH, &w.integrator, Some(body)).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), ["items[1]"]);
}

/// The canonical JSON of `value`: keys sorted at every level, no white space.
fn canonical(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let members: Vec<String> =
                keys.iter().map(|k| format!("{}:{}", Value::from(k.as_str()), canonical(&map[k.as_str()]))).collect();
            format!("{{{}}}", members.join(","))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
        other => other.to_string(),
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Verifies a verification's attestation as a relying party would, offline: the published
/// JWKS, the key named by `kid`, EdDSA only, its own `typ`, our issuer, no audience, and `exp`
/// unless `at_issue` (an answer from a test's fixed clock, read as a record of its moment).
async fn verify_attestation(app: &TestApp, jws: &str, at_issue: bool) -> jsonwebtoken::errors::Result<Value> {
    let jwks = app.jwks().await;
    let header = decode_header(jws)?;
    assert_eq!(header.typ.as_deref(), Some("verification+jwt"));
    let jwk = jwks.find(header.kid.as_deref().unwrap_or_default()).expect("the kid is published");
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_issuer(&["fairhire"]);
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["exp", "iat", "iss"]);
    validation.validate_exp = !at_issue;
    Ok(decode::<Value>(jws, &DecodingKey::from_jwk(jwk)?, &validation)?.claims)
}

#[tokio::test]
async fn the_attestation_covers_the_answer_and_a_tampered_one_fails() {
    // The wall clock: an attestation's `exp` is checked against it.
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let integrator = app.token_for(Role::Integrator, None, None).await;
    let body = json!({"items": [{"agency_id": id(&agency), "reference": "Agência ☂"}, {"agency_id": MISSING}]});
    let answer = verify(&app, &integrator, body).await;
    let jws = answer["attestation"].as_str().unwrap();
    let claims = verify_attestation(&app, jws, false).await.expect("the attestation verifies");
    assert_eq!(claims["count"], 2);
    assert_eq!(claims["digest_of"], "canonical_json_results");
    assert_eq!(claims["sha256"], sha256_hex(canonical(&answer["results"]).as_bytes()), "the digest is recomputed");
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 3600);
    let iat = chrono::DateTime::from_timestamp(claims["iat"].as_i64().unwrap(), 0).unwrap();
    assert_eq!(answer["verified_at"], iat.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));

    // A changed result no longer has the attested digest; a changed claim breaks the signature.
    let mut tampered = answer["results"].clone();
    tampered[1]["outcome"] = json!("found");
    assert_ne!(claims["sha256"], sha256_hex(canonical(&tampered).as_bytes()));
    let parts: Vec<&str> = jws.split('.').collect();
    let mut forged_claims = claims.clone();
    forged_claims["sha256"] = json!(sha256_hex(canonical(&tampered).as_bytes()));
    use base64::Engine;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(forged_claims.to_string());
    let forged = format!("{}.{payload}.{}", parts[0], parts[2]);
    assert!(verify_attestation(&app, &forged, false).await.is_err(), "a forged digest fails the signature");

    // It is no access token.
    let res = app.send(Method::POST, PATH, jws, Some(json!({"items": [{"agency_id": MISSING}]}))).await;
    assert_problem(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn a_csv_upload_is_answered_in_csv_with_its_attestation_in_a_header() {
    let w = World::at_start().await;
    w.certified().await;
    let upload = format!(
        "reference,agency_id,licence_country,licence_number,name,country\r\n\
         \"=cmd, not a formula\",{},,,,\r\n\
         r2,,NP,DoFE-9/2075,,\r\n\
         r3,,,,\"Himalayan Overseas Manpower 1, Pvt. Ltd.\",QA\r\n\
         r4,,,,,\r\n",
        w.agency.id
    );
    let res = w.app.send_raw(Method::POST, PATH, &w.integrator, "text/csv; charset=utf-8", upload).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(res.headers()["cache-control"], "no-store");
    let jws = res.headers()["fairhire-attestation"].to_str().unwrap().to_owned();
    let body = res.bytes().await.unwrap();
    let claims = verify_attestation(&w.app, &jws, true).await.expect("the attestation verifies");
    assert_eq!((claims["digest_of"].as_str(), claims["count"].as_u64()), (Some("csv_body"), Some(4)));
    assert_eq!(claims["sha256"], sha256_hex(&body), "the digest covers the body byte for byte");

    let mut reader = csv::Reader::from_reader(&body[..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(header[..4], ["request_index", "reference", "outcome", "lookup"]);
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let cells = |name: &str| rows.iter().map(|r| r[column(name)].to_owned()).collect::<Vec<_>>();
    assert_eq!(cells("request_index"), ["0", "1", "2", "3"]);
    assert_eq!(cells("outcome"), ["found", "not_found", "found", "invalid"]);
    assert_eq!(cells("reference"), ["'=cmd, not a formula", "r2", "r3", "r4"], "a formula is defused");
    assert_eq!(cells("agency_id"), [w.agency.id.as_str(), "", w.agency.id.as_str(), ""]);
    assert_eq!(cells("certificate_state"), ["in_force", "", "in_force", ""]);
    assert_eq!(cells("certificate_valid_today")[0], "true");
    assert_eq!(cells("risk_level")[0], "low");
    assert_eq!(cells("name_similarity")[2], "1");
    assert!(cells("errors")[3].starts_with("items[3]: name the agency by"), "{:?}", cells("errors"));
}

#[tokio::test]
async fn a_malformed_upload_is_refused_naming_its_line_or_column() {
    let w = World::at_start().await;
    let send = |content_type: &'static str, body: &'static str| {
        w.app.send_raw(Method::POST, PATH, &w.integrator, content_type, body)
    };
    let problem = assert_problem(send("text/csv", "agency_id,name\nx,y\nz\n").await, 400, "bad-request").await;
    assert!(problem["detail"].as_str().unwrap().contains("line 3"), "{problem}");
    let problem = assert_problem(send("text/csv", "agency_id,colour\nx,y\n").await, 422, "validation").await;
    assert_eq!(error_fields(&problem), ["header"]);
    assert!(problem["errors"][0]["message"].as_str().unwrap().contains("colour"));
    assert_problem(send("text/csv", "\"agency_id\nx\n").await, 400, "bad-request").await;
    assert_problem(send("text/plain", "agency_id\nx\n").await, 415, "unsupported-media-type").await;
    assert_problem(send("application/json", "{\"items\": [").await, 400, "bad-request").await;
}

#[tokio::test]
async fn a_misspelt_name_is_matched_and_a_part_of_a_name_only_proposed() {
    let w = World::at_start().await;
    let mut gulf = agency_body(7);
    gulf["legal_name"] = json!("Sagarmatha Gulf Link Pvt. Ltd.");
    gulf["trading_names"] = json!([]);
    let gulf = w.app.create_agency(&w.admin, &gulf).await;
    let items = json!([
        {"name": "sagarmata gulf linc", "country": "NP"},
        {"name": "Gulf Link Sagarmatha P.V.T. L.T.D.", "country": "QA"},
        {"name": "Sagarmatha", "country": "NP"},
        {"name": "Sagarmatha Gulf Link", "country": "SA"}
    ]);
    let answer = verify(&w.app, &w.integrator, json!({ "items": items })).await;
    assert_eq!(outcomes(&answer), ["never_certified", "never_certified", "ambiguous", "not_found"]);
    let results = answer["results"].as_array().unwrap();
    for result in &results[..2] {
        assert_eq!(result["agency"]["id"], id(&gulf));
        assert!(result["name_similarity"].as_f64().unwrap() >= 0.9, "{result}");
    }
    // One word of three is a candidate to confirm by licence or id, never a match.
    let candidates = results[2]["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 1);
    assert_eq!(candidates[0]["agency_id"], id(&gulf));
    assert!(candidates[0]["similarity"].as_f64().unwrap() < 0.9);
}

#[tokio::test]
async fn integrators_and_admins_verify_and_no_one_else() {
    let w = World::at_start().await;
    let body = json!({"items": [{"agency_id": w.agency.id}]});
    for token in [&w.integrator, &w.admin] {
        assert_eq!(outcomes(&verify(&w.app, token, body.clone()).await), ["never_certified"]);
    }
    for (role, token) in w.app.non_admin_tokens(&w.body.id, &w.agency.id).await {
        let res = w.app.send(Method::POST, PATH, &token, Some(body.clone())).await;
        if role == Role::Integrator {
            assert_eq!(res.status(), StatusCode::OK);
        } else {
            let problem = assert_problem(res, 403, "forbidden").await;
            assert!(problem["detail"].as_str().unwrap().contains("verify agencies in bulk"), "{problem}");
        }
    }
    let res = w.app.send_anonymous(Method::POST, PATH, Some(body)).await;
    assert_problem(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn a_thousand_items_cost_a_hundred_requests_of_the_rate_limit() {
    let app = TestApp::spawn_with(|c| {
        c.limits.api_per_second = 1;
        c.limits.api_burst = 150;
    })
    .await;
    let integrator = app.token_for(Role::Integrator, None, None).await;
    let body = json!({"items": vec![json!({"agency_id": MISSING}); 1000]});
    let res = app.send(Method::POST, PATH, &integrator, Some(body.clone())).await;
    assert_eq!(res.headers()["ratelimit"], "\"api\";r=50;t=100", "what the answer says is left counts the items");
    assert_eq!(res.json::<Value>().await.unwrap()["count"], 1000);
    // 150 - 100 = 50 left: another thousand items are too many, one more lookup is not.
    let res = app.send(Method::POST, PATH, &integrator, Some(body)).await;
    assert!(res.headers().contains_key("retry-after"));
    assert!(res.headers()["ratelimit"].to_str().unwrap().starts_with("\"api\";r=49;"), "nothing is taken by a refusal");
    assert_problem(res, 429, "rate-limited").await;
    assert_eq!(verify(&app, &integrator, json!({"items": [{"agency_id": MISSING}]})).await["count"], 1);
}
