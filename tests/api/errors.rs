use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::{MISSING, TestApp, assert_problem};

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
