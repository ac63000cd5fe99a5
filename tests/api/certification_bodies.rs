use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, TestApp, agency_body, assert_problem, certification_body, error_fields, id, ids};

#[tokio::test]
async fn an_admin_registers_a_body_and_reads_it_back() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let res =
        app.send(Method::POST, "/v1/certification-bodies", &admin, Some(certification_body(1, "accredited"))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert_eq!(res.headers()["etag"], "\"v1\"");
    let created: Value = res.json().await.unwrap();
    assert_eq!(location, format!("/v1/certification-bodies/{}", id(&created)));
    assert_eq!(created["name"], "Gulf Ethical Audit 1");
    assert_eq!(created["country"], "AE");
    assert_eq!(created["website"], "https://gulf-audit-1.example.com");
    assert_eq!(created["accreditation_status"], "accredited");
    assert_eq!(created["accredited_until"], "2029-06-30");
    assert_eq!(created["version"], 1);
    assert!(created["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(created["updated_at"], created["created_at"]);

    let res = app.send(Method::GET, &location, &admin, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"v1\"");
    assert_eq!(res.json::<Value>().await.unwrap(), created, "what is read back is what was created");

    let list: Value = app.get_json("/v1/certification-bodies", Some(&admin)).await;
    assert_eq!(list["data"], json!([created]));
    assert_eq!(list["next_cursor"], Value::Null);

    // Optional fields may be left out; the name is trimmed.
    let created = app
        .create_body(
            &admin,
            &json!({"name": "  Dhaka Compliance Partners  ", "country": "BD", "accreditation_status": "pending"}),
        )
        .await;
    assert_eq!(created["name"], "Dhaka Compliance Partners");
    assert_eq!(created["website"], Value::Null);
    assert_eq!(created["accredited_until"], Value::Null);
    assert_eq!(created["accreditation_status"], "pending");
}

#[tokio::test]
async fn an_unknown_body_is_a_404() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    for id in [MISSING, "not-a-uuid"] {
        let res = app.send(Method::GET, &format!("/v1/certification-bodies/{id}"), &admin, None).await;
        assert_problem(res, 404, "not-found").await;
    }
}

#[tokio::test]
async fn pages_follow_the_cursor_to_the_end() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let mut created = Vec::new();
    for n in 0..3 {
        created.push(id(&app.create_body(&admin, &certification_body(n, "accredited")).await).to_owned());
    }
    let pages = app.pages("/v1/certification-bodies?limit=1", Some(&admin)).await;
    assert!(pages.len() <= 3, "the cursor must not loop: {pages:?}");
    let mut seen = Vec::new();
    for page in &pages {
        assert_eq!(page["data"].as_array().unwrap().len(), 1, "{page}");
        seen.extend(ids(page));
    }
    assert_eq!(seen, created);

    for (query, status, slug) in
        [("limit=0", 422, "validation"), ("limit=201", 422, "validation"), ("cursor=garbage", 400, "bad-request")]
    {
        let res = app.send(Method::GET, &format!("/v1/certification-bodies?{query}"), &admin, None).await;
        assert_problem(res, status, slug).await;
    }
}

#[tokio::test]
async fn invalid_fields_are_each_named_in_a_422() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let bad = json!({"name": "   ", "country": "XX", "website": "ftp://audit.example.com", "accreditation_status": "accredited"});
    let res = app.send(Method::POST, "/v1/certification-bodies", &admin, Some(bad)).await;
    let problem = assert_problem(res, 422, "validation").await;
    let fields = error_fields(&problem);
    for field in ["name", "country", "website"] {
        assert!(fields.contains(&field.to_owned()), "{field} missing from {fields:?}");
    }
    // (body, field named, what its message mentions); a missing field is named itself.
    for (body, field, mentions) in [
        (json!({"name": "A", "country": "AE"}), "accreditation_status", "missing field"),
        (json!({"name": "A", "country": "AE", "accreditation_status": "revered"}), "accreditation_status", "revered"),
        (json!({"name": "A", "country": "ae", "accreditation_status": "pending"}), "country", "ISO 3166"),
        (
            json!({"name": "A", "country": "AE", "accreditation_status": "pending", "surprise": 1}),
            "surprise",
            "surprise",
        ),
        (
            json!({"name": "A", "country": "AE", "accreditation_status": "pending", "accredited_until": "2029-02-30"}),
            "accredited_until",
            "",
        ),
        (json!({"name": "x".repeat(201), "country": "AE", "accreditation_status": "pending"}), "name", "200"),
    ] {
        let res = app.send(Method::POST, "/v1/certification-bodies", &admin, Some(body.clone())).await;
        let problem = assert_problem(res, 422, "validation").await;
        let errors = problem["errors"].as_array().unwrap();
        assert!(
            errors.iter().any(|e| e["field"] == field && e["message"].as_str().unwrap().contains(mentions)),
            "{field} ({mentions}) in {problem}"
        );
    }
    // Nothing was written.
    let list: Value = app.get_json("/v1/certification-bodies", Some(&admin)).await;
    assert_eq!(list["data"], json!([]));
}

#[tokio::test]
async fn patch_changes_only_what_is_sent_and_honours_if_match() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let created = app.create_body(&admin, &certification_body(1, "accredited")).await;
    let path = format!("/v1/certification-bodies/{}", id(&created));

    let res = app
        .send_if_match(
            Method::PATCH,
            &path,
            &admin,
            "\"v1\"",
            json!({"accreditation_status": "suspended", "accredited_until": null}),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"v2\"");
    let updated: Value = res.json().await.unwrap();
    assert_eq!(updated["accreditation_status"], "suspended");
    assert_eq!(updated["accredited_until"], Value::Null);
    assert_eq!(updated["name"], created["name"]);
    assert_eq!(updated["country"], created["country"]);
    assert_eq!(updated["website"], created["website"]);
    assert_eq!(updated["version"], 2);
    assert_eq!(updated["created_at"], created["created_at"]);

    let res = app.send(Method::GET, &path, &admin, None).await;
    assert_eq!(res.headers()["etag"], "\"v2\"");
    assert_eq!(res.json::<Value>().await.unwrap(), updated);

    // A stale version is refused and changes nothing.
    let res = app.send_if_match(Method::PATCH, &path, &admin, "\"v1\"", json!({"name": "Renamed"})).await;
    assert_problem(res, 412, "precondition-failed").await;

    // Invalid values are named, and the result must still be valid.
    for (bad, field) in [
        (json!({"country": "XX"}), "country"),
        (json!({"name": "  "}), "name"),
        (json!({"website": "javascript:alert(1)"}), "website"),
        (json!({"name": null}), "name"),
        (json!({"country": null}), "country"),
        (json!({"accreditation_status": null}), "accreditation_status"),
        (json!({"unknown": 1}), "unknown"),
    ] {
        let res = app.send(Method::PATCH, &path, &admin, Some(bad.clone())).await;
        let problem = assert_problem(res, 422, "validation").await;
        let fields = error_fields(&problem);
        assert!(fields.iter().any(|f| f == field), "{field} in {fields:?} for {bad}");
    }
    let res = app.send(Method::GET, &path, &admin, None).await;
    assert_eq!(res.json::<Value>().await.unwrap(), updated, "no refused change was written");

    // null clears an optional field; without If-Match the change applies; merge-patch is accepted.
    let res = app
        .send_raw(
            Method::PATCH,
            &path,
            &admin,
            "application/merge-patch+json",
            json!({"website": null, "name": " Gulf Audit "}).to_string(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["etag"], "\"v3\"");
    let cleared: Value = res.json().await.unwrap();
    assert_eq!(cleared["website"], Value::Null);
    assert_eq!(cleared["name"], "Gulf Audit");
    assert_eq!(cleared["version"], 3);

    let res = app
        .send(Method::PATCH, &format!("/v1/certification-bodies/{MISSING}"), &admin, Some(json!({"name": "Ghost"})))
        .await;
    assert_problem(res, 404, "not-found").await;
}

#[tokio::test]
async fn any_role_reads_bodies_but_only_admins_change_them() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let created = app.create_body(&admin, &certification_body(1, "accredited")).await;
    let path = format!("/v1/certification-bodies/{}", id(&created));
    let tokens = app.non_admin_tokens(id(&created), id(&agency)).await;
    for (role, token) in &tokens {
        let res = app.send(Method::GET, "/v1/certification-bodies", token, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{role:?}");
        assert_eq!(res.json::<Value>().await.unwrap()["data"], json!([created]), "{role:?}");
        let res = app.send(Method::GET, &path, token, None).await;
        assert_eq!(res.status(), StatusCode::OK, "{role:?}");
        assert_eq!(res.json::<Value>().await.unwrap(), created, "{role:?}");

        let res =
            app.send(Method::POST, "/v1/certification-bodies", token, Some(certification_body(2, "accredited"))).await;
        let problem = assert_problem(res, 403, "forbidden").await;
        assert!(problem["detail"].as_str().unwrap().contains(role.as_str()), "{problem}");
        let res = app.send(Method::PATCH, &path, token, Some(json!({"accreditation_status": "withdrawn"}))).await;
        assert_problem(res, 403, "forbidden").await;
    }
    for (method, path) in [
        (Method::GET, "/v1/certification-bodies".to_owned()),
        (Method::GET, path.clone()),
        (Method::POST, "/v1/certification-bodies".to_owned()),
        (Method::PATCH, path.clone()),
    ] {
        let res = app.send_anonymous(method.clone(), &path, Some(certification_body(3, "accredited"))).await;
        assert_problem(res, 401, "unauthorized").await;
    }

    // Nothing changed.
    let list: Value = app.get_json("/v1/certification-bodies", Some(&admin)).await;
    assert_eq!(list["data"], json!([created]));
}

#[tokio::test]
async fn an_admin_assigns_an_agency_to_an_accredited_body() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let accredited = app.create_body(&admin, &certification_body(1, "accredited")).await;
    assert_eq!(app.certification_status(&admin, id(&agency)).await, "never_certified");

    let res = app.apply(Some(&admin), id(&agency), id(&accredited)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let application: Value = res.json().await.unwrap();
    assert!(uuid::Uuid::parse_str(id(&application)).is_ok(), "{application}");
    assert_eq!(application["agency_id"], agency["id"]);
    assert_eq!(application["certification_body_id"], accredited["id"]);
    assert_eq!(application["status"], "accepted");
    assert_eq!(application["reason"], Value::Null);
    assert!(application["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(application["decided_at"], application["created_at"], "an admin's assignment is decided at once");

    let res = app.send(Method::GET, &format!("/v1/agencies/{}", id(&agency)), &admin, None).await;
    assert_eq!(res.headers()["etag"], "\"v2\"");
    let after: Value = res.json().await.unwrap();
    assert_eq!(after["certification_status"], "applicant");
    assert_eq!(after["version"], 2);

    // One open application per body.
    let problem = assert_problem(app.apply(Some(&admin), id(&agency), id(&accredited)).await, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("open application"), "{problem}");

    // Only accredited bodies take applications.
    for status in ["pending", "suspended", "withdrawn"] {
        let body = app.create_body(&admin, &certification_body(2, status)).await;
        let problem = assert_problem(app.apply(Some(&admin), id(&agency), id(&body)).await, 409, "conflict").await;
        assert!(problem["detail"].as_str().unwrap().contains(status), "{problem}");
    }

    // An unknown body is a field error; an unknown agency is a 404.
    for body_id in [MISSING, "not-a-uuid"] {
        let problem = assert_problem(app.apply(Some(&admin), id(&agency), body_id).await, 422, "validation").await;
        assert_eq!(error_fields(&problem), ["certification_body_id"]);
    }
    assert_problem(app.apply(Some(&admin), MISSING, id(&accredited)).await, 404, "not-found").await;
    let res =
        app.send(Method::POST, &format!("/v1/agencies/{}/applications", id(&agency)), &admin, Some(json!({}))).await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(error_fields(&problem), vec!["certification_body_id"], "{problem}");

    // A second accredited body may take the same agency, which stays an applicant.
    let other = app.create_body(&admin, &certification_body(3, "accredited")).await;
    let res = app.apply(Some(&admin), id(&agency), id(&other)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(app.certification_status(&admin, id(&agency)).await, "applicant");
}

#[tokio::test]
async fn an_agency_applies_only_for_itself() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let mine = app.create_agency(&admin, &agency_body(1)).await;
    let other = app.create_agency(&admin, &agency_body(2)).await;
    let cb = app.create_body(&admin, &certification_body(1, "accredited")).await;
    let agency = app.token_for(Role::Agency, None, Some(id(&mine))).await;

    let res = app.apply(Some(&agency), id(&mine), id(&cb)).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let application: Value = res.json().await.unwrap();
    assert_eq!(application["status"], "pending");
    assert_eq!(application["agency_id"], mine["id"]);
    assert_eq!(application["certification_body_id"], cb["id"]);
    assert_eq!(application["decided_at"], Value::Null);
    assert_eq!(app.certification_status(&admin, id(&mine)).await, "applicant");

    // A pending application is open too: neither the agency nor an admin can open another.
    assert_problem(app.apply(Some(&agency), id(&mine), id(&cb)).await, 409, "conflict").await;
    assert_problem(app.apply(Some(&admin), id(&mine), id(&cb)).await, 409, "conflict").await;

    let problem = assert_problem(app.apply(Some(&agency), id(&other), id(&cb)).await, 403, "forbidden").await;
    assert!(problem["detail"].as_str().unwrap().contains("agency"), "{problem}");
    let integrator = app.token_for(Role::Integrator, None, None).await;
    let auditor = app.token_for(Role::Auditor, Some(id(&cb)), None).await;
    let certifier = app.token_for(Role::Certifier, Some(id(&cb)), None).await;
    for token in [&integrator, &auditor, &certifier] {
        assert_problem(app.apply(Some(token), id(&other), id(&cb)).await, 403, "forbidden").await;
    }
    assert_problem(app.apply(None, id(&other), id(&cb)).await, 401, "unauthorized").await;

    // The other agency was never touched.
    assert_eq!(app.certification_status(&admin, id(&other)).await, "never_certified");
    let res = app.apply(Some(&admin), id(&other), id(&cb)).await;
    assert_eq!(res.status(), StatusCode::CREATED, "no refused request left an application behind");
}
