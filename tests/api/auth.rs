use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use fairhire::auth::tokens::{self, Subject};
use fairhire::config::JwtConfig;
use fairhire::domain::roles::Role;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, TestApp, assert_problem};

/// An integrator client as an admin makes one through the API.
fn integrator() -> Value {
    json!({"name": "platform", "role": "integrator"})
}

#[tokio::test]
async fn client_credentials_by_form_json_or_basic_give_a_working_token() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let (id, secret) = app.create_client(&admin, &integrator()).await;

    let form = app
        .post_token_form(&[("grant_type", "client_credentials"), ("client_id", &id), ("client_secret", &secret)])
        .await;
    assert_eq!(form.status(), StatusCode::OK);
    assert_eq!(form.headers()["cache-control"], "no-store");
    let form: Value = form.json().await.unwrap();
    assert_eq!(form["token_type"], "Bearer");
    assert_eq!(form["expires_in"], 900);

    let json = app
        .http
        .post(app.url("/v1/oauth/token"))
        .json(&json!({"grant_type": "client_credentials", "client_id": id, "client_secret": secret}))
        .send()
        .await
        .unwrap();
    assert_eq!(json.status(), StatusCode::OK);

    let basic = app.request_token(&id, &secret).await;
    assert_eq!(basic.status(), StatusCode::OK);

    let token = form["access_token"].as_str().unwrap();
    assert_eq!(app.status(Method::GET, "/v1/agencies", token, None).await, 200);
    let header = jsonwebtoken::decode_header(token).unwrap();
    assert_eq!(header.alg, Algorithm::EdDSA);
    assert_eq!(header.typ.as_deref(), Some("at+jwt"));

    // The published JWKS verifies it with a standard library, with every claim we promise.
    let jwks = app.jwks().await;
    let jwk = jwks.find(header.kid.as_deref().unwrap()).expect("kid is published");
    let mut validation = Validation::new(Algorithm::EdDSA);
    validation.set_audience(&["fairhire-api"]);
    validation.set_issuer(&["fairhire"]);
    let claims =
        jsonwebtoken::decode::<Value>(token, &DecodingKey::from_jwk(jwk).unwrap(), &validation).unwrap().claims;
    assert_eq!(claims["sub"], id.as_str());
    assert_eq!(claims["role"], "integrator");
    for claim in ["exp", "nbf", "iat", "jti"] {
        assert!(claims[claim].is_number() || claims[claim].is_string(), "{claim}");
    }
    assert!(!claims.to_string().contains(&secret));
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_refused_the_oauth_way() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let (id, secret) = app.create_client(&admin, &integrator()).await;
    let post = |form: Vec<(&'static str, String)>| app.http.post(app.url("/v1/oauth/token")).form(&form).send();
    let grant = || ("grant_type", "client_credentials".to_owned());

    let res = post(vec![grant(), ("client_id", id.clone()), ("client_secret", "fhs_wrong".into())]).await.unwrap();
    assert!(res.headers().contains_key("www-authenticate"));
    let p = assert_problem(res, 401, "invalid-client").await;
    assert_eq!(p["error"], "invalid_client");

    let unknown = MISSING.to_owned();
    let res = post(vec![grant(), ("client_id", unknown), ("client_secret", secret.clone())]).await.unwrap();
    assert_problem(res, 401, "invalid-client").await;

    let res =
        post(vec![("grant_type", "password".into()), ("client_id", id.clone()), ("client_secret", secret.clone())])
            .await
            .unwrap();
    let p = assert_problem(res, 400, "unsupported-grant-type").await;
    assert_eq!(p["error"], "unsupported_grant_type");

    let res = post(vec![grant(), ("client_id", id.clone())]).await.unwrap();
    let p = assert_problem(res, 400, "invalid-request").await;
    assert_eq!(p["error"], "invalid_request");

    let res = app.http.post(app.url("/v1/oauth/token")).body("grant_type=client_credentials").send().await.unwrap();
    assert_problem(res, 415, "unsupported-media-type").await;

    let res = app
        .http
        .post(app.url("/v1/oauth/token"))
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "invalid-request").await;
}

#[tokio::test]
async fn a_revoked_client_loses_its_tokens_at_once() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let (id, secret) = app.create_client(&admin, &integrator()).await;
    let token = app.client_credentials_token(&id, &secret).await;
    assert_eq!(app.status(Method::GET, "/v1/agencies", &token, None).await, 200);

    let res = app.send(Method::DELETE, &format!("/v1/clients/{id}"), &admin, None).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);

    let res = app.send(Method::GET, "/v1/agencies", &token, None).await;
    assert_problem(res, 401, "unauthorized").await;
    let res = app.request_token(&id, &secret).await;
    assert_problem(res, 401, "invalid-client").await;
}

fn b64(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

#[tokio::test]
async fn forged_expired_and_misaddressed_tokens_are_401() {
    let app = TestApp::spawn().await;
    let client_id = app.insert_client(Role::Admin, None, None).await;
    let keys = &app.state.keys;
    let cfg = &app.state.config.jwt;
    let now = jsonwebtoken::get_current_timestamp();
    let admin = Subject { client_id: &client_id, role: Role::Admin, certification_body_id: None, agency_id: None };
    let good = tokens::issue(keys, cfg, &admin, now).unwrap();
    assert_eq!(app.status(Method::GET, "/v1/agencies", &good, None).await, 200, "the control token works");

    let kid = keys.signing_kid().to_owned();
    let claims = json!({"iss": "fairhire", "aud": "fairhire-api", "sub": client_id, "exp": now + 600, "nbf": now, "iat": now, "jti": "x", "role": "admin"});

    let mut forged = Vec::new();
    // alg "none", no signature.
    forged.push(format!("{}.{}.", b64(&json!({"alg": "none", "typ": "at+jwt", "kid": kid})), b64(&claims)));
    // HS256 keyed with the published public key (algorithm confusion).
    let public_x = URL_SAFE_NO_PAD.decode(&keys.jwks().keys[0].x).unwrap();
    let mut hs = Header::new(Algorithm::HS256);
    hs.kid = Some(kid.clone());
    hs.typ = Some("at+jwt".into());
    forged.push(jsonwebtoken::encode(&hs, &claims, &EncodingKey::from_secret(&public_x)).unwrap());
    // A signature that does not match.
    let mut tampered = good.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    forged.push(tampered);
    // Claims changed after signing (role escalation on an integrator token).
    let parts: Vec<&str> = good.split('.').collect();
    let mut escalated = claims.clone();
    escalated["role"] = json!("admin");
    forged.push(format!("{}.{}.{}", parts[0], b64(&escalated), parts[2]));
    // Signed by another key, with its own kid.
    let stranger =
        fairhire::auth::keys::KeySet::from_signing_key(&ed25519_dalek::SigningKey::from_bytes(&[9; 32]), &[]).unwrap();
    forged.push(tokens::issue(&stranger, cfg, &admin, now).unwrap());
    // Expired, not yet valid, wrong audience, wrong issuer.
    forged.push(tokens::issue(keys, cfg, &admin, now - 7200).unwrap());
    forged.push(tokens::issue(keys, cfg, &admin, now + 7200).unwrap());
    forged
        .push(tokens::issue(keys, &JwtConfig { audience: "another-api".into(), ..cfg.clone() }, &admin, now).unwrap());
    forged.push(tokens::issue(keys, &JwtConfig { issuer: "someone-else".into(), ..cfg.clone() }, &admin, now).unwrap());
    // A plain "JWT" type (not an access token), with an otherwise valid signature.
    let mut plain = Header::new(Algorithm::EdDSA);
    plain.kid = Some(kid.clone());
    forged.push(jsonwebtoken::encode(&plain, &claims, keys.encoding_key()).unwrap());
    // No exp claim at all.
    let mut at = Header::new(Algorithm::EdDSA);
    at.kid = Some(kid.clone());
    at.typ = Some("at+jwt".into());
    let mut no_exp = claims.clone();
    no_exp.as_object_mut().unwrap().remove("exp");
    forged.push(jsonwebtoken::encode(&at, &no_exp, keys.encoding_key()).unwrap());
    // Garbage.
    forged.push("not.a.jwt".into());
    forged.push(STANDARD.encode("hello"));

    for (i, token) in forged.iter().enumerate() {
        let res = app.send(Method::GET, "/v1/agencies", token, None).await;
        assert!(res.headers().contains_key("www-authenticate"), "case {i}");
        assert_problem(res, 401, "unauthorized").await;
    }
    let res =
        app.http.get(app.url("/v1/agencies")).header("authorization", format!("Basic {good}")).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn the_token_endpoint_is_rate_limited_per_address() {
    let app = TestApp::spawn_with(|c| {
        c.limits.token_per_second = 1;
        c.limits.token_burst = 3;
    })
    .await;
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let res = app
            .post_token_form(&[("grant_type", "client_credentials"), ("client_id", "x"), ("client_secret", "y")])
            .await;
        statuses.push(res.status().as_u16());
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            assert!(res.headers().contains_key("retry-after"));
            assert_problem(res, 429, "rate-limited").await;
        }
    }
    assert_eq!(&statuses[..3], &[401, 401, 401], "{statuses:?}");
    assert!(statuses[3..].contains(&429), "{statuses:?}");
    // Other routes have their own allowance.
    let res = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_signing_key_is_kept_and_reused_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys/signing.pem");
    let first = fairhire::auth::keys::KeySet::load_or_generate(&path, &[]).unwrap();
    let second = fairhire::auth::keys::KeySet::load_or_generate(&path, &[]).unwrap();
    assert_eq!(first.signing_kid(), second.signing_kid());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
}
