//! A real S3-compatible server for the evidence-file tests: moto's server mode, started on a
//! free port for one test and killed with it. Without moto installed the S3 tests are skipped
//! with a note, except under CI (`CI` set), where `.ci/run` installs it and its absence fails.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fairhire::config::S3Config;

pub struct Moto {
    child: Child,
    pub endpoint: String,
}

/// The bucket the tests' files go to.
pub const BUCKET: &str = "evidence";

impl Moto {
    /// A moto server with the bucket [`BUCKET`], or `None` (with a note) when moto is missing
    /// outside CI.
    pub async fn start() -> Option<Moto> {
        let installed = Command::new("python3")
            .args(["-c", "import moto.server, flask"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !installed {
            assert!(
                std::env::var_os("CI").is_none(),
                "moto is not installed: .ci/run installs it with pip install 'moto[server]'"
            );
            eprintln!("note: moto is not installed (pip install 'moto[server]'); the S3 test is skipped");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new("python3")
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start moto");
        let moto = Moto { child, endpoint: format!("http://127.0.0.1:{port}") };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if http.get(&moto.endpoint).send().await.is_ok() {
                break;
            }
            assert!(Instant::now() < deadline, "moto did not answer on {} within 30 s", moto.endpoint);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let created = http.put(format!("{}/{BUCKET}", moto.endpoint)).send().await.expect("create the bucket");
        assert!(created.status().is_success(), "creating the bucket: {}", created.status());
        Some(moto)
    }

    /// The settings that point the service at this server.
    pub fn settings(&self) -> S3Config {
        S3Config {
            endpoint: self.endpoint.clone(),
            bucket: BUCKET.into(),
            region: "us-east-1".into(),
            access_key_id: "testing".into(),
            secret_access_key: "testing".into(),
            allow_http: true,
        }
    }
}

impl Moto {
    /// The keys of the bucket's multipart uploads begun and neither completed nor aborted.
    pub async fn pending_uploads(&self) -> Vec<String> {
        let listing = reqwest::get(format!("{}/{BUCKET}?uploads", self.endpoint)).await.unwrap().text().await.unwrap();
        listing
            .split("<Upload>")
            .skip(1)
            .filter_map(|upload| upload.split("<Key>").nth(1)?.split("</Key>").next().map(|k| format!("pending:{k}")))
            .collect()
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
