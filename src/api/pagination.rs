//! Cursor pagination: `limit` (1–200, default 50) and an opaque `cursor` that encodes the last id
//! of the previous page.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::error::AppError;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

const PREFIX: &str = "id:";

pub fn encode_cursor(last_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{PREFIX}{last_id}"))
}

/// The id a cursor points after; a cursor we did not issue is a 400.
pub fn decode_cursor(cursor: &str) -> Result<String, AppError> {
    let bad = || AppError::BadRequest("cursor is not one this service issued".into());
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix(PREFIX)
        .filter(|id| !id.is_empty())
        .map(str::to_owned)
        .ok_or_else(bad)
}

/// Splits `limit + 1` fetched rows into the page and the cursor for the next one.
pub fn split_page<T>(
    mut rows: Vec<T>,
    limit: u32,
    id_of: impl Fn(&T) -> &str,
) -> (Vec<T>, Option<String>) {
    if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        let next = rows.last().map(|r| encode_cursor(id_of(r)));
        (rows, next)
    } else {
        (rows, None)
    }
}

/// Resolves the optional query values to a limit and an `after` id.
pub fn resolve(
    limit: Option<u32>,
    cursor: Option<&str>,
) -> Result<(u32, Option<String>), AppError> {
    let after = cursor.map(decode_cursor).transpose()?;
    Ok((limit.unwrap_or(DEFAULT_LIMIT), after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_foreign_ones_are_refused() {
        let c = encode_cursor("0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90");
        assert_eq!(
            decode_cursor(&c).unwrap(),
            "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90"
        );
        assert!(decode_cursor("not base64!").is_err());
        assert!(decode_cursor(&URL_SAFE_NO_PAD.encode("x:1")).is_err());
        assert!(decode_cursor(&URL_SAFE_NO_PAD.encode("id:")).is_err());
    }

    #[test]
    fn a_full_page_has_a_next_cursor_and_a_short_one_does_not() {
        let (page, next) = split_page(vec!["a", "b", "c"], 2, |s| s);
        assert_eq!(page, vec!["a", "b"]);
        assert_eq!(next.map(|c| decode_cursor(&c).unwrap()), Some("b".into()));
        let (page, next) = split_page(vec!["a"], 2, |s| s);
        assert_eq!((page.len(), next), (1, None));
    }
}
