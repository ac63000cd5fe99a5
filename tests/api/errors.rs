use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, TestApp, agency_body, assert_problem, error_fields};

#[tokio::test]
async fn probes_answer_and_every_response_has_a_request_id() {
    let app = TestApp::spawn().await;
    let res = app.http.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().contains_key("x-request-id"));
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "ok");
    let res = app.http.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);

    // A caller's own id is kept so logs can be joined across services; a hostile one is not.
    let res = app.http.get(app.url("/healthz")).header("x-request-id", "trace-42").send().await.unwrap();
    assert_eq!(res.headers()["x-request-id"], "trace-42");
    let res = app.http.get(app.url("/healthz")).header("x-request-id", "a b\"<script>").send().await.unwrap();
    assert_ne!(res.headers()["x-request-id"], "a b\"<script>");
}

#[tokio::test]
async fn unknown_routes_are_404_and_wrong_methods_405_with_allow() {
    let app = TestApp::spawn().await;
    let res = app.http.get(app.url("/v1/nothing-here")).send().await.unwrap();
    let problem = assert_problem(res, 404, "not-found").await;
    assert_eq!(problem["instance"], "/v1/nothing-here");

    let res = app.send_anonymous(Method::DELETE, &format!("/v1/agencies/{MISSING}"), None).await;
    assert_eq!(res.headers()["allow"], "GET, HEAD, PATCH");
    assert_problem(res, 405, "method-not-allowed").await;
    let res = app.send_anonymous(Method::PUT, "/v1/agencies", None).await;
    assert_eq!(res.headers()["allow"], "GET, HEAD, POST");
    assert_problem(res, 405, "method-not-allowed").await;
}

#[tokio::test]
async fn problems_carry_the_path_as_instance_and_never_internals() {
    let app = TestApp::spawn().await;
    let res = app.http.get(app.url("/v1/agencies?limit=abc")).bearer_auth(app.admin().await).send().await.unwrap();
    let problem = assert_problem(res, 400, "bad-request").await;
    assert_eq!(problem["instance"], "/v1/agencies");
    let text = problem.to_string();
    for leak in ["diesel", "sqlite", "postgres", "panicked", "src/"] {
        assert!(!text.to_lowercase().contains(leak), "{leak} in {text}");
    }
}

/// The `(field, message)` pairs of a validation problem.
fn field_messages(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["message"].as_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test]
async fn a_body_missing_several_required_fields_names_each() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let res = app.send(Method::POST, "/v1/agencies", &admin, Some(json!({"trading_names": ["Himal HR"]}))).await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(problem["detail"], "4 fields are not valid");
    assert_eq!(
        field_messages(&problem),
        [
            ("destination_countries", "missing field `destination_countries`"),
            ("legal_name", "missing field `legal_name`"),
            ("licence", "missing field `licence`"),
            ("origin_countries", "missing field `origin_countries`"),
        ]
        .map(|(f, m)| (f.to_owned(), m.to_owned()))
    );

    // Nested objects, and items of arrays, name their own missing fields with the full path.
    let mut body = agency_body(1);
    body["licence"] = json!({"issuing_authority": "Department of Foreign Employment"});
    body["address"] = json!({"line2": "Ward 4"});
    let res = app.send(Method::POST, "/v1/agencies", &admin, Some(body)).await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(
        error_fields(&problem),
        ["address.city", "address.country", "address.line1", "licence.country", "licence.number"]
    );

    let mut standard: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/standards/ers-1.0.json")).unwrap(),
    )
    .unwrap();
    standard["version"] = json!("ers-9.9");
    for i in [0, 2] {
        let criterion = standard["criteria"][i].as_object_mut().unwrap();
        criterion.remove("weight");
        criterion.remove("text");
    }
    standard.as_object_mut().unwrap().remove("policy");
    let problem = assert_problem(app.create_standard(&admin, &standard).await, 422, "validation").await;
    assert_eq!(
        error_fields(&problem),
        ["criteria[0].text", "criteria[0].weight", "criteria[2].text", "criteria[2].weight", "policy"]
    );

    // Nothing was written.
    assert_eq!(app.get_json("/v1/agencies", Some(&admin)).await["data"], json!([]));
}

#[tokio::test]
async fn a_body_with_several_wrongly_typed_fields_names_both() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let mut body = agency_body(1);
    body["legal_name"] = json!(5);
    body["origin_countries"] = json!("NP");
    let res = app.send(Method::POST, "/v1/agencies", &admin, Some(body)).await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(problem["detail"], "2 fields are not valid");
    let errors = field_messages(&problem);
    assert_eq!(errors.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(), ["legal_name", "origin_countries"]);
    assert!(errors[0].1.starts_with("invalid type: integer `5`, expected"), "{errors:?}");
    assert!(errors[1].1.starts_with("invalid type: string \"NP\", expected"), "{errors:?}");

    // Wrong types, values outside an enum, unknown and missing fields, all at once, at any depth.
    let body = json!({
        "legal_name": "Himalayan Overseas Manpower",
        "licence": {"number": 1234, "issuing_authority": "DoFE", "country": "NP", "valid_from": "someday"},
        "origin_countries": ["NP"],
        "sectors": ["construction", "astronaut", true],
        "trading_names": [null],
        "website": ["https://himal.example.com"],
        "fax": "+977 1 555 0100"
    });
    let res = app.send(Method::POST, "/v1/agencies", &admin, Some(body)).await;
    let problem = assert_problem(res, 422, "validation").await;
    let errors = field_messages(&problem);
    assert_eq!(
        errors.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>(),
        [
            "destination_countries",
            "fax",
            "licence.number",
            "licence.valid_from",
            "sectors[1]",
            "sectors[2]",
            "trading_names[0]",
            "website"
        ],
        "{errors:?}"
    );
    assert!(errors[1].1.starts_with("unknown field `fax`"), "{errors:?}");
    assert!(errors[4].1.starts_with("unknown variant `astronaut`"), "{errors:?}");

    // The same rule for a finding (a number read as a whole number, and a nested fee).
    let res = app
        .send(
            Method::PUT,
            &format!("/v1/assessments/{MISSING}/findings/A.1"),
            &admin,
            Some(json!({"severity": "grave", "workers_interviewed": "25", "fees": [{"amount_minor": 1.5}]})),
        )
        .await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(
        error_fields(&problem),
        ["fees[0].amount_minor", "fees[0].category", "fees[0].currency", "severity", "workers_interviewed"]
    );
}
