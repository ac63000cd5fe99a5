//! The public registry (no token) and signed status attestations, verified offline the way a
//! relying party would: with the published JWKS and a standard JOSE library.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, SubsecRound, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{ForcedCertificate, MISSING, TestApp, agency_body, assert_problem, id, ids, rfc3339};

/// Fetches an agency's attestation, checking how it is served.
async fn attestation(app: &TestApp, agency_id: &str) -> String {
    let res = app.send_anonymous(Method::GET, &format!("/v1/public/agencies/{agency_id}/attestation"), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/jose");
    assert_eq!(res.headers()["cache-control"], "public, no-cache");
    res.text().await.unwrap()
}

/// Verifies an attestation as a relying party would, offline: the service's published JWKS, the
/// key named by `kid`, EdDSA only, our issuer, no audience.
async fn verify_offline(app: &TestApp, jws: &str) -> jsonwebtoken::errors::Result<Value> {
    let jwks = app.jwks().await;
    let header = decode_header(jws)?;
    let jwk = jwks.find(header.kid.as_deref().unwrap_or_default()).expect("the kid is published");
    let key = DecodingKey::from_jwk(jwk)?;
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_issuer(&["fairhire"]);
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["exp", "iat", "sub", "iss"]);
    Ok(decode::<Value>(jws, &key, &validation)?.claims)
}

/// The `status` claim an attestation makes of the agency [`agency_body`]`(1)`, with these
/// certification fields.
fn attested_status(certification: Value) -> Value {
    let mut status = json!({
        "legal_name": "Himalayan Overseas Manpower 1",
        "licence_number": "DoFE-1/2075",
        "licence_country": "NP",
        "licence_valid_until": null,
        "licence_verified_at": null
    });
    status.as_object_mut().unwrap().extend(certification.as_object().unwrap().clone());
    status
}

#[tokio::test]
async fn the_public_registry_needs_no_token_and_shows_nothing_private() {
    let (app, admin) = TestApp::spawn_as_admin().await;
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
        let res = app.send_anonymous(Method::GET, &path, None).await;
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

    let one = app.get_json(&format!("/v1/public/agencies/{}", id(&sao)), None).await;
    assert_eq!(
        one,
        json!({
            "id": id(&sao),
            "legal_name": "Agência São José Recrutamento",
            "trading_names": ["Himal HR 1"],
            "licence": {"number": "DoFE-1/2075", "issuing_authority": "Department of Foreign Employment", "country": "PH", "valid_from": null, "valid_until": null,
                "verified_at": null, "verified_by": null, "source": null},
            "origin_countries": ["PH"],
            "destination_countries": ["SA"],
            "sectors": ["construction"],
            "website": "https://sao-jose.example.com",
            "certification_status": "never_certified",
            "certificate": null,
            "last_audit_date": null,
            "grade": null,
            "substantiated_reports": null
        })
    );

    // Searches fold case and accents and filter like the authenticated registry.
    assert_eq!(ids(&app.get_json("/v1/public/agencies?q=sao%20jose", None).await), vec![id(&sao)]);
    assert_eq!(ids(&app.get_json("/v1/public/agencies?q=ag%C3%8ANCIA", None).await), vec![id(&sao)]);
    assert_eq!(ids(&app.get_json("/v1/public/agencies?country=PH", None).await), vec![id(&sao)]);
    assert_eq!(ids(&app.get_json("/v1/public/agencies?country=NP", None).await), vec![id(&himal), id(&third)]);
    assert_eq!(ids(&app.get_json("/v1/public/agencies?licence_number=dofe-2%2F2075", None).await), vec![id(&himal)]);
    assert_eq!(ids(&app.get_json("/v1/public/agencies?status=certified", None).await), Vec::<String>::new());

    // Cursor pages, to the end.
    let mut seen = Vec::new();
    for page in app.pages("/v1/public/agencies?limit=2", None).await {
        assert!(page["data"].as_array().unwrap().len() <= 2);
        seen.extend(ids(&page));
    }
    assert_eq!(seen, vec![id(&sao), id(&himal), id(&third)]);

    // A bearer token, even a bad one, changes nothing here.
    let res = app.send(Method::GET, "/v1/public/agencies", "not-a-token", None).await;
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
        let res = app.send_anonymous(Method::GET, &format!("/v1/public/agencies?{query}"), None).await;
        assert_problem(res, status, slug).await;
    }
    for path in [
        format!("/v1/public/agencies/{MISSING}"),
        format!("/v1/public/agencies/{MISSING}/attestation"),
        "/v1/public/agencies/not-a-uuid/attestation".to_owned(),
    ] {
        let res = app.send_anonymous(Method::GET, &path, None).await;
        assert_problem(res, 404, "not-found").await;
    }
}

#[tokio::test]
async fn a_never_certified_agency_is_attested_as_such() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let jws = attestation(&app, id(&agency)).await;
    let claims = verify_offline(&app, &jws).await.expect("the attestation verifies");
    assert_eq!(claims["sub"], id(&agency));
    assert!(claims.get("aud").is_none(), "anyone may rely on it");
    assert_eq!(
        claims["status"],
        attested_status(json!({
            "certification_status": "never_certified",
            "certificate_number": null,
            "valid_until": null,
            "grade": null,
            "last_audit_date": null
        }))
    );
}

#[tokio::test]
async fn a_certified_agency_is_attested_and_the_attestation_verifies_offline() {
    let now = Utc::now().trunc_subsecs(0);
    let audited_at = now - Duration::days(3);
    let (app, clock) = TestApp::spawn_at(audited_at - Duration::minutes(1)).await;
    let admin = app.admin().await;

    // A finalized stage-2 audit three days ago, through the API.
    clock.set(audited_at);
    app.publish_test_standard(&admin).await;
    let body = app.body_with_staff(&admin, 1).await;
    let agency = app.agency_that_applied(&admin, 1, &body).await;
    let other = app.create_agency(&admin, &agency_body(2)).await;
    let agency_id = agency.id.clone();
    let audit_id = app.finalized_audit(&agency, &body, "stage2", &[]).await;

    // A self-assessment finalized later is shown elsewhere but is no audit.
    clock.set(now - Duration::days(1));
    app.finalized_self_assessment(&agency, &[]).await;

    // The certification endpoints are written concurrently; certify by writing the rows
    // directly: the certificate, and the agency's status.
    let number = "FH-2026-0A1B2C3D".to_owned();
    let certificate = ForcedCertificate {
        agency_id: agency_id.clone(),
        number: number.clone(),
        certification_body_id: body.id.clone(),
        assessment_id: audit_id,
        valid_from: audited_at,
        valid_until: audited_at + Duration::days(3 * 365),
        next_surveillance_due: audited_at + Duration::days(365),
    };
    app.force_certification(&certificate, "certified").await;
    clock.set(now);

    let valid_until = rfc3339(audited_at + Duration::days(3 * 365));
    let expected_certificate = json!({
        "number": number,
        "certification_body_id": body.id,
        "valid_from": rfc3339(audited_at),
        "valid_until": valid_until,
        "state": "in_force",
        "suspended_at": null,
        "ended_at": null,
        "end_reason": null
    });
    let audit_day = audited_at.date_naive().to_string();

    // The public record, alone and in the list (loaded in batches), says the same.
    let one = app.get_json(&format!("/v1/public/agencies/{agency_id}"), None).await;
    assert_eq!(one["certification_status"], "certified");
    assert_eq!(one["certificate"], expected_certificate);
    assert_eq!(one["last_audit_date"], audit_day, "the later self-assessment is no audit");
    assert_eq!(one["grade"], "A");
    let list = app.get_json("/v1/public/agencies", None).await;
    assert_eq!(list["data"], json!([one, app.get_json(&format!("/v1/public/agencies/{}", id(&other)), None).await]));
    assert_eq!(list["data"][1]["certificate"], Value::Null);
    assert_eq!(ids(&app.get_json("/v1/public/agencies?status=certified&grade=A", None).await), vec![agency_id.clone()]);

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
        attested_status(json!({
            "certification_status": "certified",
            "certificate_number": number,
            "valid_until": valid_until,
            "grade": "A",
            "last_audit_date": audit_day
        }))
    );
    // The same attestation is served again for a minute; one signed later has its own id.
    assert_eq!(attestation(&app, &agency_id).await, jws);
    clock.set(now + Duration::seconds(61));
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
    let res = app.send(Method::GET, "/v1/agencies", &jws, None).await;
    assert_problem(res, 401, "unauthorized").await;

    // A withdrawn certificate is shown as ended, never as in force, and is not attested.
    app.force_certification(&certificate, "withdrawn").await;
    let one = app.get_json(&format!("/v1/public/agencies/{agency_id}"), None).await;
    assert_eq!(one["certification_status"], "withdrawn");
    assert_eq!((&one["certificate"]["number"], &one["certificate"]["state"]), (&json!(number), &json!("ended")));
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
    let jws = attestation(&app, id(&agency)).await;
    // The other service publishes only its own key: the kid is unknown there, and forcing its
    // key on the token fails the signature.
    let jwks = other.jwks().await;
    assert!(jwks.find(decode_header(&jws).unwrap().kid.as_deref().unwrap()).is_none());
    let key = DecodingKey::from_jwk(&jwks.keys[0]).unwrap();
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.validate_aud = false;
    assert!(decode::<Value>(&jws, &key, &validation).is_err());
}

/// An attestation asked for with this `Accept` header.
async fn attestation_as(app: &TestApp, agency_id: &str, accept: &str) -> reqwest::Response {
    let path = format!("/v1/public/agencies/{agency_id}/attestation");
    app.request(Method::GET, &path, None).header("accept", accept).send().await.unwrap()
}

/// The answer's `content-type`.
fn content_type(res: &reqwest::Response) -> &str {
    res.headers()["content-type"].to_str().unwrap()
}

#[tokio::test]
async fn the_attestation_is_served_as_json_to_whoever_prefers_it() {
    // Half a second past a whole second: the JSON's times are the JWS's, which count seconds.
    let now = Utc::now().trunc_subsecs(0) + Duration::milliseconds(500);
    let (app, _clock) = TestApp::spawn_at(now).await;
    let admin = app.admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let agency_id = id(&agency);

    for accept in [
        "application/json",
        "application/json, application/jose;q=0.5",
        "application/jose;q=0.9, application/json",
        "text/html, application/json;q=0.1",
        "application/json;charset=utf-8",
        "APPLICATION/JSON",
        "application/*;q=0.2, application/json;q=0.3",
    ] {
        let res = attestation_as(&app, agency_id, accept).await;
        assert_eq!(res.status(), StatusCode::OK, "{accept}");
        assert_eq!(content_type(&res), "application/json", "{accept}");
        assert_eq!(res.headers()["cache-control"], "public, no-cache");
        assert_eq!(res.headers()["vary"], "Accept");
        let body: Value = res.json().await.unwrap();
        assert_eq!(body.as_object().unwrap().len(), 4, "{body}");

        // The wrapped JWS verifies like the plain one and says what the other fields say.
        let jws = body["attestation"].as_str().unwrap();
        let claims = verify_offline(&app, jws).await.expect("the wrapped attestation verifies");
        assert_eq!(decode_header(jws).unwrap().typ.as_deref(), Some("attestation+jwt"));
        assert_eq!(body["agency_id"], agency_id);
        assert_eq!(claims["sub"], agency_id);
        let issued = now.trunc_subsecs(0);
        assert_eq!(claims["iat"], issued.timestamp());
        assert_eq!(body["issued_at"], rfc3339(issued));
        assert_eq!(claims["exp"], issued.timestamp() + 3600);
        assert_eq!(body["expires_at"], rfc3339(issued + Duration::hours(1)));
        assert_eq!(claims["status"]["certification_status"], "never_certified");
    }
}

#[tokio::test]
async fn the_attestation_stays_a_jws_by_default_and_other_types_are_not_acceptable() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let agency_id = id(&agency);

    for accept in [
        "*/*",
        "application/jose",
        "application/*",
        "application/json, application/jose",
        "application/json;q=0.5, application/jose",
        "application/xml, */*;q=0.1",
        "text/html, application/xhtml+xml, application/xml;q=0.9, */*;q=0.8",
        "not a media type",
    ] {
        let res = attestation_as(&app, agency_id, accept).await;
        assert_eq!(res.status(), StatusCode::OK, "{accept}");
        assert_eq!(content_type(&res), "application/jose", "{accept}");
        assert_eq!(res.headers()["vary"], "Accept");
        let jws = res.text().await.unwrap();
        verify_offline(&app, &jws).await.expect("the attestation verifies");
    }

    // Without any Accept header (reqwest always sends one, so by hand).
    let raw = raw_get(&app, &format!("/v1/public/agencies/{agency_id}/attestation")).await;
    let (head, jws) = raw.split_once("\r\n\r\n").unwrap();
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.to_ascii_lowercase().contains("\r\ncontent-type: application/jose\r\n"), "{head}");
    verify_offline(&app, jws).await.expect("the attestation verifies");

    for accept in ["text/html", "image/*", "application/json;q=0, application/jose;q=0", "*/*;q=0", "application/jwt"] {
        let res = attestation_as(&app, agency_id, accept).await;
        let problem = assert_problem(res, 406, "not-acceptable").await;
        assert_eq!(problem["instance"], format!("/v1/public/agencies/{agency_id}/attestation"));
        assert!(problem["detail"].as_str().unwrap().contains("application/json"), "{problem}");
    }
    // An unknown agency is still a 404, in the media type asked for or not.
    let res = attestation_as(&app, MISSING, "application/json").await;
    assert_problem(res, 404, "not-found").await;
}

/// A GET sent over a bare connection, with no header but `Host`; the whole answer as text.
async fn raw_get(app: &TestApp, path: &str) -> String {
    use std::io::{Read, Write};
    let address = app.address.trim_start_matches("http://").to_owned();
    let request = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
    tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(&address).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    })
    .await
    .unwrap()
}
