//! The open data sets (the public registry and the fee evidence): their licence, which events
//! change the registry, how a version is named and matched, and CSV as RFC 4180 writes it.

use serde_json::Value;

use crate::domain::events::EventType;
use crate::domain::reports::ReportState;

/// The data sets' licence: anyone may reuse them, crediting the source.
pub const LICENCE_NAME: &str = "CC-BY-4.0";
pub const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";

/// The events that can change what the registry export shows of an agency: its record, licence,
/// grade, certification and certificate, and its last audit date (a finalized audit). Worker
/// reports are handled apart (see [`report_made_public`]): their events are for admins only.
pub const REGISTRY_EVENTS: [EventType; 7] = [
    EventType::AgencyCreated,
    EventType::AgencyUpdated,
    EventType::AgencyLicenceChanged,
    EventType::AgencyGradeChanged,
    EventType::CertificationStatusChanged,
    EventType::CertificateIssued,
    EventType::AssessmentFinalized,
];

/// The agency a `report.state_changed` event's current values substantiate a report about, if
/// they do. Only such a move can change the public count of substantiated reports, and only for
/// an agency that has at least 3 (the caller checks): any other move of a report changes
/// nothing public, and must not show in the export's version or delta, or it would tell when a
/// report was moderated.
pub fn report_made_public(current_values: &str) -> Option<String> {
    let values: Value = serde_json::from_str(current_values).ok()?;
    let substantiated: &'static str = ReportState::Substantiated.into();
    if values.get("state")?.as_str()? != substantiated {
        return None;
    }
    values.get("agency_id")?.as_str().map(str::to_owned)
}

/// Whether an `If-None-Match` header matches `etag` (RFC 9110 §13.1.2): `*`, or one of the
/// listed tags by the weak comparison (a `W/` prefix is ignored on either side).
pub fn none_match(header: &str, etag: &str) -> bool {
    let opaque = |tag: &str| tag.trim().trim_start_matches("W/").to_owned();
    let ours = opaque(etag);
    header.split(',').map(str::trim).any(|tag| tag == "*" || opaque(tag) == ours)
}

/// One CSV field: quoted when it holds a comma, a quote or a line break, quotes doubled.
pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_owned()
    }
}

/// One CSV record, ended by CRLF as RFC 4180 asks.
pub fn csv_line<S: AsRef<str>>(fields: &[S]) -> String {
    let mut line = fields.iter().map(|f| csv_field(f.as_ref())).collect::<Vec<_>>().join(",");
    line.push_str("\r\n");
    line
}

/// A list in one CSV field: its items joined by `|`, a character no code, sector or status has.
/// Names are joined the same way; the JSON Lines export keeps them as arrays.
pub fn csv_list<S: AsRef<str>>(items: &[S]) -> String {
    items.iter().map(AsRef::as_ref).collect::<Vec<_>>().join("|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_what_needs_it() {
        assert_eq!(csv_field("Himal HR"), "Himal HR");
        assert_eq!(csv_field("Himal, HR"), "\"Himal, HR\"");
        assert_eq!(csv_field("the \"best\""), "\"the \"\"best\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_line(&["a", "", "b,c"]), "a,,\"b,c\"\r\n");
        assert_eq!(csv_list(&["QA", "AE"]), "QA|AE");
    }

    #[test]
    fn if_none_match_compares_weakly_and_takes_a_star() {
        assert!(none_match("\"a-1\"", "\"a-1\""));
        assert!(none_match("W/\"a-1\"", "\"a-1\""));
        assert!(none_match("\"x\", \"a-1\"", "\"a-1\""));
        assert!(none_match("*", "\"a-1\""));
        assert!(!none_match("\"a-2\"", "\"a-1\""));
    }

    #[test]
    fn only_a_substantiation_can_change_the_public_count() {
        let moved = |state: &str| format!(r#"{{"state":"{state}","agency_id":"a1","category":"medical"}}"#);
        assert_eq!(report_made_public(&moved("substantiated")), Some("a1".into()));
        assert_eq!(report_made_public(&moved("under_review")), None);
        assert_eq!(report_made_public(r#"{"state":"substantiated","agency_id":null}"#), None);
        assert_eq!(report_made_public("not json"), None);
    }
}
