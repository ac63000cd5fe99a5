//! The database: one binary, two backends chosen at run time from the URL.
//!
//! Diesel is synchronous, so every query runs on a blocking thread ([`Db::read`], [`Db::write`]),
//! never on the async executor.

pub mod schema;
pub(crate) mod types;

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::R2D2Connection;
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError, RunQueryDsl};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::{create_private_dir, create_private_file};
use crate::error::{AppError, AppResult};

const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");

#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    /// The backend a database URL names. Anything shaped like `scheme://` must name one of ours:
    /// taken as a file path, a typo such as `postgress://` would become a new SQLite database.
    pub fn of_url(url: &str) -> Result<Backend, String> {
        match url.split_once("://") {
            Some(("postgres" | "postgresql", _)) => Ok(Backend::Postgres),
            Some(("sqlite", _)) => Ok(Backend::Sqlite),
            Some((scheme, _)) if is_scheme(scheme) => Err(format!(
                "the database URL has the unknown scheme {scheme}://; use postgres://, postgresql://, \
                 sqlite://PATH or a file path"
            )),
            _ => Ok(Backend::Sqlite),
        }
    }
}

/// A URL scheme as RFC 3986 spells it: a letter, then letters, digits, `+`, `-` or `.`.
fn is_scheme(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// What a database URL points at, as the start log shows it: never a user or a password.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Postgres { host: String, database: String },
    Sqlite { path: String },
}

impl Target {
    fn of(backend: Backend, location: &str) -> Target {
        match backend {
            Backend::Sqlite => Target::Sqlite { path: location.to_owned() },
            Backend::Postgres => {
                let rest = location.split_once("://").map_or(location, |(_, rest)| rest);
                // Whatever comes before the last `@` may be a user and password, even when it
                // holds a `/` or `?` that a parser would take for the end of the credentials.
                let rest = rest.rsplit_once('@').map_or(rest, |(_, rest)| rest);
                let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
                let (host, database) = rest.split_once('/').unwrap_or((rest, ""));
                let param = |name: &str| {
                    query.split('&').find_map(|pair| pair.strip_prefix(name)?.strip_prefix('=')).unwrap_or("")
                };
                let or_default = |value: &str| if value.is_empty() { "(default)".to_owned() } else { value.to_owned() };
                Target::Postgres {
                    host: or_default(if host.is_empty() { param("host") } else { host }),
                    database: or_default(if database.is_empty() { param("dbname") } else { database }),
                }
            }
        }
    }

    fn log(&self) {
        match self {
            Target::Postgres { host, database } => {
                tracing::info!(backend = "postgresql", host = %host, database = %database, "database in use");
            }
            Target::Sqlite { path } => tracing::info!(backend = "sqlite", path = %path, "database in use"),
        }
    }
}

/// Every SQLite connection gets these. The busy timeout comes first: switching to WAL needs a
/// lock, and a second process opening a fresh file at the same time must wait for it, not fail.
/// Foreign keys are off by default; WAL lets readers run beside the writer.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; \
     PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";

/// Opens connections for the pool. Dispatching on the URL scheme here (rather than diesel's
/// generic manager, which tries each backend in turn) reports the real connection error at once.
#[derive(Debug)]
pub struct Manager {
    url: String,
    backend: Backend,
}

impl Manager {
    pub fn new(url: &str) -> Result<Self, String> {
        let backend = Backend::of_url(url)?;
        let url = match backend {
            Backend::Sqlite => url.strip_prefix("sqlite://").unwrap_or(url).to_owned(),
            Backend::Postgres => url.to_owned(),
        };
        Ok(Self { url, backend })
    }

    pub fn connect(&self) -> Result<DbConnection, ConnectionError> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.url).map(DbConnection::Pg),
            Backend::Sqlite => {
                let mut conn = SqliteConnection::establish(&self.url)?;
                // Two connections switching a fresh file to WAL at once would each wait for the
                // other's read lock, so SQLite answers one of them "locked" at once rather than
                // after the busy timeout. It is done by the time that one tries again.
                retry_while_locked(|| conn.batch_execute(SQLITE_PRAGMAS))
                    .map_err(ConnectionError::CouldntSetupConfiguration)?;
                Ok(DbConnection::Sqlite(conn))
            }
        }
    }

    /// For a SQLite file: its directory and the file itself, for the owner only, before SQLite
    /// makes them with the umask's modes. SQLite gives the `-wal` and `-shm` files the mode of
    /// the database file.
    fn make_private_files(&self) -> Result<(), String> {
        if self.backend != Backend::Sqlite || self.url == ":memory:" || self.url.starts_with("file:") {
            return Ok(());
        }
        let path = Path::new(&self.url);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)?;
        }
        create_private_file(path).map(drop)
    }
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = ConnectionError;

    fn connect(&self) -> Result<DbConnection, ConnectionError> {
        Manager::connect(self)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), ConnectionError> {
        conn.batch_execute("SELECT 1").map_err(ConnectionError::CouldntSetupConfiguration)
    }

    /// A connection whose transaction could not be closed (the server went away during it) is
    /// dropped rather than handed to the next request; the pool opens a new one when needed.
    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// How long a caller waits for a pooled connection unless configured otherwise.
pub const DEFAULT_CHECKOUT_TIMEOUT: Duration = Duration::from_secs(2);

/// A readiness probe never waits longer than this, whatever the checkout timeout.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

/// Once a caller has waited out the checkout timeout because the database could not be reached,
/// the callers after it are answered 503 at once for this long instead of each waiting as long.
/// Then one caller at a time probes (see [`PROBE_TIMEOUT`]) while the others are still answered
/// at once, until a probe gets a connection. A second is short next to the 503's `Retry-After`
/// (2 s), so a database that is back is noticed before the clients retry, and long enough that
/// an outage holds at most one request per second.
const FAIL_FAST_FOR: Duration = Duration::from_secs(1);

/// How long a probe waits for a connection. The pool keeps trying to connect in the background
/// (every half checkout timeout at most), so a probe only has to find a connection it made, and
/// the request making the probe is not kept long.
const PROBE_TIMEOUT: Duration = Duration::from_millis(250);

/// The size of the pool and how long a caller waits for one of its connections.
#[derive(Debug, Clone, Copy)]
pub struct PoolOptions {
    pub size: u32,
    /// Past it, the caller gets [`AppError::Unavailable`] (503).
    pub checkout_timeout: Duration,
    /// Requests that may be waiting for or using a connection at once (see [`Db::read`]).
    pub max_queued: usize,
}

impl PoolOptions {
    /// A pool of `size`, callers waiting up to `checkout_timeout`, and no bound on the queue.
    pub fn new(size: u32, checkout_timeout: Duration) -> PoolOptions {
        PoolOptions { size, checkout_timeout, max_queued: usize::MAX }
    }
}

/// The pool plus what the store needs to know about it.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    backend: Backend,
    /// SQLite has one writer at a time. Taking writes in turn inside the process means writers of
    /// this process never wait on each other in SQLite's busy loop.
    sqlite_writer: Arc<Mutex<()>>,
    /// Write transactions this process committed: the read cache catches up with the event log
    /// when it moves, so that a change is visible at once where it was made.
    commits: Arc<AtomicU64>,
    /// Async callers waiting for or holding a connection, and how many may.
    queued: Arc<AtomicUsize>,
    max_queued: usize,
    watch: Arc<Watch>,
}

/// A caller's place in the queue of [`Db::join_queue`], given back when dropped.
struct QueuePlace(Arc<AtomicUsize>);

impl Drop for QueuePlace {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// What the pool has been through, for the metrics, and whether the database could be reached
/// a moment ago, which lets callers fail fast while it cannot (see [`FAIL_FAST_FOR`]).
#[derive(Debug)]
struct Watch {
    /// The origin of the times below, which are milliseconds after it plus one (0: never).
    opened: Instant,
    /// When a checkout last timed out because the database could not be reached; 0 while it can.
    unreachable_at: AtomicU64,
    /// When a connection last failed to open, or failed its check on checkout.
    connect_failed_at: AtomicU64,
    /// Whether a caller is probing the database.
    probing: AtomicBool,
    /// Callers waiting for a connection now.
    waiting: AtomicU64,
    /// Checkouts that waited out their timeout.
    timeouts: AtomicU64,
}

/// How the pool stands, for the metrics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    pub idle: u32,
    pub in_use: u32,
    /// Callers waiting for a connection.
    pub waiting: u64,
    /// Checkouts that waited out their timeout since the pool opened.
    pub checkout_timeouts: u64,
}

/// How a caller may ask the pool for a connection.
enum Admission<'a> {
    /// The database answers: wait up to the timeout.
    Wait,
    /// The database could not be reached a moment ago, and this caller probes it: wait at most
    /// [`PROBE_TIMEOUT`]. The probe ends when this is dropped.
    Probe(ProbeTurn<'a>),
    /// The database could not be reached a moment ago: answer 503 now.
    Refuse,
}

/// The one probe at a time; dropping it lets another caller probe.
struct ProbeTurn<'a>(&'a Watch);

impl Drop for ProbeTurn<'_> {
    fn drop(&mut self) {
        self.0.probing.store(false, Ordering::Release);
    }
}

/// A caller counted as waiting for a connection until it is dropped.
struct Waiting<'a>(&'a Watch);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Watch {
    fn new() -> Watch {
        Watch {
            opened: Instant::now(),
            unreachable_at: AtomicU64::new(0),
            connect_failed_at: AtomicU64::new(0),
            probing: AtomicBool::new(false),
            waiting: AtomicU64::new(0),
            timeouts: AtomicU64::new(0),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.opened.elapsed().as_millis()).unwrap_or(u64::MAX - 1) + 1
    }

    fn admit(&self) -> Admission<'_> {
        let unreachable_at = self.unreachable_at.load(Ordering::Acquire);
        if unreachable_at == 0 {
            return Admission::Wait;
        }
        let window = u64::try_from(FAIL_FAST_FOR.as_millis()).unwrap_or(u64::MAX);
        if self.now().saturating_sub(unreachable_at) < window {
            return Admission::Refuse;
        }
        match self.probing.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => Admission::Probe(ProbeTurn(self)),
            Err(_) => Admission::Refuse,
        }
    }

    fn wait(&self) -> Waiting<'_> {
        self.waiting.fetch_add(1, Ordering::Relaxed);
        Waiting(self)
    }

    /// A caller got a connection: the database answers.
    fn reached(&self) {
        if self.unreachable_at.load(Ordering::Relaxed) != 0 && self.unreachable_at.swap(0, Ordering::AcqRel) != 0 {
            tracing::info!("the database answers again");
        }
    }

    /// A caller could not get a connection because the database could not be reached.
    fn unreachable(&self) {
        if self.unreachable_at.swap(self.now(), Ordering::AcqRel) == 0 {
            tracing::warn!(
                fail_fast_ms = u64::try_from(FAIL_FAST_FOR.as_millis()).unwrap_or(u64::MAX),
                "the database cannot be reached: requests that need it are answered 503 at once, and it is \
                 probed once per interval until it answers"
            );
        }
    }
}

/// Tells the watch when a connection fails to open or fails its check on checkout. These are
/// logged at debug level only: while the database is away the pool retries every second or so,
/// and the watch logs the outage once.
#[derive(Debug)]
struct NoteFailures(Arc<Watch>);

impl r2d2::HandleError<ConnectionError> for NoteFailures {
    fn handle_error(&self, error: ConnectionError) {
        self.0.connect_failed_at.store(self.0.now(), Ordering::Release);
        tracing::debug!(error = %error, "a database connection could not be opened or failed its check");
    }
}

impl Db {
    /// [`Db::connect_with`] a pool of `pool_size` and the default checkout timeout.
    pub fn connect(url: &str, pool_size: u32) -> Result<Db, String> {
        Db::connect_with(url, PoolOptions::new(pool_size, DEFAULT_CHECKOUT_TIMEOUT))
    }

    /// Opens the pool and makes one connection now, so that a database that cannot be reached
    /// stops the start with the real reason instead of a timeout.
    pub fn connect_with(url: &str, options: PoolOptions) -> Result<Db, String> {
        let db = Db::open(url, options)?;
        Manager::new(url)?.connect().map_err(|e| format!("cannot connect to the database: {e}"))?;
        Ok(db)
    }

    /// Opens the pool without connecting: connections are made when first asked for, and until
    /// the database answers every caller gets a 503. The database in use is logged. For a SQLite
    /// file, its directory and the file are created for the owner only.
    pub fn open(url: &str, options: PoolOptions) -> Result<Db, String> {
        let manager = Manager::new(url)?;
        manager.make_private_files()?;
        Target::of(manager.backend, &manager.url).log();
        let backend = manager.backend;
        let watch = Arc::new(Watch::new());
        // r2d2 refuses a zero size or timeout with a panic. It keeps the pool full (no
        // `min_idle`): connections are opened ahead of need, and again in the background after
        // the database restarts. Each checkout checks its connection first (`SELECT 1`), so that
        // the connections a restart broke are replaced instead of failing the requests that draw
        // them (a query cannot be retried here, and a PostgreSQL connection that lost its server
        // outside a transaction does not know it is broken until it is used). The check costs
        // a round trip per checkout: 22 to 34 µs more per checkout and query (40 to 46 µs
        // without it) on a local PostgreSQL, measured on the 2-core development machine.
        let pool = r2d2::Pool::builder()
            .max_size(options.size.max(1))
            .connection_timeout(options.checkout_timeout.max(Duration::from_millis(1)))
            .test_on_check_out(true)
            .error_handler(Box::new(NoteFailures(watch.clone())))
            .build_unchecked(manager);
        Ok(Db {
            pool,
            backend,
            sqlite_writer: Arc::new(Mutex::new(())),
            commits: Arc::default(),
            queued: Arc::default(),
            max_queued: options.max_queued,
            watch,
        })
    }

    /// How the pool stands: its connections idle and in use, the callers waiting for one, and
    /// the checkouts that timed out.
    pub fn stats(&self) -> PoolStats {
        let state = self.pool.state();
        PoolStats {
            idle: state.idle_connections,
            in_use: state.connections.saturating_sub(state.idle_connections),
            waiting: self.watch.waiting.load(Ordering::Relaxed),
            checkout_timeouts: self.watch.timeouts.load(Ordering::Relaxed),
        }
    }

    /// A connection for synchronous callers (the CLI, migrations, tests).
    pub fn conn(&self) -> AppResult<PooledConn> {
        self.checkout(self.pool.connection_timeout())
    }

    /// A connection from the pool, waiting at most `timeout`; or 503 at once while the database
    /// could not be reached a moment ago (see [`FAIL_FAST_FOR`]).
    fn checkout(&self, timeout: Duration) -> AppResult<PooledConn> {
        let (timeout, probe) = match self.watch.admit() {
            Admission::Wait => (timeout, None),
            Admission::Probe(turn) => (timeout.min(PROBE_TIMEOUT), Some(turn)),
            Admission::Refuse => {
                return Err(crate::error::unavailable());
            }
        };
        let asked_at = self.watch.now();
        let waiting = self.watch.wait();
        let got = self.pool.get_timeout(timeout);
        drop(waiting);
        match got {
            Ok(conn) => {
                self.watch.reached();
                Ok(conn)
            }
            Err(e) => {
                self.watch.timeouts.fetch_add(1, Ordering::Relaxed);
                // Unreachable, rather than every connection busy: a connection failed to open
                // (or failed its check) while this caller waited, or there is none at all (one
                // that hangs while connecting fails nothing). A failed probe keeps it so.
                let failed = self.watch.connect_failed_at.load(Ordering::Acquire) >= asked_at;
                if failed || probe.is_some() || self.pool.state().connections == 0 {
                    self.watch.unreachable();
                }
                drop(probe);
                Err(e.into())
            }
        }
    }

    /// Applies pending migrations for this backend. Two processes may start on one database at
    /// once: the migrations run in one transaction that first takes a lock, so the second waits
    /// and then finds nothing left to do. A SQLite file still locked after the busy timeout is
    /// tried again.
    pub fn migrate(&self) -> Result<Vec<String>, String> {
        retry_while_locked(|| self.migrate_once()).map_err(|e| format!("migration failed: {e}"))
    }

    fn migrate_once(&self) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
        let mut conn = self.conn()?;
        match &mut *conn {
            DbConnection::Pg(c) => c.transaction(|c| {
                // The migrations live in the current schema; starters on other schemas need not wait.
                diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext('fairhire migrations ' || current_schema()))")
                    .execute(c)?;
                c.run_pending_migrations(PG_MIGRATIONS).map(names)
            }),
            DbConnection::Sqlite(c) => {
                c.immediate_transaction(|c| c.run_pending_migrations(SQLITE_MIGRATIONS).map(names))
            }
        }
    }

    /// Runs `f` on a pooled connection on a blocking thread.
    pub async fn read<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        let _place = self.join_queue()?;
        let db = self.clone();
        run_blocking(move || {
            let mut conn = db.conn()?;
            f(&mut conn)
        })
        .await
    }

    /// A place among the callers waiting for or holding a connection, or a 429 at once when
    /// all are taken: beyond that many, a request would only wait longer for its turn (and hold
    /// a blocking thread meanwhile), so under overload latency would grow without bound. A
    /// quick refusal with `Retry-After` tells the client to come back instead.
    fn join_queue(&self) -> AppResult<QueuePlace> {
        let before = self.queued.fetch_add(1, Ordering::AcqRel);
        let place = QueuePlace(self.queued.clone());
        if before >= self.max_queued {
            return Err(AppError::TooManyRequests { retry_after_secs: 1 });
        }
        Ok(place)
    }

    /// Runs `f` inside one transaction on a blocking thread: all of it is kept, or none.
    pub async fn write<T, F>(&self, f: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection) -> AppResult<T> + Send + 'static,
    {
        let _place = self.join_queue()?;
        let db = self.clone();
        run_blocking(move || db.write_blocking(f)).await
    }

    /// The synchronous form of [`Db::write`], for the CLI.
    pub fn write_blocking<T, F>(&self, f: F) -> AppResult<T>
    where
        F: FnOnce(&mut DbConnection) -> AppResult<T>,
    {
        let mut conn = self.conn()?;
        let _turn = match self.backend {
            Backend::Sqlite => Some(self.sqlite_writer.lock().unwrap_or_else(|p| p.into_inner())),
            Backend::Postgres => None,
        };
        let written = write_transaction(&mut conn, f)?;
        self.commits.fetch_add(1, Ordering::AcqRel);
        Ok(written)
    }

    /// How many write transactions this process has committed.
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Acquire)
    }

    /// Succeeds when the database answers a query that reads it, within two seconds at most (a
    /// readiness probe must not hang), and at once while it could not be reached a moment ago.
    pub async fn ping(&self) -> AppResult<()> {
        let db = self.clone();
        run_blocking(move || {
            let mut conn = db.checkout(PING_TIMEOUT.min(db.pool.connection_timeout()))?;
            diesel::sql_query("SELECT COUNT(*) FROM api_clients").execute(&mut *conn)?;
            Ok(())
        })
        .await
    }
}

/// [`Connection::transaction`], except that on SQLite the transaction holds the write lock from
/// its start (`BEGIN IMMEDIATE`). A deferred transaction takes it at its first write, and if
/// another process wrote since this one first read, SQLite fails it at once with "database is
/// locked" instead of waiting out the busy timeout. Taking the lock first lets two processes
/// write to one file.
///
/// The events the work staged (`services::events::record`) are appended last, just before the
/// commit: see `services::events` for why.
fn write_transaction<T, F>(conn: &mut DbConnection, f: F) -> AppResult<T>
where
    F: FnOnce(&mut DbConnection) -> AppResult<T>,
{
    type Transactions = <DbConnection as Connection>::TransactionManager;
    let _staging = crate::services::events::Staging::open();
    let work = |conn: &mut DbConnection| {
        let value = f(conn)?;
        crate::services::events::append_staged(conn)?;
        Ok(value)
    };
    let DbConnection::Sqlite(sqlite) = &mut *conn else {
        return conn.transaction(work);
    };
    AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
    match work(conn) {
        Ok(value) => {
            Transactions::commit_transaction(conn)?;
            Ok(value)
        }
        // As diesel's own `transaction`: the first error is the one worth reporting.
        Err(e) => match Transactions::rollback_transaction(conn) {
            Ok(()) | Err(diesel::result::Error::BrokenTransactionManager) => Err(e),
            Err(rollback) => Err(rollback.into()),
        },
    }
}

/// Whether a SQLite error says another connection holds the lock (SQLITE_BUSY; SQLite's own
/// messages are never translated).
pub(crate) fn is_locked(message: &str) -> bool {
    message.contains("database is locked")
}

/// Runs `f` until it succeeds, fails otherwise than on a locked SQLite file, or has been tried
/// five times. The pauses grow and vary, so that two processes that collided do not collide again.
fn retry_while_locked<T, E: std::fmt::Display>(mut f: impl FnMut() -> Result<T, E>) -> Result<T, E> {
    const ATTEMPTS: u64 = 5;
    let mut attempt = 1;
    loop {
        match f() {
            Err(e) if attempt < ATTEMPTS && is_locked(&e.to_string()) => {
                tracing::debug!(attempt, "the SQLite file is locked by another connection; trying again");
                std::thread::sleep(Duration::from_millis(50 * attempt + rand::random::<u64>() % 50));
                attempt += 1;
            }
            result => return result,
        }
    }
}

fn names(versions: Vec<diesel::migration::MigrationVersion<'_>>) -> Vec<String> {
    versions.into_iter().map(|v| v.to_string()).collect()
}

async fn run_blocking<T, F>(f: F) -> AppResult<T>
where
    T: Send + 'static,
    F: FnOnce() -> AppResult<T> + Send + 'static,
{
    tokio::task::spawn_blocking(f).await.map_err(|e| AppError::internal(format!("blocking task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn past_the_queue_bound_a_caller_is_refused_at_once_with_429() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("queue.db").to_string_lossy().into_owned();
        let options = PoolOptions { max_queued: 1, ..PoolOptions::new(1, Duration::from_secs(5)) };
        let db = Db::open(&url, options).unwrap();
        let (release, held) = std::sync::mpsc::channel::<()>();
        let holder = db.clone();
        let first = tokio::spawn(async move {
            holder
                .read(move |_| {
                    held.recv().ok();
                    Ok(())
                })
                .await
        });
        while db.queued.load(Ordering::Acquire) == 0 {
            tokio::task::yield_now().await;
        }
        let refused = db.read(|_| Ok(())).await;
        assert!(matches!(refused, Err(AppError::TooManyRequests { retry_after_secs: 1 })), "{refused:?}");
        release.send(()).unwrap();
        first.await.unwrap().unwrap();
        assert!(db.read(|_| Ok(())).await.is_ok(), "the place was given back");
    }

    #[test]
    fn only_our_schemes_and_file_paths_are_accepted() {
        for (url, backend) in [
            ("postgres://u@h/db", Backend::Postgres),
            ("postgresql://h/db", Backend::Postgres),
            ("sqlite://data/x.db", Backend::Sqlite),
            ("data/fairhire.db", Backend::Sqlite),
            ("/var/lib/fairhire/fairhire.db", Backend::Sqlite),
            ("./odd://name.db", Backend::Sqlite),
            (":memory:", Backend::Sqlite),
        ] {
            assert_eq!(Backend::of_url(url), Ok(backend), "{url}");
        }
        for url in ["postgress://u:secret@h/db", "mysql://h/db", "Postgres://h/db", "file:///tmp/x.db"] {
            let refusal = Backend::of_url(url).unwrap_err();
            assert!(refusal.contains(url.split("://").next().unwrap()) && !refusal.contains("secret"), "{refusal}");
            assert!(Manager::new(url).is_err());
        }
    }

    #[test]
    fn a_database_that_cannot_be_reached_is_answered_at_once_and_probed_once_at_a_time() {
        // Nothing listens on port 1: every connection is refused.
        let options = PoolOptions::new(2, Duration::from_millis(600));
        let db = Db::open("postgres://nobody@127.0.0.1:1/none", options).unwrap();
        let timed = |db: &Db| {
            let started = Instant::now();
            let err = db.conn().err().expect("no connection");
            assert!(matches!(err, AppError::Unavailable(_)), "{err:?}");
            started.elapsed()
        };
        // The first caller finds out by waiting out the timeout; the next are answered at once.
        assert!(timed(&db) >= Duration::from_millis(600));
        for _ in 0..5 {
            assert!(timed(&db) < Duration::from_millis(50));
        }
        assert_eq!(db.stats().checkout_timeouts, 1);
        // Past the interval one caller probes, briefly, while the others are still answered at once.
        std::thread::sleep(FAIL_FAST_FOR);
        let probe = {
            let db = db.clone();
            std::thread::spawn(move || timed(&db))
        };
        std::thread::sleep(Duration::from_millis(50));
        assert!(timed(&db) < Duration::from_millis(50), "a second probe at once");
        let probed = probe.join().unwrap();
        assert!(probed >= PROBE_TIMEOUT && probed < Duration::from_millis(600), "{probed:?}");
        assert!(timed(&db) < Duration::from_millis(50), "the failed probe starts a new interval");
        assert_eq!(db.stats(), PoolStats { idle: 0, in_use: 0, waiting: 0, checkout_timeouts: 2 });
    }

    #[test]
    fn a_busy_pool_is_not_taken_for_an_unreachable_database() {
        let dir = tempfile::tempdir().unwrap();
        let url = dir.path().join("busy.db").to_string_lossy().into_owned();
        let db = Db::open(&url, PoolOptions::new(1, Duration::from_millis(100))).unwrap();
        let held = db.conn().unwrap();
        assert_eq!(db.stats(), PoolStats { idle: 0, in_use: 1, waiting: 0, checkout_timeouts: 0 });
        assert!(db.conn().is_err(), "every connection is in use");
        drop(held);
        // No failure to connect was seen: the next caller waits for a connection as usual.
        assert!(db.conn().is_ok());
        assert_eq!(db.stats().checkout_timeouts, 1);
    }

    #[test]
    fn the_logged_target_has_host_and_database_but_no_credentials() {
        let target = |url: &str| Target::of(Backend::of_url(url).unwrap(), url);
        assert_eq!(
            target("postgres://app:pa/ss?w@localhost/registry"),
            Target::Postgres { host: "localhost".into(), database: "registry".into() }
        );
        assert_eq!(
            target("postgres://app:s3cret@db.internal:5433/registry?sslmode=require&password=other"),
            Target::Postgres { host: "db.internal:5433".into(), database: "registry".into() }
        );
        assert_eq!(
            target("postgresql:///registry?host=/run/postgresql"),
            Target::Postgres { host: "/run/postgresql".into(), database: "registry".into() }
        );
        assert_eq!(
            target("postgres://p%40ss:w@rd@[::1]"),
            Target::Postgres { host: "[::1]".into(), database: "(default)".into() }
        );
        assert_eq!(target("data/fairhire.db"), Target::Sqlite { path: "data/fairhire.db".into() });
    }
}
