//! The worker pages in a real browser: this app, on this backend, with a certified and a
//! suspended agency, and `browser/pages.test.mjs` run against it in Debian's headless Chromium
//! (search, status cards in three languages, a report and its follow-up with JavaScript off;
//! on every page axe-core's WCAG 2.x A/AA rules, reflow at 320 px and, in Arabic, isolated Latin
//! names; keyboard focus order; bytes over the wire; the 429 page).
//!
//! It needs Node.js, `npm ci --prefix browser` and Chromium (`apt-get install chromium`). Without
//! them the test says so loudly and passes, so that a bare `cargo test` works on any machine;
//! where `CI` is set (`.ci/run` sets it) it fails instead.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::json;

use fairhire::clock::FixedClock;
use fairhire::domain::roles::Role;

use crate::helpers::{Agency, Body, TestApp, World, agency_body, start};

/// What the browser tests need, found on this machine; or why they cannot run.
struct Runner {
    node: PathBuf,
    script: PathBuf,
    chromium: PathBuf,
}

fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("browser")
}

fn find_runner() -> Result<Runner, String> {
    let dir = browser_dir();
    let node = PathBuf::from(std::env::var("NODE").unwrap_or_else(|_| "node".into()));
    let version = Command::new(&node).arg("--version").output();
    if !version.is_ok_and(|o| o.status.success()) {
        return Err(format!("no Node.js (`{}` does not run): apt-get install nodejs npm", node.display()));
    }
    for package in ["playwright-core", "axe-core"] {
        if !dir.join("node_modules").join(package).join("package.json").is_file() {
            return Err(format!(
                "{package} is not installed in browser/node_modules: \
                 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --prefix browser"
            ));
        }
    }
    let chromium = PathBuf::from(std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into()));
    if !chromium.is_file() {
        return Err(format!("no Chromium at {}: apt-get install chromium (or set CHROMIUM_PATH)", chromium.display()));
    }
    Ok(Runner { node, script: dir.join("pages.test.mjs"), chromium })
}

/// The runner, or `None` after a loud notice when it is missing outside CI; panics in CI.
fn runner_or_skip() -> Option<Runner> {
    match find_runner() {
        Ok(runner) => Some(runner),
        Err(why) if std::env::var_os("CI").is_some_and(|v| !v.is_empty()) => {
            panic!("the browser tests must run in CI, but {why}")
        }
        Err(why) => {
            // Past the test harness's capture (which takes `eprintln!`): seen on a bare `cargo test`.
            let _ = writeln!(
                std::io::stderr(),
                "\n\
                 ************************************************************************\n\
                 * SKIPPED: the worker pages' browser tests did not run:                *\n\
                 *   {why}\n\
                 * (with CI set, this fails; see README, \"For workers: the web pages\") *\n\
                 ************************************************************************\n"
            );
            None
        }
    }
}

/// The agency `n`, applied to `body`, audited clean, certified, then suspended by the admin.
async fn suspended_agency(app: &TestApp, admin: &str, body: &Body, n: u32) -> Agency {
    let agency = app.agency_that_applied(admin, n, body).await;
    let audit = app.finalized_audit(&agency, body, "stage2", &[]).await;
    app.post_created(&format!("/v1/assessments/{audit}/reviews"), &body.reviewer, &json!({"outcome": "agree"})).await;
    let path = format!("/v1/agencies/{}/certification/transitions", agency.id);
    for (token, transition) in [
        (body.certifier.as_str(), json!({"action": "certify", "assessment_id": audit, "reason": "clean stage 2"})),
        (admin, json!({"action": "suspend", "reason": "workers paid recruitment fees"})),
    ] {
        let res = app.send(reqwest::Method::POST, &path, token, Some(transition)).await;
        assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
    }
    agency
}

/// [`World::at_start`], with room in the per-address report bucket for the reports the browser
/// files (one address sends them all) and for finding where it ends: the run's last test files
/// until it sees the 429 page.
async fn world_with_room_for_reports() -> World {
    let clock = FixedClock::new(start());
    let app = TestApp::spawn_full(|c| c.limits.reports_burst = REPORTS_BURST, Arc::new(clock.clone())).await;
    let admin = app.admin().await;
    let body = app.body_with_staff(&admin, 1).await;
    let agency = app.agency(&admin, 1).await;
    let integrator = app.token_for(Role::Integrator, None, None).await;
    World { app, clock, admin, body, agency, integrator }
}

/// Reports one address may file at once in this test's app.
const REPORTS_BURST: u32 = 30;

#[tokio::test]
async fn the_worker_pages_work_in_a_real_browser_with_javascript_off_and_pass_axe() {
    let Some(runner) = runner_or_skip() else { return };
    let w = world_with_room_for_reports().await;
    w.certified().await;
    let suspended = suspended_agency(&w.app, &w.admin, &w.body, 2).await;
    let certified_name = agency_body(1)["legal_name"].as_str().unwrap().to_owned();

    let mut command = Command::new(&runner.node);
    command
        .arg("--test-reporter=spec")
        .arg(&runner.script)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("FAIRHIRE_BASE_URL", &w.app.address)
        .env("FAIRHIRE_CERTIFIED_ID", &w.agency.id)
        .env("FAIRHIRE_CERTIFIED_NAME", &certified_name)
        .env("FAIRHIRE_SUSPENDED_ID", &suspended.id)
        .env("FAIRHIRE_REPORTS_BURST", REPORTS_BURST.to_string())
        .env("CHROMIUM_PATH", &runner.chromium)
        .env("NO_COLOR", "1");
    // The app serves on this runtime meanwhile: wait for the browser off it.
    let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(
        output.status.success(),
        "browser/pages.test.mjs failed ({}) against {}; its output is above",
        output.status,
        w.app.address
    );
}
