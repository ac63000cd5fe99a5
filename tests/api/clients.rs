use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    MISSING, TestApp, UNREGISTERED_BODY, agency_body, assert_problem, certification_body, error_fields, id,
};

#[tokio::test]
async fn an_admin_creates_lists_and_revokes_clients_and_the_secret_shows_once() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let res = app
        .send(Method::POST, "/v1/clients", &admin, Some(json!({"name": "TalentBridge", "role": "integrator"})))
        .await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let created: Value = res.json().await.unwrap();
    let id = created["client_id"].as_str().unwrap().to_owned();
    let secret = created["client_secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("fhs_") && secret.len() >= 40);
    assert_eq!(created["role"], "integrator");
    assert_eq!(created["revoked_at"], Value::Null);

    let list: Value = app.get_json("/v1/clients", Some(&admin)).await;
    let listed = list["data"].as_array().unwrap().iter().find(|c| c["client_id"] == id.as_str()).unwrap().clone();
    assert_eq!(listed["name"], "TalentBridge");
    assert!(listed.get("client_secret").is_none());
    assert!(!list.to_string().contains(&secret), "a listing never shows a secret");

    // The secret is stored only as an argon2 hash.
    let hash = app.client_secret_hash(&id).await;
    assert!(hash.starts_with("$argon2id$") && !hash.contains(&secret));

    let path = format!("/v1/clients/{id}");
    assert_eq!(app.send(Method::DELETE, &path, &admin, None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.send(Method::DELETE, &path, &admin, None).await.status(), StatusCode::NO_CONTENT);
    let list: Value = app.get_json("/v1/clients", Some(&admin)).await;
    let listed = list["data"].as_array().unwrap().iter().find(|c| c["client_id"] == id.as_str()).unwrap().clone();
    assert!(listed["revoked_at"].is_string());

    let res = app.send(Method::DELETE, &format!("/v1/clients/{MISSING}"), &admin, None).await;
    assert_problem(res, 404, "not-found").await;
}

#[tokio::test]
async fn a_client_gets_exactly_the_binding_its_role_needs() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let agency_id = id(&agency);
    let body = app.create_body(&admin, &certification_body(1, "accredited")).await;
    let cb = id(&body);
    let cases = [
        (json!({"name": "a", "role": "auditor"}), vec!["certification_body_id", "person_ref"]),
        (json!({"name": "a", "role": "auditor", "person_ref": "P-1"}), vec!["certification_body_id"]),
        (
            json!({"name": "a", "role": "certifier", "certification_body_id": "not-a-uuid", "person_ref": "P-1"}),
            vec!["certification_body_id"],
        ),
        (json!({"name": "a", "role": "agency"}), vec!["agency_id"]),
        (json!({"name": "a", "role": "agency", "agency_id": MISSING}), vec!["agency_id"]),
        (json!({"name": "a", "role": "integrator", "agency_id": agency_id}), vec!["agency_id"]),
        (json!({"name": "a", "role": "admin", "certification_body_id": cb}), vec!["certification_body_id"]),
        (json!({"name": "", "role": "admin"}), vec!["name"]),
        (json!({"name": "  ", "role": "agency"}), vec!["name", "agency_id"]),
        (json!({"name": "a", "role": "root"}), vec!["role"]),
    ];
    for (body, fields) in cases {
        let res = app.send(Method::POST, "/v1/clients", &admin, Some(body.clone())).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(error_fields(&problem), fields, "{body}");
    }
    for body in [
        json!({"name": "auditor", "role": "auditor", "certification_body_id": cb, "person_ref": "GEA-0042"}),
        json!({"name": "certifier", "role": "certifier", "certification_body_id": cb, "person_ref": "GEA-0100"}),
        json!({"name": "agency", "role": "agency", "agency_id": agency_id}),
    ] {
        let res = app.send(Method::POST, "/v1/clients", &admin, Some(body.clone())).await;
        assert_eq!(res.status(), StatusCode::CREATED, "{body}");
        let created: Value = res.json().await.unwrap();
        assert_eq!(created["person_ref"], body.get("person_ref").cloned().unwrap_or(Value::Null));
    }
}

#[tokio::test]
async fn staff_must_be_bound_to_a_registered_body_and_be_a_named_person() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let body = app.create_body(&admin, &certification_body(1, "accredited")).await;
    for role in ["auditor", "certifier"] {
        // A body id that is well-formed but names no body: such a client used to be created,
        // then refused on its first action.
        let unregistered =
            json!({"name": "a", "role": role, "certification_body_id": UNREGISTERED_BODY, "person_ref": "P-1"});
        let res = app.send(Method::POST, "/v1/clients", &admin, Some(unregistered)).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(error_fields(&problem), vec!["certification_body_id"]);
        assert_eq!(problem["errors"][0]["message"], format!("no certification body with id {UNREGISTERED_BODY}"));

        let anonymous = json!({"name": "a", "role": role, "certification_body_id": id(&body)});
        let res = app.send(Method::POST, "/v1/clients", &admin, Some(anonymous)).await;
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(error_fields(&problem), vec!["person_ref"]);
        let message = problem["errors"][0]["message"].as_str().unwrap();
        assert!(message.starts_with(&format!("required for the {role} role")), "{message}");
    }
    // Nothing refused was stored: the admin is the only client.
    let list = app.get_json("/v1/clients", Some(&admin)).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
}

#[tokio::test]
async fn only_admins_manage_clients() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let others = app.non_admin_tokens(UNREGISTERED_BODY, id(&agency)).await;
    let victim = app.insert_client(Role::Integrator, None, None).await;
    let body = json!({"name": "x", "role": "admin"});
    for token in others.iter().map(|(_, token)| Some(token.as_str())).chain([None]) {
        let expected = if token.is_some() { (403, "forbidden") } else { (401, "unauthorized") };
        let res = app.request(Method::GET, "/v1/clients", token).send().await.unwrap();
        assert_problem(res, expected.0, expected.1).await;
        let res = app.request(Method::POST, "/v1/clients", token).json(&body).send().await.unwrap();
        assert_problem(res, expected.0, expected.1).await;
        let res = app.request(Method::DELETE, &format!("/v1/clients/{victim}"), token).send().await.unwrap();
        assert_problem(res, expected.0, expected.1).await;
    }
}
