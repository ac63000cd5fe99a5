use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, TestApp, UNREGISTERED_BODY, agency_body, assert_problem, error_fields, id, ids};

#[tokio::test]
async fn an_admin_registers_an_agency_and_reads_it_back() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let res = app.send(Method::POST, "/v1/agencies", &admin, Some(agency_body(1))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(res.headers()["etag"], "\"v1\"");
    let created: Value = res.json().await.unwrap();
    assert_eq!(location, format!("/v1/agencies/{}", id(&created)));
    assert_eq!(created["legal_name"], "Himalayan Overseas Manpower 1");
    assert_eq!(created["certification_status"], "never_certified");
    assert_eq!(created["destination_countries"], json!(["QA", "AE"]));
    assert_eq!(created["version"], 1);
    assert!(created["created_at"].as_str().unwrap().ends_with('Z'));

    let res = app.send(Method::GET, &location, &admin, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"v1\"");
    let read: Value = res.json().await.unwrap();
    assert_eq!(read, created, "what is read back is what was created, to the microsecond");
}

#[tokio::test]
async fn an_unknown_agency_is_a_404_problem() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    for id in [MISSING, "not-a-uuid"] {
        let res = app.send(Method::GET, &format!("/v1/agencies/{id}"), &admin, None).await;
        assert_problem(res, 404, "not-found").await;
    }
}

#[tokio::test]
async fn the_same_licence_cannot_be_registered_twice_even_spelled_differently() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    app.create_agency(&admin, &agency_body(1)).await;
    let mut again = agency_body(2);
    again["licence"]["number"] = json!("dofe-1/2075 ");
    let res = app.send(Method::POST, "/v1/agencies", &admin, Some(again.clone())).await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("NP"));

    // The same number issued by another country is another licence.
    again["licence"]["country"] = json!("BD");
    let res = app.send(Method::POST, "/v1/agencies", &admin, Some(again.clone())).await;
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn invalid_fields_are_each_named_in_a_422() {
    let (app, admin) = TestApp::spawn_as_admin().await;
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
    let res = app.send(Method::POST, "/v1/agencies", &admin, Some(body.clone())).await;
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
    let res = app.send(Method::GET, "/v1/agencies", &admin, None).await;
    assert_eq!(res.json::<Value>().await.unwrap()["data"], json!([]));
}

#[tokio::test]
async fn wrong_shapes_name_the_field_and_bad_json_is_a_400() {
    let (app, admin) = TestApp::spawn_as_admin().await;
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
        let res = app.send(Method::POST, "/v1/agencies", &admin, Some(body.clone())).await;
        let problem = assert_problem(res, 422, "validation").await;
        let fields = error_fields(&problem);
        assert!(fields.iter().any(|f| f == field || f.starts_with(field)), "{field} in {fields:?} for {body}");
    }
    for raw in ["{\"legal_name\": ", "[1,2", "nope", "{} {}"] {
        let res = app.send_raw(Method::POST, "/v1/agencies", &admin, "application/json", raw).await;
        assert_problem(res, 400, "bad-request").await;
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_or_too_large_is_refused() {
    let app = TestApp::spawn_with(|c| c.limits.json_body_bytes = 2048).await;
    let admin = app.admin().await;
    let res = app.send_raw(Method::POST, "/v1/agencies", &admin, "text/plain", agency_body(1).to_string()).await;
    assert_problem(res, 415, "unsupported-media-type").await;

    let mut big = agency_body(1);
    big["legal_name"] = json!("x".repeat(4000));
    let res = app.send(Method::POST, "/v1/agencies", &admin, Some(big.clone())).await;
    assert_problem(res, 413, "payload-too-large").await;
}

#[tokio::test]
async fn search_ignores_case_and_accents_and_filters_combine() {
    let (app, admin) = TestApp::spawn_as_admin().await;
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

    let search = |query: &'static str| {
        let (app, admin) = (&app, &admin);
        async move { app.get_json(&format!("/v1/agencies?{query}"), Some(admin)).await }
    };
    assert_eq!(ids(&search("q=sao%20jose").await), vec![id(&sao)]);
    assert_eq!(ids(&search("q=S%C3%83O%20JOS%C3%89").await), vec![id(&sao)]);
    assert_eq!(ids(&search("q=lusitania").await), vec![id(&sao)], "trading names are searched");
    assert_eq!(ids(&search("q=himal").await), vec![id(&himal)]);
    assert_eq!(ids(&search("q=100%25").await), vec![id(&bd)], "% is a literal, not a wildcard");
    assert_eq!(ids(&search("q=a_a").await), Vec::<String>::new(), "_ is a literal, not a wildcard");
    assert_eq!(ids(&search("licence_number=dofe-2%2F2075").await), vec![id(&himal)]);
    assert_eq!(ids(&search("origin=PH").await), vec![id(&sao)]);
    assert_eq!(ids(&search("destination=AE").await), vec![id(&himal), id(&bd)]);
    assert_eq!(ids(&search("country=SA").await), vec![id(&sao)]);
    assert_eq!(ids(&search("country=NP").await), vec![id(&himal)]);
    assert_eq!(ids(&search("sector=care").await), vec![id(&sao)]);
    assert_eq!(ids(&search("sector=construction&destination=AE").await), vec![id(&himal), id(&bd)]);
    assert_eq!(ids(&search("sector=construction&origin=BD&q=dhaka").await), vec![id(&bd)]);
    assert_eq!(ids(&search("status=never_certified").await).len(), 3);
    assert_eq!(ids(&search("status=certified").await).len(), 0);
    assert_eq!(ids(&search("grade=A").await).len(), 0);
}

#[tokio::test]
async fn pages_follow_the_cursor_to_the_end() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let mut created = Vec::new();
    for n in 0..5 {
        created.push(id(&app.create_agency(&admin, &agency_body(n)).await).to_owned());
    }
    let mut seen = Vec::new();
    for page in app.pages("/v1/agencies?limit=2", Some(&admin)).await {
        assert!(page["data"].as_array().unwrap().len() <= 2);
        seen.extend(ids(&page));
    }
    assert_eq!(seen, created);
}

#[tokio::test]
async fn bad_query_parameters_are_400_or_422() {
    let (app, admin) = TestApp::spawn_as_admin().await;
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
        let res = app.send(Method::GET, &format!("/v1/agencies?{query}"), &admin, None).await;
        let problem = assert_problem(res, status, slug).await;
        if status == 422 {
            assert!(!error_fields(&problem).is_empty(), "{query}");
        }
    }
}

#[tokio::test]
async fn patch_changes_only_what_is_sent_and_honours_if_match() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let created = app.create_agency(&admin, &agency_body(1)).await;
    let path = format!("/v1/agencies/{}", id(&created));

    let res = app
        .send_if_match(
            Method::PATCH,
            &path,
            &admin,
            "\"v1\"",
            json!({"destination_countries": ["SA"], "website": "https://himal.example.com"}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"v2\"");
    let updated: Value = res.json().await.unwrap();
    assert_eq!(updated["destination_countries"], json!(["SA"]));
    assert_eq!(updated["website"], "https://himal.example.com");
    assert_eq!(updated["legal_name"], created["legal_name"]);
    assert_eq!(updated["version"], 2);

    // A stale version is refused and changes nothing.
    let res = app.send_if_match(Method::PATCH, &path, &admin, "\"v1\"", json!({"website": null})).await;
    assert_problem(res, 412, "precondition-failed").await;

    // An invalid change is a 422 whatever If-Match says (preconditions are judged last).
    let res = app.send_if_match(Method::PATCH, &path, &admin, "\"v1\"", json!({"origin_countries": []})).await;
    assert_problem(res, 422, "validation").await;

    // null clears an optional field; without If-Match the change applies.
    let res = app.send(Method::PATCH, &path, &admin, Some(json!({"website": null}))).await;
    let cleared: Value = res.json().await.unwrap();
    assert_eq!(cleared["website"], Value::Null);
    assert_eq!(cleared["version"], 3);

    // A no-op patch keeps the version.
    let res = app.send(Method::PATCH, &path, &admin, Some(json!({}))).await;
    assert_eq!(res.json::<Value>().await.unwrap()["version"], 3);

    // Required fields cannot be cleared; the result must still be valid.
    for bad in [json!({"legal_name": null}), json!({"origin_countries": []}), json!({"unknown": 1})] {
        let res = app.send(Method::PATCH, &path, &admin, Some(bad.clone())).await;
        assert_problem(res, 422, "validation").await;
    }

    let missing = format!("/v1/agencies/{MISSING}");
    let res = app.send(Method::PATCH, &missing, &admin, Some(json!({}))).await;
    assert_problem(res, 404, "not-found").await;
}

#[tokio::test]
async fn patching_a_licence_onto_one_already_registered_is_a_409() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    app.create_agency(&admin, &agency_body(1)).await;
    let second = app.create_agency(&admin, &agency_body(2)).await;
    let path = format!("/v1/agencies/{}", id(&second));
    let res = app.send(Method::PATCH, &path, &admin, Some(json!({"licence": agency_body(1)["licence"]}))).await;
    assert_problem(res, 409, "conflict").await;
}

#[tokio::test]
async fn an_idempotency_key_makes_a_retry_return_the_first_answer() {
    let (app, admin) = TestApp::spawn_as_admin().await;
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

    let list: Value = app.get_json("/v1/agencies", Some(&admin)).await;
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
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let agency_id = id(&agency);
    let tokens = app.non_admin_tokens(UNREGISTERED_BODY, agency_id).await;
    for (role, token) in &tokens {
        let res = app.send(Method::POST, "/v1/agencies", token, Some(agency_body(9))).await;
        assert_problem(res, 403, "forbidden").await;
        let _ = role;
    }
    let res = app.send_anonymous(Method::POST, "/v1/agencies", Some(agency_body(9))).await;
    assert_problem(res, 401, "unauthorized").await;
    for path in ["/v1/agencies".to_owned(), format!("/v1/agencies/{agency_id}")] {
        let res = app.send_anonymous(Method::GET, &path, None).await;
        assert_problem(res, 401, "unauthorized").await;
    }
}

#[tokio::test]
async fn read_and_update_permissions_follow_the_roles() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let mine = app.create_agency(&admin, &agency_body(1)).await;
    let other = app.create_agency(&admin, &agency_body(2)).await;
    let (mine_id, other_id) = (id(&mine), id(&other));
    let cb = UNREGISTERED_BODY;
    let agency = app.token_for(Role::Agency, None, Some(mine_id)).await;
    let auditor = app.token_for(Role::Auditor, Some(cb), None).await;
    let certifier = app.token_for(Role::Certifier, Some(cb), None).await;
    let integrator = app.token_for(Role::Integrator, None, None).await;
    let mine_path = format!("/v1/agencies/{mine_id}");
    let other_path = format!("/v1/agencies/{other_id}");
    let profile = json!({"contact_email": "hello@himal.example.com"});
    let identity = json!({"legal_name": "Renamed Ltd"});

    // Everyone but an agency reads every agency; an agency reads only itself.
    for token in [&admin, &auditor, &certifier, &integrator] {
        assert_eq!(app.status(Method::GET, &other_path, token, None).await, 200);
    }
    assert_eq!(app.status(Method::GET, &mine_path, &agency, None).await, 200);
    assert_eq!(app.status(Method::GET, &other_path, &agency, None).await, 403);
    let listed: Value = app.get_json("/v1/agencies", Some(&agency)).await;
    assert_eq!(ids(&listed), vec![mine_id], "an agency lists only itself");
    let listed: Value = app.get_json("/v1/agencies", Some(&integrator)).await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 2);

    // An agency edits its own profile, not its identity, and not another agency.
    assert_eq!(app.status(Method::PATCH, &mine_path, &agency, Some(profile.clone())).await, 200);
    let res = app.send(Method::PATCH, &mine_path, &agency, Some(identity.clone())).await;
    let problem = assert_problem(res, 403, "forbidden").await;
    assert!(problem["detail"].as_str().unwrap().contains("licence"));
    assert_eq!(app.status(Method::PATCH, &other_path, &agency, Some(profile.clone())).await, 403);
    // Auditors, certifiers and integrators edit nothing; admins edit everything.
    for token in [&auditor, &certifier, &integrator] {
        assert_eq!(app.status(Method::PATCH, &mine_path, token, Some(profile.clone())).await, 403);
    }
    assert_eq!(app.status(Method::PATCH, &mine_path, &admin, Some(identity.clone())).await, 200);
    assert_eq!(app.status(Method::PATCH, &mine_path, "not-a-token", Some(profile.clone())).await, 401);
}
