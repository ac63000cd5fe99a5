//! Translated standards: admins save a draft translation of a version and publish it; readers
//! get the version in the language their `Accept-Language` asks for, falling back to the base
//! language, with `Content-Language`, `Vary` and an `ETag` per language.

use fairhire::domain::roles::Role;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use chrono::Duration;

use crate::helpers::{
    TEST_STANDARD, TestApp, UNREGISTERED_BODY, World, agency_body, assert_problem, error_fields, id, test_standard,
};

const FR: &str = "/v1/standards/t-1.0/translations/fr";

/// A complete French translation of the test standard.
fn french() -> Value {
    json!({
        "title": "Norme d'essai",
        "principles": [{"code": "A", "title": "Loi"}, {"code": "C", "title": "Frais"}],
        "criteria": [
            {"code": "A.1", "text": "Agréée"},
            {"code": "A.2", "text": "Respecte la loi"},
            {"code": "C.1", "text": "Aucuns frais"},
            {"code": "C.2", "text": "Aucune retenue"}
        ]
    })
}

/// The test standard published, and a token of every role (the agency's bound to an agency).
async fn setup() -> (TestApp, String, Vec<(Role, String)>) {
    let (app, admin) = TestApp::spawn_as_admin().await;
    app.publish_test_standard(&admin).await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let others = app.non_admin_tokens(UNREGISTERED_BODY, id(&agency)).await;
    (app, admin, others)
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value, if_match: Option<&str>) -> Response {
    let mut req = app.request(Method::PUT, path, Some(token)).json(&body);
    if let Some(tag) = if_match {
        req = req.header("if-match", tag);
    }
    req.send().await.unwrap()
}

async fn publish(app: &TestApp, token: &str, path: &str, if_match: Option<&str>) -> Response {
    let mut req = app.request(Method::POST, &format!("{path}/publish"), Some(token));
    if let Some(tag) = if_match {
        req = req.header("if-match", tag);
    }
    req.send().await.unwrap()
}

/// Reads the test standard with `Accept-Language` (none when `None`); returns the answer's
/// `Content-Language`, `ETag` and body, checking `Vary`.
async fn read(app: &TestApp, token: &str, accept: Option<&str>) -> (String, String, Value) {
    let mut req = app.request(Method::GET, &format!("/v1/standards/{TEST_STANDARD}"), Some(token));
    if let Some(accept) = accept {
        req = req.header("accept-language", accept);
    }
    let res = req.send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "{accept:?}");
    assert_eq!(res.headers()["vary"], "Accept-Language");
    let header = |name: &str| res.headers()[name].to_str().unwrap().to_owned();
    let (language, etag) = (header("content-language"), header("etag"));
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["language"], language.as_str(), "the body names the language of its texts");
    (language, etag, body)
}

fn header(res: &Response, name: &str) -> String {
    res.headers().get(name).map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

#[tokio::test]
async fn an_admin_saves_replaces_and_publishes_a_translation_which_then_never_changes() {
    let (app, admin, _) = setup().await;
    let res = put(&app, &admin, FR, french(), None).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(header(&res, "location"), FR);
    assert_eq!(header(&res, "etag"), "\"v1\"");
    assert_eq!(header(&res, "content-language"), "fr");
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["standard_version"], TEST_STANDARD);
    assert_eq!(created["language"], "fr");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["version"], 1);
    assert_eq!(created["title"], "Norme d'essai");
    assert_eq!(created["criteria"], french()["criteria"]);
    assert_eq!(created["published_at"], Value::Null);
    assert_eq!(app.get_json(FR, Some(&admin)).await, created, "the draft reads back as saved");

    // A draft is replaced whole; a stale If-Match is refused and changes nothing.
    let mut better = french();
    better["criteria"][0]["text"] = json!("Titulaire d'une licence");
    let res = put(&app, &admin, FR, better.clone(), Some("\"v1\"")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "etag"), "\"v2\"");
    let res = put(&app, &admin, FR, french(), Some("\"v1\"")).await;
    let problem = assert_problem(res, 412, "precondition-failed").await;
    assert!(problem["detail"].as_str().unwrap().contains("\"v2\""), "{problem}");
    let res = publish(&app, &admin, FR, Some("\"v1\"")).await;
    assert_problem(res, 412, "precondition-failed").await;
    assert_eq!(app.get_json(FR, Some(&admin)).await["criteria"][0]["text"], "Titulaire d'une licence");

    let res = publish(&app, &admin, FR, Some("\"v2\"")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "etag"), "\"v3\"");
    let published: Value = res.json().await.unwrap();
    assert_eq!(published["status"], "published");
    assert!(published["published_at"].as_str().unwrap().ends_with('Z'));

    // Published: never changed again, whatever If-Match says.
    for if_match in [None, Some("\"v3\""), Some("\"v1\"")] {
        let res = put(&app, &admin, FR, french(), if_match).await;
        let problem = assert_problem(res, 409, "conflict").await;
        assert!(problem["detail"].as_str().unwrap().contains("published"), "{problem}");
    }
    assert_problem(publish(&app, &admin, FR, None).await, 409, "conflict").await;
    assert_eq!(app.get_json(FR, Some(&admin)).await, published);

    // Each step is in the log, with what it replaced.
    let events = app.get_json("/v1/events?limit=200", Some(&admin)).await;
    let steps: Vec<&Value> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_str().unwrap().starts_with("standard.translation"))
        .collect();
    let kinds: Vec<&str> = steps.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["standard.translation_saved", "standard.translation_saved", "standard.translation_published"]);
    assert_eq!(steps[0]["subject"]["id"], TEST_STANDARD);
    assert_eq!(steps[0]["previous"], Value::Null);
    assert_eq!(steps[1]["previous"]["content"], french());
    assert_eq!(steps[1]["current"]["content"], better);
    assert_eq!(steps[2]["current"], json!({"language": "fr", "status": "published"}));
}

#[tokio::test]
async fn a_translation_must_cover_the_version_exactly_in_a_valid_language() {
    let (app, admin, _) = setup().await;
    let mut t = french();
    t["criteria"].as_array_mut().unwrap().retain(|c| c["code"] != "A.2" && c["code"] != "C.1");
    t["criteria"].as_array_mut().unwrap().push(json!({"code": "Z.9", "text": "Inconnu"}));
    t["principles"].as_array_mut().unwrap().pop();
    let res = put(&app, &admin, FR, t, None).await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(error_fields(&problem), ["principles", "criteria[2].code", "criteria"]);
    let messages = problem["errors"].to_string();
    assert!(messages.contains("missing criteria: A.2, C.1"), "{problem}");
    assert!(messages.contains("unknown criterion Z.9"), "{problem}");
    assert!(messages.contains("missing principles: C"), "{problem}");

    let mut t = french();
    t["criteria"][3]["code"] = json!("A.1");
    t["criteria"][1]["guidance"] = json!("Demander les registres");
    let problem = assert_problem(put(&app, &admin, FR, t, None).await, 422, "validation").await;
    assert_eq!(error_fields(&problem), ["criteria[1].guidance", "criteria[3].code", "criteria"]);

    for bad in ["fr_CA", "f", "und", "français", "en-u-ca-gregory", "*"] {
        let path = format!("/v1/standards/t-1.0/translations/{}", urlencoding(bad));
        let problem = assert_problem(put(&app, &admin, &path, french(), None).await, 422, "validation").await;
        assert_eq!(error_fields(&problem), ["language"], "{bad}");
    }
    // The base language is the standard itself.
    let path = "/v1/standards/t-1.0/translations/EN";
    let problem = assert_problem(put(&app, &admin, path, french(), None).await, 422, "validation").await;
    assert_eq!(error_fields(&problem), ["language"]);
    // A body of the wrong shape is named as usual.
    let problem = assert_problem(put(&app, &admin, FR, json!({"title": "x"}), None).await, 422, "validation").await;
    assert_eq!(error_fields(&problem), ["criteria", "principles"]);
    // Nothing was stored.
    assert_eq!(app.get_json("/v1/standards/t-1.0/translations", Some(&admin)).await["data"], json!([]));

    // A tag is stored canonically: `fr-ca` is `fr-CA`.
    let res = put(&app, &admin, "/v1/standards/t-1.0/translations/fr-ca", french(), None).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(header(&res, "location"), "/v1/standards/t-1.0/translations/fr-CA");
    assert_eq!(app.get_json("/v1/standards/t-1.0/translations/FR-CA", Some(&admin)).await["language"], "fr-CA");
}

/// Percent-encodes what a path segment cannot hold as it is.
fn urlencoding(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>().replace('+', "%20")
}

#[tokio::test]
async fn guidance_is_translated_where_the_base_has_some_and_a_base_language_can_be_named() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let mut standard = test_standard();
    standard["version"] = json!("t-2.0");
    standard["language"] = json!("FR");
    standard["criteria"][2]["guidance"] = json!("Interroger les travailleurs sur ce qu'ils ont payé");
    let res = app.create_standard(&admin, &standard).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(header(&res, "content-language"), "fr");
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["base_language"], "fr", "stored canonically");
    assert_eq!(created["languages"], json!(["fr"]));
    assert_eq!(created["criteria"][2]["guidance"], "Interroger les travailleurs sur ce qu'ils ont payé");
    assert!(created["criteria"][0].get("guidance").is_none(), "no guidance, no field");

    let path = "/v1/standards/t-2.0/translations/fr";
    let problem = assert_problem(put(&app, &admin, path, french(), None).await, 422, "validation").await;
    assert_eq!(error_fields(&problem), ["language"], "French is this version's own language");

    let english = json!({
        "title": "Test standard",
        "principles": [{"code": "A", "title": "Law"}, {"code": "C", "title": "Fees"}],
        "criteria": [
            {"code": "A.1", "text": "Licensed"}, {"code": "A.2", "text": "Lawful"},
            {"code": "C.1", "text": "No fees"}, {"code": "C.2", "text": "No deductions"}
        ]
    });
    let path = "/v1/standards/t-2.0/translations/en";
    let problem = assert_problem(put(&app, &admin, path, english.clone(), None).await, 422, "validation").await;
    assert_eq!(error_fields(&problem), ["criteria[2].guidance"]);
    let mut complete = english;
    complete["criteria"][2]["guidance"] = json!("Ask workers what they paid");
    assert_eq!(put(&app, &admin, path, complete, None).await.status(), StatusCode::CREATED);
    assert_eq!(publish(&app, &admin, path, None).await.status(), StatusCode::OK);
    let res = app
        .request(Method::GET, "/v1/standards/t-2.0", Some(&admin))
        .header("accept-language", "en-GB")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&res, "content-language"), "en");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["criteria"][2]["guidance"], "Ask workers what they paid");
    assert_eq!(body["criteria"][2]["text"], "No fees");
    assert_eq!(body["base_language"], "fr");
    assert_eq!(body["languages"], json!(["fr", "en"]));
}

#[tokio::test]
async fn every_reader_gets_the_language_asked_for_or_the_base_language() {
    let (app, admin, others) = setup().await;
    assert_eq!(put(&app, &admin, FR, french(), None).await.status(), StatusCode::CREATED);
    assert_eq!(publish(&app, &admin, FR, None).await.status(), StatusCode::OK);
    // A German draft: never served by the standard's read, not even to admins.
    let mut german = french();
    german["title"] = json!("Teststandard");
    let de = "/v1/standards/t-1.0/translations/de";
    assert_eq!(put(&app, &admin, de, german, None).await.status(), StatusCode::CREATED);

    let (_, base_etag, base) = read(&app, &admin, None).await;
    assert_eq!(base["title"], "Test standard");
    assert_eq!(base["base_language"], "en");
    assert_eq!(base["languages"], json!(["en", "fr"]));
    for (role, token) in others.iter().map(|(r, t)| (*r, t.as_str())).chain([(Role::Admin, admin.as_str())]) {
        for (accept, expected) in [
            (None, "en"),
            (Some("fr"), "fr"),
            (Some("FR"), "fr"),
            (Some("fr-CA"), "fr"),
            (Some("de, fr;q=0.8, en;q=0.5"), "fr"),
            (Some("en;q=0.5, fr"), "fr"),
            (Some("en, fr;q=0.9"), "en"),
            (Some("fr;q=0, es"), "en"),
            (Some("ja"), "en"),
            (Some("*"), "en"),
        ] {
            let (language, etag, body) = read(&app, token, accept).await;
            assert_eq!(language, expected, "{role:?} {accept:?}");
            if expected == "fr" {
                assert_eq!(body["title"], "Norme d'essai", "{role:?} {accept:?}");
                assert_eq!(body["principles"][1]["title"], "Frais");
                assert_eq!(body["criteria"][2]["text"], "Aucuns frais");
                assert_ne!(etag, base_etag, "each language has its own ETag");
            } else {
                assert_eq!(body, base, "{role:?} {accept:?}");
                assert_eq!(etag, base_etag);
            }
            // Everything a score depends on is the base version's.
            for field in ["version", "policy", "base_language", "languages", "status"] {
                assert_eq!(body[field], base[field], "{field}");
            }
            let numbers = |b: &Value| {
                b["criteria"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| (c["code"].clone(), c["weight"].clone(), c["critical"].clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(numbers(&body), numbers(&base));
        }
    }

    // A tag is revalidated per language.
    let (_, fr_etag, _) = read(&app, &admin, Some("fr")).await;
    let path = format!("/v1/standards/{TEST_STANDARD}");
    let ask = |accept: &'static str, tag: String| {
        app.request(Method::GET, &path, Some(&admin))
            .header("accept-language", accept)
            .header("if-none-match", tag)
            .send()
    };
    assert_eq!(ask("fr", fr_etag.clone()).await.unwrap().status(), StatusCode::NOT_MODIFIED);
    assert_eq!(ask("en", fr_etag).await.unwrap().status(), StatusCode::OK);

    // The list gives each title in the language asked for, where there is one.
    let res = app
        .request(Method::GET, "/v1/standards", Some(&others[0].1))
        .header("accept-language", "fr-FR")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&res, "vary"), "Accept-Language");
    let list: Value = res.json().await.unwrap();
    let titles: Vec<(&str, &str)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["title"].as_str().unwrap(), s["language"].as_str().unwrap()))
        .collect();
    assert_eq!(titles, [("Ethical Recruitment Standard", "en"), ("Norme d'essai", "fr")]);

    // An Accept-Language longer than documented is refused.
    let long = "fr;q=0.5, ".repeat(120);
    let res = app.request(Method::GET, &path, Some(&admin)).header("accept-language", long).send().await.unwrap();
    assert_problem(res, 400, "bad-request").await;
}

#[tokio::test]
async fn drafts_are_for_admins_only() {
    let (app, admin, others) = setup().await;
    assert_eq!(put(&app, &admin, FR, french(), None).await.status(), StatusCode::CREATED);
    let list = app.get_json("/v1/standards/t-1.0/translations", Some(&admin)).await;
    assert_eq!(list["data"][0]["language"], "fr");
    assert_eq!(list["data"][0]["status"], "draft");
    assert_eq!(list["data"][0]["title"], "Norme d'essai");
    for (role, token) in &others {
        let problem = assert_problem(app.send(Method::GET, FR, token, None).await, 404, "not-found").await;
        assert!(problem["detail"].as_str().unwrap().contains("fr"), "{role:?}: {problem}");
        let list = app.get_json("/v1/standards/t-1.0/translations", Some(token)).await;
        assert_eq!(list["data"], json!([]), "{role:?}");
        assert_eq!(read(&app, token, Some("fr")).await.0, "en", "{role:?}");
    }
    assert_eq!(publish(&app, &admin, FR, None).await.status(), StatusCode::OK);
    for (role, token) in &others {
        assert_eq!(app.get_json(FR, Some(token)).await["status"], "published", "{role:?}");
        let list = app.get_json("/v1/standards/t-1.0/translations", Some(token)).await;
        assert_eq!(list["data"][0]["language"], "fr", "{role:?}");
    }
}

#[tokio::test]
async fn only_admins_translate_and_every_read_needs_a_token() {
    let (app, admin, others) = setup().await;
    for (role, token) in &others {
        let res = put(&app, token, FR, french(), None).await;
        assert_problem(res, 403, "forbidden").await;
        assert_eq!(put(&app, &admin, FR, french(), None).await.status().as_u16() / 100, 2, "{role:?}");
        assert_problem(publish(&app, token, FR, None).await, 403, "forbidden").await;
    }
    let routes = [
        (Method::GET, "/v1/standards/t-1.0/translations".to_owned()),
        (Method::GET, FR.to_owned()),
        (Method::PUT, FR.to_owned()),
        (Method::POST, format!("{FR}/publish")),
    ];
    for (method, path) in routes {
        let body = (method == Method::PUT).then(french);
        let res = app.send_anonymous(method.clone(), &path, body.clone()).await;
        assert_problem(res, 401, "unauthorized").await;
        let res = app.send(method.clone(), &path, "not-a-token", body).await;
        assert_problem(res, 401, "unauthorized").await;
    }
    // Nothing a refused request sent was kept: the draft is the admin's, still a draft.
    assert_eq!(app.get_json(FR, Some(&admin)).await["status"], "draft");
}

#[tokio::test]
async fn an_unknown_version_or_language_is_a_404() {
    let (app, admin, others) = setup().await;
    let res = put(&app, &admin, "/v1/standards/t-9.9/translations/fr", french(), None).await;
    let problem = assert_problem(res, 404, "not-found").await;
    assert!(problem["detail"].as_str().unwrap().contains("t-9.9"), "{problem}");
    let token = &others[0].1;
    for path in [
        "/v1/standards/t-9.9/translations",
        "/v1/standards/t-9.9/translations/fr",
        FR,
        "/v1/standards/t-1.0/translations/fr_FR",
    ] {
        for who in [&admin, token] {
            assert_problem(app.send(Method::GET, path, who, None).await, 404, "not-found").await;
        }
    }
    for path in ["/v1/standards/t-9.9/translations/fr", FR, "/v1/standards/t-1.0/translations/x_1"] {
        assert_problem(publish(&app, &admin, path, None).await, 404, "not-found").await;
    }
    // An If-Match on a translation that does not exist yet names nothing current.
    let res = put(&app, &admin, FR, french(), Some("*")).await;
    assert_problem(res, 412, "precondition-failed").await;
}

#[tokio::test]
async fn a_score_explanation_names_the_principles_in_the_language_asked_for() {
    let w = World::at_start().await;
    w.clock.advance(Duration::minutes(1));
    w.app.publish_test_standard(&w.admin).await;
    w.app.assign(&w.admin, &w.agency, &w.body).await;
    let audit = w.audit("stage2", &[("A.2", "minor"), ("C.2", "major")]).await;
    assert_eq!(put(&w.app, &w.admin, FR, french(), None).await.status(), StatusCode::CREATED);
    let path = format!("/v1/assessments/{audit}/score");
    let explain = |accept: &'static str| {
        w.app.request(Method::GET, &path, Some(&w.body.auditor)).header("accept-language", accept).send()
    };
    // A draft is not served: the titles stay English.
    let res = explain("fr").await.unwrap();
    assert_eq!(header(&res, "content-language"), "en");
    assert_eq!(header(&res, "vary"), "Accept-Language");
    let english: Value = res.json().await.unwrap();
    assert_eq!(english["score"]["principles"][1]["title"], "Fees");

    assert_eq!(publish(&w.app, &w.admin, FR, None).await.status(), StatusCode::OK);
    let res = explain("fr-BE, en;q=0.5").await.unwrap();
    assert_eq!(header(&res, "content-language"), "fr");
    let french: Value = res.json().await.unwrap();
    assert_eq!(french["score"]["principles"][0]["title"], "Loi");
    assert_eq!(french["score"]["principles"][1]["title"], "Frais");
    // Only the titles differ: the fixed score is the same in every language.
    let mut same = french.clone();
    same["score"]["principles"][0]["title"] = json!("Law");
    same["score"]["principles"][1]["title"] = json!("Fees");
    assert_eq!(same, english);
}
