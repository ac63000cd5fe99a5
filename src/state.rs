//! What every request handler can reach.

use std::sync::Arc;

use crate::auth::keys::KeySet;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Db;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub keys: Arc<KeySet>,
    pub config: Arc<Config>,
    pub clock: SharedClock,
}
