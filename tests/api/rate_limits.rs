//! Rate limits per client: by API client for a valid bearer token, else by address, taken from
//! `Forwarded`/`X-Forwarded-For` only when the peer is a trusted proxy; the `RateLimit-Policy`
//! and `RateLimit` headers on every answer that drew from a bucket, 429s included.

use std::collections::HashMap;

use fairhire::domain::roles::Role;
use reqwest::{Method, Response, StatusCode};
use serde_json::json;

use crate::helpers::{TestApp, assert_problem};

/// A header of draft-ietf-httpapi-ratelimit-headers, `"name";key=value;...` items separated by
/// commas, as a map from name to its parameters.
fn items(res: &Response, header: &str) -> HashMap<String, HashMap<String, u64>> {
    let value = res.headers().get(header).unwrap_or_else(|| panic!("no {header}")).to_str().unwrap();
    value
        .split(", ")
        .map(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap();
            let name = name.strip_prefix('"').and_then(|n| n.strip_suffix('"')).expect("a quoted name");
            let params =
                parts.map(|p| p.split_once('=').unwrap()).map(|(k, v)| (k.to_owned(), v.parse().unwrap())).collect();
            (name.to_owned(), params)
        })
        .collect()
}

/// What is left in the bucket `policy` after `res`, and the seconds until it is full.
fn left(res: &Response, policy: &str) -> (u64, u64) {
    let state = &items(res, "ratelimit")[policy];
    (state["r"], state["t"])
}

fn retry_after(res: &Response) -> u64 {
    res.headers()["retry-after"].to_str().unwrap().parse().unwrap()
}

async fn get(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> Response {
    let mut req = app.http.get(app.url(path));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    req.send().await.unwrap()
}

/// Statuses of `n` anonymous `GET /healthz` sent with `headers`.
async fn statuses(app: &TestApp, n: usize, headers: &[(&str, &str)]) -> Vec<u16> {
    let mut statuses = Vec::new();
    for _ in 0..n {
        statuses.push(get(app, "/healthz", headers).await.status().as_u16());
    }
    statuses
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket() {
    let app = TestApp::spawn_with(|c| {
        c.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap()];
        c.limits.api_per_second = 1;
        c.limits.api_burst = 2;
    })
    .await;
    let first = [("x-forwarded-for", "203.0.113.1")];
    assert_eq!(statuses(&app, 3, &first).await, [200, 200, 429]);
    assert_eq!(statuses(&app, 2, &[("x-forwarded-for", "203.0.113.2")]).await, [200, 200]);
    assert_eq!(statuses(&app, 1, &[("forwarded", "for=\"[2001:db8::7]:4711\"")]).await, [200]);
    // What a client writes left of the proxy's entry does not move it to another bucket.
    assert_eq!(statuses(&app, 1, &[("x-forwarded-for", "198.51.100.9, 203.0.113.1")]).await, [429]);
    // Nor does a second header that names someone else: neither is believed, and the request
    // counts against the proxy itself.
    let contradicting = [("x-forwarded-for", "203.0.113.1"), ("forwarded", "for=198.51.100.10")];
    assert_eq!(statuses(&app, 3, &contradicting).await, [200, 200, 429]);
    assert_eq!(statuses(&app, 1, &[]).await, [429], "the proxy's own bucket");
}

#[tokio::test]
async fn from_a_peer_that_is_not_a_trusted_proxy_the_forwarding_headers_are_ignored() {
    let app = TestApp::spawn_with(|c| {
        c.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
        c.limits.api_per_second = 1;
        c.limits.api_burst = 2;
    })
    .await;
    let mut seen = Vec::new();
    for (n, header) in ["x-forwarded-for", "forwarded", "x-forwarded-for"].into_iter().enumerate() {
        let value = if header == "forwarded" { format!("for=203.0.113.{n}") } else { format!("203.0.113.{n}") };
        seen.push(get(&app, "/healthz", &[(header, &value)]).await.status().as_u16());
    }
    assert_eq!(seen, [200, 200, 429]);
}

#[tokio::test]
async fn each_api_client_has_its_own_bucket_and_an_invalid_token_counts_against_the_address() {
    let app = TestApp::spawn_with(|c| {
        c.limits.api_per_second = 1;
        c.limits.api_burst = 3;
    })
    .await;
    let one = app.token_for(Role::Admin, None, None).await;
    let other = app.token_for(Role::Integrator, None, None).await;
    let mut seen = Vec::new();
    for _ in 0..4 {
        seen.push(app.send(Method::GET, "/v1/agencies", &one, None).await.status().as_u16());
    }
    assert_eq!(seen, [200, 200, 200, 429]);
    let res = app.send(Method::GET, "/v1/standards", &other, None).await;
    assert_eq!(left(&res, "api").0, 2, "the other client's bucket is full but for this request");
    // A token is the client's wherever it goes, public routes included.
    let res = get(&app, "/healthz", &[("authorization", &format!("Bearer {other}"))]).await;
    assert_eq!(left(&res, "api").0, 1);

    // Without a token, or with one that does not verify, the address's bucket, which is full.
    let res = get(&app, "/healthz", &[]).await;
    assert_eq!(left(&res, "api").0, 2);
    let forged = format!("{one}x");
    let res = app.send(Method::GET, "/v1/agencies", &forged, None).await;
    assert_eq!(left(&res, "api").0, 1);
    assert_problem(res, 401, "unauthorized").await;
    // The token endpoint keys its own strict bucket the same way.
    let res = app.post_token_form(&[("grant_type", "client_credentials")]).await;
    assert!(items(&res, "ratelimit").contains_key("token"));
}

#[tokio::test]
async fn the_rate_limit_headers_say_what_is_left_and_agree_with_retry_after() {
    let app = TestApp::spawn_with(|c| {
        c.limits.api_per_second = 1;
        c.limits.api_burst = 3;
        c.limits.token_per_second = 2;
        c.limits.token_burst = 4;
    })
    .await;
    let mut answers = Vec::new();
    for _ in 0..4 {
        answers.push(get(&app, "/v1/public/agencies", &[("origin", "https://ngo.example.org")]).await);
    }
    for (n, res) in answers.iter().enumerate() {
        // 3 requests at 1 per second: refilled whole in 3 s.
        assert_eq!(items(res, "ratelimit-policy")["api"], HashMap::from([("q".into(), 3), ("w".into(), 3)]));
        let (remaining, full_in) = left(res, "api");
        if n < 3 {
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(remaining, 2 - n as u64);
            // After n + 1 requests, full again in at most n + 1 seconds.
            assert!((1..=n as u64 + 1).contains(&full_in), "{n}: t={full_in}");
        }
    }
    let refused = answers.pop().unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(left(&refused, "api").0, 0);
    let (wait, full_in) = (retry_after(&refused), left(&refused, "api").1);
    assert!((1..=3).contains(&wait) && (wait..=3).contains(&full_in), "Retry-After {wait}, t={full_in}");
    // A page may read them.
    let exposed = refused.headers()["access-control-expose-headers"].to_str().unwrap();
    assert!(exposed.contains("RateLimit") && exposed.contains("RateLimit-Policy"), "{exposed}");
    assert_problem(refused, 429, "rate-limited").await;

    // The strict bucket has its own policy.
    let res = app.post_token_form(&[("grant_type", "client_credentials")]).await;
    assert_eq!(items(&res, "ratelimit-policy")["token"], HashMap::from([("q".into(), 4), ("w".into(), 2)]));
    assert_eq!(left(&res, "token").0, 3);
    assert!(!items(&res, "ratelimit").contains_key("api"));
}

#[tokio::test]
async fn a_filed_report_also_shows_the_hourly_allowance() {
    let app = TestApp::spawn_with(|c| {
        c.limits.reports_per_hour = 4;
        c.limits.reports_burst = 2;
    })
    .await;
    let report = json!({"agency_name": "Sunrise Manpower", "category": "document_retention",
        "description": "They kept my passport at the office."});
    let mut answers = Vec::new();
    for _ in 0..3 {
        answers.push(app.send_anonymous(Method::POST, "/v1/public/reports", Some(report.clone())).await);
    }
    // 2 reports, one more every 15 minutes: refilled whole in 30.
    let policy = items(&answers[0], "ratelimit-policy");
    assert_eq!(policy["reports"], HashMap::from([("q".into(), 2), ("w".into(), 1800)]));
    assert!(policy.contains_key("api"));
    assert_eq!(left(&answers[0], "reports"), (1, 900));
    assert_eq!(left(&answers[1], "reports"), (0, 1800));
    let refused = answers.pop().unwrap();
    let (wait, full_in) = (retry_after(&refused), left(&refused, "reports").1);
    assert_eq!(left(&refused, "reports").0, 0);
    assert!((890..=900).contains(&wait) && (wait..=1800).contains(&full_in), "Retry-After {wait}, t={full_in}");
    assert_problem(refused, 429, "rate-limited").await;
}
