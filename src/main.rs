//! The `fairhire` command line.

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use clap::{Parser, Subcommand};

use fairhire::clock::{Clock, SystemClock};
use fairhire::config::Config;
use fairhire::domain::roles::Role;
use fairhire::error::AppError;
use fairhire::services::clients::{self, ClientInput};

#[derive(Parser)]
#[command(name = "fairhire", version, about = "Recruitment-integrity due diligence service")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP service (applies pending migrations first unless configured not to).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080, or FAIRHIRE_BIND).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage API clients.
    Client {
        #[command(subcommand)]
        command: ClientCommand,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Apply the automatic certification rules (suspension, withdrawal, expiry) once, as of now.
    Sweep,
    /// Fill an empty database with a realistic demo registry and print what it made as JSON.
    SeedDemo {
        /// How many agencies in all: 300 tell the certification stories; past those, agencies
        /// are registered only (never certified), as most of a national registry is.
        #[arg(long, value_name = "N")]
        agencies: Option<usize>,
    },
    /// Re-walk the event log's hash chain; print the report as JSON. Exits 1, naming the first
    /// broken link, if the chain does not hold.
    VerifyLog,
}

#[derive(Subcommand)]
enum ClientCommand {
    /// Create an API client and print its id and secret as JSON (the secret is shown only once).
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, value_parser = parse_role)]
        role: Role,
        #[arg(long = "certification-body")]
        certification_body: Option<String>,
        #[arg(long)]
        agency: Option<String>,
        /// Staff reference of the person using the client (for the four-eyes rule).
        #[arg(long = "person-ref")]
        person_ref: Option<String>,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| "expected one of: admin, auditor, certifier, agency, integrator".into())
}

/// Why a command failed, which decides the exit code.
enum Failure {
    /// The input is not valid (exit 2, as clap exits for its own parse errors).
    Usage(String),
    /// Anything else (exit 1).
    Failed(String),
}

impl From<String> for Failure {
    fn from(reason: String) -> Self {
        Failure::Failed(reason)
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (code, reason) = match run(cli) {
        Ok(()) => return ExitCode::SUCCESS,
        Err(Failure::Usage(reason)) => (2, reason),
        Err(Failure::Failed(reason)) => (1, reason),
    };
    // One line, as documented: some causes (libpq's) span several.
    let reason = reason.lines().map(str::trim).filter(|line| !line.is_empty()).collect::<Vec<_>>().join(" ");
    eprintln!("fairhire: {reason}");
    ExitCode::from(code)
}

/// A failed `client create`: invalid input is a usage error naming the flags to fix.
fn client_failure(error: AppError) -> Failure {
    match error {
        AppError::Validation(errors) => Failure::Usage(
            errors.iter().map(|e| format!("{}: {}", flag_of(&e.field), e.message)).collect::<Vec<_>>().join("; "),
        ),
        other => Failure::Failed(other.to_string()),
    }
}

/// The `client create` flag that sets a field of the client's input.
fn flag_of(field: &str) -> &str {
    match field {
        "name" => "--name",
        "role" => "--role",
        "certification_body_id" => "--certification-body",
        "agency_id" => "--agency",
        "person_ref" => "--person-ref",
        other => other,
    }
}

fn load_config() -> Result<Config, String> {
    Config::load().map_err(|e| format!("configuration: {e}"))
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Serve { bind } => {
            let mut config = load_config()?;
            if let Some(bind) = bind {
                config.bind = bind;
            }
            fairhire::telemetry::init(config.log_format);
            Ok(serve(config)?)
        }
        Command::Migrate => {
            let config = load_config()?;
            let db = fairhire::db::Db::connect(&config.effective_database_url(), 1)?;
            let applied = db.migrate()?;
            println!("applied {} migration(s)", applied.len());
            Ok(())
        }
        Command::Client { command: ClientCommand::Create { name, role, certification_body, agency, person_ref } } => {
            let mut config = load_config()?;
            config.db_pool_size = 1;
            let state = fairhire::prepare(config, Arc::new(SystemClock))?;
            let input =
                ClientInput { name, role, certification_body_id: certification_body, agency_id: agency, person_ref };
            let now = SystemClock.now();
            let created = state
                .db
                .write_blocking(|conn| clients::create_with_secret(conn, input, None, now))
                .map_err(client_failure)?;
            println!("{}", serde_json::to_string_pretty(&created).map_err(|e| e.to_string())?);
            Ok(())
        }
        Command::Sweep => {
            let mut config = load_config()?;
            config.db_pool_size = 1;
            let state = fairhire::prepare(config, Arc::new(SystemClock))?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot start the runtime: {e}"))?;
            let report = runtime.block_on(fairhire::jobs::sweeper::sweep_once(&state)).map_err(|e| e.to_string())?;
            println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
            Ok(())
        }
        Command::SeedDemo { agencies } => {
            let mut config = load_config()?;
            config.db_pool_size = 1;
            let state = fairhire::prepare(config, Arc::new(SystemClock))?;
            // The storied registry in one transaction; registry-only agencies in batches after it.
            let summary = fairhire::seed::run(&state.db, SystemClock.now(), agencies).map_err(|e| match e {
                AppError::Conflict(reason) => reason,
                other => other.to_string(),
            })?;
            println!("{}", serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?);
            Ok(())
        }
        Command::VerifyLog => {
            let mut config = load_config()?;
            config.db_pool_size = 1;
            let state = fairhire::prepare(config, Arc::new(SystemClock))?;
            let mut conn = state.db.conn().map_err(|e| e.to_string())?;
            let report = fairhire::services::events::verify(&mut conn).map_err(|e| e.to_string())?;
            println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
            match (report.first_broken_sequence, report.problem) {
                (Some(sequence), Some(problem)) => {
                    Err(format!("the event log is broken at event {sequence}: {problem}").into())
                }
                _ => Ok(()),
            }
        }
        Command::Openapi => {
            let doc = fairhire::api::openapi().to_pretty_json().map_err(|e| e.to_string())?;
            println!("{doc}");
            Ok(())
        }
    }
}

fn serve(config: Config) -> Result<(), String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let listener = TcpListener::bind(&config.bind).map_err(|e| format!("cannot bind {}: {e}", config.bind))?;
    let state = fairhire::prepare(config, Arc::new(SystemClock))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    tracing::info!(address = %addr, "fairhire listening");
    let bound = Duration::from_secs(state.config.shutdown_timeout_seconds);
    let (served, deadline) = runtime.block_on(async move {
        // Listening before anything starts: a signal that came while nothing handled it yet
        // would end the process at once, with webhook deliveries left claimed.
        let signals = match StopSignals::listen() {
            Ok(signals) => signals,
            Err(e) => return (Err(e), tokio::time::Instant::now()),
        };
        let jobs = state.jobs.clone();
        // `start` gives the HTTP server the same bound (`shutdown_timeout`) for its requests.
        let server = match fairhire::start(state, listener) {
            Ok(server) => server,
            Err(e) => return (Err(e), tokio::time::Instant::now()),
        };
        let handle = server.handle();
        let (deadline_tx, mut deadline_rx) = tokio::sync::oneshot::channel();
        tokio::spawn(async move {
            let graceful = signals.stop_requested().await;
            let _ = deadline_tx.send(tokio::time::Instant::now() + bound);
            handle.stop(graceful).await;
        });
        let served = server.await.map_err(|e| format!("server stopped: {e}"));
        // Before the process exits: the dispatcher finishes the attempts in flight and gives
        // back its claims, so that no delivery waits for a claim to expire; with what is left
        // of the bound, counted from the signal (sent before the server was told to stop).
        let deadline = deadline_rx.try_recv().unwrap_or_else(|_| tokio::time::Instant::now() + bound);
        if tokio::time::timeout_at(deadline, jobs.stop()).await.is_err() {
            tracing::warn!(
                shutdown_timeout_seconds = bound.as_secs(),
                "the background jobs did not finish within the shutdown timeout; the webhook claims still held \
                 expire by themselves"
            );
        }
        (served, deadline)
    });
    // Not even a blocking task still running (a query) may keep the process past the bound.
    runtime.shutdown_timeout(deadline.into_std().saturating_duration_since(std::time::Instant::now()));
    served
}

/// The signals that stop `fairhire serve`: SIGTERM (what an orchestrator sends) stops the HTTP
/// server gracefully, letting the requests in progress finish; SIGINT and SIGQUIT stop it at
/// once. Either way the background jobs then finish what they are doing. All of it within
/// `shutdown_timeout_seconds` of the signal; the process then exits 0. A second signal ends
/// the process there and then (exit 1).
#[cfg(unix)]
struct StopSignals {
    terminate: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
    quit: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl StopSignals {
    fn listen() -> Result<StopSignals, String> {
        use tokio::signal::unix::{SignalKind, signal};
        let listen = |kind: SignalKind| signal(kind).map_err(|e| format!("cannot listen for signals: {e}"));
        Ok(StopSignals {
            terminate: listen(SignalKind::terminate())?,
            interrupt: listen(SignalKind::interrupt())?,
            quit: listen(SignalKind::quit())?,
        })
    }

    /// Waits for the first signal; true when it asks for a graceful stop. Then watches for a
    /// second one.
    async fn stop_requested(mut self) -> bool {
        let (name, graceful) = tokio::select! {
            _ = self.terminate.recv() => ("SIGTERM", true),
            _ = self.interrupt.recv() => ("SIGINT", false),
            _ = self.quit.recv() => ("SIGQUIT", false),
        };
        tracing::info!(signal = name, graceful, "stopping: the HTTP server first, then the background jobs");
        tokio::spawn(async move {
            tokio::select! {
                _ = self.terminate.recv() => {}
                _ = self.interrupt.recv() => {}
                _ = self.quit.recv() => {}
            }
            tracing::warn!("a second signal: exiting now; webhook claims still held expire by themselves");
            std::process::exit(1);
        });
        graceful
    }
}

#[cfg(not(unix))]
struct StopSignals;

#[cfg(not(unix))]
impl StopSignals {
    fn listen() -> Result<StopSignals, String> {
        Ok(StopSignals)
    }

    async fn stop_requested(self) -> bool {
        let _ = tokio::signal::ctrl_c().await;
        tracing::info!("stopping: the HTTP server first, then the background jobs");
        false
    }
}
