//! `If-Match`: a malformed header is the client's mistake (400), an invalid body is judged
//! before the precondition (422), and only a well-formed stale tag on a valid change is a 412.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn validation_comes_before_the_precondition_and_a_malformed_if_match_is_a_400() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let path = format!("/v1/agencies/{}", id(&agency));
    // Eleven trading names, even repeated ones, break the documented limit of ten.
    let too_many = json!({"trading_names": vec!["Himal HR"; 11]});
    let res = app.send_if_match(Method::PATCH, &path, &admin, "\"v9\"", too_many).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["trading_names"]);

    let valid = json!({"website": "https://himal.example.com"});
    for malformed in ["", "v1", "\"v1", "\"v1\" \"v2\"", "W/v1"] {
        let res = app.send_if_match(Method::PATCH, &path, &admin, malformed, valid.clone()).await;
        assert_problem(res, 400, "bad-request").await;
    }
    let res = app.send_if_match(Method::PATCH, &path, &admin, "\"v9\"", valid.clone()).await;
    assert_problem(res, 412, "precondition-failed").await;
    let res = app.send_if_match(Method::PATCH, &path, &admin, "\"v0\", \"v1\"", valid).await;
    assert_eq!(res.status(), StatusCode::OK);
}
