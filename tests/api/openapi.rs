//! The committed contract, `openapi/openapi.json`, is what the code generates and serves.
//! `UPDATE_OPENAPI=1 cargo test` rewrites it after a deliberate change.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

fn committed_path() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json")
}

#[test]
fn the_committed_document_is_the_generated_one() {
    let generated = fairhire::api::openapi().to_pretty_json().unwrap() + "\n";
    let path = committed_path();
    if std::env::var("UPDATE_OPENAPI").is_ok() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json differs from the generated document; run `UPDATE_OPENAPI=1 cargo test` and review the diff"
    );
}

#[test]
fn every_operation_is_named_tagged_and_declares_its_errors_and_security() {
    let doc: Value = serde_json::to_value(fairhire::api::openapi()).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let public = ["create_token", "get_jwks", "healthz", "readyz", "metrics"];
    let mut ids = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            ids.push(id.to_owned());
            assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{id} has no tag");
            let responses = op["responses"].as_object().unwrap();
            // Every operation but the metrics, which its allow-list guards instead, is limited.
            assert_eq!(responses.contains_key("429"), id != "metrics", "{id} and 429");
            // Any URL with %00 in it is a 400, on every route; anything can break on our side.
            for code in ["400", "500"] {
                assert!(responses.contains_key(code), "{id} does not document {code}");
            }
            let tagged_public = op["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == "public"));
            if id == "create_token" {
                // The client authenticates in the request itself, to get the bearer token.
                assert!(op.get("security").is_none(), "{id} takes client credentials, not a token");
            } else if public.contains(&id) || tagged_public {
                assert_eq!(op["security"], serde_json::json!([{}]), "{id} should declare that it needs no credentials");
            } else {
                assert_eq!(op["security"][0]["bearer"], serde_json::json!([]), "{id} lacks bearer security");
                assert!(responses.contains_key("401"), "{id} lacks 401");
            }
            if op.get("requestBody").is_some() {
                for code in ["413", "415"] {
                    assert!(responses.contains_key(code), "{id} takes a body but does not document {code}");
                }
            }
        }
    }
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "operation ids are unique");
    for expected in [
        "list_agencies",
        "create_agency",
        "get_agency",
        "update_agency",
        "create_token",
        "list_clients",
        "create_client",
        "revoke_client",
    ] {
        assert!(ids.contains(&expected.to_owned()), "{expected}");
    }
}

#[tokio::test]
async fn the_served_document_and_the_offline_docs_page() {
    let app = TestApp::spawn().await;
    let served: Value = app.http.get(app.url("/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert_eq!(served, serde_json::to_value(fairhire::api::openapi()).unwrap());

    let res = app.http.get(app.url("/docs")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "/docs redirects to the page");
    let page = res.text().await.unwrap();
    assert!(page.contains("swagger-ui"));
    let init = app.http.get(app.url("/docs/swagger-initializer.js")).send().await.unwrap().text().await.unwrap();
    assert!(init.contains("\"validatorUrl\": \"none\""), "no call to an outside validator");
    // Every asset the page loads is served by us.
    for asset in ["swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"] {
        let res = app.http.get(app.url(&format!("/docs/{asset}"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{asset}");
    }
    assert!(!page.contains("https://"), "the page references nothing outside");
}
