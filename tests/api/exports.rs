//! The open registry: `GET /v1/exports/registry.csv` and `.json` without a token, streamed,
//! with no personal data, versioned by `ETag`, delta-able by `since`, and licensed.

use std::collections::HashMap;

use futures_util::future::join_all;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, World, agency_body, assert_problem, id};

const COLUMNS: [&str; 26] = [
    "id",
    "legal_name",
    "trading_names",
    "licence_number",
    "licence_issuing_authority",
    "licence_country",
    "licence_valid_from",
    "licence_valid_until",
    "licence_verified_at",
    "licence_source",
    "origin_countries",
    "destination_countries",
    "sectors",
    "website",
    "certification_status",
    "certificate_number",
    "certificate_state",
    "certificate_body_id",
    "certificate_valid_from",
    "certificate_valid_until",
    "certificate_suspended_at",
    "certificate_ended_at",
    "certificate_end_reason",
    "last_audit_date",
    "grade",
    "substantiated_reports",
];

/// Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF records).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field, mut quoted, mut chars) = (Vec::new(), String::new(), false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => assert_eq!(chars.next(), Some('\n'), "records end with CRLF"),
            (false, '\n') => panic!("a bare LF ends a record"),
            (false, c) => field.push(c),
        }
        if !quoted && c == '\r' {
            record.push(std::mem::take(&mut field));
            records.push(std::mem::take(&mut record));
        }
    }
    assert!(field.is_empty() && record.is_empty(), "the last record ends with CRLF");
    records
}

/// The CSV records keyed by column name, the header checked.
fn csv_rows(text: &str) -> Vec<HashMap<String, String>> {
    let mut records = parse_csv(text).into_iter();
    let header = records.next().expect("a header line");
    assert_eq!(header, COLUMNS);
    records.map(|r| header.iter().cloned().zip(r).collect()).collect()
}

fn json_lines(text: &str) -> Vec<Value> {
    assert!(text.is_empty() || text.ends_with('\n'));
    text.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

async fn export(app: &TestApp, path: &str) -> Response {
    app.request(Method::GET, path, None).send().await.unwrap()
}

fn header(res: &Response, name: &str) -> String {
    res.headers().get(name).unwrap_or_else(|| panic!("{name}")).to_str().unwrap().to_owned()
}

/// An agency record with every personal or private detail filled in.
fn agency_with_contacts(n: u32) -> Value {
    let mut body = agency_body(n);
    body["contact_email"] = json!(format!("ram.sharma{n}@example.com"));
    body["contact_phone"] = json!("+977 9800012345");
    body["address"] = json!({"line1": "Secret Lane 7", "city": "Kathmandu", "country": "NP"});
    body["website"] = json!(format!("https://himal-{n}.example.com"));
    body["trading_names"] = json!([format!("Himal, HR {n}"), "Everest \"Jobs\""]);
    body["licence"]["verified_at"] = json!("2026-01-02T08:00:00Z");
    body["licence"]["verified_by"] = json!("STAFF-4242");
    body["licence"]["source"] = json!("https://dofe.gov.np/agencies");
    body
}

#[tokio::test]
async fn the_registry_is_exported_as_csv_and_json_lines_with_no_personal_data() {
    let w = World::at_start().await;
    w.certified().await;
    let other = w.app.create_agency(&w.admin, &agency_with_contacts(2)).await;

    let res = export(&w.app, "/v1/exports/registry.csv").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-type"), "text/csv; charset=utf-8; header=present");
    assert_eq!(header(&res, "link"), "<https://creativecommons.org/licenses/by/4.0/>; rel=\"license\"");
    assert_eq!(header(&res, "x-data-license"), "CC-BY-4.0");
    assert_eq!(header(&res, "cache-control"), "public, max-age=300");
    assert!(header(&res, "etag").starts_with("\"registry-csv-"));
    let cursor: i64 = header(&res, "x-event-cursor").parse().unwrap();
    assert!(cursor > 0);
    let csv = res.text().await.unwrap();
    let rows = csv_rows(&csv);
    assert_eq!(rows.len(), 2);
    assert!(rows[0]["id"] < rows[1]["id"], "in id order");

    let certified = rows.iter().find(|r| r["id"] == w.agency.id).unwrap();
    assert_eq!(certified["certification_status"], "certified");
    assert_eq!(certified["certificate_state"], "in_force");
    assert_eq!(certified["certificate_body_id"], w.body.id);
    assert!(certified["certificate_number"].starts_with("FH-"));
    assert_eq!(certified["last_audit_date"], "2026-01-05");
    assert_eq!(certified["grade"], "A");
    assert_eq!(certified["destination_countries"], "QA|AE");
    assert_eq!(certified["substantiated_reports"], "");

    let listed = rows.iter().find(|r| r["id"] == id(&other)).unwrap();
    assert_eq!(listed["trading_names"], "Himal, HR 2|Everest \"Jobs\"", "quoted and unquoted again");
    assert_eq!(listed["licence_verified_at"], "2026-01-02T08:00:00Z");
    assert_eq!(listed["licence_source"], "https://dofe.gov.np/agencies");
    assert_eq!(listed["website"], "https://himal-2.example.com");
    assert_eq!(listed["certification_status"], "never_certified");
    assert_eq!(listed["certificate_number"], "");

    let res = export(&w.app, "/v1/exports/registry.json").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "content-type"), "application/x-ndjson");
    assert_eq!(header(&res, "x-data-license"), "CC-BY-4.0");
    assert!(header(&res, "etag").starts_with("\"registry-json-"));
    let text = res.text().await.unwrap();
    let lines = json_lines(&text);
    assert_eq!(lines.len(), 2);
    let listed = lines.iter().find(|l| l["id"] == id(&other)).unwrap();
    let keys: Vec<&str> = listed.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, COLUMNS, "the JSON records have the CSV's columns");
    assert_eq!(listed["trading_names"], json!(["Himal, HR 2", "Everest \"Jobs\""]));
    assert_eq!(listed["destination_countries"], json!(["QA", "AE"]));
    assert_eq!(listed["certificate_number"], Value::Null);

    // Nothing that names or reaches a person, nor internal versions, in either format.
    for body in [&csv, &text] {
        for secret in ["ram.sharma2", "9800012345", "Secret Lane", "STAFF-4242", "contact", "address", "version"] {
            assert!(!body.contains(secret), "{secret} leaked");
        }
    }
}

#[tokio::test]
async fn an_unchanged_export_is_a_304_and_any_change_to_the_registry_gives_a_new_etag() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    for path in ["/v1/exports/registry.csv", "/v1/exports/registry.json"] {
        let first = export(&app, path).await;
        let etag = header(&first, "etag");
        let cursor = header(&first, "x-event-cursor");

        let again = app.request(Method::GET, path, None).header("if-none-match", &etag).send().await.unwrap();
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED, "{path}");
        assert_eq!(header(&again, "etag"), etag);
        assert_eq!(header(&again, "x-event-cursor"), cursor);
        assert_eq!(header(&again, "x-data-license"), "CC-BY-4.0");
        assert!(again.bytes().await.unwrap().is_empty());

        // A weak tag, a list and `*` match too; another tag does not.
        for held in [format!("W/{etag}"), format!("\"x\", {etag}"), "*".to_owned()] {
            let res = app.request(Method::GET, path, None).header("if-none-match", held).send().await.unwrap();
            assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
        }
        let res = app.request(Method::GET, path, None).header("if-none-match", "\"other\"").send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }

    let before = header(&export(&app, "/v1/exports/registry.csv").await, "etag");
    // A change outside the registry leaves it as it was.
    app.create_body(&admin, &crate::helpers::certification_body(1, "accredited")).await;
    let res = app.request(Method::GET, "/v1/exports/registry.csv", None).header("if-none-match", &before).send().await;
    assert_eq!(res.unwrap().status(), StatusCode::NOT_MODIFIED);
    // A change of an agency's public record is a new version.
    let path = format!("/v1/agencies/{}", id(&agency));
    app.ok(Method::PATCH, &path, &admin, Some(json!({"website": "https://new.example.com"}))).await;
    let res = app.request(Method::GET, "/v1/exports/registry.csv", None).header("if-none-match", &before).send().await;
    let res = res.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_ne!(header(&res, "etag"), before);
    assert!(res.text().await.unwrap().contains("https://new.example.com"));
}

#[tokio::test]
async fn since_gives_exactly_the_agencies_changed_after_the_cursor() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        ids.push(id(&app.create_agency(&admin, &agency_body(n)).await).to_owned());
    }
    let cursor = header(&export(&app, "/v1/exports/registry.csv").await, "x-event-cursor");

    let changed = &ids[1];
    let path = format!("/v1/agencies/{changed}");
    app.ok(Method::PATCH, &path, &admin, Some(json!({"sectors": ["construction", "care"]}))).await;

    let res = export(&app, &format!("/v1/exports/registry.csv?since={cursor}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(header(&res, "etag").contains(&format!("-{cursor}-")), "the delta has its own version");
    let next: i64 = header(&res, "x-event-cursor").parse().unwrap();
    assert!(next > cursor.parse::<i64>().unwrap());
    let rows = csv_rows(&res.text().await.unwrap());
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0]["id"], changed);
    assert_eq!(rows[0]["sectors"], "construction|care");

    let lines =
        json_lines(&export(&app, &format!("/v1/exports/registry.json?since={cursor}")).await.text().await.unwrap());
    assert_eq!(lines.len(), 1);
    assert_eq!(&lines[0]["id"], changed);

    // From the new cursor on, nothing changed: a header and no record.
    let res = export(&app, &format!("/v1/exports/registry.csv?since={next}")).await;
    assert_eq!(header(&res, "x-event-cursor"), next.to_string());
    assert!(csv_rows(&res.text().await.unwrap()).is_empty());
    assert!(export(&app, &format!("/v1/exports/registry.json?since={next}")).await.text().await.unwrap().is_empty());
    // A new agency is a change too.
    let created = app.create_agency(&admin, &agency_body(4)).await;
    let rows = csv_rows(&export(&app, &format!("/v1/exports/registry.csv?since={next}")).await.text().await.unwrap());
    assert_eq!(rows.iter().map(|r| r["id"].as_str()).collect::<Vec<_>>(), vec![id(&created)]);
}

#[tokio::test]
async fn a_bad_cursor_is_refused_like_the_feed_refuses_one() {
    let app = TestApp::spawn().await;
    for path in ["/v1/exports/registry.csv", "/v1/exports/registry.json"] {
        let problem = assert_problem(export(&app, &format!("{path}?since=-1")).await, 422, "validation").await;
        assert_eq!(problem["errors"][0]["field"], "since");
        assert_problem(export(&app, &format!("{path}?since=abc")).await, 400, "bad-request").await;
        assert_problem(export(&app, &format!("{path}?sinse=1")).await, 400, "bad-request").await;
        // A cursor ahead of the log is not one of this registry's.
        let problem = assert_problem(export(&app, &format!("{path}?since=999999")).await, 422, "validation").await;
        assert!(problem["errors"][0]["message"].as_str().unwrap().contains("after the last event"), "{problem}");
    }
}

#[tokio::test]
async fn hidden_report_moves_never_show_in_the_version_or_the_delta() {
    let app = TestApp::spawn_with(|c| c.limits.reports_burst = 50).await;
    let admin = app.admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let first = export(&app, "/v1/exports/registry.csv").await;
    let (etag, cursor) = (header(&first, "etag"), header(&first, "x-event-cursor"));

    // One and two substantiated reports show nowhere (the public count starts at 3).
    let mut reports = Vec::new();
    for _ in 0..3 {
        reports.push(crate::fee_evidence::substantiated_report(&app, &admin, id(&agency), "NP", &[]).await);
        let res = export(&app, &format!("/v1/exports/registry.csv?since={cursor}")).await;
        let now = export(&app, "/v1/exports/registry.csv").await;
        if reports.len() < 3 {
            assert!(csv_rows(&res.text().await.unwrap()).is_empty(), "the delta stays empty");
            assert_eq!(header(&now, "etag"), etag, "the version stays");
        } else {
            let rows = csv_rows(&res.text().await.unwrap());
            assert_eq!(rows.len(), 1, "the third one shows");
            assert_eq!(rows[0]["substantiated_reports"], "3");
            assert_ne!(header(&now, "etag"), etag);
        }
    }
}

#[tokio::test]
async fn a_large_registry_is_streamed_whole_across_pages() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    // More than one page of 1,000, created a few at a time.
    let total = 1_050u32;
    for chunk in (1..=total).collect::<Vec<_>>().chunks(25) {
        let bodies: Vec<Value> = chunk.iter().map(|n| agency_body(*n)).collect();
        join_all(bodies.iter().map(|b| app.create_agency(&admin, b))).await;
    }
    let res = export(&app, "/v1/exports/registry.csv").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers().get("content-length").is_none(), "streamed, not sized up front");
    let rows = csv_rows(&res.text().await.unwrap());
    assert_eq!(rows.len(), total as usize);
    let mut seen: Vec<&str> = rows.iter().map(|r| r["id"].as_str()).collect();
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "in id order, each once");
    seen.dedup();
    assert_eq!(seen.len(), total as usize);

    let lines = json_lines(&export(&app, "/v1/exports/registry.json").await.text().await.unwrap());
    assert_eq!(lines.len(), total as usize);

    // HEAD gives the headers without running the export into a body.
    let res = app.http.head(app.url("/v1/exports/registry.csv")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(header(&res, "x-data-license"), "CC-BY-4.0");
    assert!(res.bytes().await.unwrap().is_empty());
}
