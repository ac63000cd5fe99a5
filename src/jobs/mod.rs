//! Background work that runs beside the HTTP server.

pub mod dispatcher;
pub mod sweeper;

use std::sync::{Arc, Mutex};

use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The background jobs of one application, and the signal that stops them.
///
/// `fairhire::start` spawns the jobs; whoever runs the application calls [`Jobs::stop`] once the
/// HTTP server has stopped (`fairhire serve` after SIGTERM or SIGINT, a test that stops an app).
/// The webhook dispatcher then claims nothing more, finishes the attempts in flight and gives
/// back its claims, so that a process that is stopped leaves no delivery waiting on a claim.
#[derive(Clone)]
pub struct Jobs {
    inner: Arc<Inner>,
}

struct Inner {
    stop: watch::Sender<bool>,
    running: Mutex<Vec<JoinHandle<()>>>,
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs { inner: Arc::new(Inner { stop: watch::Sender::new(false), running: Mutex::new(Vec::new()) }) }
    }
}

impl Jobs {
    /// What a job watches: it turns true when the job should stop.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.inner.stop.subscribe()
    }

    /// Keeps a job's handle, so that [`stop`](Self::stop) waits for it.
    pub fn track(&self, job: JoinHandle<()>) {
        self.inner.running.lock().unwrap_or_else(|p| p.into_inner()).push(job);
    }

    /// Asks every job to stop and waits until they have. Calling it again waits for nothing.
    pub async fn stop(&self) {
        self.inner.stop.send_replace(true);
        let running = std::mem::take(&mut *self.inner.running.lock().unwrap_or_else(|p| p.into_inner()));
        for job in running {
            if let Err(e) = job.await {
                tracing::error!(error = %e, "a background job ended abnormally");
            }
        }
    }
}

/// Waits `pause`, or less if the jobs are asked to stop meanwhile; true when they are.
pub(crate) async fn pause_unless_stopped(stop: &mut watch::Receiver<bool>, pause: std::time::Duration) -> bool {
    if *stop.borrow_and_update() {
        return true;
    }
    tokio::select! {
        () = tokio::time::sleep(pause) => *stop.borrow(),
        // An error means the sender is gone, with the application: stop too.
        changed = stop.changed() => changed.is_err() || *stop.borrow(),
    }
}
