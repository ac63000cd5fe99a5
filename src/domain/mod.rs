//! Pure rules: no I/O, no clock, no SQL.

pub mod agency;
pub mod assessment;
pub mod certification;
pub mod certification_body;
pub mod corrective;
pub mod countries;
pub mod fields;
pub mod risk;
pub mod roles;
pub mod schema;
pub mod scoring;
pub mod standard;
