//! The logs of a real `fairhire serve` process: JSON lines, one per request with its request id,
//! and never a secret, a token or a personal datum.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::fresh_database;

#[tokio::test]
async fn json_logs_carry_request_ids_and_no_secrets_or_personal_data() {
    let dir = tempfile::tempdir().unwrap();
    // `_schema` drops the PostgreSQL schema when the test ends.
    let (db_url, _schema) = fresh_database(dir.path());
    let bin = env!("CARGO_BIN_EXE_fairhire");
    let env = |cmd: &mut Command| {
        cmd.current_dir(dir.path())
            .env("DATABASE_URL", &db_url)
            .env("FAIRHIRE_DATA_DIR", dir.path())
            .env("FAIRHIRE_LOG_FORMAT", "json")
            .env("RUST_LOG", "debug")
            .env_remove("FAIRHIRE_CONFIG");
    };
    let mut create = Command::new(bin);
    env(&mut create);
    let out = create.args(["client", "create", "--name", "ops", "--role", "admin"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let client: Value = serde_json::from_slice(&out.stdout).unwrap();
    let (id, secret) = (client["client_id"].as_str().unwrap(), client["client_secret"].as_str().unwrap());

    let mut serve = Command::new(bin);
    env(&mut serve);
    let mut child = serve.args(["serve", "--bind", "127.0.0.1:0"]).stderr(Stdio::piped()).spawn().unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    let address = loop {
        let line = rx.recv_timeout(Duration::from_secs(30)).expect("the service starts and logs its address");
        let parsed: Value = serde_json::from_str(&line).unwrap_or_else(|_| panic!("not JSON: {line}"));
        lines.push(line);
        if parsed["message"] == "fairhire listening" {
            break parsed["address"].as_str().unwrap().to_owned();
        }
    };

    let http = reqwest::Client::new();
    let base = format!("http://{address}");
    let token: Value = http
        .post(format!("{base}/v1/oauth/token"))
        .basic_auth(id, Some(secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["access_token"].as_str().unwrap().to_owned();
    let email = "maria.santos.recruits@example.org";
    let phone = "+63 917 555 0199";
    let res = http
        .post(format!("{base}/v1/agencies?note=query-not-logged"))
        .bearer_auth(&token)
        .json(&json!({
            "legal_name": "Santos Manpower Services",
            "licence": {"number": "DMW-0042-LB", "issuing_authority": "Department of Migrant Workers", "country": "PH"},
            "origin_countries": ["PH"], "destination_countries": ["SA"],
            "contact_email": email, "contact_phone": phone
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let request_id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    // A failed login logs nothing of what was tried.
    let _ = http
        .post(format!("{base}/v1/oauth/token"))
        .form(&[("grant_type", "client_credentials"), ("client_id", id), ("client_secret", "fhs_guess-me")])
        .send()
        .await
        .unwrap();

    // A worker's report: neither its text nor its contact reaches the logs.
    let story = "the-broker-kept-my-passport-in-his-drawer";
    let contact = "viber +880 1711 000111";
    let res = http
        .post(format!("{base}/v1/public/reports"))
        .header("user-agent", "NokiaX2-02/report-test")
        .json(&json!({"agency_name": "Dhaka Star Overseas", "category": "document_retention",
            "description": story, "contact": contact}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let code = res.json::<Value>().await.unwrap()["follow_up_code"].as_str().unwrap().to_owned();

    // The same through the worker pages' form: nothing of it either, nor its token.
    let form = http.get(format!("{base}/report?lang=bn")).send().await.unwrap().text().await.unwrap();
    let at = form.find("name=\"csrf_token\" value=\"").unwrap() + "name=\"csrf_token\" value=\"".len();
    let csrf = form[at..at + form[at..].find('"').unwrap()].to_owned();
    let page_story = "the-agent-swapped-my-contract-at-the-airport";
    let page_contact = "imo +880 1811 222333";
    let res = http
        .post(format!("{base}/report"))
        .header("user-agent", "ItelA27/page-report-test")
        .header("cookie", format!("csrf={csrf}"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("agency_name", "Dhaka Star Overseas"),
            ("category", "contract_substitution"),
            ("description", page_story),
            ("contact", page_contact),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    let at = page.find("id=\"follow-up-code\">").unwrap() + "id=\"follow-up-code\">".len();
    let page_code = page[at..at + page[at..].find('<').unwrap()].to_owned();

    // Let the last lines arrive, then stop the service.
    tokio::time::sleep(Duration::from_millis(300)).await;
    let _ = child.kill();
    let _ = child.wait();
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(2)) {
        lines.push(line);
    }

    let parsed: Vec<Value> =
        lines.iter().map(|l| serde_json::from_str(l).unwrap_or_else(|_| panic!("not JSON: {l}"))).collect();
    let request_line = parsed
        .iter()
        .find(|l| l["message"] == "request" && l["span"]["request_id"] == request_id.as_str())
        .unwrap_or_else(|| panic!("no request line for {request_id} in {lines:#?}"));
    assert_eq!(request_line["method"], "POST");
    assert_eq!(request_line["path"], "/v1/agencies");
    assert_eq!(request_line["status"], 201);
    let all = lines.join("\n");
    for private in [
        secret,
        token.as_str(),
        email,
        phone,
        "fhs_guess-me",
        "query-not-logged",
        story,
        contact,
        &code,
        "NokiaX2",
        page_story,
        page_contact,
        &page_code,
        &csrf,
        "ItelA27",
    ] {
        assert!(!all.contains(private), "the logs contain {private:?}");
    }
}

#[tokio::test]
async fn pretty_logs_written_to_a_file_or_pipe_carry_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let (db_url, _schema) = fresh_database(dir.path());
    let mut child = Command::new(env!("CARGO_BIN_EXE_fairhire"))
        .current_dir(dir.path())
        .env("DATABASE_URL", &db_url)
        .env("FAIRHIRE_DATA_DIR", dir.path())
        .env("FAIRHIRE_LOG_FORMAT", "pretty")
        .env_remove("FAIRHIRE_CONFIG")
        // NO_COLOR would turn colour off whatever the service does; the test must be able to fail.
        .env_remove("NO_COLOR")
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(30)) {
        let listening = line.contains("fairhire listening");
        seen.push(line);
        if listening {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.iter().any(|l| l.contains("fairhire listening")), "{seen:#?}");
    assert!(seen.iter().all(|l| !l.contains('\u{1b}')), "colour codes in a pipe: {seen:#?}");
}
