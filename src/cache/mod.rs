//! Answers kept in the service's memory and kept current from the event log, so that the reads
//! a worker's phone or an HR platform makes most (an agency's public record, its attestation,
//! its due diligence) need no database round trip.
//!
//! Why it stays correct: every change is recorded in the event log, in commit order (the log's
//! head is locked until the change commits). The [`Tail`] applies the log's events to a table of
//! [`Stamps`] and publishes the position it has applied. An answer remembers the position the
//! tail had reached before the answer was read from the database; it is served while none of
//! the agencies it depends on has an event after that position. Events up to that position were
//! committed before the read, so the read saw them; a later one makes the answer stale.
//!
//! How soon a change is seen: on the instance that made it, at once, because every write this
//! process commits bumps [`Db::commits`] and the next cached read catches up before answering;
//! on every other instance within the tail's poll interval (`cache.poll_ms`), since each
//! instance tails the log itself.

pub mod stamps;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use crate::cache::stamps::{Bodies, Stamps};
use crate::db::{Db, DbConnection};
use crate::error::AppResult;
use crate::store;

/// Events read per query while catching up.
const BATCH: i64 = 2_000;

/// The position of a tail that has not read the log yet: nothing is cached until it has.
const NOT_STARTED: i64 = i64::MIN;

/// How far the event log has been applied to the stamps.
pub struct Tail {
    stamps: Stamps,
    /// Past this long without a catch-up, no cached answer is served: another instance may
    /// have changed it meanwhile, and the promise is that its change shows within a second.
    stale_after: Duration,
    /// When the tail last caught up, in milliseconds since `started`.
    caught_up_ms: AtomicU64,
    started: Instant,
    /// The sequence of the last event applied.
    applied: AtomicI64,
    /// [`Db::commits`] as it was when the tail last caught up.
    synced_commits: AtomicU64,
    /// One catch-up at a time; the readers that find one under way wait for it instead of
    /// asking the database the same question.
    catching_up: tokio::sync::Mutex<()>,
}

impl Tail {
    /// A tail polled every `poll`.
    pub fn new(poll: Duration) -> Self {
        Tail {
            stamps: Stamps::default(),
            stale_after: (poll * 4).max(Duration::from_secs(1)),
            caught_up_ms: AtomicU64::new(0),
            started: Instant::now(),
            applied: AtomicI64::new(NOT_STARTED),
            synced_commits: AtomicU64::new(0),
            catching_up: tokio::sync::Mutex::new(()),
        }
    }

    /// The log position applied, or `None` before the tail first read the log.
    pub fn position(&self) -> Option<i64> {
        Some(self.applied.load(Ordering::Acquire)).filter(|&p| p != NOT_STARTED)
    }

    /// Applies the events committed since the last call. The first call starts at the log's
    /// head: nothing is cached yet, so nothing before it can be stale.
    pub fn catch_up(&self, conn: &mut DbConnection) -> AppResult<()> {
        if self.applied.load(Ordering::Acquire) == NOT_STARTED {
            let (head, _) = store::events::head(conn)?;
            // Only this tail's own catch-ups store the position, one at a time.
            self.applied.store(head, Ordering::Release);
            return Ok(());
        }
        loop {
            let after = self.applied.load(Ordering::Acquire);
            let changes = store::events::changed_after(conn, after, BATCH)?;
            let Some(last) = changes.last().map(|c| c.sequence) else { return Ok(()) };
            for change in &changes {
                match (change.agency(), &change.body_id) {
                    (Some(agency), _) => self.stamps.agency_changed(agency, change.sequence),
                    (None, Some(_)) => self.stamps.body_changed(change.sequence),
                    // Clients, webhooks, standards: no cached answer shows them.
                    (None, None) => {}
                }
            }
            // The stamps first, then the position: a reader that sees the new position also
            // sees every stamp up to it.
            self.applied.store(last, Ordering::Release);
            if (changes.len() as i64) < BATCH {
                return Ok(());
            }
        }
    }

    /// Catches up now if this process committed a write since the last catch-up, so that a
    /// change is visible at once on the instance that made it. Costs one atomic read when
    /// nothing was written.
    pub async fn sync_local(self: &Arc<Self>, db: &Db) -> AppResult<()> {
        let commits = db.commits();
        if self.synced_commits.load(Ordering::Acquire) == commits {
            return Ok(());
        }
        let _turn = self.catching_up.lock().await;
        // Whoever held the turn may have caught up past our writes already.
        if self.synced_commits.load(Ordering::Acquire) >= commits {
            return Ok(());
        }
        self.catch_up_now(db, commits).await
    }

    /// The poller's catch-up, taking its turn like [`Tail::sync_local`].
    pub async fn poll(self: &Arc<Self>, db: &Db) -> AppResult<()> {
        let _turn = self.catching_up.lock().await;
        self.catch_up_now(db, db.commits()).await
    }

    async fn catch_up_now(self: &Arc<Self>, db: &Db, commits: u64) -> AppResult<()> {
        let tail = self.clone();
        db.read(move |conn| tail.catch_up(conn)).await?;
        // `commits` was read before the catch-up's query, so every write it counts is seen.
        self.synced_commits.fetch_max(commits, Ordering::AcqRel);
        self.caught_up_ms.store(self.millis_since_start(), Ordering::Release);
        Ok(())
    }

    fn millis_since_start(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    /// How long since the tail last caught up with the log.
    pub fn lag(&self) -> Duration {
        let since = self.millis_since_start().saturating_sub(self.caught_up_ms.load(Ordering::Acquire));
        Duration::from_millis(since)
    }

    fn fresh<T>(&self, entry: &Cached<T>, now: DateTime<Utc>) -> bool {
        self.lag() <= self.stale_after
            && entry.expires.is_none_or(|at| now < at)
            && self.stamps.fresh(entry.seen, entry.agencies.iter().map(String::as_str), entry.bodies)
    }
}

/// An answer with what it depends on.
pub struct Cached<T> {
    pub value: T,
    /// The tail's position before the answer was read.
    seen: i64,
    /// The agencies whose changes make it stale.
    agencies: Box<[String]>,
    bodies: Bodies,
    /// When time alone makes it stale (a deadline passing changes a risk level without any
    /// event); `None` for answers only events change.
    expires: Option<DateTime<Utc>>,
}

impl<T> Cached<T> {
    /// The log position the answer was read at; `None` if the tail had not started, and so
    /// for whatever is made from it.
    pub fn seen(&self) -> Option<i64> {
        Some(self.seen).filter(|&s| s != NOT_STARTED)
    }
}

/// What a new answer depends on, and the position it was read at.
pub struct Dependencies {
    pub seen: Option<i64>,
    pub agencies: Vec<String>,
    pub bodies: Bodies,
    pub expires: Option<DateTime<Utc>>,
}

/// One kind of answer, by key (an agency id), bounded in memory by the bytes its answers weigh.
pub struct View<T: Send + Sync + 'static> {
    entries: moka::sync::Cache<String, Arc<Cached<T>>>,
    /// False when given no memory: every answer is then read from the database.
    keeps: bool,
}

impl<T: Send + Sync + 'static> View<T> {
    /// A view holding answers up to about `max_bytes`, each weighing what `weight` says.
    pub fn new(max_bytes: u64, weight: fn(&T) -> u32) -> Self {
        View {
            entries: moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(move |key: &String, entry: &Arc<Cached<T>>| {
                    weight(&entry.value).saturating_add(u32::try_from(key.len()).unwrap_or(u32::MAX))
                })
                .build(),
            keeps: max_bytes > 0,
        }
    }

    /// The answer for `key` if one is held and still fresh.
    pub fn get(&self, tail: &Tail, key: &str, now: DateTime<Utc>) -> Option<Arc<Cached<T>>> {
        self.entries.get(key).filter(|entry| tail.fresh(entry, now))
    }

    /// Keeps an answer just read, unless the tail had not started when it was read (then
    /// nothing says when it goes stale) or the view has no memory; returns it either way.
    pub fn keep(&self, key: String, value: T, deps: Dependencies) -> Arc<Cached<T>> {
        let entry = Arc::new(Cached {
            value,
            seen: deps.seen.unwrap_or(NOT_STARTED),
            agencies: deps.agencies.into_boxed_slice(),
            bodies: deps.bodies,
            expires: deps.expires,
        });
        if self.keeps && deps.seen.is_some() {
            self.entries.insert(key, entry.clone());
        }
        entry
    }
}

/// Polls the log every `every` until the jobs stop, so that changes other instances make are
/// seen within that interval. Tracked by `jobs`, like the other background work.
pub fn spawn_tail(tail: Arc<Tail>, db: Db, every: std::time::Duration, jobs: &crate::jobs::Jobs) {
    let mut stop = jobs.stopping();
    jobs.track(tokio::spawn(async move {
        let mut failing = false;
        loop {
            match tail.poll(&db).await {
                Ok(()) if failing => {
                    failing = false;
                    tracing::info!("the event log tail reads the log again");
                }
                Ok(()) => {}
                Err(e) if !failing => {
                    failing = true;
                    tracing::warn!(error = %e, "the event log tail cannot read the log; cached answers age");
                }
                Err(_) => {}
            }
            if crate::jobs::pause_unless_stopped(&mut stop, every).await {
                return;
            }
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caught_up_at(position: i64) -> Tail {
        let tail = Tail::new(Duration::from_millis(250));
        tail.applied.store(position, Ordering::Release);
        tail.caught_up_ms.store(tail.millis_since_start(), Ordering::Release);
        tail
    }

    fn about(agency: &str, seen: Option<i64>) -> Dependencies {
        Dependencies { seen, agencies: vec![agency.into()], bodies: Bodies::Ignored, expires: None }
    }

    #[test]
    fn an_answer_is_served_until_its_agency_changes_or_the_tail_falls_behind() {
        let tail = caught_up_at(10);
        let view: View<u32> = View::new(1 << 20, |_| 1);
        let now = Utc::now();
        view.keep("a".into(), 7, about("a", tail.position()));
        assert_eq!(view.get(&tail, "a", now).map(|e| e.value), Some(7));
        tail.stamps.agency_changed("a", 11);
        assert!(view.get(&tail, "a", now).is_none(), "stale once its agency changed");

        view.keep("b".into(), 8, about("b", tail.position()));
        assert!(view.get(&tail, "b", now).is_some());
        let behind = Tail { stale_after: Duration::from_millis(1), ..caught_up_at(11) };
        behind.caught_up_ms.store(0, Ordering::Release);
        std::thread::sleep(Duration::from_millis(5));
        assert!(view.get(&behind, "b", now).is_none(), "not served by a tail that fell behind");
    }

    #[test]
    fn nothing_is_kept_before_the_tail_started_or_without_memory() {
        let tail = caught_up_at(3);
        let now = Utc::now();
        let view: View<u32> = View::new(1 << 20, |_| 1);
        assert_eq!(view.keep("a".into(), 1, about("a", None)).value, 1);
        assert!(view.get(&tail, "a", now).is_none());
        let off: View<u32> = View::new(0, |_| 1);
        off.keep("a".into(), 1, about("a", tail.position()));
        assert!(off.get(&tail, "a", now).is_none());
    }

    #[test]
    fn an_answer_that_time_alone_changes_expires() {
        let tail = caught_up_at(3);
        let view: View<u32> = View::new(1 << 20, |_| 1);
        let now = Utc::now();
        let deps = Dependencies { expires: Some(now + chrono::Duration::seconds(1)), ..about("a", tail.position()) };
        view.keep("a".into(), 1, deps);
        assert!(view.get(&tail, "a", now).is_some());
        assert!(view.get(&tail, "a", now + chrono::Duration::seconds(1)).is_none());
    }
}
