//! The command line, as a user runs it.

use std::process::{Command, Output};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, UNREGISTERED_BODY, certification_body, id};

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

/// Asserts a usage error: exit 2, nothing on stdout, and one line on stderr starting `reason`.
fn assert_usage_error(out: &Output, reason: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(stderr.starts_with(reason), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
}

#[test]
fn usage_errors_exit_2_and_failures_exit_1_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db").to_string_lossy().into_owned();
    let out = fairhire(dir.path(), &db).args(["client", "create", "--name", "x", "--role", "root"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = fairhire(dir.path(), &db).args(["client", "create", "--name", "x", "--role", "agency"]).output().unwrap();
    assert_usage_error(&out, "fairhire: --agency: required for the agency role");
    let out = fairhire(dir.path(), "postgres://nobody@127.0.0.1:1/none").arg("migrate").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("fairhire: "), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    // A valid client that cannot be stored is a failure, not a usage error.
    let out = fairhire(dir.path(), "postgres://nobody@127.0.0.1:1/none")
        .args(["client", "create", "--name", "x", "--role", "admin"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn client_create_names_the_flag_to_fix_and_staff_need_a_body_and_a_person() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let body = app.create_body(&admin, &certification_body(1, "accredited")).await;
    let db_url = app.state.config.effective_database_url();
    let dir = tempfile::tempdir().unwrap();
    let create = |args: &[&str]| fairhire(dir.path(), &db_url).args(["client", "create"]).args(args).output().unwrap();
    let auditor = ["--name", "lead auditor", "--role", "auditor"];

    let out =
        create(&[&auditor[..], &["--certification-body", UNREGISTERED_BODY, "--person-ref", "GEA-0042"]].concat());
    assert_usage_error(
        &out,
        &format!("fairhire: --certification-body: no certification body with id {UNREGISTERED_BODY}"),
    );
    let out = create(&[&auditor[..], &["--certification-body", id(&body)]].concat());
    assert_usage_error(&out, "fairhire: --person-ref: required for the auditor role");
    let out = create(&auditor);
    assert_usage_error(
        &out,
        "fairhire: --certification-body: required for the auditor role; --person-ref: required for the auditor role",
    );
    let out = create(&["--name", " ", "--role", "certifier", "--certification-body", id(&body), "--person-ref", "P-1"]);
    assert_usage_error(&out, "fairhire: --name: must not be blank");
    let out = create(&["--name", "x", "--role", "certifier", "--certification-body", id(&body), "--person-ref", "a b"]);
    assert_usage_error(&out, "fairhire: --person-ref: ");

    // Bound to a registered body and to a person, the client works at once.
    let out = create(&[&auditor[..], &["--certification-body", id(&body), "--person-ref", "GEA-0042"]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let created: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(created["certification_body_id"], id(&body));
    assert_eq!(created["person_ref"], "GEA-0042");
    let (client_id, secret) = (created["client_id"].as_str().unwrap(), created["client_secret"].as_str().unwrap());
    let token = app.client_credentials_token(client_id, secret).await;
    let listed = app.get_json("/v1/applications", Some(&token)).await;
    assert_eq!(listed["data"], json!([]));
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
    assert_eq!(
        report,
        serde_json::json!({
            "suspended": [], "withdrawn": [], "expired": [], "lapsed_applications": 0,
            "personal_data_erased": {"report_contacts": 0, "agency_contacts": 0, "evidence_files": 0}
        })
    );
}
