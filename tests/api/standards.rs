use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, UNREGISTERED_BODY, agency_body, assert_problem, error_fields, id};

/// A small valid draft: two principles, three criteria and the default scoring policy.
fn draft(version: &str) -> Value {
    json!({
        "version": version,
        "title": "Ethical Recruitment Standard, revised",
        "principles": [
            {"code": "A", "title": "Respect for the law"},
            {"code": "C", "title": "No recruitment fees or related costs for workers"}
        ],
        "criteria": [
            {"code": "A.1", "principle": "A", "text": "Holds a valid licence", "weight": 1.0, "critical": false, "area": "policies"},
            {"code": "A.2", "principle": "A", "text": "Keeps lawful records", "weight": 2.0, "critical": false, "area": "governance"},
            {"code": "C.1", "principle": "C", "text": "Charges workers no fees", "weight": 3.0, "critical": true, "area": "monitoring"}
        ],
        "policy": {
            "credits": {"conformant": 1.0, "observation": 1.0, "minor": 0.5, "major": 0.0, "critical": 0.0},
            "grade_bands": [
                {"grade": "A", "min_score": 90.0},
                {"grade": "B", "min_score": 75.0},
                {"grade": "C", "min_score": 60.0},
                {"grade": "D", "min_score": 40.0}
            ],
            "caps": {"any_critical": "E", "major_on_critical_criterion": "D", "any_major": "C"},
            "certification_minimum": 75.0
        }
    })
}

/// An edit to a draft, making it invalid.
type Change = fn(&mut Value);

/// One token per role; the agency token is bound to an agency that exists.
async fn every_role(app: &TestApp) -> Vec<(Role, String)> {
    let admin = app.admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let mut tokens = app.non_admin_tokens(UNREGISTERED_BODY, id(&agency)).await;
    tokens.push((Role::Admin, admin));
    tokens
}

#[tokio::test]
async fn every_role_reads_the_published_default_standard() {
    let app = TestApp::spawn().await;
    for (role, token) in every_role(&app).await {
        let list = app.get_json("/v1/standards", Some(&token)).await;
        let data = list["data"].as_array().unwrap();
        assert_eq!(data.len(), 1, "{role:?}: {list}");
        assert_eq!(data[0]["version"], "ers-1.0", "{role:?}");
        assert_eq!(data[0]["title"], "Ethical Recruitment Standard", "{role:?}");
        assert_eq!(data[0]["status"], "published", "{role:?}");
        assert_eq!(data[0]["criteria_count"], 33, "{role:?}");
        assert!(data[0]["published_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{role:?}: {list}");
        assert_eq!(data[0]["retired_at"], Value::Null, "{role:?}");
        assert_eq!(list["next_cursor"], Value::Null, "{role:?}");

        let standard = app.get_json("/v1/standards/ers-1.0", Some(&token)).await;
        assert_eq!(standard["version"], "ers-1.0", "{role:?}");
        assert_eq!(standard["status"], "published", "{role:?}");
        let principles: Vec<&str> =
            standard["principles"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
        assert_eq!(principles, ["A", "B", "C", "D", "E", "F", "G"], "{role:?}");
        assert_eq!(standard["criteria"].as_array().unwrap().len(), 33, "{role:?}");
        assert_eq!(standard["policy"]["certification_minimum"], 75.0, "{role:?}");
        assert_eq!(standard["published_at"], data[0]["published_at"], "{role:?}");
    }
}

#[tokio::test]
async fn an_unknown_version_is_a_404_and_reading_needs_a_token() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let res = app.send(Method::GET, "/v1/standards/ers-9.9", &admin, None).await;
    let problem = assert_problem(res, 404, "not-found").await;
    assert!(problem["detail"].as_str().unwrap().contains("ers-9.9"), "{problem}");
    for path in ["/v1/standards", "/v1/standards/ers-1.0"] {
        let res = app.send_anonymous(Method::GET, path, None).await;
        assert_problem(res, 401, "unauthorized").await;
        let res = app.send(Method::GET, path, "not-a-token", None).await;
        assert_problem(res, 401, "unauthorized").await;
    }
}

#[tokio::test]
async fn an_admin_takes_a_draft_through_publish_and_retire() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let res = app.create_standard(&admin, &draft("ers-1.1")).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["location"], "/v1/standards/ers-1.1");
    let created: Value = res.json().await.unwrap();
    assert_eq!(created["version"], "ers-1.1");
    assert_eq!(created["title"], "Ethical Recruitment Standard, revised");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["principles"], draft("ers-1.1")["principles"]);
    assert_eq!(created["criteria"], draft("ers-1.1")["criteria"]);
    assert_eq!(created["policy"], draft("ers-1.1")["policy"]);
    assert!(created["created_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(created["published_at"], Value::Null);
    assert_eq!(created["retired_at"], Value::Null);
    assert_eq!(app.get_json("/v1/standards/ers-1.1", Some(&admin)).await, created, "a draft reads back as created");

    // The draft is listed after the default, with its own criteria count.
    let list = app.get_json("/v1/standards", Some(&admin)).await;
    let summary: Vec<(&str, &str, i64)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["version"].as_str().unwrap(), s["status"].as_str().unwrap(), s["criteria_count"].as_i64().unwrap()))
        .collect();
    assert_eq!(summary, [("ers-1.0", "published", 33), ("ers-1.1", "draft", 3)]);

    // A draft cannot be retired before it is published.
    let res = app.standard_transition(Some(&admin), "ers-1.1", "retire").await;
    assert_problem(res, 409, "conflict").await;

    let res = app.standard_transition(Some(&admin), "ers-1.1", "publish").await;
    assert_eq!(res.status(), StatusCode::OK);
    let published: Value = res.json().await.unwrap();
    assert_eq!(published["status"], "published");
    assert!(published["published_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{published}");
    assert_eq!(published["retired_at"], Value::Null);
    assert_eq!(published["created_at"], created["created_at"]);
    assert_eq!(published["criteria"], created["criteria"]);
    assert_eq!(app.get_json("/v1/standards/ers-1.1", Some(&admin)).await, published);

    let res = app.standard_transition(Some(&admin), "ers-1.1", "publish").await;
    let problem = assert_problem(res, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("published"), "{problem}");

    let res = app.standard_transition(Some(&admin), "ers-1.1", "retire").await;
    assert_eq!(res.status(), StatusCode::OK);
    let retired: Value = res.json().await.unwrap();
    assert_eq!(retired["status"], "retired");
    assert_eq!(retired["published_at"], published["published_at"], "retiring keeps the publication date");
    assert!(retired["retired_at"].as_str().is_some_and(|t| t.ends_with('Z')), "{retired}");

    let res = app.standard_transition(Some(&admin), "ers-1.1", "retire").await;
    assert_problem(res, 409, "conflict").await;
    let res = app.standard_transition(Some(&admin), "ers-1.1", "publish").await;
    assert_problem(res, 409, "conflict").await;

    // Retired, it is still readable, as it was at retirement.
    assert_eq!(app.get_json("/v1/standards/ers-1.1", Some(&admin)).await, retired);
    let list = app.get_json("/v1/standards", Some(&admin)).await;
    assert_eq!(list["data"][1]["status"], "retired");
    assert_eq!(list["data"][1]["retired_at"], retired["retired_at"]);
}

#[tokio::test]
async fn a_version_cannot_be_created_twice() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    assert_eq!(app.create_standard(&admin, &draft("ers-1.1")).await.status(), StatusCode::CREATED);
    let mut again = draft("ers-1.1");
    again["title"] = json!("Another title");
    let problem = assert_problem(app.create_standard(&admin, &again).await, 409, "conflict").await;
    assert!(problem["detail"].as_str().unwrap().contains("ers-1.1"), "{problem}");
    assert_problem(app.create_standard(&admin, &draft("ers-1.0")).await, 409, "conflict").await;

    // The first one is untouched, and so is the default.
    let stored = app.get_json("/v1/standards/ers-1.1", Some(&admin)).await;
    assert_eq!(stored["title"], "Ethical Recruitment Standard, revised");
    let default = app.get_json("/v1/standards/ers-1.0", Some(&admin)).await;
    assert_eq!(default["status"], "published");
    assert_eq!(default["criteria"].as_array().unwrap().len(), 33);
}

#[tokio::test]
async fn publishing_or_retiring_an_unknown_version_is_a_404() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    for to in ["publish", "retire"] {
        let problem =
            assert_problem(app.standard_transition(Some(&admin), "ers-9.9", to).await, 404, "not-found").await;
        assert!(problem["detail"].as_str().unwrap().contains("ers-9.9"), "{problem}");
    }
}

#[tokio::test]
async fn each_fault_of_a_malformed_standard_is_named_in_a_422() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let cases: [(&str, Change, &[&str]); 14] = [
        ("duplicate criterion code", |s| s["criteria"][1]["code"] = json!("A.1"), &["criteria[1].code"]),
        ("weight 0", |s| s["criteria"][0]["weight"] = json!(0.0), &["criteria[0].weight"]),
        ("negative weight", |s| s["criteria"][2]["weight"] = json!(-1.0), &["criteria[2].weight"]),
        (
            "unknown principle",
            |s| {
                s["criteria"][0]["principle"] = json!("Z");
                s["criteria"][0]["code"] = json!("Z.1");
            },
            &["criteria[0].principle"],
        ),
        (
            "grade bands out of order",
            |s| {
                let bands = s["policy"]["grade_bands"].as_array_mut().unwrap();
                bands.swap(0, 1);
            },
            &["policy.grade_bands"],
        ),
        (
            "credit above 1",
            |s| s["policy"]["credits"]["minor"] = json!(1.5),
            &["policy.credits.minor", "policy.credits"],
        ),
        ("credit below 0", |s| s["policy"]["credits"]["critical"] = json!(-0.5), &["policy.credits.critical"]),
        ("bad version id", |s| s["version"] = json!("ERS 1.1"), &["version"]),
        ("blank title", |s| s["title"] = json!("  "), &["title"]),
        ("criterion code of another principle", |s| s["criteria"][2]["code"] = json!("A.3"), &["criteria[2].code"]),
        (
            "duplicate principle code",
            |s| {
                s["principles"][1]["code"] = json!("A");
                s["criteria"][2]["principle"] = json!("A");
                s["criteria"][2]["code"] = json!("A.3");
            },
            &["principles[1].code"],
        ),
        ("caps that reward a worse condition", |s| s["policy"]["caps"]["any_critical"] = json!("B"), &["policy.caps"]),
        (
            "certification minimum above 100",
            |s| s["policy"]["certification_minimum"] = json!(101.0),
            &["policy.certification_minimum"],
        ),
        ("no grade bands", |s| s["policy"]["grade_bands"] = json!([]), &["policy.grade_bands"]),
    ];
    for (what, change, expected) in cases {
        let mut body = draft("ers-1.1");
        change(&mut body);
        let problem = assert_problem(app.create_standard(&admin, &body).await, 422, "validation").await;
        let fields = error_fields(&problem);
        let mut sorted = fields.clone();
        sorted.sort();
        let mut want: Vec<String> = expected.iter().map(|f| (*f).to_owned()).collect();
        want.sort();
        assert_eq!(sorted, want, "{what}: {problem}");
        assert!(
            problem["errors"].as_array().unwrap().iter().all(|e| e["message"].as_str().is_some_and(|m| !m.is_empty())),
            "{what}: {problem}"
        );
    }

    // All at once: every fault is named in one answer.
    let mut body = draft("ers-1.1");
    body["criteria"][1]["code"] = json!("A.1");
    body["criteria"][0]["weight"] = json!(0.0);
    body["criteria"][2]["principle"] = json!("Z");
    body["criteria"][2]["code"] = json!("Z.1");
    body["policy"]["grade_bands"] = json!([{"grade": "B", "min_score": 75.0}, {"grade": "A", "min_score": 90.0}]);
    body["policy"]["credits"]["conformant"] = json!(2.0);
    let problem = assert_problem(app.create_standard(&admin, &body).await, 422, "validation").await;
    let fields = error_fields(&problem);
    for field in [
        "criteria[1].code",
        "criteria[0].weight",
        "criteria[2].principle",
        "policy.grade_bands",
        "policy.credits.conformant",
        // Principle C lost its only criterion.
        "criteria",
    ] {
        assert!(fields.contains(&field.to_owned()), "{field} missing from {fields:?}");
    }
    let duplicate =
        &problem["errors"].as_array().unwrap()[fields.iter().position(|f| f == "criteria[1].code").unwrap()];
    assert!(duplicate["message"].as_str().unwrap().contains("duplicate"), "{duplicate}");

    // Nothing was stored.
    let list = app.get_json("/v1/standards", Some(&admin)).await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1, "{list}");
    let res = app.send(Method::GET, "/v1/standards/ers-1.1", &admin, None).await;
    assert_problem(res, 404, "not-found").await;
}

#[tokio::test]
async fn wrong_shapes_name_the_field() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    // (change, field named, what its message mentions)
    let cases: [(Change, &str, &str); 5] = [
        (|s| s["criteria"][0]["area"] = json!("astrology"), "criteria[0].area", "astrology"),
        (|s| s["policy"]["grade_bands"][0]["grade"] = json!("Z"), "policy.grade_bands[0].grade", "Z"),
        (|s| s["surprise"] = json!(true), "surprise", "surprise"),
        // A missing field is named itself.
        (
            |s| {
                s["criteria"][1].as_object_mut().unwrap().remove("weight");
            },
            "criteria[1].weight",
            "missing field",
        ),
        (
            |s| {
                s.as_object_mut().unwrap().remove("policy");
            },
            "policy",
            "missing field",
        ),
    ];
    for (change, field, mentions) in cases {
        let mut body = draft("ers-1.1");
        change(&mut body);
        let problem = assert_problem(app.create_standard(&admin, &body).await, 422, "validation").await;
        let errors = problem["errors"].as_array().unwrap();
        assert!(
            errors.iter().any(|e| e["field"] == field && e["message"].as_str().unwrap().contains(mentions)),
            "{field} ({mentions}) in {problem}"
        );
    }
    let res = app.send_raw(Method::POST, "/v1/standards", &admin, "application/json", "{\"version\": ").await;
    assert_problem(res, 400, "bad-request").await;
}

#[tokio::test]
async fn only_admins_manage_standards_and_everyone_needs_a_token() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    assert_eq!(app.create_standard(&admin, &draft("ers-1.1")).await.status(), StatusCode::CREATED);
    for (role, token) in every_role(&app).await.into_iter().filter(|(r, _)| *r != Role::Admin) {
        let problem = assert_problem(app.create_standard(&token, &draft("ers-1.2")).await, 403, "forbidden").await;
        assert!(problem["detail"].as_str().unwrap().contains(role.as_str()), "{problem}");
        assert_problem(app.standard_transition(Some(&token), "ers-1.1", "publish").await, 403, "forbidden").await;
        assert_problem(app.standard_transition(Some(&token), "ers-1.0", "retire").await, 403, "forbidden").await;
    }
    let res = app.send_anonymous(Method::POST, "/v1/standards", Some(draft("ers-1.2"))).await;
    assert_problem(res, 401, "unauthorized").await;
    assert_problem(app.standard_transition(None, "ers-1.1", "publish").await, 401, "unauthorized").await;
    assert_problem(app.standard_transition(None, "ers-1.0", "retire").await, 401, "unauthorized").await;

    // Nothing changed.
    let list = app.get_json("/v1/standards", Some(&admin)).await;
    let statuses: Vec<(&str, &str)> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["version"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(statuses, [("ers-1.0", "published"), ("ers-1.1", "draft")]);
}

#[tokio::test]
async fn a_retired_version_stays_readable_by_everyone() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let before = app.get_json("/v1/standards/ers-1.0", Some(&admin)).await;
    let res = app.standard_transition(Some(&admin), "ers-1.0", "retire").await;
    assert_eq!(res.status(), StatusCode::OK);
    let retired: Value = res.json().await.unwrap();
    assert_eq!(retired["status"], "retired");
    for (role, token) in every_role(&app).await {
        let read = app.get_json("/v1/standards/ers-1.0", Some(&token)).await;
        assert_eq!(read, retired, "{role:?}");
        assert_eq!(read["criteria"], before["criteria"], "{role:?}: retiring changes no content");
        assert_eq!(read["published_at"], before["published_at"], "{role:?}");
        let list = app.get_json("/v1/standards", Some(&token)).await;
        assert_eq!(list["data"][0]["status"], "retired", "{role:?}");
        assert_eq!(list["data"][0]["criteria_count"], 33, "{role:?}");
    }
}
