//! Pure rules: no I/O, no clock, no SQL.

pub mod agency;
pub mod appeals;
pub mod assessment;
pub mod certification;
pub mod certification_body;
pub mod chain;
pub mod corrective;
pub mod countries;
pub mod events;
pub mod evidence_files;
pub mod fee_evidence;
pub mod fields;
pub mod grants;
pub mod language;
pub mod open_data;
pub mod reports;
pub mod retention;
pub mod review;
pub mod risk;
pub mod roles;
pub mod schema;
pub mod scoring;
pub mod standard;
pub mod verification;

/// Declares an enum whose every value has one name on the wire and in the database: its
/// variant name in snake_case (serde for JSON, strum for text columns). `db::types` stores the
/// strum name and the API shows the serde name; a unit test there checks they agree.
macro_rules! named_enum {
    ($(#[$meta:meta])* $vis:vis enum $name:ident $body:tt) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[derive(strum::IntoStaticStr, strum::EnumString, strum::Display, strum::EnumIter)]
        #[serde(rename_all = "snake_case")]
        #[strum(serialize_all = "snake_case")]
        $vis enum $name $body
    };
}
pub(crate) use named_enum;
