//! Evidence files: uploads streamed to the object store (the local directory, and a real
//! S3-compatible server), kinds judged by content, the size limit, identical contents stored
//! once, immutability once the parent is closed, who may do what, interrupted uploads leaving
//! nothing behind, and erasure.

use std::sync::Arc;
use std::time::Duration;

use fairhire::clock::FixedClock;
use fairhire::config::Config;
use fairhire::domain::roles::Role;
use fairhire::store;
use futures_util::StreamExt;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::helpers::{Moto, TestApp, World, assert_problem, eventually, id, start};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\x0bIDATx\x9cc\0\x01\0\0\x05\0\x01\r\n-\xb4\0\0\0\0IEND\xaeB`\x82";
const EXE: &[u8] = b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0\xb8\0\0\0\0\0\0\0@\0\0\0";
const HTML: &[u8] = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>";

/// A PDF of `len` bytes (a real header, filler after).
fn pdf(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    bytes.resize(len, b'x');
    bytes
}

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The usual cast on an app whose settings `adjust` changed, with the test standard published
/// and the agency's application accepted.
async fn world_with(adjust: impl FnOnce(&mut Config)) -> World {
    let clock = FixedClock::new(start());
    let app = TestApp::spawn_full(adjust, Arc::new(clock.clone())).await;
    let admin = app.admin().await;
    let body = app.body_with_staff(&admin, 1).await;
    let agency = app.agency(&admin, 1).await;
    let integrator = app.token_for(Role::Integrator, None, None).await;
    let w = World { app, clock, admin, body, agency, integrator };
    w.app.publish_test_standard(&w.admin).await;
    w.apply_and_accept().await;
    w
}

/// A draft stage-2 audit of the world's agency by its body, with a finding on C.1.
async fn draft_audit(w: &World) -> String {
    let opening = json!({"agency_id": w.agency.id, "kind": "stage2", "methods": {"documents_reviewed": true}});
    let audit = w.app.open_assessment(&w.body.auditor, &opening).await;
    w.app.record_finding(&w.body.auditor, &audit, "C.1", "major").await;
    audit
}

async fn upload(app: &TestApp, path: &str, token: Option<&str>, name: &str, bytes: &[u8]) -> Response {
    app.request(Method::POST, path, token)
        .query(&[("name", name)])
        .header("content-type", "application/octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .unwrap()
}

async fn uploaded(app: &TestApp, path: &str, token: &str, name: &str, bytes: &[u8]) -> Value {
    let res = upload(app, path, Some(token), name, bytes).await;
    assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    let file: Value = res.json().await.unwrap();
    assert_eq!(location, format!("/v1/files/{}", id(&file)));
    file
}

async fn keys(app: &TestApp) -> Vec<String> {
    app.state.blobs.keys().await.unwrap()
}

/// Every file under `dir`, by its path relative to `root`.
fn files_under(root: &std::path::Path, dir: &std::path::Path, found: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(root, &path, found);
        } else {
            found.push(path.strip_prefix(root).unwrap().to_string_lossy().into_owned());
        }
    }
}

/// Everything the store keeps, below what its listing shows: for the local directory, every
/// file on disk (unfinished uploads' staging files included); for S3, the objects and the
/// multipart uploads still open.
async fn everything_stored(app: &TestApp, moto: Option<&Moto>) -> Vec<String> {
    let mut found = match moto {
        Some(moto) => {
            let mut found = keys(app).await;
            found.extend(moto.pending_uploads().await);
            found
        }
        None => {
            let dir = app.state.config.files_dir();
            let mut found = Vec::new();
            files_under(&dir, &dir, &mut found);
            found
        }
    };
    found.sort();
    found
}

/// Waits until the store holds exactly `expected` (cleanups run after the answer).
async fn store_holds(app: &TestApp, moto: Option<&Moto>, expected: &[String]) {
    let mut expected = expected.to_vec();
    expected.sort();
    eventually("what the store holds", || everything_stored(app, moto), |k: &Vec<String>| *k == expected).await;
}

/// Upload, list, download; identical contents stored once; kinds by content; refused kinds
/// leave nothing. Run on whichever store `w` uses.
async fn round_trip(w: &World, moto: Option<&Moto>) {
    let audit = draft_audit(w).await;
    let files_of = format!("/v1/assessments/{audit}/files");
    let report = pdf(20_000);
    let file = uploaded(&w.app, &files_of, &w.body.auditor, "fee receipts.pdf", &report).await;
    assert_eq!(file["media_type"], "application/pdf");
    assert_eq!(file["size_bytes"], 20_000);
    assert_eq!(file["sha256"], sha256(&report));
    assert_eq!(file["name"], "fee receipts.pdf");
    assert_eq!(file["parent"], json!({"kind": "assessment", "id": audit, "criterion_code": null}));
    assert_eq!((file["names_workers"].as_bool(), file["erased_at"].is_null()), (Some(false), true));
    assert!(file["uploaded_by"].as_str().is_some_and(|c| !c.is_empty()));

    let res = w
        .app
        .request(Method::GET, &format!("/v1/files/{}/content", id(&file)), Some(&w.body.auditor))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let header = |name: &str| res.headers()[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(
        header("content-disposition"),
        "attachment; filename=\"fee receipts.pdf\"; filename*=UTF-8''fee%20receipts.pdf"
    );
    assert_eq!(header("etag"), format!("\"{}\"", sha256(&report)));
    assert_eq!(header("x-content-type-options"), "nosniff");
    let etag = header("etag");
    let body = res.bytes().await.unwrap();
    assert_eq!(body.as_ref(), report.as_slice());
    assert_eq!(sha256(&body), file["sha256"]);
    let again = w.app.request(Method::GET, &format!("/v1/files/{}/content", id(&file)), Some(&w.body.auditor));
    assert_eq!(again.header("if-none-match", etag).send().await.unwrap().status(), StatusCode::NOT_MODIFIED);

    // The same bytes on the finding: a second attachment, one stored object.
    let finding_files = format!("/v1/assessments/{audit}/findings/C.1/files");
    let copy = uploaded(&w.app, &finding_files, &w.body.auditor, "copy.pdf", &report).await;
    assert_eq!(copy["parent"], json!({"kind": "finding", "id": audit, "criterion_code": "C.1"}));
    assert_eq!(copy["sha256"], file["sha256"]);
    store_holds(&w.app, moto, &[format!("sha256/{}", sha256(&report))]).await;

    // A PNG named and declared as a PDF is kept as the PNG it is.
    let res = w
        .app
        .request(Method::POST, &files_of, Some(&w.body.auditor))
        .query(&[("name", "scan.pdf"), ("names_workers", "true")])
        .header("content-type", "application/pdf")
        .body(PNG.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let png: Value = res.json().await.unwrap();
    assert_eq!((png["media_type"].as_str(), png["names_workers"].as_bool()), (Some("image/png"), Some(true)));

    // Executables and pages are refused whatever their name, and leave nothing behind.
    let held = vec![format!("sha256/{}", sha256(&report)), format!("sha256/{}", sha256(PNG))];
    store_holds(&w.app, moto, &held).await;
    for (name, bytes) in [("report.pdf", EXE), ("notes.csv", HTML)] {
        let res = upload(&w.app, &files_of, Some(&w.body.auditor), name, bytes).await;
        let problem = assert_problem(res, 415, "unsupported-media-type").await;
        assert!(problem["detail"].as_str().unwrap().contains("PDF, PNG"), "{problem}");
    }
    let big_exe = [EXE, &[0u8; 20_000][..]].concat();
    assert_problem(
        upload(&w.app, &files_of, Some(&w.body.auditor), "x.xlsx", &big_exe).await,
        415,
        "unsupported-media-type",
    )
    .await;
    let csv = b"worker,fee_paid\nA,0\nB,0\n";
    let table = uploaded(&w.app, &finding_files, &w.body.auditor, "fees.csv", csv).await;
    assert_eq!(table["media_type"], "text/csv");
    let listed = w.app.get_json(&files_of, Some(&w.body.auditor)).await;
    let names: Vec<&str> = listed["data"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["fee receipts.pdf", "copy.pdf", "scan.pdf", "fees.csv"]);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stored = everything_stored(&w.app, moto).await;
    assert!(stored.iter().all(|k| k.starts_with("sha256/")), "no temporary object is left: {stored:?}");
    assert_eq!(stored.len(), 3);

    // The log tells who attached what, with the file's name under `file_name`.
    let feed = w.app.get_json("/v1/events?types=evidence_file.attached&limit=50", Some(&w.body.auditor)).await;
    let first = &feed["data"][0];
    assert_eq!(first["current"]["file_name"], "fee receipts.pdf");
    assert_eq!(first["current"]["sha256"], sha256(&report));
    assert_eq!(first["agency_id"], w.agency.id.as_str());

    // The uploader removes one copy: the contents stay for the other; removing both frees them.
    let delete = |token: &str, file: &Value| {
        w.app.request(Method::DELETE, &format!("/v1/files/{}", id(file)), Some(token)).send()
    };
    assert_eq!(delete(&w.body.auditor, &copy).await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(w.app.status(Method::GET, &format!("/v1/files/{}", id(&copy)), &w.body.auditor, None).await, 404);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(keys(&w.app).await.contains(&format!("sha256/{}", sha256(&report))));
    assert_eq!(delete(&w.body.auditor, &file).await.unwrap().status(), StatusCode::NO_CONTENT);
    let held = vec![format!("sha256/{}", sha256(PNG)), format!("sha256/{}", sha256(csv))];
    store_holds(&w.app, moto, &held).await;

    // A file of several multipart parts (5 MiB each) comes back whole.
    let large = pdf(11 * 1024 * 1024 + 7);
    let file = uploaded(&w.app, &files_of, &w.body.auditor, "payroll scan.pdf", &large).await;
    assert_eq!(file["sha256"], sha256(&large));
    let content = format!("/v1/files/{}/content", id(&file));
    let res = w.app.request(Method::GET, &content, Some(&w.body.auditor)).send().await.unwrap();
    assert_eq!(res.headers()["content-length"], large.len().to_string().as_str());
    assert_eq!(sha256(&res.bytes().await.unwrap()), sha256(&large));
}

#[tokio::test]
async fn files_round_trip_through_the_local_directory() {
    let w = world_with(|_| {}).await;
    round_trip(&w, None).await;
    let dir = w.app.state.config.files_dir();
    assert!(dir.join("sha256").is_dir(), "the contents are kept under the data directory");
}

#[tokio::test]
async fn files_round_trip_through_s3_compatible_storage() {
    let Some(moto) = Moto::start().await else { return };
    let w = world_with(|c| c.files.s3 = moto.settings()).await;
    round_trip(&w, Some(&moto)).await;
    assert!(!w.app.state.config.files_dir().exists(), "nothing is kept locally");
}

/// A body that sends `first`, then fails: the client drops the connection mid-body.
fn broken_body(first: Vec<u8>) -> reqwest::Body {
    let chunks =
        futures_util::stream::iter([Ok::<_, std::io::Error>(first)]).chain(futures_util::stream::once(async {
            tokio::time::sleep(Duration::from_millis(300)).await;
            Err(std::io::Error::other("the client went away"))
        }));
    reqwest::Body::wrap_stream(chunks)
}

async fn interrupted_uploads_leave_nothing(w: &World, moto: Option<&Moto>) {
    let audit = draft_audit(w).await;
    let files_of = format!("/v1/assessments/{audit}/files");
    for _ in 0..2 {
        let sent = w
            .app
            .request(Method::POST, &files_of, Some(&w.body.auditor))
            .query(&[("name", "half.pdf")])
            .body(broken_body(pdf(6 * 1024 * 1024)))
            .send()
            .await;
        assert!(sent.is_err(), "the request fails on the client's side");
    }
    store_holds(&w.app, moto, &[]).await;
    let listed = w.app.get_json(&files_of, Some(&w.body.auditor)).await;
    assert_eq!(listed["data"], json!([]));
}

#[tokio::test]
async fn an_interrupted_upload_leaves_no_object_and_no_row() {
    let w = world_with(|_| {}).await;
    interrupted_uploads_leave_nothing(&w, None).await;
}

#[tokio::test]
async fn an_interrupted_upload_to_s3_leaves_no_object_and_no_row() {
    let Some(moto) = Moto::start().await else { return };
    let w = world_with(|c| c.files.s3 = moto.settings()).await;
    interrupted_uploads_leave_nothing(&w, Some(&moto)).await;
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_while_streaming() {
    let w = world_with(|c| c.files.max_bytes = 10_000).await;
    let audit = draft_audit(&w).await;
    let files_of = format!("/v1/assessments/{audit}/files");
    // Declared too large: refused before a byte is read.
    let res = upload(&w.app, &files_of, Some(&w.body.auditor), "big.pdf", &pdf(10_001)).await;
    let problem = assert_problem(res, 413, "payload-too-large").await;
    assert!(problem["detail"].as_str().unwrap().contains("10000"), "{problem}");
    // Undeclared (chunked): refused when the limit is passed.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = (0..6).map(|_| Ok(pdf(4000))).collect();
    let res = w
        .app
        .request(Method::POST, &files_of, Some(&w.body.auditor))
        .query(&[("name", "big.pdf")])
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(chunks)))
        .send()
        .await
        .unwrap();
    assert_problem(res, 413, "payload-too-large").await;
    store_holds(&w.app, None, &[]).await;
    // At the limit: accepted.
    uploaded(&w.app, &files_of, &w.body.auditor, "ok.pdf", &pdf(10_000)).await;
    // Names and empty bodies are checked.
    let res = upload(&w.app, &files_of, Some(&w.body.auditor), "a/b.pdf", &pdf(100)).await;
    assert_problem(res, 422, "validation").await;
    let res = upload(&w.app, &files_of, Some(&w.body.auditor), "empty.pdf", b"").await;
    assert_problem(res, 422, "validation").await;
    let res = w.app.request(Method::POST, &files_of, Some(&w.body.auditor)).body(pdf(100)).send().await.unwrap();
    assert_problem(res, 400, "bad-request").await;
}

#[tokio::test]
async fn files_never_change_once_the_assessment_is_finalized_or_the_action_verified() {
    let w = world_with(|_| {}).await;
    let audit = draft_audit(&w).await;
    let files_of = format!("/v1/assessments/{audit}/files");
    let kept = uploaded(&w.app, &files_of, &w.body.auditor, "kept.pdf", &pdf(500)).await;
    for code in ["A.1", "A.2", "C.2"] {
        w.app.record_finding(&w.body.auditor, &audit, code, "conformant").await;
    }
    for step in ["submit", "finalize"] {
        w.app.ok(Method::POST, &format!("/v1/assessments/{audit}/{step}"), &w.body.auditor, None).await;
    }
    let res = upload(&w.app, &files_of, Some(&w.body.auditor), "late.pdf", &pdf(500)).await;
    assert_problem(res, 409, "conflict").await;
    let res = upload(
        &w.app,
        &format!("/v1/assessments/{audit}/findings/C.1/files"),
        Some(&w.body.auditor),
        "late.pdf",
        &pdf(500),
    )
    .await;
    assert_problem(res, 409, "conflict").await;
    let res =
        w.app.request(Method::DELETE, &format!("/v1/files/{}", id(&kept)), Some(&w.body.auditor)).send().await.unwrap();
    assert_problem(res, 409, "conflict").await;

    // The major finding on C.1 opened a corrective action: the agency attaches its evidence.
    let actions = w.app.get_json(&format!("/v1/corrective-actions?assessment_id={audit}"), Some(&w.agency.token)).await;
    let action = id(&actions["data"][0]).to_owned();
    let action_files = format!("/v1/corrective-actions/{action}/files");
    let receipt = uploaded(&w.app, &action_files, &w.agency.token, "refunds.pdf", &pdf(700)).await;
    assert_eq!(receipt["parent"], json!({"kind": "corrective_action", "id": action, "criterion_code": null}));
    let res = upload(&w.app, &action_files, Some(&w.body.auditor), "x.pdf", &pdf(700)).await;
    assert_problem(res, 403, "forbidden").await;
    let listed = w.app.get_json(&action_files, Some(&w.body.auditor)).await;
    assert_eq!(listed["data"][0]["id"], receipt["id"]);
    for (token, step, body) in [
        (&w.agency.token, "plan", Some(json!({"plan": "Refund all fees."}))),
        (&w.agency.token, "evidence", Some(json!({"evidence": "Receipts attached."}))),
        (&w.body.auditor, "verify", None),
    ] {
        w.app.ok(Method::POST, &format!("/v1/corrective-actions/{action}/{step}"), token, body).await;
    }
    let res = upload(&w.app, &action_files, Some(&w.agency.token), "late.pdf", &pdf(700)).await;
    assert_problem(res, 409, "conflict").await;
    let res = w
        .app
        .request(Method::DELETE, &format!("/v1/files/{}", id(&receipt)), Some(&w.agency.token))
        .send()
        .await
        .unwrap();
    assert_problem(res, 409, "conflict").await;
    // Still readable.
    let res = w
        .app
        .request(Method::GET, &format!("/v1/files/{}/content", id(&receipt)), Some(&w.body.certifier))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn who_may_attach_read_and_remove_files() {
    let w = world_with(|_| {}).await;
    let audit = draft_audit(&w).await;
    let files_of = format!("/v1/assessments/{audit}/files");
    let file = uploaded(&w.app, &files_of, &w.body.auditor, "notes.pdf", &pdf(300)).await;
    let other_body = w.app.body_with_staff(&w.admin, 2).await;
    let other_agency = w.app.agency(&w.admin, 2).await;
    let second_auditor = w.app.token_for(Role::Auditor, Some(&w.body.id), None).await;

    // No token: 401 everywhere.
    let file_path = format!("/v1/files/{}", id(&file));
    assert_problem(upload(&w.app, &files_of, None, "x.pdf", &pdf(10)).await, 401, "unauthorized").await;
    for path in [files_of.clone(), file_path.clone(), format!("{file_path}/content")] {
        let res = w.app.request(Method::GET, &path, None).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    // Attaching: the body's auditors only.
    for (token, status) in [
        (&w.admin, 403),
        (&w.body.certifier, 403),
        (&w.agency.token, 403),
        (&w.integrator, 404),
        (&other_body.auditor, 404),
        (&other_agency.token, 404),
        (&second_auditor, 201),
    ] {
        let res = upload(&w.app, &files_of, Some(token), "x.pdf", &pdf(10)).await;
        assert_eq!(res.status().as_u16(), status, "{}", res.text().await.unwrap());
    }
    // Reading: who may read the findings; others do not learn the file exists.
    for (token, status) in [
        (&w.admin, 200),
        (&w.body.certifier, 200),
        (&w.agency.token, 200),
        (&second_auditor, 200),
        (&w.integrator, 404),
        (&other_body.auditor, 404),
        (&other_agency.token, 404),
    ] {
        for path in [&files_of, &file_path, &format!("{file_path}/content")] {
            assert_eq!(w.app.status(Method::GET, path, token, None).await, status, "{path}");
        }
    }
    // Removing: the uploader only.
    for token in [&second_auditor, &w.admin, &w.agency.token] {
        let res = w.app.request(Method::DELETE, &file_path, Some(token)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    let res = w.app.request(Method::DELETE, &file_path, Some(&other_body.auditor)).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    // Unknown ids, parents and findings.
    let missing = "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90";
    for path in [format!("/v1/files/{missing}"), "/v1/files/nope".into(), format!("/v1/assessments/{missing}/files")] {
        assert_eq!(w.app.status(Method::GET, &path, &w.admin, None).await, 404, "{path}");
    }
    for path in
        [format!("/v1/assessments/{audit}/findings/A.2/files"), format!("/v1/assessments/{audit}/findings/zz/files")]
    {
        let res = upload(&w.app, &path, Some(&w.body.auditor), "x.pdf", &pdf(10)).await;
        assert_problem(res, 404, "not-found").await;
    }
}

#[tokio::test]
async fn an_integrator_reads_files_of_a_finalized_audit_only_under_a_grant() {
    let w = world_with(|_| {}).await;
    let audit = draft_audit(&w).await;
    let files_of = format!("/v1/assessments/{audit}/files");
    let file = uploaded(&w.app, &files_of, &w.body.auditor, "notes.pdf", &pdf(300)).await;
    for code in ["A.1", "A.2", "C.2"] {
        w.app.record_finding(&w.body.auditor, &audit, code, "conformant").await;
    }
    for step in ["submit", "finalize"] {
        w.app.ok(Method::POST, &format!("/v1/assessments/{audit}/{step}"), &w.body.auditor, None).await;
    }
    let (client, secret) = w.app.create_client(&w.admin, &json!({"name": "HR platform", "role": "integrator"})).await;
    let token = w.app.client_credentials_token(&client, &secret).await;
    let content = format!("/v1/files/{}/content", id(&file));
    assert_eq!(w.app.status(Method::GET, &content, &token, None).await, 403);
    let grant = json!({"client_id": client, "valid_until": "2026-06-30"});
    let created = w.app.post_created(&format!("/v1/agencies/{}/grants", w.agency.id), &w.agency.token, &grant).await;
    assert_eq!(w.app.status(Method::GET, &content, &token, None).await, 200);
    assert_eq!(w.app.status(Method::GET, &files_of, &token, None).await, 200);
    let reads = w
        .app
        .get_json(&format!("/v1/agencies/{}/grants/{}/reads", w.agency.id, id(&created)), Some(&w.agency.token))
        .await;
    assert_eq!(reads["data"].as_array().unwrap().len(), 2, "{reads}");
}

#[tokio::test]
async fn an_erased_file_is_gone_and_its_row_keeps_only_the_proof() {
    let w = world_with(|_| {}).await;
    let audit = draft_audit(&w).await;
    let files_of = format!("/v1/assessments/{audit}/files");
    let notes = pdf(900);
    let named = w
        .app
        .request(Method::POST, &files_of, Some(&w.body.auditor))
        .query(&[("name", "interview Maria S.pdf"), ("names_workers", "true")])
        .body(notes.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(named.status(), StatusCode::CREATED);
    let named: Value = named.json().await.unwrap();
    let plain = uploaded(&w.app, &files_of, &w.body.auditor, "copy.pdf", &notes).await;

    // The retention query finds the file that names workers, once its time has passed.
    let cutoff = w.app.state.clock.now() + chrono::Duration::seconds(1);
    let due = w.app.state.db.read(move |c| store::evidence_files::naming_workers_before(c, cutoff, 10)).await.unwrap();
    assert_eq!(due.iter().map(|r| r.id.as_str()).collect::<Vec<_>>(), [id(&named)]);

    // Erased on request (as the retention sweep does when the period ends).
    let erase = |file: &str| {
        let body = json!({"kind": "evidence_file", "record_id": file, "reason": "the worker asked"});
        w.app.send(Method::POST, "/v1/erasures", &w.admin, Some(body))
    };
    let erased: Value = erase(id(&named)).await.json().await.unwrap();
    assert_eq!(erased["erased_fields"], json!(["file_name", "content"]));
    let again: Value = erase(id(&named)).await.json().await.unwrap();
    assert_eq!(again["erased_fields"], json!([]), "erasing twice changes nothing");
    let content = format!("/v1/files/{}/content", id(&named));
    let res = w.app.request(Method::GET, &content, Some(&w.body.auditor)).send().await.unwrap();
    assert_problem(res, 410, "gone").await;
    let row = w.app.get_json(&format!("/v1/files/{}", id(&named)), Some(&w.body.auditor)).await;
    assert!(row["name"].is_null() && row["erased_at"].is_string(), "{row}");
    assert_eq!(row["sha256"], sha256(&notes));
    // The same bytes attached without a name of a worker are still kept.
    let res = w
        .app
        .request(Method::GET, &format!("/v1/files/{}/content", id(&plain)), Some(&w.body.auditor))
        .send()
        .await
        .unwrap();
    assert_eq!(res.bytes().await.unwrap().as_ref(), notes.as_slice());
    assert_eq!(erase(id(&plain)).await.status(), StatusCode::OK);
    store_holds(&w.app, None, &[]).await;
    let cutoff = w.app.state.clock.now() + chrono::Duration::seconds(1);
    let due = w.app.state.db.read(move |c| store::evidence_files::naming_workers_before(c, cutoff, 10)).await.unwrap();
    assert!(due.is_empty());
    let feed = w.app.get_json("/v1/events?types=personal_data.erased&limit=50", Some(&w.admin)).await;
    assert_eq!(feed["data"].as_array().unwrap().len(), 2);
    assert!(!feed.to_string().contains("Maria"), "{feed}");
}

#[tokio::test]
async fn arbitrary_bodies_are_answered_without_a_server_error() {
    use rand::{Rng, SeedableRng};
    let w = world_with(|c| c.files.max_bytes = 20_000).await;
    let audit = draft_audit(&w).await;
    let files_of = format!("/v1/assessments/{audit}/files");
    let mut rng = rand::rngs::StdRng::seed_from_u64(13);
    let starts: [&[u8]; 6] = [b"", b"%PDF-", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"a,b\n", b"<html>"];
    for round in 0..120 {
        let mut body = starts[round % starts.len()].to_vec();
        let len = rng.gen_range(0..30_000);
        body.extend((0..len).map(|_| if round % 2 == 0 { rng.r#gen::<u8>() } else { rng.gen_range(b' '..=b'~') }));
        let res = upload(&w.app, &files_of, Some(&w.body.auditor), "fuzz.bin", &body).await;
        let status = res.status().as_u16();
        assert!([201, 413, 415, 422].contains(&status), "round {round}: {status} {}", res.text().await.unwrap());
    }
}

#[tokio::test]
async fn the_sweep_removes_what_a_crash_left_of_an_upload() {
    let w = world_with(|_| {}).await;
    // What a process killed mid-upload leaves: a staging file and a complete temporary object.
    let tmp = w.app.state.config.files_dir().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let day_old = std::time::SystemTime::now() - Duration::from_secs(25 * 3600);
    for name in ["0193f0c1-0000-7000-8000-000000000001#1", "0193f0c1-0000-7000-8000-000000000002"] {
        let file = std::fs::File::create(tmp.join(name)).unwrap();
        file.set_modified(day_old).unwrap();
    }
    // An upload in progress right now is left alone.
    std::fs::write(tmp.join("0193f0c1-0000-7000-8000-000000000003#1"), b"%PDF-").unwrap();
    w.app.sweep().await;
    let mut left: Vec<String> =
        std::fs::read_dir(&tmp).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    left.sort();
    assert_eq!(left, ["0193f0c1-0000-7000-8000-000000000003#1"]);
}
