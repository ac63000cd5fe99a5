//! One test world, shared by every test file.
//!
//! - this file: a fresh application per test (its own database: a temporary SQLite file, or a
//!   fresh PostgreSQL schema when `TEST_DATABASE_URL` is set, listening on a random local port),
//!   the typed requests every test makes, and the checks on what comes back;
//! - [`fixtures`]: the request bodies, the test standard and the fixed start time;
//! - [`world`]: builders of the usual cast (a body with its staff, an agency that applied, a
//!   finalized audit) through the HTTP API;
//! - [`internals`]: the only places tests reach under the HTTP API into the library's store;
//! - [`receiver`]: a webhook receiver that records what it is sent and answers as scripted;
//! - [`moto`]: a real S3-compatible server (moto) for the evidence-file tests;
//! - [`process`]: `fairhire serve` run as its own process on a test app's database.

mod fixtures;
mod internals;
mod moto;
mod process;
mod receiver;
mod world;

use std::net::TcpListener;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use fairhire::clock::{FixedClock, SharedClock};
use fairhire::config::Config;
use fairhire::state::AppState;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;
use uuid::Uuid;

pub use fixtures::*;
pub use internals::*;
pub use moto::*;
pub use process::*;
pub use receiver::*;
pub use world::*;

pub struct TestApp {
    pub address: String,
    pub http: reqwest::Client,
    pub state: AppState,
    server: actix_web::dev::ServerHandle,
    _dir: tempfile::TempDir,
    _schema: Option<TempSchema>,
}

/// A PostgreSQL schema made for one test, dropped with it.
pub struct TempSchema {
    pub base_url: String,
    pub name: String,
}

impl Drop for TempSchema {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&self.base_url) {
            let _ = conn.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// The PostgreSQL server under test, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| u.starts_with("postgres"))
}

/// A database URL for a fresh, empty database, and the schema to drop afterwards (PostgreSQL).
pub fn fresh_database(dir: &std::path::Path) -> (String, Option<TempSchema>) {
    match postgres_url() {
        Some(base) => {
            let name = format!("t_{}", Uuid::now_v7().simple());
            let mut conn = PgConnection::establish(&base).expect("TEST_DATABASE_URL must be reachable");
            conn.batch_execute(&format!("CREATE SCHEMA {name}")).expect("create test schema");
            let sep = if base.contains('?') { '&' } else { '?' };
            let url = format!("{base}{sep}options=-c%20search_path%3D{name}");
            (url, Some(TempSchema { base_url: base, name }))
        }
        None => (dir.join("test.db").to_string_lossy().into_owned(), None),
    }
}

// ---------------------------------------------------------------------------------------------
// Starting an application

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_full(adjust, Arc::new(fairhire::clock::SystemClock)).await
    }

    /// An application on the wall clock, and a token of an admin of it.
    pub async fn spawn_as_admin() -> (TestApp, String) {
        let app = Self::spawn().await;
        let admin = app.admin().await;
        (app, admin)
    }

    /// An application whose clock stands at `at` until the test moves it.
    pub async fn spawn_at(at: DateTime<Utc>) -> (TestApp, FixedClock) {
        let clock = FixedClock::new(at);
        let app = Self::spawn_full(|_| {}, Arc::new(clock.clone())).await;
        (app, clock)
    }

    pub async fn spawn_full(adjust: impl FnOnce(&mut Config), clock: SharedClock) -> TestApp {
        if std::env::var("TEST_LOG").is_ok() {
            fairhire::telemetry::init(fairhire::config::LogFormat::Pretty);
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let (url, schema) = fresh_database(dir.path());
        let mut config =
            Config { data_dir: dir.path().to_path_buf(), database_url: url, db_pool_size: 2, ..Config::default() };
        adjust(&mut config);
        Self::launch(config, clock, dir, schema).await
    }

    async fn launch(config: Config, clock: SharedClock, dir: tempfile::TempDir, schema: Option<TempSchema>) -> TestApp {
        let state =
            tokio::task::spawn_blocking(move || fairhire::prepare(config, clock)).await.unwrap().expect("app prepares");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let address = format!("http://{}", listener.local_addr().unwrap());
        let server = fairhire::start(state.clone(), listener).expect("server starts");
        let handle = server.handle();
        tokio::spawn(server);
        TestApp { address, http: reqwest::Client::new(), state, server: handle, _dir: dir, _schema: schema }
    }

    /// A second instance of the service on the same database, keys and clock, as a load balancer
    /// would have beside this one; `adjust` changes its settings.
    pub async fn another_instance(&self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        let mut config = (*self.state.config).clone();
        config.migrate_on_start = false;
        adjust(&mut config);
        let dir = tempfile::tempdir().expect("temp dir");
        Self::launch(config, self.state.clock.clone(), dir, None).await
    }

    /// Stops the app as `fairhire serve` stops on SIGTERM: the HTTP server, then the background
    /// jobs (the webhook dispatcher finishes its attempts in flight and gives back its claims).
    pub async fn stop(&self) {
        self.server.stop(true).await;
        self.state.jobs.stop().await;
    }

    /// Stops the app and starts a new one on the same database, data directory and clock, with
    /// its settings changed by `adjust`: a restart.
    pub async fn restart(self, adjust: impl FnOnce(&mut Config)) -> TestApp {
        self.stop().await;
        let TestApp { state, _dir, _schema, .. } = self;
        let mut config = (*state.config).clone();
        adjust(&mut config);
        let clock = state.clock.clone();
        drop(state);
        Self::launch(config, clock, _dir, _schema).await
    }
}

// ---------------------------------------------------------------------------------------------
// Typed requests

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// A request to build further (headers, raw bodies); `None` sends no token.
    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let req = self.http.request(method, self.url(path));
        match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    /// Sends `body` (if any) as JSON with `token`, and returns the response as it came.
    pub async fn send(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> Response {
        send_json(self.request(method, path, Some(token)), body).await
    }

    /// [`send`](Self::send) without a token.
    pub async fn send_anonymous(&self, method: Method, path: &str, body: Option<Value>) -> Response {
        send_json(self.request(method, path, None), body).await
    }

    /// Sends `body` as it is, declared as `content_type`, with `token`.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        token: &str,
        content_type: &str,
        body: impl Into<String>,
    ) -> Response {
        let req = self.request(method, path, Some(token)).header("content-type", content_type);
        req.body(body.into()).send().await.unwrap()
    }

    /// [`send`](Self::send) with an `If-Match` header.
    pub async fn send_if_match(&self, method: Method, path: &str, token: &str, etag: &str, body: Value) -> Response {
        self.request(method, path, Some(token)).header("if-match", etag).json(&body).send().await.unwrap()
    }

    /// The status [`send`](Self::send) answers with.
    pub async fn status(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> u16 {
        self.send(method, path, token, body).await.status().as_u16()
    }

    /// [`send`](Self::send), asserting a 2xx answer; returns its JSON.
    pub async fn ok(&self, method: Method, path: &str, token: &str, body: Option<Value>) -> Value {
        let res = self.send(method.clone(), path, token, body).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// A GET answered with 200; returns its JSON. `None` asks without a token.
    pub async fn get_json(&self, path: &str, token: Option<&str>) -> Value {
        let res = self.request(Method::GET, path, token).send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, StatusCode::OK, "GET {path}: {text}");
        serde_json::from_str(&text).unwrap()
    }

    /// Every page of a listing, following `next_cursor` from `first` (a path with a query).
    pub async fn pages(&self, first: &str, token: Option<&str>) -> Vec<Value> {
        let mut pages = Vec::new();
        let mut path = first.to_owned();
        loop {
            let page = self.get_json(&path, token).await;
            let next = page["next_cursor"].as_str().map(|cursor| format!("{first}&cursor={cursor}"));
            pages.push(page);
            assert!(pages.len() <= 100, "the cursor must not loop: {first}");
            match next {
                Some(next) => path = next,
                None => return pages,
            }
        }
    }

    /// A POST of `body` answered with 201; returns the created JSON.
    pub async fn post_created(&self, path: &str, token: &str, body: &Value) -> Value {
        let res = self.request(Method::POST, path, Some(token)).json(body).send().await.unwrap();
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "POST {path}: {text}");
        serde_json::from_str(&text).unwrap()
    }
}

async fn send_json(req: RequestBuilder, body: Option<Value>) -> Response {
    match body {
        Some(b) => req.json(&b),
        None => req,
    }
    .send()
    .await
    .unwrap()
}

// ---------------------------------------------------------------------------------------------
// Checks on what comes back

/// Asserts an RFC 9457 problem with this status and `type` slug, and returns it.
pub async fn assert_problem(res: Response, status: u16, slug: &str) -> Value {
    let got = res.status().as_u16();
    let content_type = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_owned());
    let body: Value = res.json().await.expect("problem body is JSON");
    assert_eq!(got, status, "status; body: {body}");
    assert_eq!(content_type.as_deref(), Some("application/problem+json"), "{body}");
    assert_eq!(body["type"], format!("https://fairhire.dev/problems/{slug}"), "{body}");
    assert_eq!(body["status"], status, "{body}");
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()), "{body}");
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()), "{body}");
    body
}

/// The `field` names of a validation problem.
pub fn error_fields(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|a| a.iter().map(|e| e["field"].as_str().unwrap_or("").to_owned()).collect())
        .unwrap_or_default()
}

/// The `id` of a resource.
pub fn id(resource: &Value) -> &str {
    resource["id"].as_str().unwrap()
}

/// The ids of a page's `data`, in order.
pub fn ids(page: &Value) -> Vec<String> {
    page["data"].as_array().unwrap().iter().map(|r| id(r).to_owned()).collect()
}

/// Asks `probe` until what it returns satisfies `done`, for at most [`ARRIVAL_DEADLINE`]; returns
/// the last answer. For what happens in the background (a webhook delivered, a claim released).
pub async fn eventually<T, F, Fut>(what: &str, mut probe: F, done: impl Fn(&T) -> bool) -> T
where
    T: std::fmt::Debug,
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = T>,
{
    let started = std::time::Instant::now();
    loop {
        let value = probe().await;
        if done(&value) {
            return value;
        }
        assert!(started.elapsed() < ARRIVAL_DEADLINE, "waited {ARRIVAL_DEADLINE:?} for {what}; last saw {value:#?}");
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
}
