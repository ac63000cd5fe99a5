//! What an operator meets: configuration mistakes refused at start, the database named in the
//! log, private files, and two processes starting on one SQLite file.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

use crate::helpers::{fresh_database, postgres_url};

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
