#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Integration tests: the real application over real HTTP, on SQLite by default or on
//! PostgreSQL when `TEST_DATABASE_URL` is set.

mod agencies;
mod applications;
mod assessments;
mod auth;
mod browser;
mod certification;
mod certification_bodies;
mod certification_rules;
mod cli;
mod clients;
mod documented_errors;
mod errors;
mod events;
mod exports;
mod fee_evidence;
mod grants;
mod helpers;
mod http;
mod logging;
mod openapi;
mod operations;
mod pages;
mod preconditions;
mod public;
mod reports;
mod schema_parity;
mod search;
mod seed;
mod standards;
mod sub_agents;
mod typed_rows;
mod verifications;
mod webhooks;
mod webhooks_delivery;
