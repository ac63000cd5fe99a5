//! Evidence files: what they may be attached to, which kinds are accepted (judged by their
//! content, never by their name or the declared type), and how a name is checked and sent back.

use crate::domain::named_enum;

named_enum! {
/// What a file is attached to.
pub enum ParentKind {
    /// An assessment as a whole: the auditor's evidence.
    Assessment,
    /// One finding of an assessment (its criterion).
    Finding,
    /// A corrective action's evidence, from the agency.
    CorrectiveAction,
}
}

/// How many bytes of the start of a file its kind is judged from.
pub const SNIFF_BYTES: usize = 8 * 1024;

/// The longest file name kept, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// The media type of an accepted file, judged from its first bytes (up to [`SNIFF_BYTES`]; fewer
/// when the file is shorter). Refused: anything else, executables, archives and HTML included
/// (the reason is the `Err`). Spreadsheets: XLSX and ODS by their zip structure, CSV as text
/// with no NUL and no control character but tab, CR and LF, and not starting as markup.
pub fn sniff(head: &[u8]) -> Result<&'static str, String> {
    const ACCEPTED: [&str; 6] = [
        "application/pdf",
        "image/png",
        "image/jpeg",
        "image/webp",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.oasis.opendocument.spreadsheet",
    ];
    if head.is_empty() {
        return Err("the file is empty".into());
    }
    if let Some(kind) = infer::get(head) {
        return ACCEPTED.iter().find(|t| **t == kind.mime_type()).copied().ok_or_else(|| {
            format!("{} files are not accepted; send PDF, PNG, JPEG, WebP, XLSX, ODS or CSV", kind.mime_type())
        });
    }
    if looks_like_csv(head) {
        return Ok("text/csv");
    }
    Err("the content is of no accepted kind; send PDF, PNG, JPEG, WebP, XLSX, ODS or CSV".into())
}

/// Text that may be a table: UTF-8 (the last character may be cut by the sniffing window),
/// printable, and not markup that a browser would run as a page.
fn looks_like_csv(head: &[u8]) -> bool {
    let text = match std::str::from_utf8(head) {
        Ok(text) => text,
        // A character cut at the end of the window, not a broken one.
        Err(e) if e.error_len().is_none() && head.len() >= SNIFF_BYTES => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    let printable = text.chars().all(|c| !c.is_control() || matches!(c, '\t' | '\r' | '\n'));
    let start = text.trim_start_matches('\u{feff}').trim_start();
    printable && !start.is_empty() && !start.starts_with('<')
}

/// Whether the rest of a CSV file stays text: a NUL byte betrays a binary file past the window.
pub fn csv_continues(chunk: &[u8]) -> bool {
    !chunk.contains(&0)
}

/// A file name as given by the uploader: 1–255 characters, no control characters, no path
/// separators, not `.` or `..`.
pub fn valid_name(name: &str) -> Result<(), validator::ValidationError> {
    let refuse = |message: &'static str| {
        let mut error = validator::ValidationError::new("file_name");
        error.message = Some(message.into());
        Err(error)
    };
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS {
        return refuse("must be 1 to 255 characters");
    }
    if name.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
        return refuse("must hold no control characters and no path separators (/ or \\)");
    }
    if name.trim().is_empty() || name == "." || name == ".." {
        return refuse("must name a file");
    }
    Ok(())
}

/// The `Content-Disposition` of a download: always an attachment (never shown inline, so a file
/// cannot act as a page of ours), with an ASCII name for old clients and the exact one
/// percent-encoded (RFC 6266, RFC 8187).
pub fn content_disposition(name: &str) -> String {
    let ascii: String = deunicode::deunicode(name)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ' | '(' | ')') { c } else { '_' })
        .collect();
    let ascii = if ascii.trim().is_empty() { "evidence".to_owned() } else { ascii };
    let mut encoded = String::new();
    for byte in name.as_bytes() {
        let c = *byte as char;
        if c.is_ascii_alphanumeric() || "!#$&+-.^_`|~".contains(c) {
            encoded.push(c);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";

    #[test]
    fn kinds_are_judged_by_content() {
        assert_eq!(sniff(PNG), Ok("image/png"));
        assert_eq!(sniff(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), Ok("application/pdf"));
        assert_eq!(sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0"), Ok("image/jpeg"));
        assert_eq!(sniff(b"worker,fee\nA,0\n"), Ok("text/csv"));
        assert_eq!(sniff("\u{feff}nom;frais\nÉlise;0\n".as_bytes()), Ok("text/csv"));
        assert!(sniff(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff\0\0").unwrap_err().contains("not accepted"));
        assert!(sniff(b"<!DOCTYPE html><html><script>alert(1)</script>").is_err());
        assert!(sniff(b"  <svg xmlns='http://www.w3.org/2000/svg'/>").is_err());
        assert!(sniff(b"PK\x03\x04\x14\0\0\0\x08\0").is_err(), "a bare zip archive");
        assert!(sniff(b"a,b\n\0\0\x01").is_err());
        assert!(sniff(b"").is_err());
    }

    #[test]
    fn a_character_cut_by_the_window_is_still_text() {
        let mut head = format!("x{}", "é".repeat(SNIFF_BYTES / 2)).into_bytes();
        head.truncate(SNIFF_BYTES);
        assert_eq!(head.last(), Some(&0xc3), "the window ends inside a character");
        assert_eq!(sniff(&head), Ok("text/csv"));
        assert!(sniff(b"a,b\n\xc3").is_err(), "a short file that ends broken is not text");
    }

    #[test]
    fn names_are_plain_file_names() {
        assert!(valid_name("interview notes 2026-11.pdf").is_ok());
        assert!(valid_name("Überweisung (7).xlsx").is_ok());
        for bad in ["", "a/b.pdf", "..\\x", "a\nb", "..", " ", &"x".repeat(256)] {
            assert!(valid_name(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn downloads_are_attachments_with_a_safe_name() {
        assert_eq!(content_disposition("a b.pdf"), "attachment; filename=\"a b.pdf\"; filename*=UTF-8''a%20b.pdf");
        let header = content_disposition("\"x\";.pdf");
        assert!(header.starts_with("attachment; filename=\"_x__.pdf\""), "{header}");
        assert!(content_disposition("Überweisung.pdf").contains("filename=\"Uberweisung.pdf\""));
        assert!(content_disposition("Überweisung.pdf").contains("UTF-8''%C3%9Cberweisung.pdf"));
    }
}
