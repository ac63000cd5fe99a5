//! The event as the feed and the webhooks show it.

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::domain::events::{EventType, PersonalFields};
use crate::error::{AppError, AppResult};
use crate::store::events::EventRow;

/// One entry of the event log.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "sequence": 42,
    "id": "0193f0c1-9a00-7c3e-8d55-3c1f0a7b2e11",
    "type": "certification.status_changed",
    "subject": {"type": "agency", "id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90"},
    "agency_id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90",
    "certification_body_id": "0193f0b0-2222-7000-8000-00000000c0b1",
    "public": true,
    "actor": "system",
    "occurred_at": "2026-03-10T02:00:00Z",
    "previous": {"status": "certified"},
    "current": {"status": "suspended", "certificate_number": "FH-2026-3A9C01F2", "rule": "corrective_action_overdue", "reason": "corrective action C.1 (major) is overdue"},
    "personal_digest": null,
    "personal_erased_at": null,
    "previous_hash": "9f2c1a0b7d5e4c3b2a1908f7e6d5c4b3a2918070f6e5d4c3b2a19080f7e6d5c4",
    "hash": "1b0a9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170f6e5d4c3b"
}))]
pub struct Event {
    /// Position in the log: gap-free, in commit order. Pass the last one seen as `after`.
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub sequence: i64,
    #[schema(format = Uuid)]
    pub id: String,
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub subject: Subject,
    #[schema(format = Uuid)]
    pub agency_id: Option<String>,
    #[schema(format = Uuid)]
    pub certification_body_id: Option<String>,
    /// Public-level: every integrator may read it.
    pub public: bool,
    /// The API client that made the change, `system` for the service's own rules, or
    /// `operator` for the command line.
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub actor: String,
    pub occurred_at: DateTime<Utc>,
    /// The values before the change (only what changed); null for a creation.
    #[schema(value_type = Option<Object>)]
    pub previous: Option<Value>,
    /// The values after the change (only what changed).
    #[schema(value_type = Option<Object>)]
    pub current: Option<Value>,
    /// SHA-256 (hex) of the event before this one; 64 zeros for the first.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    #[schema(max_length = 64)]
    pub previous_hash: String,
    /// SHA-256 (hex) of the event's personal fields as first written (`contact_email`,
    /// `contact_phone`, `file_name`, with a random nonce), or null when it had none. They are
    /// shown inside `previous` and `current`, but the hash covers this digest instead of them,
    /// so they can be erased and the chain still verifies.
    #[schema(pattern = "^[0-9a-f]{64}$", max_length = 64)]
    pub personal_digest: Option<String>,
    /// When the personal fields were erased (by the retention policy or at a person's request):
    /// they are then left out of `previous` and `current`.
    pub personal_erased_at: Option<DateTime<Utc>>,
    /// SHA-256 (hex) of this event's canonical serialization, `previous_hash` included.
    #[schema(pattern = "^[0-9a-f]{64}$")]
    #[schema(max_length = 64)]
    pub hash: String,
}

/// What an event is about.
#[derive(Debug, Serialize, ToSchema)]
pub struct Subject {
    /// `agency`, `assessment`, `corrective_action`, `application`, `certification_body`,
    /// `standard`, `client` or `webhook`.
    #[serde(rename = "type")]
    #[schema(max_length = 32, pattern = "^[a-z_]+$")]
    pub subject_type: String,
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub id: String,
}

impl Event {
    pub fn of(row: EventRow) -> AppResult<Event> {
        let parse = |text: Option<String>| -> AppResult<Option<Value>> {
            text.map(|t| serde_json::from_str(&t))
                .transpose()
                .map_err(|e| AppError::internal(format!("unreadable stored value in events: {e}")))
        };
        let (mut previous, mut current) = (parse(row.previous_values)?, parse(row.current_values)?);
        if let Some(text) = &row.personal_values {
            PersonalFields::from_text(text)
                .ok_or_else(|| AppError::internal("unreadable personal values in events"))?
                .merge_into(&mut previous, &mut current);
        }
        Ok(Event {
            event_type: row
                .event_type
                .parse()
                .map_err(|_| AppError::internal(format!("unknown event type in events: {}", row.event_type)))?,
            subject: Subject { subject_type: row.subject_type, id: row.subject_id },
            previous,
            current,
            personal_digest: row.personal_digest,
            personal_erased_at: row.personal_erased_at,
            sequence: row.sequence,
            id: row.id,
            agency_id: row.agency_id,
            certification_body_id: row.certification_body_id,
            public: row.public,
            actor: row.actor,
            occurred_at: row.occurred_at,
            previous_hash: row.previous_hash,
            hash: row.hash,
        })
    }
}

/// The body of every webhook request, in the Standard Webhooks shape: the event's type, when it
/// happened, and the event itself (as the change feed shows it) under `data`. The request also
/// carries the headers `webhook-id` (the same for every retry of one delivery: drop duplicates
/// by it), `webhook-timestamp` (Unix seconds) and `webhook-signature` (`v1,<base64>`; several,
/// space-separated, while a secret is being rotated).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookPayload {
    #[serde(rename = "type")]
    pub event_type: EventType,
    /// When the event happened.
    pub timestamp: DateTime<Utc>,
    pub data: Event,
}

impl WebhookPayload {
    pub fn of(row: EventRow) -> AppResult<WebhookPayload> {
        let data = Event::of(row)?;
        Ok(WebhookPayload { event_type: data.event_type, timestamp: data.occurred_at, data })
    }
}
