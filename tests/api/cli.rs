//! The command line, as a user runs it.

use std::process::Command;

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::TestApp;

fn fairhire(dir: &std::path::Path, db_url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fairhire"));
    cmd.current_dir(dir).env("DATABASE_URL", db_url).env("FAIRHIRE_DATA_DIR", dir).env_remove("FAIRHIRE_CONFIG");
    cmd
}

#[tokio::test]
async fn client_create_prints_a_secret_that_gets_a_token() {
    let app = TestApp::spawn().await;
    let db_url = app.state.config.effective_database_url();
    let dir = tempfile::tempdir().unwrap();
    let out = fairhire(dir.path(), &db_url)
        .args(["client", "create", "--name", "first admin", "--role", "admin"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let created: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (id, secret) = (created["client_id"].as_str().unwrap(), created["client_secret"].as_str().unwrap());
    let res = app.request_token(id, secret).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[test]
fn usage_errors_exit_2_and_failures_exit_1_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db").to_string_lossy().into_owned();
    let out = fairhire(dir.path(), &db).args(["client", "create", "--name", "x", "--role", "root"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = fairhire(dir.path(), &db).args(["client", "create", "--name", "x", "--role", "agency"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("fairhire: agency_id"), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1);
    let out = fairhire(dir.path(), "postgres://nobody@127.0.0.1:1/none").arg("migrate").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn migrate_and_openapi_commands() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("m.db").to_string_lossy().into_owned();
    let out = fairhire(dir.path(), &db).arg("migrate").output().unwrap();
    assert!(out.status.success());
    let out = fairhire(dir.path(), &db).arg("migrate").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("applied 0 migration"));
    let out = fairhire(dir.path(), &db).arg("openapi").output().unwrap();
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, serde_json::to_value(fairhire::api::openapi()).unwrap());
}

#[test]
fn sweep_applies_the_rules_once_and_reports_what_it_did() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db").to_string_lossy().into_owned();
    let out = fairhire(dir.path(), &db).arg("sweep").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report, serde_json::json!({"suspended": [], "withdrawn": [], "expired": [], "lapsed_applications": 0}));
}
