//! What every request handler can reach.

use std::sync::Arc;

use crate::api::answers::Answers;
use crate::auth::keys::KeySet;
use crate::auth::sealing::DataKey;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Db;
use crate::jobs::Jobs;
use crate::metrics::Metrics;
use crate::search::SearchIndex;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    /// Where evidence files' contents are kept.
    pub blobs: crate::blobs::Blobs,
    pub keys: Arc<KeySet>,
    /// Seals secrets the service must use again (webhook signing secrets).
    pub data_key: Arc<DataKey>,
    pub config: Arc<Config>,
    pub clock: SharedClock,
    /// The background jobs `fairhire::start` spawned (the webhook dispatcher, the sweeper) and
    /// the signal that stops them.
    pub jobs: Jobs,
    /// The registry's name search, kept current from the event log.
    pub search: Arc<SearchIndex>,
    /// Public records, attestations and due diligence kept in memory, current with the log.
    pub(crate) answers: Arc<Answers>,
    /// What `GET /metrics` reports; this application's own.
    pub metrics: Arc<Metrics>,
}
