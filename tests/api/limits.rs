//! The maxima the OpenAPI document states are the ones the service enforces: a value over one
//! is refused, naming the field, and what the service says itself stays within its own.

use fairhire::domain::roles::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, agency_body, assert_problem, error_fields, id};

/// The maximum the committed document gives `property` of the component schema `schema`.
fn documented(schema: &str, property: &str, keyword: &str) -> u64 {
    let doc: Value = serde_json::to_value(fairhire::api::openapi()).unwrap();
    doc["components"]["schemas"][schema]["properties"][property][keyword]
        .as_u64()
        .unwrap_or_else(|| panic!("{schema}.{property} documents no {keyword}"))
}

#[tokio::test]
async fn a_string_over_its_documented_maximum_is_a_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let longest = documented("AgencyInput", "contact_phone", "maxLength") as usize;
    // Digits and separators the phone rule allows, only too many of them.
    let at_most = format!("+977 {}", "1".repeat(10)) + &" ".repeat(longest - 15);
    assert_eq!(at_most.chars().count(), longest);
    let mut body = agency_body(1);
    body["contact_phone"] = json!(at_most);
    app.create_agency(&admin, &body).await;

    let mut body = agency_body(2);
    body["contact_phone"] = json!(format!("{at_most} "));
    let res = app.send(Method::POST, "/v1/agencies", &admin, Some(body)).await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(error_fields(&problem), vec!["contact_phone"]);
}

#[tokio::test]
async fn an_array_over_its_documented_maximum_is_a_422_naming_the_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let longest = documented("AgencyInput", "sectors", "maxItems") as usize;
    let mut body = agency_body(1);
    body["sectors"] = json!(vec!["construction"; longest + 1]);
    let res = app.send(Method::POST, "/v1/agencies", &admin, Some(body.clone())).await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(error_fields(&problem), vec!["sectors"]);

    // Each sector once fits, and repeats are dropped as before.
    body["sectors"] = json!(vec!["construction"; longest]);
    let agency = app.create_agency(&admin, &body).await;
    assert_eq!(agency["sectors"], json!(["construction"]));
}

#[tokio::test]
async fn a_verification_item_over_the_cell_maximum_refuses_the_request_while_a_long_one_is_answered() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let cell = documented("VerificationItem", "name", "maxLength") as usize;
    // Over the name rule (200) but a cell: answered `invalid`, among the others.
    let long = json!({"items": [{"name": "x".repeat(cell), "country": "NP"}]});
    let answer = app.ok(Method::POST, "/v1/verifications", &admin, Some(long)).await;
    assert_eq!(answer["results"][0]["outcome"], "invalid");
    assert_eq!(answer["results"][0]["errors"][0]["field"], "items[0].name");

    let over = json!({"items": [{"reference": "row-1"}, {"name": "x".repeat(cell + 1), "country": "NP"}]});
    let res = app.send(Method::POST, "/v1/verifications", &admin, Some(over)).await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(error_fields(&problem), vec!["items[1].name"]);
}

#[tokio::test]
async fn over_long_conditional_headers_and_scopes_are_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let path = format!("/v1/agencies/{}", id(&agency));
    let tags = vec!["\"v1\""; 300].join(", ");
    assert!(tags.len() > 1024);
    let res = app.send_if_match(Method::PATCH, &path, &admin, &tags, json!({"website": null})).await;
    assert_problem(res, 400, "bad-request").await;
    let within = vec!["\"v1\""; 100].join(", ");
    let res = app.send_if_match(Method::PATCH, &path, &admin, &within, json!({"website": null})).await;
    assert_eq!(res.status(), 200);

    let res =
        app.request(Method::GET, "/v1/exports/registry.csv", None).header("If-None-Match", &tags).send().await.unwrap();
    assert_problem(res, 400, "bad-request").await;
    let res = app
        .request(Method::GET, "/v1/exports/registry.csv", None)
        .header("If-None-Match", "\"x\"")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);

    let integrator = json!({"name": "Scoped", "role": Role::Integrator.as_str()});
    let (client_id, secret) = app.create_client(&admin, &integrator).await;
    let form = |scope: String| {
        vec![
            ("grant_type", "client_credentials".to_owned()),
            ("client_id", client_id.clone()),
            ("client_secret", secret.clone()),
            ("scope", scope),
        ]
    };
    let send = |form: Vec<(&'static str, String)>| app.http.post(app.url("/v1/oauth/token")).form(&form).send();
    let res = send(form("s".repeat(1025))).await.unwrap();
    let problem = assert_problem(res, 400, "invalid-request").await;
    assert_eq!(problem["error"], "invalid_request");
    assert_eq!(send(form("s".repeat(1024))).await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_problem_stays_within_its_documented_lengths_whatever_the_request_named() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let field = "f".repeat(5000);
    let body = json!({"name": "Long", "role": "admin", field.clone(): 1});
    let res = app.send(Method::POST, "/v1/clients", &admin, Some(body)).await;
    let problem = assert_problem(res, 422, "validation").await;
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.chars().count() <= documented("Problem", "detail", "maxLength") as usize, "{detail}");
    assert!(detail.ends_with('…'), "{detail}");
    let named = problem["errors"][0]["field"].as_str().unwrap();
    assert!(named.chars().count() <= documented("FieldError", "field", "maxLength") as usize);
    assert!(problem["errors"][0]["message"].as_str().unwrap().chars().count() <= 1000);
}
