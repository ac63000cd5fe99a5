//! The public registry (no token) and signed status attestations, verified offline the way a
//! relying party would: with the published JWKS and a standard JOSE library.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, SubsecRound, Utc};
use fairhire::clock::FixedClock;
use fairhire::domain::roles::Role;
use fairhire::store;
use fairhire::store::certifications::CertificateRow;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, agency_body, assert_problem};

const MISSING: &str = "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90";

async fn get_json(app: &TestApp, path: &str) -> Value {
    let res = app.request(Method::GET, path, None).send().await.unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    assert_eq!(status, StatusCode::OK, "{path}: {text}");
    serde_json::from_str(&text).unwrap()
}

fn ids(page: &Value) -> Vec<String> {
    page["data"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect()
}

fn id(agency: &Value) -> String {
    agency["id"].as_str().unwrap().to_owned()
}

/// Fetches an agency's attestation, checking how it is served.
async fn attestation(app: &TestApp, agency_id: &str) -> String {
    let res =
        app.request(Method::GET, &format!("/v1/public/agencies/{agency_id}/attestation"), None).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/jose");
    assert_eq!(res.headers()["cache-control"], "no-store");
    res.text().await.unwrap()
}

/// Verifies an attestation as a relying party would, offline: the service's published JWKS, the
/// key named by `kid`, EdDSA only, our issuer, no audience.
async fn verify_offline(app: &TestApp, jws: &str) -> jsonwebtoken::errors::Result<Value> {
    let jwks: JwkSet = app.http.get(app.url("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
    let header = decode_header(jws)?;
    let jwk = jwks.find(header.kid.as_deref().unwrap_or_default()).expect("the kid is published");
    let key = DecodingKey::from_jwk(jwk)?;
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_issuer(&["fairhire"]);
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["exp", "iat", "sub", "iss"]);
    Ok(decode::<Value>(jws, &key, &validation)?.claims)
}

#[tokio::test]
async fn the_public_registry_needs_no_token_and_shows_nothing_private() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut sao = agency_body(1);
    sao["legal_name"] = json!("Agência São José Recrutamento");
    sao["licence"]["country"] = json!("PH");
    sao["origin_countries"] = json!(["PH"]);
    sao["destination_countries"] = json!(["SA"]);
    sao["address"] = json!({"line1": "Rua Privadissima 77", "city": "Manila", "country": "PH"});
    sao["website"] = json!("https://sao-jose.example.com");
    sao["contact_email"] = json!("secret-inbox-93x@example.org");
    sao["contact_phone"] = json!("+63 2 8765 4321");
    let sao = app.create_agency(&admin, &sao).await;
    let himal = app.create_agency(&admin, &agency_body(2)).await;
    let third = app.create_agency(&admin, &agency_body(3)).await;

    // The list, a search and one agency, all without a token.
    for path in [
        "/v1/public/agencies".to_owned(),
        "/v1/public/agencies?q=SAO%20JOS%C3%89".to_owned(),
        format!("/v1/public/agencies/{}", id(&sao)),
    ] {
        let res = app.request(Method::GET, &path, None).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        let text = res.text().await.unwrap();
        for private in [
            "secret-inbox-93x",
            "8765 4321",
            "Privadissima",
            "contact_email",
            "contact_phone",
            "address",
            "\"version\"",
            "latest_score",
            "created_at",
        ] {
            assert!(!text.contains(private), "{path} shows {private}: {text}");
        }
    }

    let one = get_json(&app, &format!("/v1/public/agencies/{}", id(&sao))).await;
    assert_eq!(
        one,
        json!({
            "id": id(&sao),
            "legal_name": "Agência São José Recrutamento",
            "trading_names": ["Himal HR 1"],
            "licence": {"number": "DoFE-1/2075", "issuing_authority": "Department of Foreign Employment", "country": "PH", "valid_from": null, "valid_until": null},
            "origin_countries": ["PH"],
            "destination_countries": ["SA"],
            "sectors": ["construction"],
            "website": "https://sao-jose.example.com",
            "certification_status": "never_certified",
            "certificate": null,
            "last_audit_date": null,
            "grade": null
        })
    );

    // Searches fold case and accents and filter like the authenticated registry.
    assert_eq!(ids(&get_json(&app, "/v1/public/agencies?q=sao%20jose").await), vec![id(&sao)]);
    assert_eq!(ids(&get_json(&app, "/v1/public/agencies?q=ag%C3%8ANCIA").await), vec![id(&sao)]);
    assert_eq!(ids(&get_json(&app, "/v1/public/agencies?country=PH").await), vec![id(&sao)]);
    assert_eq!(ids(&get_json(&app, "/v1/public/agencies?country=NP").await), vec![id(&himal), id(&third)]);
    assert_eq!(ids(&get_json(&app, "/v1/public/agencies?licence_number=dofe-2%2F2075").await), vec![id(&himal)]);
    assert_eq!(ids(&get_json(&app, "/v1/public/agencies?status=certified").await), Vec::<String>::new());

    // Cursor pages, to the end.
    let mut seen = Vec::new();
    let mut path = "/v1/public/agencies?limit=2".to_owned();
    loop {
        let page = get_json(&app, &path).await;
        assert!(page["data"].as_array().unwrap().len() <= 2);
        seen.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/public/agencies?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, vec![id(&sao), id(&himal), id(&third)]);

    // A bearer token, even a bad one, changes nothing here.
    let res = app.request(Method::GET, "/v1/public/agencies", Some("not-a-token")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn bad_queries_and_unknown_agencies_are_problems() {
    let app = TestApp::spawn().await;
    for (query, status, slug) in [
        ("limit=0", 422, "validation"),
        ("country=XX", 422, "validation"),
        ("q=", 422, "validation"),
        ("limit=abc", 400, "bad-request"),
        ("cursor=garbage", 400, "bad-request"),
    ] {
        let res = app.request(Method::GET, &format!("/v1/public/agencies?{query}"), None).send().await.unwrap();
        assert_problem(res, status, slug).await;
    }
    for path in [
        format!("/v1/public/agencies/{MISSING}"),
        format!("/v1/public/agencies/{MISSING}/attestation"),
        "/v1/public/agencies/not-a-uuid/attestation".to_owned(),
    ] {
        let res = app.request(Method::GET, &path, None).send().await.unwrap();
        assert_problem(res, 404, "not-found").await;
    }
}

#[tokio::test]
async fn a_never_certified_agency_is_attested_as_such() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let jws = attestation(&app, &id(&agency)).await;
    let claims = verify_offline(&app, &jws).await.expect("the attestation verifies");
    assert_eq!(claims["sub"], id(&agency));
    assert!(claims.get("aud").is_none(), "anyone may rely on it");
    assert_eq!(
        claims["status"],
        json!({
            "legal_name": "Himalayan Overseas Manpower 1",
            "licence_number": "DoFE-1/2075",
            "licence_country": "NP",
            "certification_status": "never_certified",
            "certificate_number": null,
            "valid_until": null,
            "grade": null,
            "last_audit_date": null
        })
    );
}

/// A small published standard, so an audit can be filed in four findings.
fn small_standard() -> Value {
    json!({
        "version": "p-1.0", "title": "Public test standard",
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

async fn send_ok(app: &TestApp, method: Method, path: &str, token: &str, body: Option<Value>) -> Value {
    let req = app.request(method.clone(), path, Some(token));
    let res = match body {
        Some(b) => req.json(&b),
        None => req,
    }
    .send()
    .await
    .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{method} {path}: {status} {text}");
    serde_json::from_str(&text).unwrap()
}

/// Files and finalizes an assessment of `kind` with every finding `conformant`; returns its id.
async fn finalized(app: &TestApp, token: &str, agency_id: &str, kind: &str) -> String {
    let mut body = json!({"agency_id": agency_id, "kind": kind, "standard_version": "p-1.0"});
    if kind != "self_assessment" {
        body["methods"] = json!({"documents_reviewed": true, "worker_interviews": 20});
    }
    let id = send_ok(app, Method::POST, "/v1/assessments", token, Some(body)).await["id"].as_str().unwrap().to_owned();
    for code in ["A.1", "A.2", "C.1", "C.2"] {
        let path = format!("/v1/assessments/{id}/findings/{code}");
        send_ok(app, Method::PUT, &path, token, Some(json!({"severity": "conformant", "evidence": "seen"}))).await;
    }
    send_ok(app, Method::POST, &format!("/v1/assessments/{id}/submit"), token, None).await;
    send_ok(app, Method::POST, &format!("/v1/assessments/{id}/finalize"), token, None).await;
    id
}

#[tokio::test]
async fn a_certified_agency_is_attested_and_the_attestation_verifies_offline() {
    let now = Utc::now().trunc_subsecs(0);
    let audited_at = now - Duration::days(3);
    let clock = FixedClock::new(audited_at - Duration::minutes(1));
    let app = TestApp::spawn_full(|_| {}, Arc::new(clock.clone())).await;
    let admin = app.admin().await;

    // A finalized stage-2 audit three days ago, through the API.
    clock.set(audited_at);
    send_ok(&app, Method::POST, "/v1/standards", &admin, Some(small_standard())).await;
    send_ok(&app, Method::POST, "/v1/standards/p-1.0/publish", &admin, None).await;
    let cb = send_ok(
        &app,
        Method::POST,
        "/v1/certification-bodies",
        &admin,
        Some(json!({"name": "Gulf Ethical Audit", "country": "AE", "accreditation_status": "accredited"})),
    )
    .await;
    let cb_id = cb["id"].as_str().unwrap().to_owned();
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let other = app.create_agency(&admin, &agency_body(2)).await;
    let agency_id = id(&agency);
    send_ok(
        &app,
        Method::POST,
        &format!("/v1/agencies/{agency_id}/applications"),
        &admin,
        Some(json!({"certification_body_id": cb_id})),
    )
    .await;
    let auditor = app.token_for(Role::Auditor, Some(&cb_id), None).await;
    let audit_id = finalized(&app, &auditor, &agency_id, "stage2").await;

    // A self-assessment finalized later is shown elsewhere but is no audit.
    clock.set(now - Duration::days(1));
    let agency_token = app.token_for(Role::Agency, None, Some(&agency_id)).await;
    finalized(&app, &agency_token, &agency_id, "self_assessment").await;

    // The certification endpoints are written concurrently; certify by writing the rows
    // directly: the certificate, and the agency's status.
    let number = "FH-2026-0A1B2C3D".to_owned();
    let certificate = CertificateRow {
        agency_id: agency_id.clone(),
        number: number.clone(),
        certification_body_id: cb_id.clone(),
        assessment_id: audit_id,
        decided_by: "test certifier".into(),
        valid_from: store::to_db_time(audited_at),
        valid_until: store::to_db_time(audited_at + Duration::days(3 * 365)),
        next_surveillance_due: store::to_db_time(audited_at + Duration::days(365)),
        suspended_at: None,
        suspension_reason: None,
        updated_at: store::to_db_time(audited_at),
    };
    let set_status = |status: &'static str| {
        let (certificate, agency_id) = (certificate.clone(), agency_id.clone());
        app.state.db.write(move |conn| {
            store::certifications::put_certificate(conn, &certificate)?;
            let mut row = store::agencies::find(conn, &agency_id)?.expect("agency");
            let expected = row.version;
            row.certification_status = status.to_owned();
            row.version += 1;
            assert!(store::agencies::update(conn, &row, expected)?);
            Ok(())
        })
    };
    set_status("certified").await.unwrap();
    clock.set(now);

    let valid_until = (audited_at + Duration::days(3 * 365)).to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true);
    let expected_certificate = json!({
        "number": number,
        "certification_body_id": cb_id,
        "valid_from": audited_at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        "valid_until": valid_until,
        "suspended_at": null
    });
    let audit_day = audited_at.date_naive().to_string();

    // The public record, alone and in the list (loaded in batches), says the same.
    let one = get_json(&app, &format!("/v1/public/agencies/{agency_id}")).await;
    assert_eq!(one["certification_status"], "certified");
    assert_eq!(one["certificate"], expected_certificate);
    assert_eq!(one["last_audit_date"], audit_day, "the later self-assessment is no audit");
    assert_eq!(one["grade"], "A");
    let list = get_json(&app, "/v1/public/agencies").await;
    assert_eq!(list["data"], json!([one, get_json(&app, &format!("/v1/public/agencies/{}", id(&other))).await]));
    assert_eq!(list["data"][1]["certificate"], Value::Null);
    assert_eq!(ids(&get_json(&app, "/v1/public/agencies?status=certified&grade=A").await), vec![agency_id.clone()]);

    // The attestation verifies offline and says what the registry says.
    let jws = attestation(&app, &agency_id).await;
    let header = decode_header(&jws).unwrap();
    assert_eq!(header.alg, Algorithm::EdDSA);
    assert_eq!(header.typ.as_deref(), Some("attestation+jwt"));
    assert_eq!(header.kid.as_deref(), Some(app.state.keys.signing_kid()));
    let claims = verify_offline(&app, &jws).await.expect("the attestation verifies");
    assert_eq!(claims["iss"], "fairhire");
    assert_eq!(claims["sub"], agency_id);
    assert_eq!(claims["iat"], now.timestamp(), "issued at the app clock's time");
    assert_eq!(claims["exp"], now.timestamp() + 3600);
    assert!(claims["jti"].as_str().is_some_and(|j| uuid::Uuid::parse_str(j).is_ok()));
    assert!(claims.get("aud").is_none());
    assert_eq!(
        claims["status"],
        json!({
            "legal_name": "Himalayan Overseas Manpower 1",
            "licence_number": "DoFE-1/2075",
            "licence_country": "NP",
            "certification_status": "certified",
            "certificate_number": number,
            "valid_until": valid_until,
            "grade": "A",
            "last_audit_date": audit_day
        })
    );
    let again = attestation(&app, &agency_id).await;
    assert_ne!(verify_offline(&app, &again).await.unwrap()["jti"], claims["jti"], "each attestation has its own id");

    // Tampering breaks the signature: a changed claim, or a changed signature.
    let parts: Vec<&str> = jws.split('.').collect();
    let mut forged = claims.clone();
    forged["status"]["valid_until"] = json!("2099-01-01T00:00:00Z");
    let forged_payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&forged).unwrap());
    let forged_jws = format!("{}.{}.{}", parts[0], forged_payload, parts[2]);
    assert!(verify_offline(&app, &forged_jws).await.is_err(), "a changed claim is caught");
    let mut signature = URL_SAFE_NO_PAD.decode(parts[2]).unwrap();
    signature[0] ^= 1;
    let bad_signature = format!("{}.{}.{}", parts[0], parts[1], URL_SAFE_NO_PAD.encode(signature));
    assert!(verify_offline(&app, &bad_signature).await.is_err(), "a changed signature is caught");

    // It is no access token.
    let res = app.request(Method::GET, "/v1/agencies", Some(&jws)).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;

    // A withdrawn certificate is no longer shown, nor attested.
    set_status("withdrawn").await.unwrap();
    let one = get_json(&app, &format!("/v1/public/agencies/{agency_id}")).await;
    assert_eq!((&one["certification_status"], &one["certificate"]), (&json!("withdrawn"), &Value::Null));
    let claims = verify_offline(&app, &attestation(&app, &agency_id).await).await.unwrap();
    assert_eq!(claims["status"]["certification_status"], "withdrawn");
    assert_eq!(claims["status"]["certificate_number"], Value::Null);
    assert_eq!(claims["status"]["last_audit_date"], audit_day);
}

#[tokio::test]
async fn an_attestation_from_another_key_does_not_verify() {
    let app = TestApp::spawn().await;
    let other = TestApp::spawn().await;
    let admin = app.admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let jws = attestation(&app, &id(&agency)).await;
    // The other service publishes only its own key: the kid is unknown there, and forcing its
    // key on the token fails the signature.
    let jwks: JwkSet = other.http.get(other.url("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
    assert!(jwks.find(decode_header(&jws).unwrap().kid.as_deref().unwrap()).is_none());
    let key = DecodingKey::from_jwk(&jwks.keys[0]).unwrap();
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.validate_aud = false;
    assert!(decode::<Value>(&jws, &key, &validation).is_err());
}
