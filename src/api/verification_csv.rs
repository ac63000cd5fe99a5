//! Bulk verification as CSV (RFC 4180): the items read from an upload with a header row, and
//! the results written one row per item, in request order, with flat columns.

use chrono::{DateTime, SecondsFormat, Utc};

use crate::api::verification_model::VerificationResult;
use crate::error::{AppError, FieldError};
use crate::services::verifications::VerificationItem;

/// The columns an upload may have, in any order; each is optional, and an empty cell is an
/// absent value.
pub const REQUEST_COLUMNS: [&str; 6] =
    ["reference", "agency_id", "licence_country", "licence_number", "name", "country"];

/// The columns of the answer, in this order.
pub const ANSWER_COLUMNS: [&str; 21] = [
    "request_index",
    "reference",
    "outcome",
    "lookup",
    "agency_id",
    "legal_name",
    "licence_country",
    "licence_number",
    "licence_valid_until",
    "licence_valid_today",
    "certification_status",
    "grade",
    "risk_level",
    "risk_reasons",
    "certificate_number",
    "certificate_state",
    "certificate_valid_until",
    "certificate_valid_today",
    "name_similarity",
    "candidates",
    "errors",
];

fn unreadable(line: Option<u64>, what: impl std::fmt::Display) -> AppError {
    match line {
        Some(line) => AppError::BadRequest(format!("malformed CSV at line {line}: {what}")),
        None => AppError::BadRequest(format!("malformed CSV: {what}")),
    }
}

/// Reads the items of an upload. A body that is not CSV (not UTF-8, a quote left open, a row
/// with more or fewer cells than the header, a NUL character) is a 400 naming the line; a
/// header with a column that is not one of [`REQUEST_COLUMNS`], or one twice, is a 422 naming
/// `header`.
pub fn read_items(body: &[u8]) -> Result<Vec<VerificationItem>, AppError> {
    // Spreadsheets often start a UTF-8 file with a byte-order mark.
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    if let Some(at) = body.iter().position(|&b| b == 0) {
        let line = 1 + body[..at].iter().filter(|&&b| b == b'\n').count() as u64;
        return Err(unreadable(Some(line), "NUL characters are not allowed"));
    }
    if let Some(line) = unclosed_quote(body) {
        return Err(unreadable(Some(line), "a quoted cell is never closed"));
    }
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(body);
    let header = reader.headers().map_err(|e| unreadable(e.position().map(|p| p.line()), csv_fault(&e)))?.clone();
    if header.iter().all(|h| h.trim().is_empty()) {
        return Err(AppError::field(
            "header",
            "the first line must name the columns: reference, agency_id, licence_country, licence_number, name, country",
        ));
    }
    let mut columns = Vec::with_capacity(header.len());
    let mut errors = Vec::new();
    for name in header.iter() {
        let name = name.trim().to_ascii_lowercase();
        if !REQUEST_COLUMNS.contains(&name.as_str()) {
            errors.push(FieldError::new(
                "header",
                format!("line 1: unknown column `{name}`; the columns are {}", REQUEST_COLUMNS.join(", ")),
            ));
        } else if columns.contains(&name) {
            errors.push(FieldError::new("header", format!("line 1: column `{name}` appears twice")));
        }
        columns.push(name);
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut items = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| unreadable(e.position().map(|p| p.line()), csv_fault(&e)))?;
        let mut item = VerificationItem::default();
        for (column, cell) in columns.iter().zip(record.iter()) {
            let value = Some(cell.to_owned()).filter(|c| !c.trim().is_empty());
            let slot = match column.as_str() {
                "reference" => &mut item.reference,
                "agency_id" => &mut item.agency_id,
                "licence_country" => &mut item.licence_country,
                "licence_number" => &mut item.licence_number,
                "name" => &mut item.name,
                _ => &mut item.country,
            };
            *slot = value;
        }
        items.push(item);
    }
    Ok(items)
}

/// The line of a quoted cell left open to the end of the body, if any. The csv crate reads
/// such a cell to the end without complaint, which would turn the rest of an upload into one
/// value; RFC 4180 quoting is followed here to catch it.
fn unclosed_quote(body: &[u8]) -> Option<u64> {
    let (mut line, mut opened_at, mut quoted, mut field_start) = (1, 0, false, true);
    let mut bytes = body.iter().peekable();
    while let Some(&b) = bytes.next() {
        if b == b'\n' {
            line += 1;
        }
        if quoted {
            if b == b'"' {
                // A doubled quote is a quote inside the cell.
                if bytes.peek() == Some(&&b'"') {
                    bytes.next();
                } else {
                    quoted = false;
                }
            }
            continue;
        }
        if b == b'"' && field_start {
            quoted = true;
            opened_at = line;
        }
        field_start = matches!(b, b',' | b'\n');
    }
    quoted.then_some(opened_at)
}

/// What is wrong, in words, without the position (given separately).
fn csv_fault(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} cells where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "not UTF-8 text".to_owned(),
        _ => e.to_string(),
    }
}

fn time(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// A text cell made safe to open in a spreadsheet: one that starts like a formula (`=`, `+`,
/// `-`, `@`, tab, carriage return) is prefixed with `'`, as OWASP advises against CSV
/// injection. Only free text can start so; numbers, dates and codes never do.
fn text(value: &str) -> String {
    if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_owned() }
}

/// One row of the answer, in the order of [`ANSWER_COLUMNS`].
fn row(result: &VerificationResult) -> [String; 21] {
    let agency = result.agency.as_ref();
    let certificate = agency.and_then(|a| a.certificate.as_ref());
    let name = |v: Option<&str>| v.map(text).unwrap_or_default();
    let show = |v: Option<String>| v.unwrap_or_default();
    [
        result.request_index.to_string(),
        name(result.reference.as_deref()),
        result.outcome.to_string(),
        show(result.lookup.map(|l| l.to_string())),
        show(agency.map(|a| a.id.clone())),
        name(agency.map(|a| a.legal_name.as_str())),
        show(agency.map(|a| a.licence_country.clone())),
        name(agency.map(|a| a.licence_number.as_str())),
        show(agency.and_then(|a| a.licence_valid_until).map(|d| d.to_string())),
        show(agency.map(|a| a.licence_valid_today.to_string())),
        show(agency.map(|a| a.certification_status.to_string())),
        show(agency.and_then(|a| a.grade).map(|g| g.to_string())),
        show(agency.map(|a| serde_plain(&a.risk_level))),
        name(
            agency.map(|a| a.risk_reasons.iter().map(|r| r.reason.as_str()).collect::<Vec<_>>().join("; ")).as_deref(),
        ),
        name(certificate.map(|c| c.standing.number.as_str())),
        show(certificate.map(|c| serde_plain(&c.standing.state))),
        show(certificate.map(|c| time(c.standing.valid_until))),
        show(certificate.map(|c| c.valid_today.to_string())),
        show(result.name_similarity.map(|s| s.to_string())),
        text(
            &result
                .candidates
                .iter()
                .map(|c| format!("{} ({}) {}", c.agency_id, c.similarity, c.legal_name))
                .collect::<Vec<_>>()
                .join(" | "),
        ),
        text(&result.errors.iter().map(|e| format!("{}: {}", e.field, e.message)).collect::<Vec<_>>().join("; ")),
    ]
}

/// A unit enum's wire name (`low`, `in_force`).
fn serde_plain<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The answer as CSV: the header row, then one row per result.
pub fn write_results(results: &[VerificationResult]) -> Result<Vec<u8>, AppError> {
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(ANSWER_COLUMNS).map_err(AppError::internal)?;
    for result in results {
        writer.write_record(row(result)).map_err(AppError::internal)?;
    }
    writer.into_inner().map_err(AppError::internal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_upload_is_read_by_its_header_in_any_order_with_empty_cells_absent() {
        let body = "\u{feff}Name,country,reference\r\n\"Himalayan, Overseas\",NP,r1\r\n,,r2\r\n";
        let items = read_items(body.as_bytes()).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].name.as_deref(), Some("Himalayan, Overseas"));
        assert_eq!(items[0].country.as_deref(), Some("NP"));
        assert_eq!(items[1].name, None);
        assert_eq!(items[1].reference.as_deref(), Some("r2"));
    }

    #[test]
    fn a_malformed_upload_names_its_line() {
        let short = read_items(b"agency_id,reference\nx,1\ny\n").unwrap_err();
        assert!(matches!(&short, AppError::BadRequest(m) if m.starts_with("malformed CSV at line 3")), "{short:?}");
        let nul = read_items(b"name,country\nA\0,NP\n").unwrap_err();
        assert!(matches!(&nul, AppError::BadRequest(m) if m.contains("line 2")), "{nul:?}");
        let open = read_items(b"name,country\n\"A \"\"B\"\"\",NP\n\"C,NP\nD,NP\n").unwrap_err();
        assert!(matches!(&open, AppError::BadRequest(m) if m.starts_with("malformed CSV at line 3")), "{open:?}");
        let header = read_items(b"name,colour,name\nx,y,z\n").unwrap_err();
        let AppError::Validation(errors) = header else { panic!("{header:?}") };
        assert_eq!(errors.len(), 2);
        assert!(errors.iter().all(|e| e.field == "header"));
    }

    #[test]
    fn cells_that_look_like_formulas_are_defused() {
        assert_eq!(text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(text("@sum"), "'@sum");
        assert_eq!(text("Himalayan"), "Himalayan");
    }
}
