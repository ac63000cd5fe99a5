//! The documented errors not covered beside their happy paths.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{TestApp, agency_body, assert_problem, error_fields, id};

#[tokio::test]
async fn the_api_is_rate_limited_per_address() {
    let app = TestApp::spawn_with(|c| {
        c.limits.api_per_second = 1;
        c.limits.api_burst = 2;
    })
    .await;
    let admin = app.admin().await;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(app.send(Method::GET, "/v1/agencies", &admin, None).await);
    }
    assert_eq!(statuses[0].status(), 200);
    let last = statuses.pop().unwrap();
    assert!(last.headers().contains_key("retry-after"));
    assert_problem(last, 429, "rate-limited").await;
}

#[tokio::test]
async fn patch_refuses_unreadable_bodies() {
    let app = TestApp::spawn_with(|c| c.limits.json_body_bytes = 1024).await;
    let admin = app.admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let path = format!("/v1/agencies/{}", id(&agency));
    let patch =
        |content_type: &'static str, body: String| app.send_raw(Method::PATCH, &path, &admin, content_type, body);
    assert_problem(patch("application/merge-patch+json", "{\"website\":".into()).await, 400, "bad-request").await;
    assert_problem(patch("text/plain", "{}".into()).await, 415, "unsupported-media-type").await;
    let huge = json!({"legal_name": "x".repeat(2000)}).to_string();
    assert_problem(patch("application/json", huge).await, 413, "payload-too-large").await;
    let res = patch("application/json", "[]".into()).await;
    let problem = assert_problem(res, 422, "validation").await;
    assert_eq!(error_fields(&problem), vec!["body"]);
}

#[tokio::test]
async fn client_routes_refuse_bad_queries_and_bodies() {
    let app = TestApp::spawn_with(|c| c.limits.json_body_bytes = 1024).await;
    let admin = app.admin().await;
    let get = |query: &'static str| app.request(Method::GET, &format!("/v1/clients?{query}"), Some(&admin)).send();
    assert_problem(get("cursor=nope").await.unwrap(), 400, "bad-request").await;
    let problem = assert_problem(get("limit=0").await.unwrap(), 422, "validation").await;
    assert_eq!(error_fields(&problem), vec!["limit"]);

    let post = |content_type: &'static str, body: String| {
        app.send_raw(Method::POST, "/v1/clients", &admin, content_type, body)
    };
    assert_problem(post("application/json", "{".into()).await, 400, "bad-request").await;
    assert_problem(post("application/xml", "<client/>".into()).await, 415, "unsupported-media-type").await;
    let huge = json!({"name": "x".repeat(2000), "role": "admin"}).to_string();
    assert_problem(post("application/json", huge).await, 413, "payload-too-large").await;
}

#[tokio::test]
async fn the_token_endpoint_refuses_large_bodies() {
    let app = TestApp::spawn().await;
    let res = app
        .post_token_form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "x"),
            ("client_secret", &"y".repeat(5000)),
        ])
        .await;
    assert_problem(res, 413, "payload-too-large").await;
}

/// A TCP relay to PostgreSQL that can be cut, to take the database away from a running app.
struct Relay {
    address: std::net::SocketAddr,
    tasks: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Relay {
    async fn start(upstream: String) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let tasks = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let registry = tasks.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let relay = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                registry.lock().unwrap().push(relay);
            }
        });
        tasks.lock().unwrap().push(accept);
        Relay { address, tasks }
    }

    /// Closes the listener and every relayed connection.
    fn cut(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }
}

#[tokio::test]
async fn readiness_is_a_503_problem_when_the_database_is_unreachable() {
    let Some(base) = crate::helpers::postgres_url() else {
        // A SQLite file cannot be taken away from open connections; the PostgreSQL run shows it.
        return;
    };
    let base = reqwest::Url::parse(&base).unwrap();
    let upstream = format!("{}:{}", base.host_str().unwrap(), base.port().unwrap_or(5432));
    let relay = Relay::start(upstream).await;
    let app = TestApp::spawn_with(|c| {
        let mut url = reqwest::Url::parse(&c.database_url).unwrap();
        url.set_ip_host(relay.address.ip()).unwrap();
        url.set_port(Some(relay.address.port())).unwrap();
        c.database_url = url.to_string();
    })
    .await;
    assert_eq!(app.http.get(app.url("/readyz")).send().await.unwrap().status(), 200);
    relay.cut();
    let res = app.http.get(app.url("/readyz")).send().await.unwrap();
    let problem = assert_problem(res, 503, "unavailable").await;
    assert!(!problem.to_string().contains("127.0.0.1"), "no addresses in problems");
    // Liveness does not depend on the database.
    assert_eq!(app.http.get(app.url("/healthz")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn nul_characters_are_refused_everywhere_before_they_reach_the_database() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    for path in
        ["/v1/agencies/ab%00cd", "/v1/public/agencies?q=a%00b", "/v1/agencies?licence_number=%00", "/healthz?x=%00"]
    {
        let res = app.send(Method::GET, path, &admin, None).await;
        assert_problem(res, 400, "bad-request").await;
    }
    let mut body = agency_body(1);
    body["trading_names"] = json!(["fine", "nul\u{0}here"]);
    let res = app.send(Method::POST, "/v1/agencies", &admin, Some(body.clone())).await;
    assert_eq!(error_fields(&assert_problem(res, 422, "validation").await), vec!["trading_names[1]"]);
    let res = app
        .post_token_form(&[("grant_type", "client_credentials"), ("client_id", "a\u{0}b"), ("client_secret", "x")])
        .await;
    assert_problem(res, 401, "invalid-client").await;
}

#[tokio::test]
async fn a_misspelt_query_parameter_is_refused_not_ignored() {
    // Ignoring `destinaton=QA` would answer with every agency: worse than an error.
    let (app, admin) = TestApp::spawn_as_admin().await;
    let res = app.send(Method::GET, "/v1/agencies?destinaton=QA", &admin, None).await;
    let problem = assert_problem(res, 400, "bad-request").await;
    assert!(problem["detail"].as_str().unwrap().contains("destinaton"), "{problem}");
    let res = app.send_anonymous(Method::GET, "/v1/public/agencies?limit=5&foo=1", None).await;
    assert_problem(res, 400, "bad-request").await;
}
