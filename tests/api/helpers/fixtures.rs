//! The data tests send: request bodies, the test standard, fixed times and ids.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value, json};

/// A well-formed id that names nothing.
pub const MISSING: &str = "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90";

/// A well-formed certification body id that no body has; tokens may still be bound to it.
pub const UNREGISTERED_BODY: &str = "0193f0a4-0000-7000-8000-000000000001";

/// Where every fixed-clock test starts: a Monday, 09:00 UTC.
pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap()
}

/// A time as the API writes it.
pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
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

/// A valid certification body, made unique by `n`, with this accreditation status.
pub fn certification_body(n: u32, status: &str) -> Value {
    json!({
        "name": format!("Gulf Ethical Audit {n}"),
        "country": "AE",
        "website": format!("https://gulf-audit-{n}.example.com"),
        "accreditation_status": status,
        "accredited_until": "2029-06-30"
    })
}

/// The version of [`test_standard`].
pub const TEST_STANDARD: &str = "t-1.0";

/// A small standard whose score is easy to compute by hand: four findings file an audit.
pub fn test_standard() -> Value {
    json!({
        "version": TEST_STANDARD, "title": "Test standard",
        "principles": [{"code": "A", "title": "Law"}, {"code": "C", "title": "Fees"}],
        "criteria": [
            {"code": "A.1", "principle": "A", "text": "Licensed", "weight": 1.0, "critical": false, "area": "governance"},
            {"code": "A.2", "principle": "A", "text": "Lawful", "weight": 2.0, "critical": false, "area": "policies"},
            {"code": "C.1", "principle": "C", "text": "No fees", "weight": 3.0, "critical": true, "area": "monitoring"},
            {"code": "C.2", "principle": "C", "text": "No deductions", "weight": 2.0, "critical": false, "area": "monitoring"}
        ],
        "policy": {
            "credits": {"conformant": 1.0, "observation": 1.0, "minor": 0.5, "major": 0.0, "critical": 0.0},
            "grade_bands": [{"grade": "A", "min_score": 90}, {"grade": "B", "min_score": 75}, {"grade": "C", "min_score": 60}, {"grade": "D", "min_score": 40}],
            "caps": {"any_critical": "E", "major_on_critical_criterion": "D", "any_major": "C"},
            "certification_minimum": 75
        }
    })
}
