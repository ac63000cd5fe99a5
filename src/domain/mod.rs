//! Pure rules: no I/O, no clock, no SQL.

pub mod agency;
pub mod countries;
pub mod roles;
