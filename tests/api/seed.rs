//! `fairhire seed-demo`, through the library, on a test application's database: every
//! certification status is reached by the real rules, and a second seed is refused.

use crate::helpers::{TestApp, refused_as_not_empty};

#[tokio::test]
async fn the_demo_registry_reaches_every_status_and_is_seeded_only_once() {
    let app = TestApp::spawn().await;
    let now = app.state.clock.now();
    // 300 agencies with their stories, and 700 registered only, as `--agencies 1000` makes them.
    let summary = app.seed_demo(now, Some(1_000)).await.expect("seeded");
    assert_eq!((summary.agencies, summary.registry_only), (1_000, 700), "{summary:?}");

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

    let agencies = app.registry_snapshot().await;
    assert_eq!(agencies.len(), summary.agencies);
    for agency in &agencies {
        let (certificate, last) = (agency.certificate.as_ref(), agency.last_event.as_ref());
        let ended_by = |rule: &str| {
            let last = last.expect("a history");
            assert_eq!(last.to_status, agency.certification_status, "{}", agency.legal_name);
            assert_eq!(last.actor, "system", "{}", agency.legal_name);
            assert_eq!(last.rule.as_deref(), Some(rule), "{}", agency.legal_name);
        };
        match agency.certification_status.as_str() {
            "certified" => {
                let certificate = certificate.expect("a certified agency has a certificate");
                assert!(certificate.valid_until > now, "{}", agency.legal_name);
                assert!(certificate.suspended_at.is_none());
            }
            "withdrawn" => ended_by("suspended_six_months"),
            "expired" => {
                ended_by("certificate_expired");
                assert!(certificate.expect("a certificate").valid_until <= now);
            }
            "suspended" => assert!(certificate.expect("a certificate").suspended_at.is_some()),
            "never_certified" => assert!(last.is_none() && certificate.is_none()),
            _ => assert_eq!(last.expect("an application").to_status, "applicant"),
        }
    }

    // The API serves it: certified agencies, and names found without their accents.
    let admin = app.admin().await;
    let page = app.get_json("/v1/agencies?status=certified&limit=5", Some(&admin)).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 5);
    let page = app.get_json("/v1/agencies?q=nino", Some(&admin)).await;
    assert!(page["data"].as_array().unwrap().iter().any(|a| a["legal_name"].as_str().unwrap().contains("Niño")));

    // The search index caught up with the whole seed from the event log.
    let last = &agencies.last().expect("agencies").legal_name;
    let page = app.get_json(&format!("/v1/agencies?q={}", last.replace(' ', "+")), Some(&admin)).await;
    assert_eq!(page["data"][0]["legal_name"], last.as_str());

    let again = app.seed_demo(now, None).await;
    assert!(refused_as_not_empty(&again), "{again:?}");
}
