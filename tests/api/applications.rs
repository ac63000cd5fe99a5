//! Reading applications back: `GET /v1/applications` and `GET /v1/applications/{id}`, for each
//! role, with their filters and pages, and the `Location` of a new application.

use chrono::Duration;
use fairhire::domain::roles::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{
    Agency, Body, MISSING, UNREGISTERED_BODY, World, assert_problem, error_fields, id, ids, rfc3339, start,
};

/// The usual world with a second body and a second agency, and four applications:
/// `own_pending` (agency 1 to body 1, pending), `assigned` (agency 2 to body 1, by the admin,
/// accepted), `rejected` (agency 1 to body 2, rejected by its certifier) and `other_pending`
/// (agency 2 to body 2, pending), made in that order.
struct Cast {
    w: World,
    body2: Body,
    agency2: Agency,
    own_pending: String,
    assigned: String,
    rejected: String,
    other_pending: String,
}

impl Cast {
    async fn new() -> Cast {
        let w = World::at_start().await;
        let body2 = w.app.body_with_staff(&w.admin, 2).await;
        let agency2 = w.app.agency(&w.admin, 2).await;
        let own_pending = applied(&w, Some(&w.agency.token), &w.agency.id, &w.body.id).await;
        let assigned = applied(&w, Some(&w.admin), &agency2.id, &w.body.id).await;
        let rejected = applied(&w, Some(&w.agency.token), &w.agency.id, &body2.id).await;
        let reject = json!({"decision": "reject", "reason": "no licence renewal"});
        let path = format!("/v1/applications/{rejected}/decision");
        w.app.ok(Method::POST, &path, &body2.certifier, Some(reject)).await;
        let other_pending = applied(&w, Some(&agency2.token), &agency2.id, &body2.id).await;
        Cast { w, body2, agency2, own_pending, assigned, rejected, other_pending }
    }

    fn all(&self) -> Vec<String> {
        vec![self.own_pending.clone(), self.assigned.clone(), self.rejected.clone(), self.other_pending.clone()]
    }

    /// The ids `token` lists with `query`, over every page.
    async fn listed(&self, token: &str, query: &str) -> Vec<String> {
        let pages = self.w.app.pages(&format!("/v1/applications?{query}"), Some(token)).await;
        pages.iter().flat_map(ids).collect()
    }
}

/// Applies and returns the new application's id.
async fn applied(w: &World, token: Option<&str>, agency_id: &str, body_id: &str) -> String {
    let res = w.app.apply(token, agency_id, body_id).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    id(&res.json::<Value>().await.unwrap()).to_owned()
}

/// The id of the API client named `name`, as the admin lists it.
async fn client_named(w: &World, name: &str) -> String {
    let clients = w.app.get_json("/v1/clients?limit=200", Some(&w.admin)).await;
    let found = clients["data"].as_array().unwrap().iter().find(|c| c["name"] == name);
    found.unwrap_or_else(|| panic!("no client named {name}: {clients}"))["client_id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_new_application_is_read_back_at_its_location_and_shows_its_decision() {
    let w = World::at_start().await;
    let res = w.app.apply(Some(&w.agency.token), &w.agency.id, &w.body.id).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let created: Value = res.json().await.unwrap();
    assert_eq!(location, format!("/v1/applications/{}", id(&created)));
    let at = rfc3339(start());
    assert_eq!(
        created,
        json!({
            "id": id(&created), "agency_id": w.agency.id, "certification_body_id": w.body.id,
            "status": "pending", "reason": null, "created_at": at, "decided_at": null,
            "decided_by": null, "deferred_until": null, "updated_at": at
        })
    );
    assert_eq!(w.app.get_json(&location, Some(&w.agency.token)).await, created);

    w.clock.advance(Duration::days(2));
    let defer = json!({"decision": "defer", "reason": "  send the licence renewal  "});
    w.app.ok(Method::POST, &format!("{location}/decision"), &w.body.certifier, Some(defer)).await;
    let read = w.app.get_json(&location, Some(&w.body.auditor)).await;
    let decided = rfc3339(start() + Duration::days(2));
    assert_eq!(read["status"], "deferred");
    assert_eq!(read["reason"], "send the licence renewal");
    assert_eq!(read["decided_at"], decided);
    assert_eq!(read["updated_at"], decided);
    assert_eq!(read["created_at"], at);
    assert_eq!(read["deferred_until"], rfc3339(start() + Duration::days(62)), "60 days from the decision");
    assert_eq!(read["decided_by"], client_named(&w, "certifier B1-CERTIFIER").await);

    // An admin's assignment is decided at once, by the admin.
    let other = w.app.agency(&w.admin, 2).await;
    let res = w.app.apply(Some(&w.admin), &other.id, &w.body.id).await;
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let read = w.app.get_json(&location, Some(&other.token)).await;
    assert_eq!(read["status"], "accepted");
    assert_eq!(read["decided_at"], decided);
    assert_eq!(read["decided_by"], client_named(&w, "test admin").await);
}

#[tokio::test]
async fn each_role_lists_only_the_applications_it_may_see() {
    let c = Cast::new().await;
    let w = &c.w;
    let [own_pending, assigned, rejected, other_pending] = [&c.own_pending, &c.assigned, &c.rejected, &c.other_pending];
    assert_eq!(c.listed(&w.admin, "").await, c.all());
    for token in [&w.body.auditor, &w.body.certifier] {
        assert_eq!(c.listed(token, "").await, vec![own_pending.clone(), assigned.clone()]);
    }
    for token in [&c.body2.auditor, &c.body2.certifier] {
        assert_eq!(c.listed(token, "").await, vec![rejected.clone(), other_pending.clone()]);
    }
    assert_eq!(c.listed(&w.agency.token, "").await, vec![own_pending.clone(), rejected.clone()]);
    assert_eq!(c.listed(&c.agency2.token, "").await, vec![assigned.clone(), other_pending.clone()]);
    // Staff of a body nobody applied to see nothing.
    let stranger = w.app.token_for(Role::Certifier, Some(UNREGISTERED_BODY), None).await;
    assert!(c.listed(&stranger, "").await.is_empty());

    let res = w.app.send(Method::GET, "/v1/applications", &w.integrator, None).await;
    let problem = assert_problem(res, 403, "forbidden").await;
    assert_eq!(problem["detail"], "the integrator role may not list applications");
    let res = w.app.request(Method::GET, "/v1/applications", None).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
    let res = w.app.request(Method::GET, "/v1/applications", Some("not-a-token")).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn an_application_the_caller_may_not_see_is_not_found() {
    let c = Cast::new().await;
    let w = &c.w;
    let stranger = w.app.token_for(Role::Auditor, Some(UNREGISTERED_BODY), None).await;
    let all = c.all();
    let readers = [
        ("admin", &w.admin, all.iter().collect()),
        ("auditor 1", &w.body.auditor, vec![&c.own_pending, &c.assigned]),
        ("certifier 1", &w.body.certifier, vec![&c.own_pending, &c.assigned]),
        ("auditor 2", &c.body2.auditor, vec![&c.rejected, &c.other_pending]),
        ("certifier 2", &c.body2.certifier, vec![&c.rejected, &c.other_pending]),
        ("agency 1", &w.agency.token, vec![&c.own_pending, &c.rejected]),
        ("agency 2", &c.agency2.token, vec![&c.assigned, &c.other_pending]),
        ("integrator", &w.integrator, vec![]),
        ("another body's auditor", &stranger, vec![]),
    ];
    for (who, token, visible) in readers {
        for application in &all {
            let path = format!("/v1/applications/{application}");
            let res = w.app.send(Method::GET, &path, token, None).await;
            if visible.contains(&application) {
                assert_eq!(res.status(), StatusCode::OK, "{who} reads {application}");
                assert_eq!(id(&res.json::<Value>().await.unwrap()), application);
            } else {
                let problem = assert_problem(res, 404, "not-found").await;
                assert_eq!(problem["detail"], format!("no application with id {application}"), "{who}");
            }
        }
    }
    for path in [format!("/v1/applications/{MISSING}"), "/v1/applications/not-a-uuid".to_owned()] {
        assert_problem(w.app.send(Method::GET, &path, &w.admin, None).await, 404, "not-found").await;
    }
    // Any UUID form reads the same application.
    let upper = format!("/v1/applications/{}", c.assigned.to_uppercase());
    assert_eq!(id(&w.app.get_json(&upper, Some(&w.admin)).await), c.assigned);
    let res = w.app.request(Method::GET, &format!("/v1/applications/{}", c.assigned), None).send().await.unwrap();
    assert_problem(res, 401, "unauthorized").await;
}

#[tokio::test]
async fn filters_combine_within_what_the_caller_may_see_and_pages_follow_the_cursor() {
    let c = Cast::new().await;
    let w = &c.w;
    let (b1, b2, a1, a2) = (&w.body.id, &c.body2.id, &w.agency.id, &c.agency2.id);
    let cases = [
        (format!("certification_body_id={b1}"), vec![&c.own_pending, &c.assigned]),
        (format!("agency_id={a1}"), vec![&c.own_pending, &c.rejected]),
        ("status=pending".to_owned(), vec![&c.own_pending, &c.other_pending]),
        ("status=rejected".to_owned(), vec![&c.rejected]),
        ("status=deferred".to_owned(), vec![]),
        (format!("certification_body_id={b2}&status=pending"), vec![&c.other_pending]),
        (format!("certification_body_id={b2}&agency_id={a2}&status=accepted"), vec![]),
        (format!("agency_id={MISSING}"), vec![]),
    ];
    for (query, expected) in cases {
        let expected: Vec<String> = expected.into_iter().cloned().collect();
        assert_eq!(c.listed(&w.admin, &query).await, expected, "{query}");
    }
    // A filter never widens what the caller may see.
    assert!(c.listed(&w.body.certifier, &format!("certification_body_id={b2}")).await.is_empty());
    assert!(c.listed(&w.agency.token, &format!("agency_id={a2}")).await.is_empty());
    assert_eq!(c.listed(&w.agency.token, "status=rejected").await, vec![c.rejected.clone()]);
    assert_eq!(c.listed(&w.body.certifier, "status=pending").await, vec![c.own_pending.clone()]);

    // Pages of one, then of three: the same applications in the same order, no empty last page.
    let pages = w.app.pages("/v1/applications?limit=1", Some(&w.admin)).await;
    assert_eq!(pages.len(), 4);
    assert!(pages.iter().all(|p| p["data"].as_array().unwrap().len() == 1));
    assert_eq!(pages.iter().flat_map(ids).collect::<Vec<_>>(), c.all());
    assert_eq!(pages[0]["next_cursor"], c.own_pending.as_str());
    assert_eq!(pages[3]["next_cursor"], Value::Null);
    let pages = w.app.pages("/v1/applications?limit=3", Some(&w.admin)).await;
    assert_eq!(pages.iter().map(|p| ids(p).len()).collect::<Vec<_>>(), vec![3, 1]);
    let pages = w.app.pages("/v1/applications?status=pending&limit=1", Some(&w.admin)).await;
    assert_eq!(pages.iter().flat_map(ids).collect::<Vec<_>>(), vec![c.own_pending.clone(), c.other_pending.clone()]);
    let last = w.app.get_json(&format!("/v1/applications?cursor={}", c.other_pending), Some(&w.admin)).await;
    assert_eq!(last, json!({"data": [], "next_cursor": null}));
}

#[tokio::test]
async fn bad_queries_are_400_or_422() {
    let w = World::at_start().await;
    for (query, status, slug, field) in [
        ("limit=0", 422, "validation", Some("limit")),
        ("limit=201", 422, "validation", Some("limit")),
        ("certification_body_id=cb-1", 422, "validation", Some("certification_body_id")),
        ("agency_id=agency-1", 422, "validation", Some("agency_id")),
        ("limit=abc", 400, "bad-request", None),
        ("status=approved", 400, "bad-request", None),
        ("body_id=0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90", 400, "bad-request", None),
        ("cursor=garbage", 400, "bad-request", None),
    ] {
        for token in [&w.admin, &w.body.certifier, &w.agency.token] {
            let res = w.app.send(Method::GET, &format!("/v1/applications?{query}"), token, None).await;
            let problem = assert_problem(res, status, slug).await;
            if let Some(field) = field {
                assert_eq!(error_fields(&problem), vec![field], "{query}");
            }
        }
    }
}
