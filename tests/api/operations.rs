//! What an operator meets: configuration mistakes refused at start, the database named in the
//! log, private files, two processes starting on one SQLite file, and a database that goes away.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use fairhire::config::Config;
use fairhire::db::{Db, PoolOptions};
use reqwest::{Method, Response};
use serde_json::Value;
use tokio::task::JoinHandle;

use crate::helpers::{TempSchema, TestApp, assert_problem, fresh_database, postgres_url};

/// The `fairhire` binary in `dir`, with no settings from the environment the tests run in.
fn fairhire(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fairhire"));
    cmd.current_dir(dir)
        .env("FAIRHIRE_DATA_DIR", dir)
        .env_remove("DATABASE_URL")
        .env_remove("FAIRHIRE_DATABASE_URL")
        .env_remove("FAIRHIRE_CONFIG");
    cmd
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit code 1 and one line on stderr, which is returned.
fn fails_with_one_line(out: Output) -> String {
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    stderr
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn a_database_url_with_an_unknown_scheme_is_refused_and_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (url, scheme) in [
        ("postgress://root:pa55word@127.0.0.1:5432/test", "postgress://"),
        ("mysql://app:pa55word@localhost/fairhire", "mysql://"),
        ("sqlite3://fairhire.db", "sqlite3://"),
    ] {
        for command in [&["migrate"][..], &["serve", "--bind", "127.0.0.1:0"][..]] {
            let out = fairhire(dir.path()).env("DATABASE_URL", url).args(command).output().unwrap();
            let stderr = fails_with_one_line(out);
            assert!(stderr.contains(scheme) && stderr.contains("postgres://"), "{stderr}");
            assert!(!stderr.contains("pa55word"), "{stderr}");
        }
    }
    assert_eq!(entries(dir.path()), Vec::<String>::new(), "no file may be made for a refused URL");
}

#[test]
fn a_sqlite_url_opens_the_file_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("named.db");
    let out = fairhire(dir.path())
        .env("DATABASE_URL", format!("sqlite://{}", file.display()))
        .arg("migrate")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(file.is_file());
}

#[test]
fn a_config_file_that_is_missing_or_has_unknown_keys_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.toml");
    let out = fairhire(dir.path()).env("FAIRHIRE_CONFIG", &missing).arg("migrate").output().unwrap();
    let stderr = fails_with_one_line(out);
    assert!(stderr.contains("missing.toml"), "{stderr}");

    let config = dir.path().join("fairhire.toml");
    std::fs::write(&config, "db_pool_size = 2\n[jwt]\nissuer = \"fairhire\"\nisuer = \"typo\"\n").unwrap();
    let out = fairhire(dir.path()).env("FAIRHIRE_CONFIG", &config).arg("migrate").output().unwrap();
    let stderr = fails_with_one_line(out);
    assert!(stderr.contains("isuer"), "{stderr}");
    // The same file found in the working directory, without FAIRHIRE_CONFIG.
    let out = fairhire(dir.path()).arg("migrate").output().unwrap();
    assert!(fails_with_one_line(out).contains("isuer"));
    assert!(!dir.path().join("fairhire.db").exists(), "nothing is opened with a refused configuration");
}

#[test]
fn the_config_file_is_read_and_unrelated_variables_are_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let database = dir.path().join("from-the-file.db");
    let config = dir.path().join("settings.toml");
    std::fs::write(&config, format!("database_url = {:?}\n[limits]\napi_burst = 10\n", database.display().to_string()))
        .unwrap();
    // Variables sharing the prefix that are no setting, such as the ones Kubernetes sets for a
    // service named `fairhire`.
    let out = fairhire(dir.path())
        .env("FAIRHIRE_CONFIG", &config)
        .env("FAIRHIRE_PORT", "tcp://10.0.0.7:80")
        .env("FAIRHIRE_SERVICE_HOST", "10.0.0.7")
        .env("FAIRHIRE_DB_POOL_SIZE", "2")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(database.is_file(), "the database named in the file is used");
    // A variable still wins over the file.
    let from_env = dir.path().join("from-the-environment.db");
    let out = fairhire(dir.path())
        .env("FAIRHIRE_CONFIG", &config)
        .env("FAIRHIRE_DATABASE_URL", &from_env)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
    assert!(from_env.is_file());
}

/// A `fairhire serve` process and its log lines (JSON), read until it says it is listening.
struct Served {
    child: Child,
    lines: Vec<Value>,
}

impl Served {
    fn start(mut cmd: Command) -> Served {
        let child = cmd
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env("FAIRHIRE_LOG_FORMAT", "json")
            .env("FAIRHIRE_SWEEP_INTERVAL_SECONDS", "0")
            .env("RUST_LOG", "info")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Owned at once, so that the process is stopped even if it never says it listens.
        let mut served = Served { child, lines: Vec::new() };
        let (tx, rx) = mpsc::channel::<String>();
        let stderr = served.child.stderr.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        loop {
            let line = rx.recv_timeout(Duration::from_secs(30)).expect("the service starts and says so");
            let parsed: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"));
            let listening = parsed["message"] == "fairhire listening";
            served.lines.push(parsed);
            if listening {
                return served;
            }
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn the_start_log_names_the_database_in_use_but_never_its_credentials() {
    let dir = tempfile::tempdir().unwrap();
    let (url, _schema) = fresh_database(dir.path());
    let password = "not-for-the-logs";
    let url = match url.strip_prefix("postgres://") {
        // The local server trusts its clients, so a password in the URL is never asked for.
        Some(rest) => match rest.split_once('@') {
            Some((user, host)) => format!("postgres://{user}:{password}@{host}"),
            None => format!("postgres://fairhire:{password}@{rest}"),
        },
        None => url,
    };
    let mut cmd = fairhire(dir.path());
    cmd.env("DATABASE_URL", &url);
    let served = Served::start(cmd);
    let line = served
        .lines
        .iter()
        .find(|l| l["message"] == "database in use")
        .unwrap_or_else(|| panic!("no database line in {:#?}", served.lines));
    match postgres_url() {
        Some(base) => {
            let base = reqwest::Url::parse(&base).unwrap();
            assert_eq!(line["backend"], "postgresql");
            assert!(line["host"].as_str().unwrap().contains(base.host_str().unwrap()), "{line}");
            assert_eq!(line["database"], base.path().trim_start_matches('/'));
        }
        None => {
            assert_eq!(line["backend"], "sqlite");
            assert_eq!(line["path"], url.as_str());
        }
    }
    let all: Vec<String> = served.lines.iter().map(Value::to_string).collect();
    let all = all.join("\n");
    assert!(!all.contains(password), "{all}");
    assert!(!all.contains(":not-for"), "{all}");
}

#[cfg(unix)]
#[test]
fn sqlite_files_and_the_signing_key_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;

    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("state").join("data");
    // The most permissive umask: every mode below is set on purpose, not inherited.
    let mut cmd = Command::new("sh");
    cmd.args(["-c", "umask 000 && exec \"$0\" \"$@\"", env!("CARGO_BIN_EXE_fairhire")])
        .current_dir(dir.path())
        .env("FAIRHIRE_DATA_DIR", &data)
        .env_remove("DATABASE_URL")
        .env_remove("FAIRHIRE_DATABASE_URL")
        .env_remove("FAIRHIRE_CONFIG");
    let served = Served::start(cmd);
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    for made in [dir.path().join("state"), data.clone()] {
        assert_eq!(mode(&made), 0o700, "{}", made.display());
    }
    // The pool holds its connections open, so the WAL and its index exist now.
    for file in ["fairhire.db", "fairhire.db-wal", "fairhire.db-shm", "jwt-signing-key.pem"] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    drop(served);
}

/// Runs `args` in two processes at once on a fresh data directory, with its default database.
fn twice_at_once(data: &Path, args: &[&str]) -> [Output; 2] {
    let spawn = || fairhire(data).args(args).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let (first, second) = (spawn(), spawn());
    [first.wait_with_output().unwrap(), second.wait_with_output().unwrap()]
}

#[test]
fn two_processes_starting_together_on_a_fresh_sqlite_file_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    // A race is not lost every time: a few fresh directories for each command. `sweep` starts
    // like `serve` (migrations, the default standard, the signing key) and then writes.
    for round in 0..4 {
        for command in ["migrate", "sweep"] {
            let data = dir.path().join(format!("{command}-{round}"));
            std::fs::create_dir(&data).unwrap();
            for out in twice_at_once(&data, &[command]) {
                assert!(out.status.success(), "{command} round {round}: {}", stderr_of(&out));
            }
        }
    }
    // Both starters of `sweep` needed a signing key; the one on disk is whole.
    let out = fairhire(&dir.path().join("sweep-0")).arg("sweep").output().unwrap();
    assert!(out.status.success(), "{}", stderr_of(&out));
}

/// A database server on a local port that goes away on demand: while down it accepts every
/// connection and hangs up at once, as a server that is stopping does; while up it relays them
/// to `upstream`, the real server.
struct Outage {
    address: SocketAddr,
    up: Arc<AtomicBool>,
    relays: Arc<Mutex<Vec<JoinHandle<()>>>>,
    accept: JoinHandle<()>,
}

impl Outage {
    async fn start(upstream: Option<String>) -> Outage {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let up = Arc::new(AtomicBool::new(upstream.is_some()));
        let relays = Arc::new(Mutex::new(Vec::new()));
        let (is_up, live) = (up.clone(), relays.clone());
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let Some(upstream) = upstream.clone().filter(|_| is_up.load(Ordering::SeqCst)) else {
                    drop(inbound);
                    continue;
                };
                live.lock().unwrap().push(tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                }));
            }
        });
        Outage { address, up, relays, accept }
    }

    /// The server stops: open connections are cut and new ones hung up on.
    fn down(&self) {
        self.up.store(false, Ordering::SeqCst);
        for relay in self.relays.lock().unwrap().drain(..) {
            relay.abort();
        }
    }

    fn back(&self) {
        self.up.store(true, Ordering::SeqCst);
    }
}

impl Drop for Outage {
    fn drop(&mut self) {
        self.down();
        self.accept.abort();
    }
}

/// Asserts that `res` came quickly as a 503 `unavailable` with a `Retry-After` of a few seconds.
async fn quick_503(res: Response, started: Instant) {
    let took = started.elapsed();
    // The pool waits 2 s by default; the bound is generous for a loaded machine.
    assert!(took < Duration::from_secs(5), "answered after {took:?}");
    let retry_after = res.headers().get("retry-after").map(|v| v.to_str().unwrap().parse::<u64>().unwrap());
    assert!(retry_after.is_some_and(|s| (1..=5).contains(&s)), "Retry-After: {retry_after:?}");
    let problem = assert_problem(res, 503, "unavailable").await;
    assert!(!problem.to_string().contains("127.0.0.1"), "no addresses in problems: {problem}");
}

/// An application prepared on a fresh database, then served with `database_url` as its database
/// instead, waiting for a connection as configured by default (2 s); its address, and what
/// keeps the fresh database.
async fn serve_with_database(database_url: &str) -> (String, tempfile::TempDir, Option<TempSchema>) {
    let dir = tempfile::tempdir().unwrap();
    let (url, schema) = fresh_database(dir.path());
    let config = Config {
        data_dir: dir.path().to_path_buf(),
        database_url: url,
        sweep_interval_seconds: 0,
        ..Config::default()
    };
    let clock = Arc::new(fairhire::clock::SystemClock);
    let mut state = tokio::task::spawn_blocking(move || fairhire::prepare(config, clock)).await.unwrap().unwrap();
    let options = PoolOptions::new(state.config.db_pool_size, Duration::from_millis(state.config.db_pool_timeout_ms));
    state.db = Db::open(database_url, options).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(fairhire::start(state, listener).unwrap());
    (base, dir, schema)
}

#[tokio::test]
async fn a_database_that_hangs_up_is_a_quick_503_with_retry_after() {
    let outage = Outage::start(None).await;
    // The database is now a server that hangs up.
    let (base, _dir, _schema) =
        serve_with_database(&format!("postgres://fairhire:secret@{}/fairhire", outage.address)).await;
    let http = reqwest::Client::new();

    for path in ["/readyz", "/v1/public/agencies"] {
        let started = Instant::now();
        quick_503(http.get(format!("{base}{path}")).send().await.unwrap(), started).await;
    }
    let started = Instant::now();
    let res = http
        .post(format!("{base}/v1/oauth/token"))
        .form(&[("grant_type", "client_credentials"), ("client_id", "someone"), ("client_secret", "fhs_x")])
        .send()
        .await
        .unwrap();
    quick_503(res, started).await;
    // Liveness does not depend on the database.
    assert_eq!(http.get(format!("{base}/healthz")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn while_the_database_cannot_be_reached_requests_are_answered_in_well_under_a_second() {
    // Nothing listens on port 1: every connection is refused.
    let (base, _dir, _schema) = serve_with_database("postgres://fairhire:secret@127.0.0.1:1/fairhire").await;
    let http = reqwest::Client::new();

    // The first request finds out, waiting out the pool's timeout.
    let started = Instant::now();
    quick_503(http.get(format!("{base}/v1/public/agencies")).send().await.unwrap(), started).await;
    // Every one after it is answered at once, for longer than an interval between probes (a
    // probe waits a quarter of a second).
    let until = Instant::now() + Duration::from_millis(2500);
    let mut answered = 0;
    while Instant::now() < until {
        for path in ["/readyz", "/v1/public/agencies", "/v1/public/fee-evidence"] {
            let started = Instant::now();
            let res = http.get(format!("{base}{path}")).send().await.unwrap();
            let took = started.elapsed();
            assert!(took < Duration::from_millis(500), "{path} answered after {took:?}");
            quick_503(res, started).await;
            answered += 1;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(answered > 20, "{answered}");
    assert_eq!(http.get(format!("{base}/healthz")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn the_service_answers_503_while_postgresql_is_down_and_recovers_by_itself() {
    let Some(base) = postgres_url() else {
        // Only a server can stop and come back; the test above shows the 503 on every run.
        return;
    };
    let base = reqwest::Url::parse(&base).unwrap();
    let outage = Outage::start(Some(format!("{}:{}", base.host_str().unwrap(), base.port().unwrap_or(5432)))).await;
    let app = TestApp::spawn_with(|c| {
        let mut url = reqwest::Url::parse(&c.database_url).unwrap();
        url.set_ip_host(outage.address.ip()).unwrap();
        url.set_port(Some(outage.address.port())).unwrap();
        c.database_url = url.to_string();
    })
    .await;
    let admin = app.admin().await;
    assert_eq!(app.status(Method::GET, "/v1/agencies", &admin, None).await, 200);

    outage.down();
    // Several at once, so that every pooled connection meets the outage.
    let started = Instant::now();
    let answers = futures_util::future::join_all(
        (0..4).map(|_| app.send(Method::GET, "/v1/agencies", &admin, None)).collect::<Vec<_>>(),
    )
    .await;
    for res in answers {
        quick_503(res, started).await;
    }
    // Once that is known, no request waits for a connection.
    for path in ["/readyz", "/v1/agencies"] {
        let started = Instant::now();
        let res = app.send(Method::GET, path, &admin, None).await;
        assert!(started.elapsed() < Duration::from_millis(500), "{path} after {:?}", started.elapsed());
        quick_503(res, started).await;
    }

    outage.back();
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let res = app.send(Method::GET, "/v1/agencies", &admin, None).await;
        match res.status().as_u16() {
            200 => break,
            503 => assert!(Instant::now() < deadline, "still unavailable 5 s after the server came back"),
            other => panic!("{other} while the server came back: {}", res.text().await.unwrap()),
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.http.get(app.url("/readyz")).send().await.unwrap().status(), 200);
}

/// A connection to `address` that has been answered once (so that a worker of the server holds
/// it), then sent a `POST /v1/public/reports` up to half its body; and the rest of the body.
async fn half_a_report(address: &str) -> (tokio::net::TcpStream, Vec<u8>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(host).await.unwrap();
    stream.write_all(format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\n\r\n").as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    while !String::from_utf8_lossy(&answer).contains("\"ok\"") {
        let mut chunk = [0; 1024];
        let read = stream.read(&mut chunk).await.unwrap();
        assert!(read > 0, "closed: {}", String::from_utf8_lossy(&answer));
        answer.extend_from_slice(&chunk[..read]);
    }
    let mut body = serde_json::json!({"agency_name": "Sunrise Manpower", "category": "document_retention",
        "description": "They kept my passport at the office."})
    .to_string()
    .into_bytes();
    let head = format!(
        "POST /v1/public/reports HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let rest = body.split_off(body.len() / 2);
    stream.write_all(&body).await.unwrap();
    (stream, rest)
}

#[tokio::test]
async fn sigterm_lets_the_requests_in_progress_finish_and_exits_0_within_the_bound() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = TestApp::spawn_with(|c| c.webhooks.dispatch = false).await;
    let mut process =
        crate::helpers::Serving::start_with_env(&app, &[("FAIRHIRE_SHUTDOWN_TIMEOUT_SECONDS", "10")]).await;
    let (mut stream, rest) = half_a_report(&process.address).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    process.terminate();
    let signalled = Instant::now();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(process.running(), "the process waits for the request in progress: {:#?}", process.log());
    // New connections are refused at once.
    assert!(reqwest::get(process.url("/healthz")).await.is_err(), "a new connection was accepted");

    stream.write_all(&rest).await.unwrap_or_else(|e| panic!("{e}: {:#?}", process.log()));
    let mut answer = vec![0; 4096];
    let read = stream.read(&mut answer).await.unwrap_or_else(|e| panic!("{e}: {:#?}", process.log()));
    let answer = String::from_utf8_lossy(&answer[..read]);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    drop(stream);
    let status = process.exited().await;
    assert_eq!(status.code(), Some(0), "{:#?}", process.log());
    assert!(signalled.elapsed() < Duration::from_secs(5), "stopped {:?} after the signal", signalled.elapsed());
}

#[tokio::test]
async fn a_request_that_never_finishes_does_not_hold_the_stop_past_the_bound() {
    let app = TestApp::spawn_with(|c| c.webhooks.dispatch = false).await;
    let mut process =
        crate::helpers::Serving::start_with_env(&app, &[("FAIRHIRE_SHUTDOWN_TIMEOUT_SECONDS", "1")]).await;
    // Half a request, and an idle keep-alive connection.
    let (_stream, _rest) = half_a_report(&process.address).await;
    let idle = reqwest::Client::new();
    assert_eq!(idle.get(process.url("/healthz")).send().await.unwrap().status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    process.terminate();
    let signalled = Instant::now();
    let status = process.exited().await;
    let took = signalled.elapsed();
    assert_eq!(status.code(), Some(0), "{:#?}", process.log());
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(3), "stopped {took:?} after the signal");
}
