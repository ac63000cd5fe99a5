//! Outgoing webhooks: the parts that do not touch the database.
//!
//! A subscriber names a URL; each event is POSTed there as JSON in the Standard Webhooks format
//! (<https://www.standardwebhooks.com>), so receivers can verify it with any of that format's
//! libraries. The parts, each usable and tested on its own:
//!
//! - [`signing`]: the subscription's secret (`whsec_…`) and the `webhook-signature` header. During
//!   a rotation the new and the previous secret both sign, so a receiver may switch at leisure.
//! - [`retry`]: what an answer means (delivered, retry, or disable the subscription) and when to
//!   try again: exponential backoff with jitter, honouring `Retry-After`. Pure, no clock.
//!
//! The secrets themselves are kept sealed at rest by [`crate::auth::sealing`].

pub mod retry;
pub mod signing;
