//! fairhire: a recruitment-integrity due-diligence service. The binary and the tests build the
//! application through [`prepare`] and [`start`], so both run the same code.

pub mod api;
pub mod auth;
pub mod blobs;
pub mod cache;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod jobs;
pub mod metrics;
pub mod search;
pub mod seed;
pub mod services;
pub mod state;
pub mod store;
pub mod telemetry;
pub mod web;
pub mod webhooks;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::middleware::from_fn;
use actix_web::{App, HttpResponse, HttpServer};
// `web` names the crate's pages module, so actix's `web` items are imported by name.
use actix_web::web::{Data, get, to};
use utoipa_swagger_ui::SwaggerUi;

use crate::api::fallback::RouteTable;
use crate::api::middleware::{RateLimits, cross_origin, head_as_get, rate_limit, request_context};
use crate::auth::keys::KeySet;
use crate::auth::sealing::DataKey;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Db;
use crate::state::AppState;

/// Opens the database (migrating it when configured) and loads the signing keys.
pub fn prepare(config: Config, clock: SharedClock) -> Result<AppState, String> {
    let pool = db::PoolOptions {
        size: config.db_pool_size,
        checkout_timeout: std::time::Duration::from_millis(config.db_pool_timeout_ms),
        max_queued: config.db_max_queued,
    };
    let db = Db::connect_with(&config.effective_database_url(), pool)?;
    if config.migrate_on_start {
        let applied = db.migrate()?;
        if !applied.is_empty() {
            tracing::info!(count = applied.len(), "applied migrations");
        }
    }
    let now = clock.now();
    if db
        .write_blocking(|c| services::standards::ensure_default(c, now))
        .map_err(|e| format!("loading the default standard: {e}"))?
    {
        tracing::info!("loaded the default standard");
    }
    let keys = KeySet::load_or_generate(&config.signing_key_path(), &config.jwt.previous_public_key_files)?;
    let data_key = DataKey::load_or_generate(&config.data_key_path())?;
    let config_cache = config.cache.clone();
    let blobs = blobs::Blobs::from_config(&config)?;
    Ok(AppState {
        db,
        blobs,
        keys: Arc::new(keys),
        data_key: Arc::new(data_key),
        config: Arc::new(config),
        clock,
        jobs: jobs::Jobs::default(),
        search: Arc::default(),
        answers: Arc::new(api::answers::Answers::new(&config_cache)),
        metrics: Arc::new(metrics::Metrics::new()?),
    })
}

/// Starts serving on `listener`. The returned server runs until stopped through its handle
/// (`Server::handle`); it does not listen for signals itself, since stopping the process takes
/// more than stopping the server (`fairhire serve` does both on SIGTERM). Call it inside a
/// Tokio runtime: it also starts the rate limiter's housekeeping task and the background jobs
/// (the sweeper, the webhook dispatcher). Once the server has stopped, call `state.jobs.stop()`
/// and await it: the dispatcher finishes its attempts in flight and gives back its claims.
pub fn start(state: AppState, listener: TcpListener) -> Result<actix_web::dev::Server, String> {
    // The search index is built now, on a blocking thread, so that the first search need not
    // (a search that comes sooner waits for it). Nothing here waits for the database: one that
    // is down must not keep the service from starting, as it answers 503 until the database is
    // back, and the first search then builds the index.
    let index_state = state.clone();
    tokio::spawn(async move {
        let started = std::time::Instant::now();
        let index = index_state.search.clone();
        match index_state.db.read(move |c| index.catch_up(c)).await {
            Ok(()) => {
                let ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
                tracing::info!(agencies = index_state.search.len(), ms, "built the search index");
            }
            Err(e) => tracing::warn!(error = %e, "the search index will be built by the first search"),
        }
    });
    // The read cache's tail: it reads the log's head now, then every `cache.poll_ms`.
    let poll = std::time::Duration::from_millis(state.config.cache.poll_ms.max(1));
    cache::spawn_tail(state.answers.tail.clone(), state.db.clone(), poll, &state.jobs);
    let doc = api::openapi();
    let routes = Data::new(RouteTable::from_openapi(&doc));
    let document = actix_web::web::Bytes::from(doc.to_json().map_err(|e| format!("the OpenAPI document: {e}"))?);
    drop(doc);
    let limits = Data::new(RateLimits::new(&state.config));
    let sweep = limits.clone();
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(std::time::Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            sweep.forget_idle();
        }
    });
    let jobs_state = state.clone();
    let shutdown_timeout = state.config.shutdown_timeout_seconds;
    let state = Data::new(state);
    let server = HttpServer::new(move || {
        // The page only; the document it reads is served once for all workers (below), not
        // kept and serialized again by each worker.
        let docs = SwaggerUi::new("/docs/{_:.*}")
            // The default validator badge calls an outside service; the page must work offline.
            .config(utoipa_swagger_ui::Config::new(["/openapi.json"]).validator_url("none"));
        let document = document.clone();
        App::new()
            .app_data(state.clone())
            .app_data(routes.clone())
            .app_data(limits.clone())
            .configure(|cfg| api::routes(&mut utoipa_actix_web::service_config::ServiceConfig::new(cfg)))
            .configure(web::routes)
            .service(docs)
            .route(
                "/openapi.json",
                get().to(move || {
                    let document = document.clone();
                    async move { HttpResponse::Ok().content_type("application/json").body(document) }
                }),
            )
            .route(
                "/docs",
                get().to(|| async { HttpResponse::PermanentRedirect().insert_header(("location", "/docs/")).finish() }),
            )
            .default_service(to(api::fallback::not_matched))
            .wrap(from_fn(head_as_get))
            .wrap(from_fn(rate_limit))
            .wrap(from_fn(request_context))
            .wrap(from_fn(cross_origin))
    })
    .disable_signals()
    // A graceful stop waits this long at most for the requests in progress (idle keep-alive
    // connections are closed at once); past it they are cut.
    .shutdown_timeout(shutdown_timeout)
    .listen(listener)
    .map_err(|e| format!("cannot listen: {e}"))?
    .run();
    // The jobs start once the server could listen, so that a start that fails leaves none running.
    if jobs_state.config.sweep_interval_seconds > 0 {
        let every = std::time::Duration::from_secs(jobs_state.config.sweep_interval_seconds);
        jobs::sweeper::spawn(jobs_state.clone(), every);
    }
    if jobs_state.config.webhooks.dispatch {
        let dispatcher = jobs::dispatcher::spawn(jobs_state.clone())?;
        jobs_state.jobs.track(dispatcher);
    }
    Ok(server)
}
