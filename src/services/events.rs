//! The event log's write side. Every service operation that changes data calls [`record`] with
//! what changed; the events are appended to the hash chain, with their webhook deliveries, just
//! before the write transaction commits (see `db::write_transaction`).
//!
//! Why events are staged rather than written where they happen: appending locks the chain head
//! until commit (that lock is what keeps sequence order equal to commit order, so a feed reader
//! never skips a late commit). Taking it last, after every other row the transaction changes,
//! keeps it held briefly and means no transaction waits for a row while holding the head, so two
//! writers cannot deadlock on it. The staging area lives with the thread: a write transaction
//! runs from start to commit on one blocking thread.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::db::DbConnection;
use crate::domain::events::{EventType, PersonalFields, canonical_json, changes, digest, hex};
use crate::error::{AppError, AppResult};
use crate::store;
use crate::store::events::EventRow;

/// The actor of changes the service makes on its own (the certification sweeper).
pub const SYSTEM: &str = "system";
/// The actor of changes made from the command line on the server (`fairhire client create`).
pub const OPERATOR: &str = "operator";

/// One change, before it is given its place in the chain.
#[derive(Debug, Clone)]
pub struct Draft {
    pub event_type: EventType,
    pub subject_type: &'static str,
    pub subject_id: String,
    pub agency_id: Option<String>,
    pub certification_body_id: Option<String>,
    pub previous: Option<Value>,
    pub current: Option<Value>,
}

/// Serializes a value the service itself built; failing here is a bug, not bad input.
pub fn to_value<T: Serialize>(value: &T) -> AppResult<Value> {
    serde_json::to_value(value).map_err(|e| AppError::internal(format!("event values: {e}")))
}

impl Draft {
    pub fn new(event_type: EventType, subject_type: &'static str, subject_id: &str) -> Self {
        Self {
            event_type,
            subject_type,
            subject_id: subject_id.to_owned(),
            agency_id: None,
            certification_body_id: None,
            previous: None,
            current: None,
        }
    }

    pub fn agency(mut self, agency_id: &str) -> Self {
        self.agency_id = Some(agency_id.to_owned());
        self
    }

    pub fn body(mut self, body_id: Option<&str>) -> Self {
        self.certification_body_id = body_id.map(str::to_owned);
        self
    }

    /// A creation: no previous value, the whole current one.
    pub fn created<T: Serialize>(mut self, current: &T) -> AppResult<Self> {
        self.current = Some(to_value(current)?);
        Ok(self)
    }

    /// A change: only the top-level fields that differ, before and after.
    pub fn changed<T: Serialize>(mut self, previous: &T, current: &T) -> AppResult<Self> {
        let (was, now) = changes(&to_value(previous)?, &to_value(current)?);
        self.previous = Some(was);
        self.current = Some(now);
        Ok(self)
    }

    /// Previous and current values as given.
    pub fn values(mut self, previous: Option<Value>, current: Option<Value>) -> Self {
        self.previous = previous;
        self.current = current;
        self
    }

    /// A change whose previous and current values are both empty changed nothing.
    fn is_empty_change(&self) -> bool {
        let empty = |v: &Option<Value>| matches!(v, Some(Value::Object(m)) if m.is_empty());
        empty(&self.previous) && empty(&self.current)
    }
}

struct Staged {
    draft: Draft,
    actor: String,
    at: DateTime<Utc>,
}

thread_local! {
    static OPEN: Cell<bool> = const { Cell::new(false) };
    static STAGED: RefCell<Vec<Staged>> = const { RefCell::new(Vec::new()) };
}

/// Stages an event for the write transaction running on this thread. A change attempted
/// outside one is refused: it could not be logged.
pub fn record(actor: &str, draft: Draft, at: DateTime<Utc>) -> AppResult<()> {
    if !OPEN.with(Cell::get) {
        return Err(AppError::internal("a change was attempted outside a write transaction"));
    }
    if draft.is_empty_change() {
        return Ok(());
    }
    STAGED.with(|s| s.borrow_mut().push(Staged { draft, actor: actor.to_owned(), at }));
    Ok(())
}

/// Marks a write transaction open on this thread for as long as it lives; whatever is staged
/// and not appended is dropped with it (the transaction rolled back).
pub(crate) struct Staging(());

impl Staging {
    pub(crate) fn open() -> Staging {
        STAGED.with(|s| s.borrow_mut().clear());
        OPEN.with(|o| o.set(true));
        Staging(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        OPEN.with(|o| o.set(false));
        STAGED.with(|s| s.borrow_mut().clear());
    }
}

/// Appends the staged events to the chain and queues their webhook deliveries, inside the
/// transaction about to commit. Returns the events appended.
pub(crate) fn append_staged(conn: &mut DbConnection) -> AppResult<Vec<EventRow>> {
    let staged = STAGED.with(|s| std::mem::take(&mut *s.borrow_mut()));
    if staged.is_empty() {
        return Ok(Vec::new());
    }
    let (mut sequence, mut previous_hash) = store::events::lock_head(conn)?;
    let mut rows = Vec::with_capacity(staged.len());
    for Staged { mut draft, actor, at } in staged {
        sequence += 1;
        let personal_values = PersonalFields::split(&mut draft.previous, &mut draft.current)
            .map(|personal| personal.sealed_text(&hex(&rand::random::<[u8; 16]>())));
        let mut row = EventRow {
            sequence,
            id: uuid::Uuid::now_v7().to_string(),
            event_type: draft.event_type.to_string(),
            subject_type: draft.subject_type.to_owned(),
            subject_id: draft.subject_id,
            agency_id: draft.agency_id,
            certification_body_id: draft.certification_body_id,
            public: draft.event_type.is_public(),
            actor,
            occurred_at: at,
            previous_values: draft.previous.as_ref().map(canonical_json),
            current_values: draft.current.as_ref().map(canonical_json),
            previous_hash,
            hash: String::new(),
            personal_digest: personal_values.as_deref().map(digest),
            personal_values,
            personal_erased_at: None,
        };
        row.hash = row.link().hash();
        previous_hash = row.hash.clone();
        rows.push(row);
    }
    store::events::append(conn, &rows)?;
    crate::services::webhooks::enqueue(conn, &rows)?;
    Ok(rows)
}

/// The first break in the chain, if any, with how many events were checked.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[schema(example = json!({
    "intact": false,
    "events_checked": 1204,
    "last_sequence": 1204,
    "first_broken_sequence": 311,
    "problem": "its content does not match its hash: it was changed after it was written"
}))]
pub struct ChainReport {
    /// True when every event still gives its hash and names the one before it, and the chain
    /// head names the last event.
    pub intact: bool,
    #[schema(format = Int64, minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    pub events_checked: u64,
    /// The sequence number of the last event.
    #[schema(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    pub last_sequence: i64,
    /// The first event whose link does not hold.
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub first_broken_sequence: Option<i64>,
    /// Why that link does not hold.
    #[schema(max_length = 200)]
    pub problem: Option<String>,
}

/// Re-walks the whole chain in sequence order, a thousand events at a time.
pub fn verify(conn: &mut DbConnection) -> AppResult<ChainReport> {
    const BATCH: i64 = 1000;
    let mut walk = crate::domain::events::ChainWalk::default();
    let mut from = 1;
    let mut last_sequence = 0;
    loop {
        let batch = store::events::run_from(conn, from, BATCH)?;
        for row in &batch {
            walk.check(&row.link(), &row.hash, row.personal_values.as_deref());
            last_sequence = row.sequence;
        }
        match batch.last() {
            Some(last) if batch.len() as i64 == BATCH => from = last.sequence + 1,
            _ => break,
        }
    }
    let (checked, last_hash, first_break) = walk.finish();
    let (head_sequence, head_hash) = store::events::head(conn)?;
    let (first_broken_sequence, problem) = match first_break {
        Some((sequence, problem)) => (Some(sequence), Some(problem.describe())),
        // Events removed from the end leave the head pointing past the last one.
        None if head_sequence != last_sequence || head_hash != last_hash => (
            Some(last_sequence + 1),
            Some(format!(
                "the chain head names event {head_sequence}, but the last event is {last_sequence}: events are missing at the end"
            )),
        ),
        None => (None, None),
    };
    Ok(ChainReport {
        intact: first_broken_sequence.is_none(),
        events_checked: checked,
        last_sequence,
        first_broken_sequence,
        problem,
    })
}

/// The agencies these events are about, each once.
pub(crate) fn agency_ids(rows: &[EventRow]) -> Vec<String> {
    let mut seen = HashSet::new();
    rows.iter().filter_map(|r| r.agency_id.as_deref()).filter(|id| seen.insert(*id)).map(str::to_owned).collect()
}
