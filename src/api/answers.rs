//! The answers served from memory (see `crate::cache`): an agency's public record, its signed
//! attestation and its due diligence, each kept as the bytes sent, with its entity tag.

use std::sync::Arc;
use std::time::Duration;

use crate::api::conditional::Rendered;
use crate::api::public::PublicAgency;
use crate::cache::{Tail, View};
use crate::config::CacheConfig;

/// An agency's public record, typed (the attestation and the status card read it) and rendered.
pub struct PublicAnswer {
    pub agency: PublicAgency,
    pub json: Rendered,
}

/// A signed attestation in both its media types, reused until `reuse_until`: signing a fresh
/// one per request would make every answer new, while nothing it states can have changed as
/// long as the agency has no new event.
pub struct AttestationAnswer {
    pub jose: Rendered,
    pub json: Rendered,
}

pub struct Answers {
    pub tail: Arc<Tail>,
    /// `None`: no agency has that id (kept too, so a flood of made-up ids stays off the database).
    pub public: View<Option<PublicAnswer>>,
    pub attestations: View<AttestationAnswer>,
    pub due_diligence: View<Rendered>,
    /// How long a due-diligence answer is kept: its risk level also moves with time alone (a
    /// corrective action falling overdue, a report leaving the 12-month window), with no event.
    pub due_diligence_ttl: chrono::Duration,
    /// How long one signed attestation is served again, at most.
    pub attestation_reuse: chrono::Duration,
}

impl Answers {
    pub fn new(config: &CacheConfig) -> Answers {
        // The public records are the most read; they get half of the memory.
        let quarter = config.max_bytes / 4;
        Answers {
            tail: Arc::new(Tail::new(Duration::from_millis(config.poll_ms.max(1)))),
            public: View::new(quarter * 2, |answer: &Option<PublicAnswer>| {
                answer.as_ref().map_or(64, |a| a.json.weight().saturating_mul(2))
            }),
            attestations: View::new(quarter, |a: &AttestationAnswer| a.jose.weight().saturating_add(a.json.weight())),
            due_diligence: View::new(quarter, Rendered::weight),
            due_diligence_ttl: chrono::Duration::milliseconds(
                i64::try_from(config.due_diligence_ttl_ms).unwrap_or(i64::MAX / 2),
            ),
            attestation_reuse: chrono::Duration::seconds(
                i64::try_from(config.attestation_reuse_seconds).unwrap_or(i64::MAX / 2000),
            ),
        }
    }
}
