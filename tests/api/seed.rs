//! `fairhire seed-demo`, through the library, on a test application's database: every
//! certification status is reached by the real rules, and a second seed is refused.

use fairhire::error::AppError;
use fairhire::store;
use fairhire::store::agencies::Filter;
use fairhire::store::from_db_time;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::TestApp;

#[tokio::test]
async fn the_demo_registry_reaches_every_status_and_is_seeded_only_once() {
    let app = TestApp::spawn().await;
    let now = app.state.clock.now();
    let db = app.state.db.clone();
    let summary = tokio::task::spawn_blocking(move || fairhire::seed::run(&db, now)).await.unwrap().expect("seeded");

    let s = &summary.certification_status;
    let statuses = [
        ("never_certified", s.never_certified),
        ("applicant", s.applicant),
        ("certified", s.certified),
        ("suspended", s.suspended),
        ("withdrawn", s.withdrawn),
        ("expired", s.expired),
    ];
    for (status, count) in statuses {
        assert!(count > 0, "no {status} agency in {summary:?}");
    }
    assert_eq!(statuses.iter().map(|(_, n)| n).sum::<usize>(), summary.agencies);
    assert!(summary.agencies >= 250, "{summary:?}");
    assert!(summary.sweep.withdrawn > 0 && summary.sweep.expired > 0 && summary.sweep.suspended > 0);

    let db = app.state.db.clone();
    tokio::task::spawn_blocking(move || {
        let mut c = db.conn().unwrap();
        let agencies = store::agencies::search(&mut c, &Filter::default(), None, 10_000).unwrap();
        assert_eq!(agencies.len(), summary.agencies);
        for agency in &agencies {
            let certificate = store::certifications::certificate_of(&mut c, &agency.id).unwrap();
            let last = store::certifications::history(&mut c, &agency.id).unwrap().pop();
            let ended_by = |rule: &str| {
                let last = last.as_ref().expect("a history");
                assert_eq!(last.to_status, agency.certification_status, "{}", agency.legal_name);
                assert_eq!(last.actor, "system", "{}", agency.legal_name);
                assert_eq!(last.rule.as_deref(), Some(rule), "{}", agency.legal_name);
            };
            match agency.certification_status.as_str() {
                "certified" => {
                    let certificate = certificate.expect("a certified agency has a certificate");
                    assert!(from_db_time(certificate.valid_until) > now, "{}", agency.legal_name);
                    assert!(certificate.suspended_at.is_none());
                }
                "withdrawn" => ended_by("suspended_six_months"),
                "expired" => {
                    ended_by("certificate_expired");
                    assert!(from_db_time(certificate.expect("a certificate").valid_until) <= now);
                }
                "suspended" => assert!(certificate.expect("a certificate").suspended_at.is_some()),
                "never_certified" => assert!(last.is_none() && certificate.is_none()),
                _ => assert_eq!(last.expect("an application").to_status, "applicant"),
            }
        }
    })
    .await
    .unwrap();

    // The API serves it: certified agencies, and names found without their accents.
    let admin = app.admin().await;
    let res = app.request(Method::GET, "/v1/agencies?status=certified&limit=5", Some(&admin)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page: Value = res.json().await.unwrap();
    assert_eq!(page["data"].as_array().unwrap().len(), 5);
    let res = app.request(Method::GET, "/v1/agencies?q=nino", Some(&admin)).send().await.unwrap();
    let page: Value = res.json().await.unwrap();
    assert!(page["data"].as_array().unwrap().iter().any(|a| a["legal_name"].as_str().unwrap().contains("Niño")));

    let db = app.state.db.clone();
    let again = tokio::task::spawn_blocking(move || fairhire::seed::run(&db, now)).await.unwrap();
    assert!(matches!(again, Err(AppError::Conflict(ref reason)) if reason == fairhire::seed::NOT_EMPTY), "{again:?}");
}
