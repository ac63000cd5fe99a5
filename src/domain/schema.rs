//! Hand-written OpenAPI schemas for values whose rules the derive cannot express, so that what
//! the document calls valid is what the service accepts.

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, Ref, RefOr};

use crate::domain::countries;

/// A string holding at least one character that is not white space (by Rust's and by
/// ECMAScript's definitions alike: U+0085 is white space only to Rust), and no NUL (refused in
/// every string).
pub const NOT_BLANK: &str = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$";

/// The `CountryCode` component: the officially assigned ISO 3166-1 alpha-2 codes.
pub fn country_code_component() -> (String, RefOr<Schema>) {
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("ISO 3166-1 alpha-2 country code (officially assigned), upper case."))
        .enum_values(Some(countries::ASSIGNED.iter().copied()))
        .examples(["NP"])
        .build();
    ("CountryCode".into(), RefOr::T(Schema::Object(schema)))
}

/// The `CurrencyCode` component: ISO 4217 codes.
pub fn currency_code_component() -> (String, RefOr<Schema>) {
    use iso_currency::IntoEnumIterator;
    let mut codes: Vec<String> = iso_currency::Currency::iter().map(|c| c.code().to_owned()).collect();
    codes.sort();
    let schema = ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some("ISO 4217 currency code, upper case."))
        .enum_values(Some(codes))
        .examples(["NPR"])
        .build();
    ("CurrencyCode".into(), RefOr::T(Schema::Object(schema)))
}

pub fn currency() -> Ref {
    Ref::from_schema_name("CurrencyCode")
}

pub fn country() -> Ref {
    Ref::from_schema_name("CountryCode")
}

/// A recruitment corridor, `NP-QA`: two assigned country codes, origin then destination.
pub fn corridor() -> ObjectBuilder {
    let code = countries::ASSIGNED.join("|");
    ObjectBuilder::new()
        .schema_type(Type::String)
        .max_length(Some(5))
        .pattern(Some(format!("^({code})-({code})$")))
        .examples(["NP-QA"])
}

/// `schema`, or null.
fn or_null(schema: impl Into<RefOr<Schema>>) -> RefOr<Schema> {
    let either = utoipa::openapi::schema::OneOfBuilder::new()
        .item(schema)
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .build();
    RefOr::T(Schema::OneOf(either))
}

/// A corridor, or null (a body field that may be cleared or left out).
pub fn nullable_corridor() -> RefOr<Schema> {
    or_null(corridor())
}

/// Countries of a corridor side: 1 to 60 codes.
pub fn corridor_countries() -> ArrayBuilder {
    ArrayBuilder::new().items(country()).min_items(Some(1)).max_items(Some(60))
}

fn name_item() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(Type::String).min_length(Some(1)).max_length(Some(200)).pattern(Some(NOT_BLANK))
}

/// Trading names: up to 10, each 1–200 characters and not blank.
pub fn trading_names() -> ArrayBuilder {
    ArrayBuilder::new().items(name_item()).max_items(Some(10))
}

/// The fields an erasure names: at most the two of one kind of personal data.
pub fn erased_fields() -> ArrayBuilder {
    let field = ObjectBuilder::new().schema_type(Type::String).enum_values(Some([
        "contact",
        "contact_email",
        "contact_phone",
        "file_name",
        "content",
    ]));
    ArrayBuilder::new().items(field).max_items(Some(2))
}

/// BCP 47 language tags, as many as a standard can be read in.
pub fn language_tags() -> ArrayBuilder {
    let tag = ObjectBuilder::new().schema_type(Type::String).max_length(Some(35)).pattern(Some("^[A-Za-z0-9-]{2,35}$"));
    ArrayBuilder::new().items(tag).max_items(Some(200))
}

/// The most sectors an agency lists: each sector once (`max_items = 15` where documented).
pub const MAX_SECTORS: u64 = 15;

/// Criterion codes (`C.1`): as many as a standard holds.
pub fn criterion_codes() -> ArrayBuilder {
    let code =
        ObjectBuilder::new().schema_type(Type::String).max_length(Some(5)).pattern(Some(r"^[A-Z][.][0-9]{1,3}$"));
    ArrayBuilder::new().items(code).max_items(Some(500))
}

/// Opaque page cursor: pass back the `next_cursor` of the previous page.
pub fn cursor() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
        .max_length(Some(36))
        .description(Some("`next_cursor` from the previous page."))
}

/// A country code, or null (in answers where a side may not be known).
pub fn nullable_country() -> RefOr<Schema> {
    or_null(country())
}

#[cfg(test)]
mod tests {
    use strum::IntoEnumIterator;

    #[test]
    fn every_sector_fits_in_a_list() {
        assert_eq!(crate::domain::agency::Sector::iter().count() as u64, super::MAX_SECTORS);
    }
}
