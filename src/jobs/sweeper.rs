//! Applies the automatic certification rules and the retention policy periodically (and once, from `fairhire sweep`).
//! Each pass is one transaction and idempotent, so several instances sweeping at once, or a
//! pass repeated after a crash, change nothing twice.

use std::time::Duration;

use crate::error::AppResult;
use crate::services::certification::{self, SweepReport};
use crate::services::{evidence_files, retention};
use crate::state::AppState;

/// One pass, as of the application clock.
pub async fn sweep_once(state: &AppState) -> AppResult<SweepReport> {
    let now = state.clock.now();
    let mut report = state.db.write(move |c| certification::sweep(c, now)).await?;
    let policy = state.config.retention;
    let erased = state.db.write(move |c| retention::sweep(c, &policy, now)).await?;
    for sha256 in &erased.release {
        // The records are erased and committed; contents that fail to go now are logged (no
        // path or name) and stay unreadable through the API, which answers 410 for them.
        if let Err(e) = evidence_files::release(&state.db, &state.blobs, sha256).await {
            tracing::error!(error = %e, "retention sweep could not delete erased evidence contents");
        }
    }
    report.personal_data_erased = erased.done;
    // Measured by the wall clock, like the files' own times, not the application's clock.
    match state.blobs.remove_stale_uploads(chrono::Utc::now() - crate::blobs::STALE_UPLOAD).await {
        Ok(0) => {}
        Ok(removed) => tracing::info!(removed, "removed uploads a crash left unfinished"),
        Err(e) => tracing::error!(error = %e, "could not remove unfinished uploads"),
    }
    let erased = &report.personal_data_erased;
    if erased.report_contacts + erased.agency_contacts + erased.evidence_files > 0 {
        tracing::info!(
            report_contacts = erased.report_contacts,
            agency_contacts = erased.agency_contacts,
            evidence_files = erased.evidence_files,
            "retention sweep erased personal data"
        );
    }
    let changed = report.suspended.len() + report.withdrawn.len() + report.expired.len() + report.lapsed_applications;
    if changed > 0 {
        tracing::info!(
            suspended = report.suspended.len(),
            withdrawn = report.withdrawn.len(),
            expired = report.expired.len(),
            lapsed_applications = report.lapsed_applications,
            "certification sweep applied rules"
        );
    }
    Ok(report)
}

/// Sweeps every `every` until the application's jobs are stopped. A failed pass is logged and
/// retried next time.
pub fn spawn(state: AppState, every: Duration) {
    let jobs = state.jobs.clone();
    let mut stop = jobs.stopping();
    jobs.track(tokio::spawn(async move {
        loop {
            let swept = sweep_once(&state).await;
            state.metrics.sweeper_run(swept.is_ok());
            if let Err(e) = swept {
                tracing::error!(error = %e, "certification sweep failed");
            }
            if crate::jobs::pause_unless_stopped(&mut stop, every).await {
                break;
            }
        }
    }));
}
