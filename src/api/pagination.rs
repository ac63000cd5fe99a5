//! Cursor pagination: `limit` (1–200, default 50) and a `cursor` naming the last item of the
//! previous page. Lists are in id order and ids are UUIDv7, so "after this id" is both stable
//! under inserts and cheap (an index range). Clients treat the cursor as opaque.

use uuid::Uuid;

use crate::error::AppError;

pub const DEFAULT_LIMIT: u32 = 50;

/// The id a cursor points after; a cursor we could not have issued is a 400.
pub fn decode_cursor(cursor: &str) -> Result<String, AppError> {
    Uuid::parse_str(cursor)
        .map(|id| id.hyphenated().to_string())
        .map_err(|_| AppError::BadRequest("cursor is not one this service issued".into()))
}

/// Splits `limit + 1` fetched rows into the page and the cursor for the next one.
pub fn split_page<T>(mut rows: Vec<T>, limit: u32, id_of: impl Fn(&T) -> &str) -> (Vec<T>, Option<String>) {
    if rows.len() > limit as usize {
        rows.truncate(limit as usize);
        let next = rows.last().map(|r| id_of(r).to_owned());
        (rows, next)
    } else {
        (rows, None)
    }
}

/// Resolves the optional query values to a limit and an `after` id.
pub fn resolve(limit: Option<u32>, cursor: Option<&str>) -> Result<(u32, Option<String>), AppError> {
    let after = cursor.map(decode_cursor).transpose()?;
    Ok((limit.unwrap_or(DEFAULT_LIMIT), after))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_are_ids_and_anything_else_is_refused() {
        let id = "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90";
        assert_eq!(decode_cursor(id).unwrap(), id);
        assert_eq!(decode_cursor(&id.to_uppercase()).unwrap(), id);
        assert!(decode_cursor("not a cursor").is_err());
        assert!(decode_cursor("").is_err());
    }

    #[test]
    fn a_full_page_has_a_next_cursor_and_a_short_one_does_not() {
        let (page, next) = split_page(vec!["a", "b", "c"], 2, |s| s);
        assert_eq!(page, vec!["a", "b"]);
        assert_eq!(next, Some("b".into()));
        let (page, next) = split_page(vec!["a"], 2, |s| s);
        assert_eq!((page.len(), next), (1, None));
    }
}
