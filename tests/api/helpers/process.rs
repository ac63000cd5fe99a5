//! `fairhire serve` as its own process, on the database and data directory of a [`TestApp`]:
//! several of them dispatch webhooks from one database, and they can be stopped with SIGTERM or
//! killed outright, as an orchestrator would.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::{ARRIVAL_DEADLINE, TestApp};

/// A running `fairhire serve`, and the log lines (JSON) it has written so far.
pub struct Serving {
    child: Child,
    /// Where it listens: `http://127.0.0.1:<port>`.
    pub address: String,
    lines: Arc<Mutex<Vec<Value>>>,
}

impl Serving {
    /// Starts `fairhire serve` on `app`'s database and data directory (so its signing key, its
    /// data key and its tokens), with the webhook settings `settings` (`poll_interval_ms`,
    /// ...), and waits until it listens.
    pub async fn start(app: &TestApp, settings: &[(&str, &str)]) -> Serving {
        let webhooks: Vec<(String, &str)> = settings
            .iter()
            .map(|(name, value)| (format!("FAIRHIRE_WEBHOOKS__{}", name.to_ascii_uppercase()), *value))
            .collect();
        Self::start_with_env(app, &webhooks).await
    }

    /// [`start`](Self::start) with these environment variables set.
    pub async fn start_with_env(app: &TestApp, env: &[(impl AsRef<str>, impl AsRef<str>)]) -> Serving {
        let config = &app.state.config;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_fairhire"));
        cmd.args(["serve", "--bind", "127.0.0.1:0"])
            .current_dir(&config.data_dir)
            .env_remove("FAIRHIRE_CONFIG")
            .env_remove("FAIRHIRE_DATABASE_URL")
            .env("DATABASE_URL", config.effective_database_url())
            .env("FAIRHIRE_DATA_DIR", &config.data_dir)
            .env("FAIRHIRE_LOG_FORMAT", "json")
            .env("FAIRHIRE_SWEEP_INTERVAL_SECONDS", "0")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        for (name, value) in env {
            cmd.env(name.as_ref(), value.as_ref());
        }
        let mut child = cmd.spawn().unwrap();
        let stderr = child.stderr.take().unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        // Read to the end, whatever the test does meanwhile: a pipe left full would block the
        // process on its next log line.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let parsed = serde_json::from_str(&line).unwrap_or(Value::String(line));
                sink.lock().unwrap().push(parsed);
            }
        });
        let mut serving = Serving { child, address: String::new(), lines };
        let listening = serving.wait_for_line("fairhire listening").await;
        serving.address = format!("http://{}", listening["address"].as_str().unwrap());
        serving
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// The name this process's dispatcher gives itself in claims and attempts.
    pub async fn instance(&mut self) -> String {
        self.wait_for_line("webhook dispatcher started").await["instance"].as_str().unwrap().to_owned()
    }

    /// Every line logged so far.
    pub fn log(&self) -> Vec<Value> {
        self.lines.lock().unwrap().clone()
    }

    /// Waits for the first log line whose message is `message`.
    pub async fn wait_for_line(&mut self, message: &str) -> Value {
        let started = Instant::now();
        loop {
            if let Some(line) = self.log().into_iter().find(|l| l["message"] == message) {
                return line;
            }
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("fairhire serve exited ({status}) before logging {message:?}: {:#?}", self.log());
            }
            assert!(started.elapsed() < Duration::from_secs(30), "no {message:?} in {:#?}", self.log());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Sends SIGTERM, as an orchestrator does to stop a process.
    pub fn terminate(&self) {
        let sent = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        assert!(sent.success(), "kill -TERM failed");
    }

    /// SIGKILL: the process dies at once, mid-work, as in a crash.
    pub fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Whether the process is still running.
    pub fn running(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Waits for the process to exit by itself and returns its status.
    pub async fn exited(&mut self) -> ExitStatus {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(started.elapsed() < ARRIVAL_DEADLINE, "fairhire serve did not exit: {:#?}", self.log());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
