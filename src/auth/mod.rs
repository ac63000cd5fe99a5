//! Authentication (API clients, tokens, keys) and authorization (roles and permissions).

pub(crate) mod attestation;
pub mod keys;
pub(crate) mod permissions;
pub(crate) mod principal;
pub mod sealing;
pub(crate) mod secrets;
pub mod tokens;

pub use permissions::{Action, authorize};
pub use principal::Principal;
