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

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The name a unit enum has on the wire (its serde name), for storing it as text.
pub fn wire_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The enum value a stored name stands for.
pub fn from_wire<T: DeserializeOwned>(name: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}
