//! The event log's pure rules: the kinds of events, which ones every integrator may read, who
//! else may read an event, what changed between two values, and the hash chain that makes the
//! log tamper-evident.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::domain::roles::Role;

/// Declares the event types with their wire names and whether they are public-level.
macro_rules! event_types {
    ($($(#[$doc:meta])* $variant:ident = $name:literal, public = $public:literal;)*) => {
        /// What happened. The wire name is `<subject>.<what>`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        #[derive(strum::IntoStaticStr, strum::EnumString, strum::Display, strum::EnumIter)]
        pub enum EventType {
            $($(#[$doc])* #[serde(rename = $name)] #[strum(serialize = $name)] $variant,)*
        }

        impl EventType {
            /// Public-level events carry only what the public registry shows (status, grade,
            /// licence validity, certificate): every integrator may read them.
            pub fn is_public(self) -> bool {
                match self {
                    $(EventType::$variant => $public,)*
                }
            }
        }
    };
}

event_types! {
    /// An agency was registered.
    AgencyCreated = "agency.created", public = false;
    /// An agency's profile changed.
    AgencyUpdated = "agency.updated", public = false;
    /// An agency's licence (number, authority, validity or its check) changed.
    AgencyLicenceChanged = "agency.licence_changed", public = true;
    /// A full audit set the agency's grade and score.
    AgencyGradeChanged = "agency.grade_changed", public = true;
    /// A certification transition: certified, suspended, reinstated, withdrawn, expired, or
    /// an application moving the agency into the cycle.
    CertificationStatusChanged = "certification.status_changed", public = true;
    /// A certificate was issued (certification or recertification).
    CertificateIssued = "certificate.issued", public = true;
    /// A certificate's surveillance schedule moved on.
    CertificateUpdated = "certificate.updated", public = false;
    ApplicationSubmitted = "application.submitted", public = false;
    ApplicationDecided = "application.decided", public = false;
    AssessmentOpened = "assessment.opened", public = false;
    /// A finding was recorded or changed; the previous values keep what it said before.
    FindingRecorded = "assessment.finding_recorded", public = false;
    /// An assessment was submitted, reopened or cancelled.
    AssessmentStatusChanged = "assessment.status_changed", public = false;
    AssessmentFinalized = "assessment.finalized", public = false;
    CorrectiveActionOpened = "corrective_action.opened", public = false;
    /// A plan or evidence was submitted, or the action was verified or rejected.
    CorrectiveActionUpdated = "corrective_action.updated", public = false;
    /// A corrective action passed its closure deadline unverified (reported once).
    CorrectiveActionOverdue = "corrective_action.overdue", public = false;
    StandardCreated = "standard.created", public = false;
    StandardStatusChanged = "standard.status_changed", public = false;
    /// A draft translation of a standard version was stored or replaced; the previous values
    /// keep the texts it replaced.
    StandardTranslationSaved = "standard.translation_saved", public = false;
    /// A translation was published: from now on it is served and never changes.
    StandardTranslationPublished = "standard.translation_published", public = false;
    CertificationBodyCreated = "certification_body.created", public = false;
    CertificationBodyUpdated = "certification_body.updated", public = false;
    ClientCreated = "client.created", public = false;
    ClientRevoked = "client.revoked", public = false;
    WatchlistChanged = "watchlist.changed", public = false;
    WebhookCreated = "webhook.created", public = false;
    WebhookDeleted = "webhook.deleted", public = false;
    WebhookSecretRotated = "webhook.secret_rotated", public = false;
    /// The service disabled a subscription (410, or failing too long).
    WebhookDisabled = "webhook.disabled", public = false;
    WebhookEnabled = "webhook.enabled", public = false;
    /// A worker filed a report (reference, agency and category only). Admins only: the agency
    /// reported must not learn when, which could single the reporter out.
    ReportReceived = "report.received", public = false;
    /// A moderator moved a report on (under review, substantiated, unsubstantiated, referred).
    ReportStateChanged = "report.state_changed", public = false;
    /// A sub-agent or branch was recorded as recruiting for the agency. Not public-level, like
    /// `agency.updated`: integrators read the chain in due diligence.
    SubAgentAdded = "agency.sub_agent_added", public = false;
    /// A sub-agent or branch link was removed; the previous values keep what it said.
    SubAgentRemoved = "agency.sub_agent_removed", public = false;
    /// The agency let an integrator read its full findings until a date. For admins and the
    /// agency only: whom an agency shares with is not other integrators' business.
    GrantCreated = "grant.created", public = false;
    /// The agency (or an admin) revoked a sharing grant.
    GrantRevoked = "grant.revoked", public = false;
    /// Personal data was erased, by the retention policy or at a person's request: which fields
    /// of which record, and how many events lost their personal values. Never the data itself.
    PersonalDataErased = "personal_data.erased", public = false;
    /// An evidence file was attached to an assessment, a finding or a corrective action. The
    /// values hold its name (`file_name`, which may name a worker), hash, size, type and parent.
    EvidenceFileAttached = "evidence_file.attached", public = false;
    /// The uploader removed an evidence file before its parent was closed.
    EvidenceFileRemoved = "evidence_file.removed", public = false;
    /// A reviewer of the body agreed to, or returned, a certify, reinstate or withdraw
    /// decision before it was taken. For the body and the agency, not every integrator.
    TechnicalReviewRecorded = "certification.review_recorded", public = false;
    /// An agency appealed a refusal, suspension or withdrawal. For the agency, the body and
    /// admins: due diligence shows an appeal in progress to integrators.
    AppealFiled = "appeal.filed", public = false;
    /// An admin moved an appeal on (under review, upheld, rejected), with a reason.
    AppealStateChanged = "appeal.state_changed", public = false;
    /// A complaint about a body or one of its auditors was filed. The body's staff read it in
    /// the feed, so it names neither the complainant (the actor is `complainant`) nor its text.
    ComplaintFiled = "complaint.filed", public = false;
    /// An admin moved a complaint on, with a reason the body may read.
    ComplaintStateChanged = "complaint.state_changed", public = false;
}

// By hand: utoipa's derive does not read a `rename` passed through a macro, and would document
// the Rust names instead of the wire names.
impl utoipa::PartialSchema for EventType {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use strum::IntoEnumIterator;
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some("What happened: `<subject>.<what>`."))
            .enum_values(Some(EventType::iter().map(|t| t.to_string())))
            .into()
    }
}

impl utoipa::ToSchema for EventType {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("EventType")
    }
}

/// What a reader's role and bindings let it read of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// An admin: every event.
    All,
    /// An integrator: public-level events.
    Public,
    /// An agency: public-level events and every event about itself.
    PublicOrAgency(String),
    /// Staff of a certification body: public-level events and the body's own work.
    PublicOrBody(String),
}

impl Scope {
    /// The scope of a client with this role and bindings; a role missing its binding falls
    /// back to public-level events (deny by default).
    pub fn of(role: Role, agency_id: Option<&str>, body_id: Option<&str>) -> Scope {
        match (role, agency_id, body_id) {
            (Role::Admin, _, _) => Scope::All,
            (Role::Agency, Some(agency), _) => Scope::PublicOrAgency(agency.to_owned()),
            (Role::Auditor | Role::Certifier, _, Some(body)) => Scope::PublicOrBody(body.to_owned()),
            _ => Scope::Public,
        }
    }

    /// Whether an event with these attributes is in the scope.
    pub fn admits(&self, public: bool, agency_id: Option<&str>, body_id: Option<&str>) -> bool {
        match self {
            Scope::All => true,
            Scope::Public => public,
            Scope::PublicOrAgency(own) => public || agency_id == Some(own.as_str()),
            Scope::PublicOrBody(own) => public || body_id == Some(own.as_str()),
        }
    }
}

/// The top-level fields of two JSON objects that differ, as (previous, current) objects holding
/// only those fields. A field present on one side only shows as `null` on the other. Values
/// that are not both objects are returned whole.
pub fn changes(previous: &Value, current: &Value) -> (Value, Value) {
    let (Value::Object(before), Value::Object(after)) = (previous, current) else {
        return (previous.clone(), current.clone());
    };
    let mut was = Map::new();
    let mut now = Map::new();
    for (key, value) in after {
        let old = before.get(key).unwrap_or(&Value::Null);
        if old != value {
            was.insert(key.clone(), old.clone());
            now.insert(key.clone(), value.clone());
        }
    }
    for (key, value) in before {
        if !after.contains_key(key) && !value.is_null() {
            was.insert(key.clone(), value.clone());
            now.insert(key.clone(), Value::Null);
        }
    }
    (Value::Object(was), Value::Object(now))
}

/// The top-level fields of event values that hold personal data: an agency's contact details
/// and the names of evidence files (which may name workers). They are stored apart from the
/// hashed values, under a digest, so that they can be erased without breaking the chain.
pub const PERSONAL_FIELDS: &[&str] = &["contact_email", "contact_phone", "file_name"];

/// An event's personal fields taken out of its previous and current values.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PersonalFields {
    pub previous: Map<String, Value>,
    pub current: Map<String, Value>,
}

impl PersonalFields {
    /// Moves the [`PERSONAL_FIELDS`] out of the two values (objects only); `None` when neither
    /// held any.
    pub fn split(previous: &mut Option<Value>, current: &mut Option<Value>) -> Option<PersonalFields> {
        fn take(value: &mut Option<Value>) -> Map<String, Value> {
            let mut taken = Map::new();
            if let Some(Value::Object(fields)) = value {
                // A null holds nothing personal and stays where it is.
                for name in PERSONAL_FIELDS {
                    if fields.get(*name).is_some_and(|v| !v.is_null())
                        && let Some(v) = fields.remove(*name)
                    {
                        taken.insert((*name).to_owned(), v);
                    }
                }
            }
            taken
        }
        let personal = PersonalFields { previous: take(previous), current: take(current) };
        (!personal.previous.is_empty() || !personal.current.is_empty()).then_some(personal)
    }

    /// The stored text: canonical JSON with a random nonce, so that the digest of a short value
    /// (a phone number) cannot be confirmed by hashing guesses once the value is erased.
    pub fn sealed_text(&self, nonce: &str) -> String {
        canonical_json(&serde_json::json!({
            "nonce": nonce,
            "previous": self.previous,
            "current": self.current,
        }))
    }

    /// Reads stored text back; `None` for text that is not what [`Self::sealed_text`] writes.
    pub fn from_text(text: &str) -> Option<PersonalFields> {
        let value: Value = serde_json::from_str(text).ok()?;
        let part = |key: &str| value.get(key).and_then(Value::as_object).cloned().unwrap_or_default();
        Some(PersonalFields { previous: part("previous"), current: part("current") })
    }

    /// Puts the fields back into the values they were taken from (for the feed and webhooks).
    pub fn merge_into(self, previous: &mut Option<Value>, current: &mut Option<Value>) {
        fn put(value: &mut Option<Value>, fields: Map<String, Value>) {
            if fields.is_empty() {
                return;
            }
            if let Value::Object(target) = value.get_or_insert_with(|| Value::Object(Map::new())) {
                target.extend(fields);
            }
        }
        put(previous, self.previous);
        put(current, self.current);
    }
}

/// Hex SHA-256 of a text, as the chain writes digests.
pub fn digest(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// JSON text with object keys sorted at every level and no insignificant whitespace: the same
/// value always gives the same bytes, whatever order its fields were built in.
pub fn canonical_json(value: &Value) -> String {
    fn sorted(value: &Value) -> Value {
        match value {
            Value::Object(map) => {
                let ordered: BTreeMap<&String, Value> = map.iter().map(|(k, v)| (k, sorted(v))).collect();
                Value::Object(ordered.into_iter().map(|(k, v)| (k.clone(), v)).collect())
            }
            Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    sorted(value).to_string()
}

/// The hash of the (absent) event before the first one.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Every field of an event that its hash covers. The values are kept as the JSON text that is
/// stored, so verifying never depends on how numbers re-parse.
#[derive(Debug, Clone, PartialEq)]
pub struct Link<'a> {
    pub sequence: i64,
    pub id: &'a str,
    pub event_type: &'a str,
    pub subject_type: &'a str,
    pub subject_id: &'a str,
    pub agency_id: Option<&'a str>,
    pub certification_body_id: Option<&'a str>,
    pub public: bool,
    pub actor: &'a str,
    pub occurred_at: DateTime<Utc>,
    pub previous_values: Option<&'a str>,
    pub current_values: Option<&'a str>,
    pub previous_hash: &'a str,
    /// The digest of the event's personal fields, kept apart so that erasing them leaves the
    /// link whole. Absent on events without any (and on every event written before it existed).
    pub personal_digest: Option<&'a str>,
}

impl Link<'_> {
    /// Hex SHA-256 over the canonical JSON of every field, `previous_hash` included: changing
    /// any field of an event, or the event before it, changes the hash.
    pub fn hash(&self) -> String {
        let mut value = serde_json::json!({
            "sequence": self.sequence,
            "id": self.id,
            "type": self.event_type,
            "subject_type": self.subject_type,
            "subject_id": self.subject_id,
            "agency_id": self.agency_id,
            "certification_body_id": self.certification_body_id,
            "public": self.public,
            "actor": self.actor,
            "occurred_at": self.occurred_at.to_rfc3339_opts(SecondsFormat::Micros, true),
            "previous_values": self.previous_values,
            "current_values": self.current_values,
            "previous_hash": self.previous_hash,
        });
        // Only an event with personal fields carries the key, so every event without them hashes
        // exactly as events did before the digest existed: chains written then still verify.
        if let (Some(digest), Value::Object(fields)) = (self.personal_digest, &mut value) {
            fields.insert("personal_digest".into(), Value::String(digest.to_owned()));
        }
        hex(&Sha256::digest(canonical_json(&value).as_bytes()))
    }
}

/// Lower-case hexadecimal, as digests are written.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Why a link of the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// A sequence number is missing (an event was removed) or repeated.
    Gap { expected: i64 },
    /// The event does not name the hash of the event before it.
    PreviousHash,
    /// The event's content no longer gives its stored hash (it was edited).
    Content,
    /// The event's personal values no longer give the digest its hash covers (they were edited).
    PersonalValues,
}

impl Break {
    pub fn describe(&self) -> String {
        match self {
            Break::Gap { expected } => format!("sequence {expected} was expected here: an event is missing"),
            Break::PreviousHash => "it does not carry the hash of the event before it".into(),
            Break::Content => "its content does not match its hash: it was changed after it was written".into(),
            Break::PersonalValues => {
                "its personal values do not match their digest: they were changed after they were written".into()
            }
        }
    }
}

/// Walks the chain one event at a time, in sequence order, and keeps the first break.
#[derive(Debug, Clone)]
pub struct ChainWalk {
    expected_sequence: i64,
    previous_hash: String,
    checked: u64,
    first_break: Option<(i64, Break)>,
}

impl Default for ChainWalk {
    fn default() -> Self {
        Self { expected_sequence: 1, previous_hash: GENESIS_HASH.to_owned(), checked: 0, first_break: None }
    }
}

impl ChainWalk {
    /// Checks the next event against the chain so far. After a break, the walk goes on from
    /// the stored hash so that the report names the first broken link, not every one after it.
    /// `personal_values` is the stored text of the event's personal fields, if not erased: it
    /// must still give the digest that the hash covers.
    pub fn check(&mut self, link: &Link<'_>, stored_hash: &str, personal_values: Option<&str>) {
        self.checked += 1;
        let problem = if link.sequence != self.expected_sequence {
            Some(Break::Gap { expected: self.expected_sequence })
        } else if link.previous_hash != self.previous_hash {
            Some(Break::PreviousHash)
        } else if link.hash() != stored_hash {
            Some(Break::Content)
        } else if personal_values.is_some_and(|text| link.personal_digest != Some(digest(text).as_str())) {
            Some(Break::PersonalValues)
        } else {
            None
        };
        if let Some(problem) = problem
            && self.first_break.is_none()
        {
            self.first_break = Some((link.sequence, problem));
        }
        self.expected_sequence = link.sequence + 1;
        self.previous_hash = stored_hash.to_owned();
    }

    /// The events checked, the last hash seen, and the first break.
    pub fn finish(self) -> (u64, String, Option<(i64, Break)>) {
        (self.checked, self.previous_hash, self.first_break)
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use serde_json::json;
    use strum::IntoEnumIterator;

    use super::*;

    fn link(sequence: i64, previous_hash: &str) -> Link<'_> {
        Link {
            sequence,
            id: "0193f0c1-5d2e-7a10-9c35-2b8e4f1a6d90",
            event_type: "agency.updated",
            subject_type: "agency",
            subject_id: "a1",
            agency_id: Some("a1"),
            certification_body_id: None,
            public: false,
            actor: "system",
            occurred_at: Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(),
            previous_values: Some(r#"{"website":null}"#),
            current_values: Some(r#"{"website":"https://a.example"}"#),
            previous_hash,
            personal_digest: None,
        }
    }

    #[test]
    fn an_event_without_personal_fields_hashes_as_before_the_digest_existed() {
        // Pinned from the chain format before personal digests: existing logs must still verify.
        assert_eq!(link(1, GENESIS_HASH).hash(), "2dddf110eb4e515a8cd7a992a6010f726d6a32245c367ac515f5fa5092a48568");
        let with_digest = Link { personal_digest: Some("ab"), ..link(1, GENESIS_HASH) };
        assert_ne!(with_digest.hash(), link(1, GENESIS_HASH).hash());
        assert_ne!(with_digest.hash(), Link { personal_digest: Some("ac"), ..with_digest.clone() }.hash());
    }

    #[test]
    fn personal_fields_are_split_out_and_merged_back() {
        let mut previous = Some(json!({"contact_email": "a@x.example", "website": null}));
        let mut current = Some(json!({"contact_email": "b@x.example", "website": "https://x.example"}));
        let personal = PersonalFields::split(&mut previous, &mut current).unwrap();
        assert_eq!(previous, Some(json!({"website": null})));
        assert_eq!(current, Some(json!({"website": "https://x.example"})));
        let text = personal.sealed_text("n1");
        assert_ne!(digest(&text), digest(&personal.sealed_text("n2")), "the nonce is in the digest");
        let (mut p, mut c) = (previous.clone(), current.clone());
        PersonalFields::from_text(&text).unwrap().merge_into(&mut p, &mut c);
        assert_eq!(p, Some(json!({"contact_email": "a@x.example", "website": null})));
        assert_eq!(c, Some(json!({"contact_email": "b@x.example", "website": "https://x.example"})));
        let (mut none_before, mut none_after) = (Some(json!({"website": 1, "contact_email": null})), None);
        assert_eq!(PersonalFields::split(&mut none_before, &mut none_after), None);
        assert_eq!(none_before, Some(json!({"website": 1, "contact_email": null})), "nulls stay");
    }

    #[test]
    fn event_type_names_are_dotted_and_round_trip() {
        for kind in EventType::iter() {
            let name = kind.to_string();
            assert!(name.contains('.'), "{name}");
            assert_eq!(name.parse::<EventType>().unwrap(), kind);
            assert_eq!(serde_json::to_value(kind).unwrap(), json!(name));
        }
        assert!(EventType::CertificationStatusChanged.is_public());
        assert!(!EventType::FindingRecorded.is_public());
    }

    #[test]
    fn changes_keep_only_what_differs() {
        let (was, now) = changes(
            &json!({"a": 1, "b": [1, 2], "c": "x", "gone": 5}),
            &json!({"a": 1, "b": [1, 3], "c": "x", "new": true}),
        );
        assert_eq!(was, json!({"b": [1, 2], "new": null, "gone": 5}));
        assert_eq!(now, json!({"b": [1, 3], "new": true, "gone": null}));
    }

    #[test]
    fn canonical_json_ignores_field_order() {
        let a = json!({"b": 1, "a": {"y": [1, {"q": 1, "p": 2}], "x": null}});
        let mut b = Map::new();
        b.insert("a".into(), json!({"x": null, "y": [1, {"p": 2, "q": 1}]}));
        b.insert("b".into(), json!(1));
        assert_eq!(canonical_json(&a), canonical_json(&Value::Object(b)));
        assert_eq!(canonical_json(&a), r#"{"a":{"x":null,"y":[1,{"p":2,"q":1}]},"b":1}"#);
    }

    #[test]
    fn the_hash_covers_every_field() {
        let base = link(1, GENESIS_HASH);
        let hash = base.hash();
        assert_eq!(hash.len(), 64);
        assert_eq!(hash, link(1, GENESIS_HASH).hash(), "deterministic");
        let edits: Vec<Link<'_>> = vec![
            Link { sequence: 2, ..base.clone() },
            Link { actor: "someone", ..base.clone() },
            Link { public: true, ..base.clone() },
            Link { agency_id: None, ..base.clone() },
            Link { current_values: Some(r#"{"website":"https://b.example"}"#), ..base.clone() },
            Link { occurred_at: base.occurred_at + chrono::Duration::microseconds(1), ..base.clone() },
            Link { previous_hash: "1", ..base.clone() },
        ];
        for edited in edits {
            assert_ne!(edited.hash(), hash, "{edited:?}");
        }
    }

    #[test]
    fn a_walk_names_the_first_broken_link() {
        let first = link(1, GENESIS_HASH);
        let h1 = first.hash();
        let second = link(2, &h1);
        let h2 = second.hash();
        let third = link(3, &h2);
        let h3 = third.hash();

        let mut intact = ChainWalk::default();
        intact.check(&first, &h1, None);
        intact.check(&second, &h2, None);
        intact.check(&third, &h3, None);
        assert_eq!(intact.finish(), (3, h3.clone(), None));

        let mut edited = ChainWalk::default();
        edited.check(&first, &h1, None);
        edited.check(&Link { actor: "forger", ..second.clone() }, &h2, None);
        edited.check(&third, &h3, None);
        assert_eq!(edited.finish().2, Some((2, Break::Content)));

        let mut removed = ChainWalk::default();
        removed.check(&first, &h1, None);
        removed.check(&third, &h3, None);
        assert_eq!(removed.finish().2, Some((3, Break::Gap { expected: 2 })));

        // Personal values kept apart must still give the digest the hash covers.
        let text = r#"{"current":{"contact_email":"a@x.example"},"nonce":"n","previous":{}}"#;
        let digest_of_text = digest(text);
        let personal = Link { personal_digest: Some(&digest_of_text), ..link(1, GENESIS_HASH) };
        let personal_hash = personal.hash();
        let mut kept = ChainWalk::default();
        kept.check(&personal, &personal_hash, Some(text));
        assert_eq!(kept.finish().2, None);
        let mut erased = ChainWalk::default();
        erased.check(&personal, &personal_hash, None);
        assert_eq!(erased.finish().2, None, "an erasure keeps the chain whole");
        let mut altered = ChainWalk::default();
        altered.check(&personal, &personal_hash, Some(&text.replace("a@x", "b@x")));
        assert_eq!(altered.finish().2, Some((1, Break::PersonalValues)));

        // A forger who rehashes the edited event still breaks the next link.
        let forged = Link { actor: "forger", ..second.clone() };
        let forged_hash = forged.hash();
        let mut rehashed = ChainWalk::default();
        rehashed.check(&first, &h1, None);
        rehashed.check(&forged, &forged_hash, None);
        rehashed.check(&third, &h3, None);
        assert_eq!(rehashed.finish().2, Some((3, Break::PreviousHash)));
    }

    #[test]
    fn scopes_follow_the_roles() {
        assert_eq!(Scope::of(Role::Integrator, None, None), Scope::Public);
        assert_eq!(Scope::of(Role::Agency, None, None), Scope::Public);
        let agency = Scope::of(Role::Agency, Some("a1"), None);
        assert!(agency.admits(false, Some("a1"), None));
        assert!(!agency.admits(false, Some("a2"), None));
        assert!(agency.admits(true, Some("a2"), None));
        let auditor = Scope::of(Role::Auditor, None, Some("b1"));
        assert!(auditor.admits(false, Some("a1"), Some("b1")));
        assert!(!auditor.admits(false, Some("a1"), Some("b2")));
        assert!(Scope::of(Role::Admin, None, None).admits(false, None, None));
        assert!(!Scope::Public.admits(false, Some("a1"), None));
    }
}
