//! Outgoing webhooks: the parts that do not touch the database.
//!
//! A subscriber names a URL; each event is POSTed there as JSON in the Standard Webhooks format
//! (<https://www.standardwebhooks.com>), so receivers can verify it with any of that format's
//! libraries. The parts, each usable and tested on its own:
//!
//! - [`signing`]: the subscription's secret (`whsec_…`) and the `webhook-signature` header. During
//!   a rotation the new and the previous secret both sign, so a receiver may switch at leisure.
//! - [`target`]: the SSRF guard. A URL is checked when it is registered, and every address a host
//!   name resolves to is checked again when connecting, so a name that later points inside our
//!   network (DNS rebinding) is refused too.
//! - [`retry`]: what an answer means (delivered, retry, or disable the subscription) and when to
//!   try again: exponential backoff with jitter, honouring `Retry-After`. Pure, no clock.
//! - [`client`]: the HTTP client that sends one attempt: rustls, timeouts, no redirects, no
//!   proxy, the guarded resolver, and a cap on how much of the answer is read.
//!
//! The secrets themselves are kept sealed at rest by [`crate::auth::sealing`].

pub mod client;
pub mod retry;
pub mod signing;
pub mod target;
