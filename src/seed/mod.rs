//! The demo registry behind `fairhire seed-demo`: certification bodies with their auditors and
//! certifiers, about 300 recruitment agencies on real migration corridors, and each agency's
//! story through the certification cycle, told with the functions the API itself uses
//! (applications, audits finalized and scored, corrective actions, certification decisions).
//!
//! Everything is drawn from one seeded random generator, so every run tells the same stories
//! (ids, certificate numbers and client secrets aside). All dates are relative to the `now`
//! passed in, so the registry always looks current: each story is played forward with explicit
//! times in the past, and the automatic rules are then applied once, as of `now`, by
//! [`certification::sweep`]. Every change goes through the same services as the API's. Expired, withdrawn and some suspended agencies get there by the
//! real rules.

mod audits;
mod bulk;
mod origins;
mod registry;
mod stories;
mod texts;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Months, Utc};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::Serialize;

use crate::db::{Db, DbConnection};
use crate::domain::agency::CertificationStatus;
use crate::domain::assessment::AssessmentStatus;
use crate::domain::corrective::{ActionStatus, is_overdue};
use crate::domain::standard::StandardContent;
use crate::error::{AppError, AppResult};
use crate::seed::registry::DemoBody;
use crate::services::certification::{self, SweepReport};
use crate::store;

/// Why a second seed is refused.
pub const NOT_EMPTY: &str = "the registry is not empty";

/// The generator's seed: the same registry every time.
pub(super) const SEED: u64 = 2026;
/// The actor the event log records for what the demo seed registers itself.
pub(super) const ACTOR: &str = "seed-demo";

type Time = DateTime<Utc>;

/// What the seed made, as counts.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub as_of: Time,
    pub agencies: usize,
    /// Of `agencies`, those registered only, past the ones with stories (`--agencies`).
    pub registry_only: usize,
    pub certification_status: StatusCounts,
    pub certificates: usize,
    pub certification_bodies: BodyCounts,
    pub api_clients: usize,
    pub applications: usize,
    pub assessments: AssessmentCounts,
    pub findings: usize,
    pub corrective_actions: ActionCounts,
    /// What the final sweep as of `as_of` changed.
    pub sweep: SweepCounts,
    pub note: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct StatusCounts {
    pub never_certified: usize,
    pub applicant: usize,
    pub certified: usize,
    pub suspended: usize,
    pub withdrawn: usize,
    pub expired: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct BodyCounts {
    pub accredited: usize,
    pub pending: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct AssessmentCounts {
    pub total: usize,
    pub finalized: usize,
    pub submitted: usize,
    pub draft: usize,
    pub by_kind: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ActionCounts {
    pub total: usize,
    pub open: usize,
    pub plan_submitted: usize,
    pub evidence_submitted: usize,
    pub verified: usize,
    /// Of those not verified, how many are overdue as of `as_of`.
    pub overdue: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SweepCounts {
    pub suspended: usize,
    pub withdrawn: usize,
    pub expired: usize,
    pub lapsed_applications: usize,
}

/// Seeds the registry: the agencies with stories in one transaction (all of them are kept, or
/// none), then, when `agencies` asks for more than those, registry-only agencies up to that
/// total in batches (see `bulk`). Fewer than the storied agencies tells fewer stories.
pub fn run(db: &Db, now: Time, agencies: Option<usize>) -> AppResult<Summary> {
    let mut summary = db.write_blocking(|c| seed(c, now, agencies))?;
    if let Some(more) = agencies.and_then(|n| n.checked_sub(summary.agencies)).filter(|n| *n > 0) {
        let registered = bulk::register(db, now, more)?;
        summary.agencies += registered;
        summary.registry_only = registered;
        summary.certification_status.never_certified += registered;
    }
    Ok(summary)
}

/// Seeds the storied registry (at most `limit` agencies) inside the caller's transaction.
/// Refuses (409) when it already holds an agency.
fn seed(c: &mut DbConnection, now: Time, limit: Option<usize>) -> AppResult<Summary> {
    if !store::agencies::search(c, &store::agencies::Filter::default(), None, 1)?.is_empty() {
        return Err(AppError::Conflict(NOT_EMPTY.into()));
    }
    let standard = store::standards::latest_published(c)?
        .ok_or_else(|| AppError::Conflict("there is no published standard to audit against".into()))?;
    let standard = standard.content.into_inner();
    let mut seeder = Seeder::new(now, standard);
    seeder.bodies(c)?;
    let mut agencies = seeder.agencies()?;
    agencies.truncate(limit.unwrap_or(usize::MAX));
    let stories = seeder.stories(agencies.len());
    for (agency, story) in agencies.into_iter().zip(stories) {
        seeder.tell(c, agency, story)?;
    }
    let report = certification::sweep(c, now)?;
    seeder.summary(c, &report)
}

// ---------------------------------------------------------------------------------------------
// The seeder

#[derive(Default)]
struct Tally {
    clients: usize,
    applications: usize,
    findings: usize,
}

/// The generator: one random stream, the bodies made so far and the counts. Its methods live
/// with what they make: the bodies and agencies in `registry`, each agency's story in `stories`,
/// assessments and corrective actions in `audits`; the time helpers and the summary are here.
struct Seeder {
    rng: StdRng,
    now: Time,
    standard: StandardContent,
    bodies: Vec<DemoBody>,
    pending_bodies: usize,
    tally: Tally,
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

fn months_before(t: Time, months: u32) -> Time {
    t.checked_sub_months(Months::new(months)).unwrap_or(t)
}

fn internal(what: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("demo seed: {what}"))
}

impl Seeder {
    fn new(now: Time, standard: StandardContent) -> Seeder {
        Seeder {
            rng: StdRng::seed_from_u64(SEED),
            now,
            standard,
            bodies: Vec::new(),
            pending_bodies: 0,
            tally: Tally::default(),
        }
    }

    // --- time ---------------------------------------------------------------------------------

    /// `t`'s day, at a minute of the working day in the origin countries (02:00 to 11:00 UTC).
    fn working_hours(&mut self, t: Time) -> Time {
        let day = t.date_naive().and_hms_opt(2, 0, 0).unwrap_or_default().and_utc();
        day + Duration::minutes(self.rng.gen_range(0..=540))
    }

    fn days_ago(&mut self, lo: i64, hi: i64) -> Time {
        let t = self.now - days(self.rng.gen_range(lo..=hi));
        self.working_hours(t).min(self.now - Duration::minutes(5))
    }

    /// `lo` to `hi` days (at least one) after `t`.
    fn after(&mut self, t: Time, lo: i64, hi: i64) -> Time {
        let t = t + days(self.rng.gen_range(lo.max(1)..=hi.max(1)));
        self.working_hours(t)
    }

    /// `lo` to `hi` days (at least one) before `t`.
    fn before(&mut self, t: Time, lo: i64, hi: i64) -> Time {
        let t = t - days(self.rng.gen_range(lo.max(1)..=hi.max(1)));
        self.working_hours(t)
    }

    /// `t`, or a day or two ago if `t` is not safely in the past.
    fn in_past(&mut self, t: Time) -> Time {
        if t < self.now - Duration::hours(6) { t } else { self.days_ago(1, 2) }
    }

    /// One of `items`, which are the seed's constant lists.
    #[allow(clippy::expect_used)] // every list passed is a non-empty constant
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        *items.choose(&mut self.rng).expect("a non-empty list")
    }

    /// A reference to one of `items`, a constant list of the seed.
    #[allow(clippy::expect_used)] // every list passed is a non-empty constant
    fn pick_ref<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        items.choose(&mut self.rng).expect("a non-empty list")
    }

    fn digits(&mut self, pattern: &str) -> String {
        pattern.chars().map(|c| if c == '#' { char::from(b'0' + self.rng.gen_range(0..10u8)) } else { c }).collect()
    }

    // --- the summary ---------------------------------------------------------------------------

    fn summary(&self, c: &mut DbConnection, report: &SweepReport) -> AppResult<Summary> {
        let agencies = store::agencies::search(c, &store::agencies::Filter::default(), None, 1_000_000)?;
        let mut status = StatusCounts::default();
        for agency in &agencies {
            let counter = match agency.certification_status {
                CertificationStatus::NeverCertified => &mut status.never_certified,
                CertificationStatus::Applicant => &mut status.applicant,
                CertificationStatus::Certified => &mut status.certified,
                CertificationStatus::Suspended => &mut status.suspended,
                CertificationStatus::Withdrawn => &mut status.withdrawn,
                CertificationStatus::Expired => &mut status.expired,
            };
            *counter += 1;
        }
        let ids: Vec<String> = agencies.iter().map(|a| a.id.clone()).collect();
        let certificates = store::certifications::certificates_of(c, &ids)?.len();
        let mut assessments = AssessmentCounts::default();
        let rows = store::assessments::page(
            c,
            &store::assessments::Visibility::All,
            &store::assessments::Filter::default(),
            None,
            1_000_000,
        )?;
        for row in &rows {
            assessments.total += 1;
            match row.status {
                AssessmentStatus::Finalized => assessments.finalized += 1,
                AssessmentStatus::Submitted => assessments.submitted += 1,
                _ => assessments.draft += 1,
            }
            *assessments.by_kind.entry(row.kind.to_string()).or_default() += 1;
        }
        let mut actions = ActionCounts::default();
        let rows = store::corrective_actions::page(c, &store::corrective_actions::Filter::default(), None, 1_000_000)?;
        for row in &rows {
            actions.total += 1;
            match row.status {
                ActionStatus::Open => actions.open += 1,
                ActionStatus::PlanSubmitted => actions.plan_submitted += 1,
                ActionStatus::EvidenceSubmitted => actions.evidence_submitted += 1,
                ActionStatus::Verified => actions.verified += 1,
            }
            if is_overdue(row.status, row.plan_due, row.closure_due, self.now) {
                actions.overdue += 1;
            }
        }
        Ok(Summary {
            as_of: self.now,
            agencies: agencies.len(),
            registry_only: 0,
            certification_status: status,
            certificates,
            certification_bodies: BodyCounts { accredited: self.bodies.len(), pending: self.pending_bodies },
            api_clients: self.tally.clients,
            applications: self.tally.applications,
            assessments,
            findings: self.tally.findings,
            corrective_actions: actions,
            sweep: SweepCounts {
                suspended: report.suspended.len(),
                withdrawn: report.withdrawn.len(),
                expired: report.expired.len(),
                lapsed_applications: report.lapsed_applications,
            },
            note: "The demo's API clients (an auditor, a certifier and a reviewer per accredited body, and a few agencies) \
                   have secrets nobody was shown, so they cannot log in. Create your own with \
                   `fairhire client create`."
                .into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// A seeder as of a fixed `now`, for the unit tests of every part.
    pub(super) fn seeder() -> Seeder {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 9, 30, 0).unwrap();
        Seeder::new(now, StandardContent::default_standard().unwrap())
    }
}
