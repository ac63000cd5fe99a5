use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, agency_body, assert_problem, error_fields};

#[tokio::test]
async fn an_admin_registers_an_agency_and_reads_it_back() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let res = app.request(Method::POST, "/v1/agencies", Some(&admin)).json(&agency_body(1)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(res.headers()["etag"], "\"v1\"");
    let created: Value = res.json().await.unwrap();
    assert_eq!(location, format!("/v1/agencies/{}", created["id"].as_str().unwrap()));
    assert_eq!(created["legal_name"], "Himalayan Overseas Manpower 1");
    assert_eq!(created["certification_status"], "never_certified");
    assert_eq!(created["destination_countries"], json!(["QA", "AE"]));
    assert_eq!(created["version"], 1);
    assert!(created["created_at"].as_str().unwrap().ends_with('Z'));

    let res = app.request(Method::GET, &location, Some(&admin)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"v1\"");
    let read: Value = res.json().await.unwrap();
    assert_eq!(read, created, "what is read back is what was created, to the microsecond");
}

#[tokio::test]
async fn an_unknown_agency_is_a_404_problem() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for id in ["0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90", "not-a-uuid"] {
        let res = app.request(Method::GET, &format!("/v1/agencies/{id}"), Some(&admin)).send().await.unwrap();
        assert_problem(res, 404, "not-found").await;
    }
}

#[tokio::test]
async fn the_same_licence_cannot_be_registered_twice_even_spelled_differently() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_agency(&admin, &agency_body(1)).await;
    let mut again = agency_body(2);
    again["licence"]["number"] = json!("dofe-1/2075 ");
    let res = app.request(Method::POST, "/v1/agencies", Some(&admin)).json(&again).send().await.unwrap();
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("NP"));

    // The same number issued by another country is another licence.
    again["licence"]["country"] = json!("BD");
    let res = app.request(Method::POST, "/v1/agencies", Some(&admin)).json(&again).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn invalid_fields_are_each_named_in_a_422() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut body = agency_body(1);
    body["legal_name"] = json!("   ");
    body["licence"]["country"] = json!("XX");
    body["origin_countries"] = json!(["NP", "np"]);
    body["destination_countries"] = json!([]);
    body["contact_email"] = json!("not-an-email");
    body["website"] = json!("javascript:alert(1)");
    body["contact_phone"] = json!("12");
    body["licence"]["valid_from"] = json!("2026-01-01");
    body["licence"]["valid_until"] = json!("2025-01-01");
    let res = app.request(Method::POST, "/v1/agencies", Some(&admin)).json(&body).send().await.unwrap();
    let problem = assert_problem(res, 422, "validation").await;
    let fields = error_fields(&problem);
    for field in [
        "legal_name",
        "licence.country",
        "origin_countries",
        "destination_countries",
        "contact_email",
        "website",
        "contact_phone",
        "licence",
    ] {
        assert!(fields.contains(&field.to_owned()), "{field} missing from {fields:?}");
    }
    // Nothing was written.
    let res = app.request(Method::GET, "/v1/agencies", Some(&admin)).send().await.unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["data"], json!([]));
}

#[tokio::test]
async fn wrong_shapes_name_the_field_and_bad_json_is_a_400() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let cases = [
        (json!({"legal_name": 5}), "legal_name"),
        (
            json!({"legal_name": "A", "licence": {"number": "1", "issuing_authority": "x", "country": 7}}),
            "licence.country",
        ),
        (
            {
                let mut b = agency_body(1);
                b["surprise"] = json!(true);
                b
            },
            "surprise",
        ),
        (
            {
                let mut b = agency_body(1);
                b["sectors"] = json!(["astronaut"]);
                b
            },
            "sectors[0]",
        ),
        (
            {
                let mut b = agency_body(1);
                b["licence"]["valid_from"] = json!("2026-02-30");
                b
            },
            "licence.valid_from",
        ),
    ];
    for (body, field) in cases {
        let res = app.request(Method::POST, "/v1/agencies", Some(&admin)).json(&body).send().await.unwrap();
        let problem = assert_problem(res, 422, "validation").await;
        let fields = error_fields(&problem);
        assert!(fields.iter().any(|f| f == field || f.starts_with(field)), "{field} in {fields:?} for {body}");
    }
    for raw in ["{\"legal_name\": ", "[1,2", "nope", "{} {}"] {
        let res = app
            .request(Method::POST, "/v1/agencies", Some(&admin))
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .unwrap();
        assert_problem(res, 400, "bad-request").await;
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_or_too_large_is_refused() {
    let app = TestApp::spawn_with(|c| c.limits.json_body_bytes = 2048).await;
    let admin = app.admin().await;
    let res = app
        .request(Method::POST, "/v1/agencies", Some(&admin))
        .header("content-type", "text/plain")
        .body(agency_body(1).to_string())
        .send()
        .await
        .unwrap();
    assert_problem(res, 415, "unsupported-media-type").await;

    let mut big = agency_body(1);
    big["legal_name"] = json!("x".repeat(4000));
    let res = app.request(Method::POST, "/v1/agencies", Some(&admin)).json(&big).send().await.unwrap();
    assert_problem(res, 413, "payload-too-large").await;
}

#[tokio::test]
async fn search_ignores_case_and_accents_and_filters_combine() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut sao = agency_body(1);
    sao["legal_name"] = json!("Agência São José Recrutamento");
    sao["trading_names"] = json!(["Lusitânia Jobs"]);
    sao["licence"]["country"] = json!("PH");
    sao["origin_countries"] = json!(["PH"]);
    sao["destination_countries"] = json!(["SA"]);
    sao["sectors"] = json!(["domestic_work", "care"]);
    let sao = app.create_agency(&admin, &sao).await;
    let himal = app.create_agency(&admin, &agency_body(2)).await;
    let mut bd = agency_body(3);
    bd["legal_name"] = json!("Dhaka 100% Manpower_Services");
    bd["trading_names"] = json!([]);
    bd["licence"]["country"] = json!("BD");
    bd["origin_countries"] = json!(["BD"]);
    bd["destination_countries"] = json!(["AE"]);
    let bd = app.create_agency(&admin, &bd).await;

    let ids = |v: Value| -> Vec<String> {
        v["data"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_owned()).collect()
    };
    let search = |query: &'static str| {
        let req = app.request(Method::GET, &format!("/v1/agencies?{query}"), Some(&admin));
        async move {
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), StatusCode::OK, "{query}");
            res.json::<Value>().await.unwrap()
        }
    };
    let id = |v: &Value| v["id"].as_str().unwrap().to_owned();
    assert_eq!(ids(search("q=sao%20jose").await), vec![id(&sao)]);
    assert_eq!(ids(search("q=S%C3%83O%20JOS%C3%89").await), vec![id(&sao)]);
    assert_eq!(ids(search("q=lusitania").await), vec![id(&sao)], "trading names are searched");
    assert_eq!(ids(search("q=himal").await), vec![id(&himal)]);
    assert_eq!(ids(search("q=100%25").await), vec![id(&bd)], "% is a literal, not a wildcard");
    assert_eq!(ids(search("q=a_a").await), Vec::<String>::new(), "_ is a literal, not a wildcard");
    assert_eq!(ids(search("licence_number=dofe-2%2F2075").await), vec![id(&himal)]);
    assert_eq!(ids(search("origin=PH").await), vec![id(&sao)]);
    assert_eq!(ids(search("destination=AE").await), vec![id(&himal), id(&bd)]);
    assert_eq!(ids(search("country=SA").await), vec![id(&sao)]);
    assert_eq!(ids(search("country=NP").await), vec![id(&himal)]);
    assert_eq!(ids(search("sector=care").await), vec![id(&sao)]);
    assert_eq!(ids(search("sector=construction&destination=AE").await), vec![id(&himal), id(&bd)]);
    assert_eq!(ids(search("sector=construction&origin=BD&q=dhaka").await), vec![id(&bd)]);
    assert_eq!(ids(search("status=never_certified").await).len(), 3);
    assert_eq!(ids(search("status=certified").await).len(), 0);
    assert_eq!(ids(search("grade=A").await).len(), 0);
}

#[tokio::test]
async fn pages_follow_the_cursor_to_the_end() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut created = Vec::new();
    for n in 0..5 {
        created.push(app.create_agency(&admin, &agency_body(n)).await["id"].as_str().unwrap().to_owned());
    }
    let mut seen = Vec::new();
    let mut path = "/v1/agencies?limit=2".to_owned();
    loop {
        let page: Value = app.request(Method::GET, &path, Some(&admin)).send().await.unwrap().json().await.unwrap();
        let data = page["data"].as_array().unwrap();
        assert!(data.len() <= 2);
        seen.extend(data.iter().map(|a| a["id"].as_str().unwrap().to_owned()));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/v1/agencies?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(seen, created);
}

#[tokio::test]
async fn bad_query_parameters_are_400_or_422() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    for (query, status, slug) in [
        ("limit=0", 422, "validation"),
        ("limit=201", 422, "validation"),
        ("country=XX", 422, "validation"),
        ("origin=np", 422, "validation"),
        ("q=", 422, "validation"),
        ("limit=abc", 400, "bad-request"),
        ("sector=astronaut", 400, "bad-request"),
        ("cursor=garbage", 400, "bad-request"),
    ] {
        let res = app.request(Method::GET, &format!("/v1/agencies?{query}"), Some(&admin)).send().await.unwrap();
        let problem = assert_problem(res, status, slug).await;
        if status == 422 {
            assert!(!error_fields(&problem).is_empty(), "{query}");
        }
    }
}

#[tokio::test]
async fn patch_changes_only_what_is_sent_and_honours_if_match() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let created = app.create_agency(&admin, &agency_body(1)).await;
    let path = format!("/v1/agencies/{}", created["id"].as_str().unwrap());

    let res = app
        .request(Method::PATCH, &path, Some(&admin))
        .header("if-match", "\"v1\"")
        .json(&json!({"destination_countries": ["SA"], "website": "https://himal.example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"v2\"");
    let updated: Value = res.json().await.unwrap();
    assert_eq!(updated["destination_countries"], json!(["SA"]));
    assert_eq!(updated["website"], "https://himal.example.com");
    assert_eq!(updated["legal_name"], created["legal_name"]);
    assert_eq!(updated["version"], 2);

    // A stale version is refused and changes nothing.
    let res = app
        .request(Method::PATCH, &path, Some(&admin))
        .header("if-match", "\"v1\"")
        .json(&json!({"website": null}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 412, "precondition-failed").await;

    // An invalid change is a 422 whatever If-Match says (preconditions are judged last).
    let res = app
        .request(Method::PATCH, &path, Some(&admin))
        .header("if-match", "\"v1\"")
        .json(&json!({"origin_countries": []}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 422, "validation").await;

    // null clears an optional field; without If-Match the change applies.
    let res = app.request(Method::PATCH, &path, Some(&admin)).json(&json!({"website": null})).send().await.unwrap();
    let cleared: Value = res.json().await.unwrap();
    assert_eq!(cleared["website"], Value::Null);
    assert_eq!(cleared["version"], 3);

    // A no-op patch keeps the version.
    let res = app.request(Method::PATCH, &path, Some(&admin)).json(&json!({})).send().await.unwrap();
    assert_eq!(res.json::<Value>().await.unwrap()["version"], 3);

    // Required fields cannot be cleared; the result must still be valid.
    for bad in [json!({"legal_name": null}), json!({"origin_countries": []}), json!({"unknown": 1})] {
        let res = app.request(Method::PATCH, &path, Some(&admin)).json(&bad).send().await.unwrap();
        assert_problem(res, 422, "validation").await;
    }

    let missing = "/v1/agencies/0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90";
    let res = app.request(Method::PATCH, missing, Some(&admin)).json(&json!({})).send().await.unwrap();
    assert_problem(res, 404, "not-found").await;
}

#[tokio::test]
async fn patching_a_licence_onto_one_already_registered_is_a_409() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    app.create_agency(&admin, &agency_body(1)).await;
    let second = app.create_agency(&admin, &agency_body(2)).await;
    let path = format!("/v1/agencies/{}", second["id"].as_str().unwrap());
    let res = app
        .request(Method::PATCH, &path, Some(&admin))
        .json(&json!({"licence": agency_body(1)["licence"]}))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "conflict").await;
}

#[tokio::test]
async fn an_idempotency_key_makes_a_retry_return_the_first_answer() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let send = |body: Value, key: &'static str| {
        app.request(Method::POST, "/v1/agencies", Some(&admin)).header("idempotency-key", key).json(&body).send()
    };
    let first = send(agency_body(1), "create-himal-1").await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();

    let again = send(agency_body(1), "create-himal-1").await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);

    let res = send(agency_body(2), "create-himal-1").await.unwrap();
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(error_fields(&problem), vec!["Idempotency-Key"]);

    let list: Value =
        app.request(Method::GET, "/v1/agencies", Some(&admin)).send().await.unwrap().json().await.unwrap();
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "the retry created nothing");

    let res = app
        .request(Method::POST, "/v1/agencies", Some(&admin))
        .header("idempotency-key", "")
        .json(&agency_body(3))
        .send()
        .await
        .unwrap();
    assert_problem(res, 400, "bad-request").await;
}

#[tokio::test]
async fn only_admins_register_agencies_and_everyone_needs_a_token() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let agency_id = agency["id"].as_str().unwrap();
    let cb = "0193f0a4-0000-7000-8000-000000000001";
    let tokens = [
        (Role::Auditor, app.token_for(Role::Auditor, Some(cb), None).await),
        (Role::Certifier, app.token_for(Role::Certifier, Some(cb), None).await),
        (Role::Agency, app.token_for(Role::Agency, None, Some(agency_id)).await),
        (Role::Integrator, app.token_for(Role::Integrator, None, None).await),
    ];
    for (role, token) in &tokens {
        let res = app.request(Method::POST, "/v1/agencies", Some(token)).json(&agency_body(9)).send().await.unwrap();
        assert_problem(res, 403, "forbidden").await;
        let _ = role;
    }
    let res = app.request(Method::POST, "/v1/agencies", None).json(&agency_body(9)).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
    for path in ["/v1/agencies".to_owned(), format!("/v1/agencies/{agency_id}")] {
        let res = app.request(Method::GET, &path, None).send().await.unwrap();
        assert_problem(res, 401, "unauthorized").await;
    }
}

#[tokio::test]
async fn read_and_update_permissions_follow_the_roles() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mine = app.create_agency(&admin, &agency_body(1)).await;
    let other = app.create_agency(&admin, &agency_body(2)).await;
    let (mine_id, other_id) = (mine["id"].as_str().unwrap(), other["id"].as_str().unwrap());
    let cb = "0193f0a4-0000-7000-8000-000000000001";
    let agency = app.token_for(Role::Agency, None, Some(mine_id)).await;
    let auditor = app.token_for(Role::Auditor, Some(cb), None).await;
    let certifier = app.token_for(Role::Certifier, Some(cb), None).await;
    let integrator = app.token_for(Role::Integrator, None, None).await;
    let mine_path = format!("/v1/agencies/{mine_id}");
    let other_path = format!("/v1/agencies/{other_id}");
    let profile = json!({"contact_email": "hello@himal.example.com"});
    let identity = json!({"legal_name": "Renamed Ltd"});

    let status = |method: Method, path: &str, token: &str, body: Option<&Value>| {
        let req = app.request(method, path, Some(token));
        let req = match body {
            Some(b) => req.json(b),
            None => req,
        };
        async move { req.send().await.unwrap().status().as_u16() }
    };

    // Everyone but an agency reads every agency; an agency reads only itself.
    for token in [&admin, &auditor, &certifier, &integrator] {
        assert_eq!(status(Method::GET, &other_path, token, None).await, 200);
    }
    assert_eq!(status(Method::GET, &mine_path, &agency, None).await, 200);
    assert_eq!(status(Method::GET, &other_path, &agency, None).await, 403);
    let listed: Value =
        app.request(Method::GET, "/v1/agencies", Some(&agency)).send().await.unwrap().json().await.unwrap();
    let listed: Vec<&str> = listed["data"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(listed, vec![mine_id], "an agency lists only itself");
    let listed: Value =
        app.request(Method::GET, "/v1/agencies", Some(&integrator)).send().await.unwrap().json().await.unwrap();
    assert_eq!(listed["data"].as_array().unwrap().len(), 2);

    // An agency edits its own profile, not its identity, and not another agency.
    assert_eq!(status(Method::PATCH, &mine_path, &agency, Some(&profile)).await, 200);
    let res = app.request(Method::PATCH, &mine_path, Some(&agency)).json(&identity).send().await.unwrap();
    let problem = assert_problem(res, 403, "forbidden").await;
    assert!(problem["detail"].as_str().unwrap().contains("licence"));
    assert_eq!(status(Method::PATCH, &other_path, &agency, Some(&profile)).await, 403);
    // Auditors, certifiers and integrators edit nothing; admins edit everything.
    for token in [&auditor, &certifier, &integrator] {
        assert_eq!(status(Method::PATCH, &mine_path, token, Some(&profile)).await, 403);
    }
    assert_eq!(status(Method::PATCH, &mine_path, &admin, Some(&identity)).await, 200);
    assert_eq!(status(Method::PATCH, &mine_path, "not-a-token", Some(&profile)).await, 401);
}
