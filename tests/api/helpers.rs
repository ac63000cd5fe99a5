//! A fresh application per test: its own database (a temporary SQLite file, or a fresh
//! PostgreSQL schema when `TEST_DATABASE_URL` is set), listening on a random local port.

use std::net::TcpListener;
use std::sync::Arc;

use chrono::Utc;
use diesel::Connection;
use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use fairhire::auth::tokens::{self, Subject};
use fairhire::clock::SharedClock;
use fairhire::config::Config;
use fairhire::domain::roles::Role;
use fairhire::state::AppState;
use fairhire::store;
use fairhire::store::clients::ClientRow;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::{Value, json};
use uuid::Uuid;

pub struct TestApp {
    pub address: String,
    pub http: reqwest::Client,
    pub state: AppState,
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

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    pub async fn spawn_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
        Self::spawn_full(adjust, Arc::new(fairhire::clock::SystemClock)).await
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
        let state =
            tokio::task::spawn_blocking(move || fairhire::prepare(config, clock)).await.unwrap().expect("app prepares");
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let address = format!("http://{}", listener.local_addr().unwrap());
        let server = fairhire::start(state.clone(), listener).expect("server starts");
        tokio::spawn(server);
        TestApp { address, http: reqwest::Client::new(), state, _dir: dir, _schema: schema }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let req = self.http.request(method, self.url(path));
        match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        }
    }

    /// Stores an API client directly and returns its id. The secret hash is a placeholder: such
    /// a client cannot log in through the token endpoint, only use tokens minted by [`token_for`].
    pub async fn insert_client(&self, role: Role, cb: Option<&str>, agency: Option<&str>) -> String {
        let row = ClientRow {
            id: Uuid::now_v7().to_string(),
            name: format!("test {}", role.as_str()),
            role: role.as_str().to_owned(),
            certification_body_id: cb.map(str::to_owned),
            agency_id: agency.map(str::to_owned),
            secret_hash: "unusable".into(),
            created_by: None,
            created_at: store::to_db_time(Utc::now()),
            revoked_at: None,
            person_ref: None,
        };
        let id = row.id.clone();
        self.state.db.write(move |conn| store::clients::insert(conn, &row)).await.expect("insert client");
        id
    }

    /// A valid token, signed with the app's key, for a new client of `role`.
    pub async fn token_for(&self, role: Role, cb: Option<&str>, agency: Option<&str>) -> String {
        let id = self.insert_client(role, cb, agency).await;
        let subject = Subject { client_id: &id, role, certification_body_id: cb, agency_id: agency };
        tokens::issue(&self.state.keys, &self.state.config.jwt, &subject, jsonwebtoken::get_current_timestamp())
            .expect("token")
    }

    pub async fn admin(&self) -> String {
        self.token_for(Role::Admin, None, None).await
    }

    /// Registers an agency as an admin and returns its JSON.
    pub async fn create_agency(&self, admin: &str, body: &Value) -> Value {
        let res = self.request(Method::POST, "/v1/agencies", Some(admin)).json(body).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
        res.json().await.unwrap()
    }
}

/// A valid agency body, made unique by `n`.
pub fn agency_body(n: u32) -> Value {
    json!({
        "legal_name": format!("Himalayan Overseas Manpower {n}"),
        "trading_names": [format!("Himal HR {n}")],
        "licence": {"number": format!("DoFE-{n}/2075"), "issuing_authority": "Department of Foreign Employment", "country": "NP"},
        "origin_countries": ["NP"],
        "destination_countries": ["QA", "AE"],
        "sectors": ["construction"]
    })
}

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
