//! Registry search that forgives misspellings, word order, punctuation and legal forms, ranked by
//! relevance, the same on SQLite and PostgreSQL.
//!
//! Why an index in the service's memory rather than the database's text search: the answer to
//! "is this the agency?" must not depend on the backend (a bulk verification that says `found`
//! on PostgreSQL and `ambiguous` on SQLite would be indefensible), and neither `pg_trgm` nor
//! SQLite's FTS5 trigram tokenizer ranks the same way or forgives the same edits. The index is
//! small (names share their words) and is kept current from the event log, the one record of
//! every change: each search first replays the events it has not seen, so a search sees every
//! change committed before it began, on every instance of the service.

pub mod index;
pub mod text;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, RwLock};

use crate::db::DbConnection;
use crate::error::AppResult;
use crate::search::index::{Entry, Hit, Index};
use crate::store;
use crate::store::agencies::{AgencyRow, Filter};

/// Rows read per query while building or catching up.
const BATCH: i64 = 2_000;

impl From<&AgencyRow> for Entry {
    fn from(row: &AgencyRow) -> Self {
        Entry {
            id: row.id.clone(),
            names: std::iter::once(row.legal_name.clone()).chain(row.trading_names.iter().cloned()).collect(),
            licence_key: row.licence_key.clone(),
            licence_country: row.licence_country.clone(),
            origins: row.origin_countries.to_vec(),
            destinations: row.destination_countries.to_vec(),
            sectors: row.sectors.to_vec(),
            status: row.certification_status,
            grade: row.grade,
        }
    }
}

/// The cursor of an index not built yet.
const NOT_BUILT: i64 = i64::MIN;

/// The index with the event-log position it reflects. It is built on first use (`fairhire::start`
/// uses it before serving), so commands that never search never read the registry into memory.
pub struct SearchIndex {
    index: RwLock<Index>,
    /// The sequence of the last event the index has applied.
    cursor: AtomicI64,
    /// One catch-up at a time, so changes are applied in log order.
    catching_up: Mutex<()>,
}

impl Default for SearchIndex {
    fn default() -> Self {
        SearchIndex { index: RwLock::default(), cursor: AtomicI64::new(NOT_BUILT), catching_up: Mutex::new(()) }
    }
}

impl SearchIndex {
    /// Builds the index from the whole registry; returns the log position it reflects.
    fn build(conn: &mut DbConnection) -> AppResult<(Index, i64)> {
        // The log position is read first: a change committed while the rows are read is
        // replayed by the first catch-up, and replaying is harmless.
        let (head, _) = store::events::head(conn)?;
        let mut index = Index::default();
        let mut after: Option<String> = None;
        loop {
            let rows = store::agencies::search(conn, &Filter::default(), after.as_deref(), BATCH)?;
            for row in &rows {
                index.upsert(Entry::from(row));
            }
            match rows.last() {
                Some(last) if rows.len() as i64 == BATCH => after = Some(last.id.clone()),
                _ => break,
            }
        }
        Ok((index, head))
    }

    /// How many agencies the index holds.
    pub fn len(&self) -> usize {
        self.index.read().unwrap_or_else(|p| p.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Applies the events committed since the index last looked: every agency they touch is
    /// read again whole. The first call builds the index.
    pub fn catch_up(&self, conn: &mut DbConnection) -> AppResult<()> {
        // Most searches find nothing new: they look without waiting for one another.
        let seen = self.cursor.load(Ordering::Acquire);
        if seen != NOT_BUILT && store::events::agencies_touched_after(conn, seen, 1)?.is_empty() {
            return Ok(());
        }
        let _turn = self.catching_up.lock().unwrap_or_else(|p| p.into_inner());
        if self.cursor.load(Ordering::Acquire) == NOT_BUILT {
            let (index, head) = Self::build(conn)?;
            *self.index.write().unwrap_or_else(|p| p.into_inner()) = index;
            self.cursor.store(head, Ordering::Release);
        }
        loop {
            let after = self.cursor.load(Ordering::Acquire);
            let changes = store::events::agencies_touched_after(conn, after, BATCH)?;
            let Some(&(last, _)) = changes.last() else { return Ok(()) };
            let mut ids: Vec<String> = changes.iter().filter_map(|(_, id)| id.clone()).collect();
            ids.sort();
            ids.dedup();
            let mut rows = store::agencies::find_many(conn, &ids)?;
            // New agencies take their slots in id order, as the build gave them (see `Index::upsert`).
            rows.sort_by(|a, b| a.id.cmp(&b.id));
            {
                let mut index = self.index.write().unwrap_or_else(|p| p.into_inner());
                for row in &rows {
                    index.upsert(Entry::from(row));
                }
            }
            self.cursor.store(last, Ordering::Release);
            if (changes.len() as i64) < BATCH {
                return Ok(());
            }
        }
    }

    /// The agencies matching `query` and `filter`, most relevant first (see [`Index::search`]),
    /// as of every change committed before the call.
    pub fn search(
        &self,
        conn: &mut DbConnection,
        query: &str,
        filter: &Filter,
        after: Option<&str>,
        limit: usize,
    ) -> AppResult<Vec<Hit>> {
        self.catch_up(conn)?;
        Ok(self.index.read().unwrap_or_else(|p| p.into_inner()).search(query, filter, after, limit))
    }

    /// As [`Index::search_names`], as of the last [`SearchIndex::catch_up`]: a caller with many
    /// names catches up once, then searches them all.
    pub fn search_names(&self, query: &str, filter: &Filter, limit: usize) -> Vec<Hit> {
        self.index.read().unwrap_or_else(|p| p.into_inner()).search_names(query, filter, limit)
    }

    /// The rows of the agencies matching, in ranking order.
    pub fn search_rows(
        &self,
        conn: &mut DbConnection,
        query: &str,
        filter: &Filter,
        after: Option<&str>,
        limit: usize,
    ) -> AppResult<Vec<AgencyRow>> {
        let hits = self.search(conn, query, filter, after, limit)?;
        let ids: Vec<String> = hits.iter().map(|h| h.id.clone()).collect();
        let mut rows = store::agencies::find_many(conn, &ids)?;
        rows.sort_by_key(|r| ids.iter().position(|id| *id == r.id));
        Ok(rows)
    }
}
