//! The event log: every change appends a hash-chained event; the change feed reads it by
//! sequence, within the reader's scope; the chain's verification names a tampered event.

use std::collections::BTreeSet;
use std::process::Command;

use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, TestApp, World, agency_body, assert_problem, error_fields, id};

/// Every event `token` may read, from the start, following `next_after` page by page.
async fn whole_feed(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let mut after = 0;
    let mut events = Vec::new();
    loop {
        let page = app.get_json(&format!("/v1/events?after={after}&limit=7{query}"), Some(token)).await;
        let data = page["data"].as_array().unwrap().clone();
        if data.is_empty() {
            assert_eq!(page["next_after"], after, "an empty page keeps the cursor");
            return events;
        }
        after = page["next_after"].as_i64().unwrap();
        assert_eq!(data.last().unwrap()["sequence"], after);
        events.extend(data);
    }
}

fn types(events: &[Value]) -> Vec<&str> {
    events.iter().map(|e| e["type"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn every_change_appends_one_chained_event_with_what_changed() {
    let w = World::at_start().await;
    let path = format!("/v1/agencies/{}", w.agency.id);
    w.app.ok(Method::PATCH, &path, &w.admin, Some(json!({"website": "https://new.example.com"}))).await;
    // A patch that changes nothing logs nothing.
    w.app.ok(Method::PATCH, &path, &w.admin, Some(json!({"website": "https://new.example.com"}))).await;

    let events = whole_feed(&w.app, &w.admin, "").await;
    let kinds = types(&events);
    assert_eq!(kinds.first(), Some(&"standard.created"), "the default standard is loaded first");
    assert_eq!(kinds.iter().filter(|k| **k == "certification_body.created").count(), 1);
    assert_eq!(
        kinds.iter().filter(|k| **k == "client.created").count(),
        3,
        "the body's auditor, certifier and reviewer"
    );
    assert_eq!(kinds.iter().filter(|k| **k == "agency.created").count(), 1);
    assert_eq!(kinds.last(), Some(&"agency.updated"));
    assert_eq!(kinds.iter().filter(|k| **k == "agency.updated").count(), 1);

    // Gap-free sequence numbers, each event naming the hash of the one before.
    let mut previous = "0".repeat(64);
    for (n, event) in events.iter().enumerate() {
        assert_eq!(event["sequence"], n as i64 + 1);
        assert_eq!(event["previous_hash"], previous.as_str());
        previous = event["hash"].as_str().unwrap().to_owned();
        assert_eq!(previous.len(), 64);
    }

    let update = events.last().unwrap();
    assert_eq!(update["previous"], json!({"website": null}));
    assert_eq!(update["current"], json!({"website": "https://new.example.com"}));
    assert_eq!(update["subject"], json!({"type": "agency", "id": w.agency.id}));
    assert_eq!(update["agency_id"], w.agency.id.as_str());
    assert_eq!(update["public"], false);
    assert!(update["actor"].as_str().unwrap().len() == 36, "the admin's client id: {update}");
    let created = events.iter().find(|e| e["type"] == "agency.created").unwrap();
    assert_eq!(created["previous"], Value::Null);
    assert_eq!(created["current"]["legal_name"], "Himalayan Overseas Manpower 1");
}

#[tokio::test]
async fn readers_see_only_their_scope() {
    let w = World::at_start().await;
    let other = w.app.agency(&w.admin, 2).await;
    let patch = json!({"contact_email": "ops@himalayan-1.example.com"});
    w.app.ok(Method::PATCH, &format!("/v1/agencies/{}", w.agency.id), &w.agency.token, Some(patch)).await;
    // Applying moves the agency into the cycle: a public-level status change.
    w.apply_and_accept().await;

    let public = whole_feed(&w.app, &w.integrator, "").await;
    assert!(!public.is_empty());
    assert!(public.iter().all(|e| e["public"] == true), "{public:?}");
    assert_eq!(types(&public), vec!["certification.status_changed"]);
    assert_eq!(public[0]["previous"], json!({"status": "never_certified"}));
    assert_eq!(public[0]["current"]["status"], "applicant");

    let own = whole_feed(&w.app, &w.agency.token, "").await;
    assert!(own.iter().all(|e| e["public"] == true || e["agency_id"] == w.agency.id.as_str()));
    for kind in ["agency.created", "agency.updated", "application.submitted", "application.decided"] {
        assert!(types(&own).contains(&kind), "the agency reads {kind} about itself");
    }
    let others = whole_feed(&w.app, &other.token, "").await;
    assert!(others.iter().all(|e| e["public"] == true || e["agency_id"] == other.id.as_str()));
    assert!(!types(&others).contains(&"agency.updated"), "not another agency's profile changes");

    let auditor = whole_feed(&w.app, &w.body.auditor, "").await;
    assert!(auditor.iter().all(|e| e["public"] == true || e["certification_body_id"] == w.body.id.as_str()));
    assert!(types(&auditor).contains(&"application.decided"));
    assert!(!types(&auditor).contains(&"agency.updated"));

    let all = whole_feed(&w.app, &w.admin, "").await;
    assert!(all.len() > own.len() && all.len() > auditor.len() && all.len() > public.len());

    let res = w.app.request(Method::GET, "/v1/events", None).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn the_feed_filters_by_type_agency_country_corridor_and_watchlist() {
    let w = World::at_start().await;
    let mut lk = agency_body(2);
    lk["licence"]["country"] = json!("LK");
    lk["origin_countries"] = json!(["LK"]);
    lk["destination_countries"] = json!(["SA"]);
    let lk = id(&w.app.create_agency(&w.admin, &lk).await).to_owned();
    let lk_agency_token = w.app.token_for(Role::Agency, None, Some(&lk)).await;
    for (agency, token) in [(&w.agency.id, &w.agency.token), (&lk, &lk_agency_token)] {
        let res = w.app.apply(Some(token), agency, &w.body.id).await;
        assert_eq!(res.status(), StatusCode::CREATED);
    }

    let admin = &w.admin;
    let by_agency = whole_feed(&w.app, admin, &format!("&agency_id={lk}")).await;
    assert!(!by_agency.is_empty() && by_agency.iter().all(|e| e["agency_id"] == lk.as_str()));
    let by_type = whole_feed(&w.app, admin, "&types=agency.created,application.submitted").await;
    assert_eq!(
        types(&by_type),
        vec!["agency.created", "agency.created", "application.submitted", "application.submitted"]
    );
    let in_lk = whole_feed(&w.app, admin, "&country=LK").await;
    assert!(!in_lk.is_empty() && in_lk.iter().all(|e| e["agency_id"] == lk.as_str()));
    let to_qatar = whole_feed(&w.app, admin, "&corridor=NP-QA").await;
    assert!(!to_qatar.is_empty() && to_qatar.iter().all(|e| e["agency_id"] == w.agency.id.as_str()));
    assert!(whole_feed(&w.app, admin, "&corridor=LK-QA").await.is_empty());

    // An integrator narrows its public feed to the agencies it works with.
    let listed =
        w.app.ok(Method::POST, "/v1/watchlist", &w.integrator, Some(json!({"agencies": [{"agency_id": lk}]}))).await;
    assert_eq!(listed, json!({"changed": 1, "unchanged": 0}));
    let watched = whole_feed(&w.app, &w.integrator, "&watchlist=true").await;
    assert_eq!(watched.len(), 1);
    assert_eq!(watched[0]["agency_id"], lk.as_str());
    assert_eq!(whole_feed(&w.app, &w.integrator, "").await.len(), 2);

    for (query, field) in [
        ("types=agency.exploded", "types"),
        ("corridor=NPQA", "corridor"),
        ("corridor=NP-XX", "corridor"),
        ("country=ZZ", "country"),
        ("after=-1", "after"),
        ("limit=501", "limit"),
        ("agency_id=nope", "agency_id"),
    ] {
        let res = w.app.request(Method::GET, &format!("/v1/events?{query}"), Some(admin)).send().await.unwrap();
        let problem = assert_problem(res, 422, "validation").await;
        assert_eq!(error_fields(&problem), vec![field], "{query}");
    }
    let res = w.app.request(Method::GET, "/v1/events?sequence=3", Some(admin)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_watchlist_is_kept_in_bulk_by_id_or_licence() {
    let w = World::at_start().await;
    let second = w.app.agency(&w.admin, 2).await;
    let by_licence = json!({"licence_country": "NP", "licence_number": "dofe-2/2075"});
    let body = json!({"agencies": [{"agency_id": w.agency.id}, by_licence, {"agency_id": w.agency.id}]});
    let added = w.app.ok(Method::POST, "/v1/watchlist", &w.integrator, Some(body.clone())).await;
    assert_eq!(added, json!({"changed": 2, "unchanged": 0}), "repeats count once");
    let again = w.app.ok(Method::POST, "/v1/watchlist", &w.integrator, Some(body)).await;
    assert_eq!(again, json!({"changed": 0, "unchanged": 2}));
    let listed = w.app.get_json("/v1/watchlist", Some(&w.integrator)).await;
    let ids: BTreeSet<&str> =
        listed["data"].as_array().unwrap().iter().map(|a| a["agency_id"].as_str().unwrap()).collect();
    assert_eq!(ids, BTreeSet::from([w.agency.id.as_str(), second.id.as_str()]));
    assert_eq!(listed["data"][0]["licence_country"], "NP");

    // One reference that names nothing refuses the whole change, naming it.
    let bad = json!({"agencies": [{"agency_id": MISSING}, {"licence_country": "NP", "licence_number": "nope"}]});
    let res = w.app.send(Method::DELETE, "/v1/watchlist", &w.integrator, Some(bad)).await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(error_fields(&problem), vec!["agencies[0].agency_id", "agencies[1]"]);
    assert_eq!(w.app.get_json("/v1/watchlist", Some(&w.integrator)).await["data"].as_array().unwrap().len(), 2);

    let removed = w
        .app
        .ok(Method::DELETE, "/v1/watchlist", &w.integrator, Some(json!({"agencies": [{"agency_id": second.id}]})))
        .await;
    assert_eq!(removed, json!({"changed": 1, "unchanged": 0}));
    let again = w
        .app
        .ok(Method::DELETE, "/v1/watchlist", &w.integrator, Some(json!({"agencies": [{"agency_id": second.id}]})))
        .await;
    assert_eq!(again, json!({"changed": 0, "unchanged": 1}));

    // Each client has its own list.
    let other = w.app.token_for(Role::Integrator, None, None).await;
    assert_eq!(w.app.get_json("/v1/watchlist", Some(&other)).await["data"], json!([]));

    for res in [
        w.app.send(Method::POST, "/v1/watchlist", &w.integrator, Some(json!({"agencies": []}))).await,
        w.app.send(Method::POST, "/v1/watchlist", &w.integrator, Some(json!({"agencies": [{"agency_id": 7}]}))).await,
        w.app.send(Method::POST, "/v1/watchlist", &w.integrator, Some(json!({"agencies": [{"id": "x"}]}))).await,
    ] {
        assert_problem(res, 422, "validation").await;
    }
    let too_many: Vec<Value> = (0..1001).map(|_| json!({"agency_id": w.agency.id})).collect();
    let res = w.app.send(Method::POST, "/v1/watchlist", &w.integrator, Some(json!({"agencies": too_many}))).await;
    assert_problem(res, 422, "validation").await;

    for token in [&w.body.auditor, &w.body.certifier, &w.agency.token] {
        assert_eq!(w.app.status(Method::GET, "/v1/watchlist", token, None).await, 403);
        let body = json!({"agencies": [{"agency_id": w.agency.id}]});
        assert_eq!(w.app.status(Method::POST, "/v1/watchlist", token, Some(body.clone())).await, 403);
        assert_eq!(w.app.status(Method::DELETE, "/v1/watchlist", token, Some(body)).await, 403);
    }
    assert_eq!(w.app.status(Method::GET, "/v1/watchlist", &w.admin, None).await, 200);
}

#[tokio::test]
async fn an_edited_event_is_refused_and_if_forced_named_by_the_verification() {
    let w = World::at_start().await;
    let res = w.app.request(Method::GET, "/v1/events/verification", Some(&w.admin)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let report: Value = res.json().await.unwrap();
    assert_eq!(report["intact"], true, "{report}");
    let count = report["events_checked"].as_i64().unwrap();
    assert!(count >= 5);
    assert_eq!(report["last_sequence"], count);
    assert_eq!(report["first_broken_sequence"], Value::Null);

    // The database refuses a change to the log outright.
    let refused = w.app.try_edit_event(3).await.unwrap_err();
    assert!(refused.contains("append-only"), "{refused}");

    // Someone who gets past that (the database's owner) is still caught by the chain.
    w.app.force_edit_event(3, "forger").await;
    let report = w.app.get_json("/v1/events/verification", Some(&w.admin)).await;
    assert_eq!(report["intact"], false);
    assert_eq!(report["first_broken_sequence"], 3);
    assert!(report["problem"].as_str().unwrap().contains("does not match its hash"), "{report}");

    // The command line says the same, and fails.
    let db_url = w.app.state.config.effective_database_url();
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_fairhire"))
        .current_dir(dir.path())
        .env("DATABASE_URL", &db_url)
        .env("FAIRHIRE_DATA_DIR", dir.path())
        .env_remove("FAIRHIRE_CONFIG")
        .arg("verify-log")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("fairhire: the event log is broken at event 3:"), "{stderr}");
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed["first_broken_sequence"], 3);

    for token in [&w.integrator, &w.body.auditor, &w.agency.token] {
        assert_eq!(w.app.status(Method::GET, "/v1/events/verification", token, None).await, 403);
    }
}

#[tokio::test]
async fn a_finding_changed_after_submission_keeps_its_earlier_values_for_the_assessments_readers() {
    let w = World::at_start().await;
    w.apply_and_accept().await;
    let opening = json!({"agency_id": w.agency.id, "kind": "stage2", "methods": {"documents_reviewed": true}});
    let assessment = w.app.open_assessment(&w.body.auditor, &opening).await;
    w.app.record_finding(&w.body.auditor, &assessment, "C.1", "minor").await;
    w.app.ok(Method::POST, &format!("/v1/assessments/{assessment}/submit"), &w.body.auditor, None).await;
    let changed = w.app.record_finding(&w.body.auditor, &assessment, "C.1", "major").await;
    assert_eq!(changed["status"], "draft", "a change after submission reopens the assessment");

    let path = format!("/v1/assessments/{assessment}/events");
    for reader in [&w.body.auditor, &w.body.certifier, &w.agency.token, &w.admin] {
        let history = w.app.get_json(&path, Some(reader)).await;
        let events = history["data"].as_array().unwrap();
        let kinds = types(events);
        assert_eq!(
            kinds,
            vec![
                "assessment.opened",
                "assessment.finding_recorded",
                "assessment.status_changed",
                "assessment.finding_recorded",
                "assessment.status_changed"
            ]
        );
        assert_eq!(events[1]["previous"], Value::Null);
        assert_eq!(events[3]["previous"]["severity"], "minor", "the earlier finding stays readable");
        assert_eq!(events[3]["current"]["severity"], "major");
        assert_eq!(events[4]["previous"], json!({"status": "submitted"}));
        assert_eq!(events[4]["current"], json!({"status": "draft"}));
    }
    // Those who may not read the findings may not read their history.
    let other_body = w.app.body_with_staff(&w.admin, 2).await;
    assert_eq!(w.app.status(Method::GET, &path, &other_body.auditor, None).await, 404);
    assert_eq!(w.app.status(Method::GET, &path, &w.integrator, None).await, 404);
    let res =
        w.app.request(Method::GET, &format!("/v1/assessments/{MISSING}/events"), Some(&w.admin)).send().await.unwrap();
    assert_problem(res, 404, "not-found").await;
}

#[tokio::test]
async fn the_sweeper_reports_an_overdue_corrective_action_once() {
    let w = World::at_start().await;
    w.apply_and_accept().await;
    w.app.finalized_audit(&w.agency, &w.body, "stage2", &[("A.1", "minor")]).await;
    let overdue = || async { whole_feed(&w.app, &w.admin, "&types=corrective_action.overdue").await };
    w.app.sweep().await;
    assert!(overdue().await.is_empty());
    w.clock.advance(chrono::Duration::days(400));
    w.app.sweep().await;
    w.app.sweep().await;
    let reported = overdue().await;
    assert_eq!(reported.len(), 1, "{reported:?}");
    assert_eq!(reported[0]["actor"], "system");
    assert_eq!(reported[0]["current"]["criterion_code"], "A.1");
    assert_eq!(reported[0]["subject"]["type"], "corrective_action");
}

/// Writers on many connections commit out of order; a reader that keeps polling with
/// `next_after` while they run must still see every event exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_poller_misses_nothing_while_writers_race() {
    let app = TestApp::spawn_with(|c| c.db_pool_size = 6).await;
    let admin = app.admin().await;
    let app = std::sync::Arc::new(app);
    let mut writers = Vec::new();
    for w in 0..4u32 {
        let (app, admin) = (app.clone(), admin.clone());
        writers.push(tokio::spawn(async move {
            for n in 0..12u32 {
                app.create_agency(&admin, &agency_body(1000 + w * 100 + n)).await;
            }
        }));
    }
    let mut seen: Vec<i64> = Vec::new();
    let mut after = 0;
    let mut done = false;
    loop {
        let page = app.get_json(&format!("/v1/events?after={after}&types=agency.created&limit=5"), Some(&admin)).await;
        for event in page["data"].as_array().unwrap() {
            seen.push(event["sequence"].as_i64().unwrap());
        }
        after = page["next_after"].as_i64().unwrap();
        if done && page["data"].as_array().unwrap().is_empty() {
            break;
        }
        done = writers.iter().all(|w| w.is_finished());
    }
    for writer in writers {
        writer.await.unwrap();
    }
    let all: Vec<i64> = whole_feed(&app, &admin, "&types=agency.created")
        .await
        .iter()
        .map(|e| e["sequence"].as_i64().unwrap())
        .collect();
    assert_eq!(all.len(), 48);
    assert_eq!(seen, all, "the poller saw every event, once, in order");
    let report = app.get_json("/v1/events/verification", Some(&admin)).await;
    assert_eq!(report["intact"], true);
}
