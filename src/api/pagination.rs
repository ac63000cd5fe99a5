//! Cursor pagination: `limit` (1–200, default 50) and a `cursor` naming the last item of the
//! previous page. Lists are in id order and ids are UUIDv7, so "after this id" is both stable
//! under inserts and cheap (an index range). Clients treat the cursor as opaque.

use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use uuid::Uuid;
use validator::Validate;

use crate::error::AppError;

pub const DEFAULT_LIMIT: u32 = 50;

/// The largest `limit` any paginated list takes, so the most items a page holds.
pub const MAX_PAGE_ITEMS: usize = 200;

/// One page of a list: every list answers in this shape. Each list documents it under its own
/// name (`AgencyPage`, ...; see [`documented_page!`]), so clients generated from the document
/// get one named type per list.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub data: Vec<T>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The page made of `limit + 1` fetched rows: the extra row only says there is a next page.
    pub fn of<R>(mut rows: Vec<R>, limit: u32, id_of: impl Fn(&R) -> &str, shape: impl FnMut(R) -> T) -> Page<T> {
        let next_cursor = if rows.len() > limit as usize {
            rows.truncate(limit as usize);
            rows.last().map(|r| id_of(r).to_owned())
        } else {
            None
        };
        Page { data: rows.into_iter().map(shape).collect(), next_cursor }
    }
}

/// Documents `Page<$item>` as the schema `$name` (`type $alias = Page<$item>` names it in a
/// route's `body = ...`).
macro_rules! documented_page {
    ($alias:ident, $item:ty, $what:literal) => {
        pub type $alias = $crate::api::pagination::Page<$item>;

        impl utoipa::PartialSchema for $crate::api::pagination::Page<$item> {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                use utoipa::openapi::schema::{ArrayBuilder, KnownFormat, ObjectBuilder, SchemaFormat, Type};
                use utoipa::openapi::{Ref, RefOr};
                let item = Ref::from_schema_name(<$item as utoipa::ToSchema>::name());
                RefOr::T(
                    ObjectBuilder::new()
                        .description(Some(concat!("One page of ", $what, ".")))
                        .property(
                            "data",
                            ArrayBuilder::new().items(item).max_items(Some($crate::api::pagination::MAX_PAGE_ITEMS)),
                        )
                        .required("data")
                        .property(
                            "next_cursor",
                            ObjectBuilder::new()
                                .schema_type(utoipa::openapi::schema::SchemaType::from_iter([Type::String, Type::Null]))
                                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
                                .description(Some("Pass as `cursor` to get the next page; null on the last page.")),
                        )
                        .into(),
                )
            }
        }

        impl utoipa::ToSchema for $crate::api::pagination::Page<$item> {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($alias))
            }

            fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
                schemas.push((<$item as utoipa::ToSchema>::name().into(), <$item as utoipa::PartialSchema>::schema()));
                <$item as utoipa::ToSchema>::schemas(schemas);
            }
        }
    };
}
pub(crate) use documented_page;

/// The paging parameters of a list with no other filter.
#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PageQuery {
    /// Page size, 1–200 (default 50).
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(schema_with = crate::domain::schema::cursor)]
    pub cursor: Option<String>,
}

/// What to fetch: `limit` and the id to start after.
pub struct Window {
    pub limit: u32,
    pub after: Option<String>,
}

impl Window {
    /// How many rows to fetch: one more than the page, to know whether another follows.
    pub fn fetch(&self) -> i64 {
        i64::from(self.limit) + 1
    }
}

/// The id a cursor points after; a cursor we could not have issued is a 400.
pub fn decode_cursor(cursor: &str) -> Result<String, AppError> {
    Uuid::parse_str(cursor)
        .map(|id| id.hyphenated().to_string())
        .map_err(|_| AppError::BadRequest("cursor is not one this service issued".into()))
}

/// Resolves the optional query values to a window.
pub fn window(limit: Option<u32>, cursor: Option<&str>) -> Result<Window, AppError> {
    Ok(Window { limit: limit.unwrap_or(DEFAULT_LIMIT), after: cursor.map(decode_cursor).transpose()? })
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
        let page = Page::of(vec!["a", "b", "c"], 2, |s| s, str::to_uppercase);
        assert_eq!(page.data, vec!["A", "B"]);
        assert_eq!(page.next_cursor, Some("b".into()));
        let page = Page::of(vec!["a"], 2, |s| s, str::to_owned);
        assert_eq!((page.data.len(), page.next_cursor), (1, None));
    }
}
