//! Sub-agents and branches: recorded by the agency (or an admin), read by whoever may read the
//! agency, logged; due diligence follows the chain (worst status and risk, with reasons,
//! cycle-safe, depth-limited); findings on the sub-agent criterion name them.

use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{MISSING, TestApp, World, assert_problem, error_fields, id};

fn path(agency_id: &str) -> String {
    format!("/v1/agencies/{agency_id}/sub-agents")
}

fn registered(agency_id: &str) -> Value {
    json!({"kind": "sub_agent", "agency_id": agency_id})
}

fn unregistered(name: &str, licence: Option<&str>) -> Value {
    let mut body = json!({"kind": "branch", "name": name, "country": "NP"});
    if let Some(l) = licence {
        body["licence_number"] = json!(l);
    }
    body
}

/// Records a link as `token`; returns its id.
async fn link(app: &TestApp, token: &str, agency_id: &str, body: Value) -> String {
    id(&app.post_created(&path(agency_id), token, &body).await).to_owned()
}

async fn chain(app: &TestApp, token: &str, agency_id: &str) -> Value {
    app.get_json(&format!("/v1/agencies/{agency_id}/due-diligence"), Some(token)).await["chain"].clone()
}

fn member_names(chain: &Value) -> Vec<(String, u64)> {
    chain["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap().to_owned(), m["depth"].as_u64().unwrap()))
        .collect()
}

#[tokio::test]
async fn an_agency_records_registered_and_unregistered_sub_agents_and_removes_them() {
    let w = World::at_start().await;
    let sub = w.app.agency(&w.admin, 2).await;
    let res = w.app.send(Method::POST, &path(&w.agency.id), &w.agency.token, Some(registered(&sub.id))).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let first: Value = res.json().await.unwrap();
    assert_eq!(location, format!("/v1/agencies/{}/sub-agents/{}", w.agency.id, id(&first)));
    assert_eq!(first["registered"], true);
    assert_eq!(first["sub_agency_id"], sub.id.as_str());
    assert_eq!(first["name"], "Himalayan Overseas Manpower 2");
    assert_eq!(first["licence_number"], "DoFE-2/2075");
    assert_eq!(first["country"], "NP");

    let second = link(&w.app, &w.admin, &w.agency.id, unregistered("  Janakpur Job Link ", Some("JJL-7"))).await;

    // Everyone who may read the agency reads the list, in creation order.
    for token in [&w.agency.token, &w.integrator, &w.body.auditor, &w.body.certifier, &w.admin] {
        let page = w.app.get_json(&path(&w.agency.id), Some(token)).await;
        let names: Vec<&str> = page["data"].as_array().unwrap().iter().map(|l| l["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Himalayan Overseas Manpower 2", "Janakpur Job Link"]);
        assert_eq!(page["data"][1]["registered"], false);
        assert_eq!(page["data"][1]["kind"], "branch");
        assert_eq!(page["next_cursor"], Value::Null);
    }
    let page = w.app.get_json(&format!("{}?limit=1", path(&w.agency.id)), Some(&w.integrator)).await;
    assert_eq!(page["next_cursor"], id(&first));

    let one = format!("{}/{second}", path(&w.agency.id));
    assert_eq!(w.app.status(Method::DELETE, &one, &w.agency.token, None).await, 204);
    let page = w.app.get_json(&path(&w.agency.id), Some(&w.integrator)).await;
    assert_eq!(page["data"].as_array().unwrap().len(), 1);
    // Removed is gone: a second removal, an unknown link, another agency's path are 404.
    assert_problem(w.app.send(Method::DELETE, &one, &w.agency.token, None).await, 404, "not-found").await;
    let unknown = format!("{}/{MISSING}", path(&w.agency.id));
    assert_problem(w.app.send(Method::DELETE, &unknown, &w.admin, None).await, 404, "not-found").await;
    let elsewhere = format!("{}/{}", path(&sub.id), id(&first));
    assert_problem(w.app.send(Method::DELETE, &elsewhere, &w.admin, None).await, 404, "not-found").await;
    let malformed = format!("{}/not-a-uuid", path(&w.agency.id));
    assert_problem(w.app.send(Method::DELETE, &malformed, &w.admin, None).await, 404, "not-found").await;
    // The link may be recorded again once removed.
    link(&w.app, &w.agency.token, &w.agency.id, unregistered("Janakpur Job Link", Some("JJL-7"))).await;

    // Logged with previous and current values, for admins and the agency; not public-level.
    let feed = |token: String| {
        let app = &w.app;
        async move {
            let page = app
                .get_json("/v1/events?types=agency.sub_agent_added,agency.sub_agent_removed&limit=50", Some(&token))
                .await;
            page["data"].as_array().unwrap().clone()
        }
    };
    let events = feed(w.admin.clone()).await;
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["agency.sub_agent_added", "agency.sub_agent_added", "agency.sub_agent_removed", "agency.sub_agent_added"]
    );
    assert!(events.iter().all(|e| e["agency_id"] == w.agency.id.as_str() && e["public"] == false));
    assert_eq!(events[0]["current"]["sub_agency_id"], sub.id.as_str());
    assert_eq!(events[2]["previous"]["name"], "Janakpur Job Link");
    assert_eq!(events[2]["previous"]["link_id"], second.as_str());
    assert_eq!(feed(w.agency.token.clone()).await.len(), 4);
    assert!(feed(w.integrator.clone()).await.is_empty());
    assert!(feed(sub.token.clone()).await.is_empty());
}

#[tokio::test]
async fn a_sub_agent_that_is_not_valid_is_refused_field_by_field() {
    let w = World::at_start().await;
    let other = w.app.agency(&w.admin, 2).await;
    let own = path(&w.agency.id);
    let post = |body: Value| w.app.send(Method::POST, &own, &w.agency.token, Some(body));
    let fields = |res| async move { error_fields(&assert_problem(res, 422, "validation").await) };

    assert_eq!(fields(post(registered(&w.agency.id)).await).await, ["agency_id"]);
    assert_eq!(fields(post(registered(MISSING)).await).await, ["agency_id"]);
    assert_eq!(fields(post(registered("not-a-uuid")).await).await, ["agency_id"]);
    assert_eq!(fields(post(json!({"kind": "sub_agent"})).await).await, ["country", "name"]);
    assert_eq!(fields(post(json!({"kind": "partner", "name": "X", "country": "NP"})).await).await, ["kind"]);
    let both = json!({"kind": "sub_agent", "agency_id": other.id, "name": "X", "country": "NP"});
    assert_eq!(fields(post(both).await).await, ["country", "name"]);
    let bad = json!({"kind": "branch", "name": " ", "country": "np", "licence_number": "x".repeat(65)});
    assert_eq!(fields(post(bad).await).await, ["country", "licence_number", "name"]);
    assert_eq!(
        fields(post(json!({"kind": "branch", "name": "X", "country": "NP", "city": "Pokhara"})).await).await,
        ["city"]
    );
    // A licence the registry holds must be linked as the registered agency it is.
    let hiding = json!({"kind": "sub_agent", "name": "Other", "country": "NP", "licence_number": "dofe-2/2075"});
    let problem = assert_problem(post(hiding).await, 422, "validation").await;
    assert_eq!(error_fields(&problem), ["licence_number"]);
    assert!(problem["detail"].as_str().unwrap().contains(&other.id), "{problem}");

    // A registered agency is listed once.
    link(&w.app, &w.agency.token, &w.agency.id, registered(&other.id)).await;
    assert_problem(post(registered(&other.id)).await, 409, "conflict").await;
    // An unknown agency in the path is a 404 for an admin.
    let res = w.app.send(Method::POST, &path(MISSING), &w.admin, Some(unregistered("X", None))).await;
    assert_problem(res, 404, "not-found").await;
}

#[tokio::test]
async fn only_the_agency_itself_and_admins_record_sub_agents_and_readers_of_the_agency_read_them() {
    let w = World::at_start().await;
    let other = w.app.agency(&w.admin, 2).await;
    let own = path(&w.agency.id);
    for (role, token) in w.app.non_admin_tokens(&w.body.id, &other.id).await {
        let res = w.app.send(Method::POST, &own, &token, Some(unregistered("X", None))).await;
        assert_problem(res, 403, "forbidden").await;
        let status = w.app.status(Method::GET, &own, &token, None).await;
        assert_eq!(status, if role == Role::Agency { 403 } else { 200 }, "{role:?}");
    }
    let link_id = link(&w.app, &w.agency.token, &w.agency.id, unregistered("X", None)).await;
    let one = format!("{own}/{link_id}");
    for token in [&other.token, &w.integrator, &w.body.auditor, &w.body.certifier] {
        assert_problem(w.app.send(Method::DELETE, &one, token, None).await, 403, "forbidden").await;
    }
    for (method, body) in [(Method::GET, None), (Method::POST, Some(unregistered("X", None))), (Method::DELETE, None)] {
        let target = if method == Method::DELETE { one.clone() } else { own.clone() };
        let res = w.app.send_anonymous(method, &target, body).await;
        assert_problem(res, 401, "unauthorized").await;
    }
    assert_eq!(w.app.status(Method::DELETE, &one, &w.admin, None).await, 204);
}

#[tokio::test]
async fn due_diligence_covers_the_chain_with_its_worst_status_and_risk_and_their_reasons() {
    let w = World::at_start().await;
    // The world's agency is certified, then suspended: it recruits for the head agency.
    w.certified().await;
    let suspend = json!({"action": "suspend", "reason": "documents held at the office"});
    assert_eq!(w.decide(&w.admin, suspend).await.status(), StatusCode::OK);
    let head = w.app.agency(&w.admin, 2).await;
    let far = w.app.agency(&w.admin, 3).await;

    let empty = chain(&w.app, &w.integrator, &head.id).await;
    assert_eq!(
        empty,
        json!({"worst_status": null, "worst_risk_level": null, "worst_reasons": [], "truncated": false, "max_depth": 3, "members": []})
    );

    let informal = link(&w.app, &head.token, &head.id, unregistered("Janakpur Job Link", None)).await;
    let c = chain(&w.app, &w.integrator, &head.id).await;
    assert_eq!(c["worst_status"], "unregistered");
    assert_eq!(c["worst_risk_level"], "high");
    let reasons: Vec<&str> =
        c["worst_reasons"].as_array().unwrap().iter().map(|r| r["reason"].as_str().unwrap()).collect();
    assert_eq!(
        reasons,
        ["Janakpur Job Link: not in the registry, cannot be verified", "Janakpur Job Link: no licence number recorded"]
    );
    assert_eq!(c["members"][0]["link_id"], informal.as_str());
    assert_eq!(c["members"][0]["status"], "unregistered");
    assert_eq!(c["members"][0]["agency_id"], Value::Null);

    link(&w.app, &head.token, &head.id, registered(&w.agency.id)).await;
    link(&w.app, &w.agency.token, &w.agency.id, registered(&far.id)).await;
    let c = chain(&w.app, &w.integrator, &head.id).await;
    assert_eq!(c["worst_status"], "suspended");
    assert_eq!(c["worst_risk_level"], "critical");
    assert_eq!(
        member_names(&c),
        [
            ("Janakpur Job Link".into(), 1),
            ("Himalayan Overseas Manpower 1".into(), 1),
            ("Himalayan Overseas Manpower 3".into(), 2)
        ]
    );
    let suspended = &c["members"][1];
    assert_eq!(suspended["status"], "suspended");
    assert_eq!(suspended["recruits_for"], head.id.as_str());
    assert_eq!(c["members"][2]["recruits_for"], w.agency.id.as_str());
    assert_eq!(c["members"][2]["status"], "never_certified");
    assert!(c["worst_reasons"].as_array().unwrap().contains(
        &json!({"level": "critical", "reason": "Himalayan Overseas Manpower 1: the certificate is suspended"})
    ));
    // A registered member's risk is its own due diligence's.
    let own = w.app.get_json(&format!("/v1/agencies/{}/due-diligence", w.agency.id), Some(&w.integrator)).await;
    assert_eq!(suspended["risk_level"], own["risk_level"]);
    assert_eq!(suspended["risk_reasons"], own["risk_reasons"]);
    // The head's own risk is its own: the chain is read beside it.
    let head_dd = w.app.get_json(&format!("/v1/agencies/{}/due-diligence", head.id), Some(&w.integrator)).await;
    assert_eq!(head_dd["risk_level"], "high");
    // The agency reads its own chain, reasons included.
    assert_eq!(chain(&w.app, &head.token, &head.id).await, c);
}

#[tokio::test]
async fn a_chain_with_cycles_ends_and_a_long_one_is_cut_at_its_depth() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let mut agencies = Vec::new();
    for n in 1..=5 {
        agencies.push(app.agency(&admin, n).await);
    }
    let ids: Vec<String> = agencies.iter().map(|a| a.id.clone()).collect();
    // 1 → 2 → 3 → 4 → 5, and 2 → 1, 3 → 1, 3 → 2: cycles back up the chain.
    for (from, to) in [(0, 1), (1, 2), (2, 3), (3, 4), (1, 0), (2, 0), (2, 1)] {
        link(&app, &admin, &ids[from], registered(&ids[to])).await;
    }
    let c = chain(&app, &admin, &ids[0]).await;
    let names: Vec<(String, u64)> = member_names(&c);
    assert_eq!(
        names,
        [
            ("Himalayan Overseas Manpower 2".into(), 1),
            ("Himalayan Overseas Manpower 3".into(), 2),
            ("Himalayan Overseas Manpower 4".into(), 3)
        ]
    );
    // Agency 4 lists agency 5, beyond the depth followed.
    assert_eq!(c["truncated"], true);
    // From the middle, every agency is reached once, the cycle back to 1 included.
    let c = chain(&app, &admin, &ids[2]).await;
    let mut names: Vec<String> = member_names(&c).into_iter().map(|(n, _)| n).collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    assert_eq!(c["truncated"], false);
}

#[tokio::test]
async fn a_finding_on_the_sub_agent_criterion_names_the_agencys_sub_agents() {
    let w = World::at_start().await;
    w.apply_and_accept().await;
    let other = w.app.agency(&w.admin, 2).await;
    let mine = link(&w.app, &w.agency.token, &w.agency.id, unregistered("Janakpur Job Link", Some("JJL-7"))).await;
    let dropped = link(&w.app, &w.agency.token, &w.agency.id, unregistered("Old Partner", None)).await;
    let theirs = link(&w.app, &other.token, &other.id, unregistered("Not Mine", None)).await;
    let removal = format!("{}/{dropped}", path(&w.agency.id));
    assert_eq!(w.app.status(Method::DELETE, &removal, &w.agency.token, None).await, 204);

    let audit = w.app.open_assessment(&w.body.auditor, &json!({"agency_id": w.agency.id, "kind": "stage2"})).await;
    let finding = |code: &str, ids: Value| {
        let path = format!("/v1/assessments/{audit}/findings/{code}");
        let body = json!({"severity": "minor", "evidence": "one sub-agent never vetted", "sub_agent_ids": ids});
        let app = &w.app;
        let token = w.body.auditor.clone();
        async move { app.send(Method::PUT, &path, &token, Some(body)).await }
    };
    // A removed link may still be named: the audit looks back.
    let res = finding("B.3", json!([mine, dropped, mine])).await;
    assert_eq!(res.status(), StatusCode::OK);
    let assessment: Value = res.json().await.unwrap();
    let b3 = assessment["findings"].as_array().unwrap().iter().find(|f| f["criterion_code"] == "B.3").unwrap();
    assert_eq!(b3["sub_agent_ids"], json!([mine, dropped]));
    let c1 = json!({"severity": "conformant"});
    let c1 = w.app.ok(Method::PUT, &format!("/v1/assessments/{audit}/findings/C.1"), &w.body.auditor, Some(c1)).await;
    let c1 = c1["findings"].as_array().unwrap().iter().find(|f| f["criterion_code"] == "C.1").unwrap().clone();
    assert_eq!(c1["sub_agent_ids"], json!([]));

    let fields = |res| async move { error_fields(&assert_problem(res, 422, "validation").await) };
    assert_eq!(fields(finding("B.2", json!([mine])).await).await, ["sub_agent_ids"]);
    assert_eq!(fields(finding("B.3", json!([mine, theirs])).await).await, ["sub_agent_ids[1]"]);
    assert_eq!(fields(finding("B.3", json!([MISSING])).await).await, ["sub_agent_ids[0]"]);
    assert_eq!(fields(finding("B.3", json!(["not-a-uuid"])).await).await, ["sub_agent_ids"]);

    // The log keeps what the finding named.
    let history = w.app.get_json(&format!("/v1/assessments/{audit}/events"), Some(&w.admin)).await;
    let recorded =
        history["data"].as_array().unwrap().iter().find(|e| e["type"] == "assessment.finding_recorded").unwrap();
    assert_eq!(recorded["current"]["sub_agent_ids"], json!([mine, dropped]));
}
