//! Authentication (API clients, tokens, keys) and authorization (roles and permissions).

pub mod attestation;
pub mod keys;
pub mod permissions;
pub mod principal;
pub mod secrets;
pub mod tokens;

pub use permissions::{Action, authorize};
pub use principal::Principal;
