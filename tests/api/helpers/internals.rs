//! THE ONLY PLACES TESTS REACH UNDER THE HTTP API.
//!
//! Everything here touches the library's internals (`fairhire::store` rows and functions, the
//! sweeper job, the demo seeder, `fairhire::error`, webhook subscriptions and their outbox) so
//! that no test file has to. When those
//! internals change, only this file changes: each function names what it uses.

use chrono::{DateTime, Utc};
use fairhire::auth::Principal;
use fairhire::auth::tokens::{self, Subject};
use fairhire::domain::agency::CertificationStatus;
use fairhire::domain::events::EventType;
use fairhire::domain::roles::Role;
use fairhire::error::{AppError, AppResult};
use fairhire::seed::Summary;
use fairhire::services;
use fairhire::services::certification::SweepReport;
use fairhire::services::events::Draft;
use fairhire::services::webhooks::{self, SubscriptionInput};
use fairhire::store;
use fairhire::store::agencies::Filter;
use fairhire::store::certifications::CertificateRow;
use fairhire::store::clients::ClientRow;
use fairhire::webhooks::signing::WebhookSecret;
use uuid::Uuid;

use super::TestApp;

// ---------------------------------------------------------------------------------------------
// API clients

impl TestApp {
    /// Stores an API client directly and returns its id. The secret hash is a placeholder: such
    /// a client cannot log in through the token endpoint, only use tokens minted by
    /// [`token_for`](Self::token_for).
    ///
    /// Uses `store::clients::{ClientRow, insert}`.
    pub async fn insert_client(&self, role: Role, cb: Option<&str>, agency: Option<&str>) -> String {
        let row = ClientRow {
            id: Uuid::now_v7().to_string(),
            name: format!("test {}", role.as_str()),
            role,
            certification_body_id: cb.map(str::to_owned),
            agency_id: agency.map(str::to_owned),
            secret_hash: "unusable".into(),
            created_by: None,
            created_at: Utc::now(),
            revoked_at: None,
            person_ref: None,
        };
        let id = row.id.clone();
        self.state.db.write(move |conn| store::clients::insert(conn, &row)).await.expect("insert client");
        id
    }

    /// A valid token, signed with the app's key, for a new client of `role`.
    ///
    /// Uses [`insert_client`](Self::insert_client) and `fairhire::auth::tokens::issue`.
    pub async fn token_for(&self, role: Role, cb: Option<&str>, agency: Option<&str>) -> String {
        let id = self.insert_client(role, cb, agency).await;
        let subject = Subject { client_id: &id, role, certification_body_id: cb, agency_id: agency };
        tokens::issue(&self.state.keys, &self.state.config.jwt, &subject, jsonwebtoken::get_current_timestamp())
            .expect("token")
    }

    /// The stored secret hash of a client.
    ///
    /// Uses `store::clients::find` and `ClientRow::secret_hash`.
    pub async fn client_secret_hash(&self, client_id: &str) -> String {
        let lookup = client_id.to_owned();
        let row = self.state.db.read(move |c| store::clients::find(c, &lookup)).await.unwrap();
        row.expect("the client is stored").secret_hash
    }
}

// ---------------------------------------------------------------------------------------------
// Certification

impl TestApp {
    /// Runs the sweeper once, at the app clock's time.
    ///
    /// Uses `fairhire::jobs::sweeper::sweep_once` (and returns `fairhire::certification::SweepReport`).
    pub async fn sweep(&self) -> SweepReport {
        fairhire::jobs::sweeper::sweep_once(&self.state).await.unwrap()
    }

    /// Writes `certificate` and sets its agency's certification `status`, in one transaction,
    /// without the certification rules: for tests of what is shown of a certification.
    ///
    /// Uses `store::certifications::{CertificateRow, put_certificate}`,
    /// `store::agencies::find` and `store::save` (`AgencyRow::certification_status`), and
    /// records a `certification.status_changed` event.
    pub async fn force_certification(&self, certificate: &ForcedCertificate, status: &str) {
        let row = CertificateRow {
            agency_id: certificate.agency_id.clone(),
            number: certificate.number.clone(),
            certification_body_id: certificate.certification_body_id.clone(),
            assessment_id: certificate.assessment_id.clone(),
            decided_by: "test certifier".into(),
            valid_from: certificate.valid_from,
            valid_until: certificate.valid_until,
            next_surveillance_due: certificate.next_surveillance_due,
            suspended_at: None,
            suspension_reason: None,
            updated_at: certificate.valid_from,
        };
        let status: CertificationStatus = status.parse().expect("a certification status");
        let now = certificate.valid_from;
        self.state
            .db
            .write(move |conn| {
                store::certifications::put_certificate(conn, &row)?;
                let mut agency = store::agencies::find(conn, &row.agency_id)?.expect("agency");
                agency.certification_status = status;
                store::save(conn, &mut agency, now)?;
                // Logged like every change, or the answers kept in memory would not see it.
                let draft = Draft::new(EventType::CertificationStatusChanged, "agency", &row.agency_id)
                    .agency(&row.agency_id)
                    .values(None, Some(serde_json::json!({"status": status.to_string()})));
                services::events::record("test", draft, now)
            })
            .await
            .unwrap();
    }
}

/// A certificate for [`TestApp::force_certification`], decided by "test certifier" and last
/// updated when it became valid.
pub struct ForcedCertificate {
    pub agency_id: String,
    pub number: String,
    pub certification_body_id: String,
    pub assessment_id: String,
    pub valid_from: DateTime<Utc>,
    pub valid_until: DateTime<Utc>,
    pub next_surveillance_due: DateTime<Utc>,
}

// ---------------------------------------------------------------------------------------------
// The demo registry

impl TestApp {
    /// Seeds the demo registry as of `now`, as `fairhire seed-demo [--agencies N]` does.
    ///
    /// Uses `fairhire::seed::run` (returning `fairhire::seed::Summary`).
    pub async fn seed_demo(&self, now: DateTime<Utc>, agencies: Option<usize>) -> AppResult<Summary> {
        let db = self.state.db.clone();
        tokio::task::spawn_blocking(move || fairhire::seed::run(&db, now, agencies)).await.unwrap()
    }

    /// Every agency in the store, with its certificate and the last event of its history.
    ///
    /// Uses `store::agencies::{search, Filter}` (`AgencyRow::{legal_name, certification_status}`),
    /// `store::certifications::{certificate_of, history}` (`CertificateRow::{valid_until,
    /// suspended_at}`, `EventRow::{to_status, actor, rule}`).
    pub async fn registry_snapshot(&self) -> Vec<AgencySnapshot> {
        self.state
            .db
            .read(|c| {
                let agencies = store::agencies::search(c, &Filter::default(), None, 10_000)?;
                let mut snapshot = Vec::with_capacity(agencies.len());
                for agency in agencies {
                    let certificate = store::certifications::certificate_of(c, &agency.id)?
                        .map(|row| StoredCertificate { valid_until: row.valid_until, suspended_at: row.suspended_at });
                    let last_event = store::certifications::history(c, &agency.id)?.pop().map(|row| StoredEvent {
                        to_status: row.to_status.to_string(),
                        actor: row.actor,
                        rule: row.rule.map(|r| r.id().to_owned()),
                    });
                    snapshot.push(AgencySnapshot {
                        legal_name: agency.legal_name,
                        certification_status: agency.certification_status.to_string(),
                        certificate,
                        last_event,
                    });
                }
                Ok(snapshot)
            })
            .await
            .unwrap()
    }
}

/// Whether a seeding was refused because the registry already held agencies.
///
/// Uses `AppError::Conflict` and `fairhire::seed::NOT_EMPTY`.
pub fn refused_as_not_empty<T>(result: &AppResult<T>) -> bool {
    matches!(result, Err(AppError::Conflict(reason)) if reason == fairhire::seed::NOT_EMPTY)
}

/// An agency as stored, for [`TestApp::registry_snapshot`].
pub struct AgencySnapshot {
    pub legal_name: String,
    pub certification_status: String,
    pub certificate: Option<StoredCertificate>,
    /// The last event of its certification history.
    pub last_event: Option<StoredEvent>,
}

pub struct StoredCertificate {
    pub valid_until: DateTime<Utc>,
    pub suspended_at: Option<DateTime<Utc>>,
}

pub struct StoredEvent {
    pub to_status: String,
    pub actor: String,
    pub rule: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Typed rows

impl TestApp {
    /// Overwrites one stored text value behind the services' back, as a faulty migration or a
    /// hand edit might.
    ///
    /// Uses `fairhire::db` (a raw SQL `UPDATE`).
    pub async fn corrupt(&self, table: &'static str, column: &'static str, id: &str, value: &str) {
        use diesel::RunQueryDsl;
        let sql = format!("UPDATE {table} SET {column} = '{}' WHERE id = '{id}'", value.replace('\'', "''"));
        self.state.db.write(move |c| Ok(diesel::sql_query(sql).execute(c)?)).await.expect("corrupt a stored value");
    }

    /// Reads an agency through the store, as every service does; the error's text if it fails.
    ///
    /// Uses `store::agencies::find`.
    pub async fn stored_agency_error(&self, id: &str) -> Option<String> {
        let lookup = id.to_owned();
        match self.state.db.read(move |c| store::agencies::find(c, &lookup)).await {
            Ok(_) => None,
            Err(e) => Some(e.to_string()),
        }
    }

    /// Saves the same stored agency twice from one read: the second save has lost the race.
    /// Returns the two outcomes.
    ///
    /// Uses `store::agencies::find` and `store::save`.
    pub async fn save_agency_twice_from_one_read(&self, id: &str) -> (AppResult<()>, AppResult<()>) {
        let lookup = id.to_owned();
        self.state
            .db
            .write(move |c| {
                let read = store::agencies::find(c, &lookup)?.expect("agency");
                let (mut first, mut second) = (read.clone(), read);
                first.legal_name.push_str(" (first)");
                second.legal_name.push_str(" (second)");
                Ok((store::save(c, &mut first, Utc::now()), store::save(c, &mut second, Utc::now())))
            })
            .await
            .expect("both saves run")
    }
}

// ---------------------------------------------------------------------------------------------
// The event log

impl TestApp {
    /// Tries to change a stored event with plain SQL, as anyone holding the database password
    /// might; the database's error if it refuses.
    ///
    /// Uses `fairhire::db` (a raw SQL `UPDATE`).
    pub async fn try_edit_event(&self, sequence: i64) -> Result<usize, String> {
        use diesel::RunQueryDsl;
        let sql = format!("UPDATE events SET actor = 'forger' WHERE sequence = {sequence}");
        self.state.db.write(move |c| Ok(diesel::sql_query(sql).execute(c)?)).await.map_err(|e| e.to_string())
    }

    /// Runs one SQL statement that changes rows, as anyone holding the database password might;
    /// the database's error if it refuses.
    ///
    /// Uses `fairhire::db` (raw SQL).
    pub async fn try_execute(&self, sql: &str) -> Result<usize, String> {
        use diesel::RunQueryDsl;
        let sql = sql.to_owned();
        self.state.db.write(move |c| Ok(diesel::sql_query(sql).execute(c)?)).await.map_err(|e| e.to_string())
    }

    /// The stored text of an event's hashed values and of its personal values, apart.
    ///
    /// Uses `store::events::run_from` (`EventRow`).
    pub async fn stored_event(&self, sequence: i64) -> (Option<String>, Option<String>, Option<String>) {
        let rows = self.state.db.read(move |c| store::events::run_from(c, sequence, 1)).await.unwrap();
        let row = rows.into_iter().next().expect("event");
        (row.current_values, row.personal_values, row.personal_digest)
    }

    /// Changes a stored event's actor as the database's owner could: with the triggers that
    /// refuse it out of the way (disabled on PostgreSQL, dropped on SQLite).
    ///
    /// Uses `fairhire::db` (raw SQL).
    pub async fn force_edit_event(&self, sequence: i64, actor: &str) {
        self.force_edit_event_column(sequence, "actor", actor).await;
    }

    /// Sets one column of a stored event as the database's owner could (see
    /// [`force_edit_event`](Self::force_edit_event)).
    ///
    /// Uses `fairhire::db` (raw SQL).
    pub async fn force_edit_event_column(&self, sequence: i64, column: &'static str, value: &str) {
        use diesel::RunQueryDsl;
        let postgres = crate::helpers::postgres_url().is_some();
        let update =
            format!("UPDATE events SET {column} = '{}' WHERE sequence = {sequence}", value.replace('\'', "''"));
        self.state
            .db
            .write(move |c| {
                if postgres {
                    diesel::sql_query("ALTER TABLE events DISABLE TRIGGER events_refuse_change").execute(c)?;
                    diesel::sql_query(update).execute(c)?;
                    diesel::sql_query("ALTER TABLE events ENABLE TRIGGER events_refuse_change").execute(c)?;
                } else {
                    diesel::sql_query("DROP TRIGGER IF EXISTS events_refuse_update").execute(c)?;
                    diesel::sql_query(update).execute(c)?;
                }
                Ok(())
            })
            .await
            .expect("edit an event");
    }
}

// ---------------------------------------------------------------------------------------------
// Webhooks

impl TestApp {
    /// Disables a subscription as the dispatcher does when its receiver answers 410.
    ///
    /// Uses `services::webhooks::disable`.
    pub async fn disable_webhook(&self, id: &str, reason: &str) {
        let (id, reason, now) = (id.to_owned(), reason.to_owned(), self.state.clock.now());
        self.state
            .db
            .write(move |c| fairhire::services::webhooks::disable(c, &id, &reason, now))
            .await
            .expect("disable a webhook");
    }
}

/// A subscription made by [`TestApp::subscribe`]: its id, its owner, and its secret as the owner
/// was shown it (`whsec_…`).
pub struct Subscription {
    pub id: String,
    pub secret: String,
    owner: Principal,
}

/// A delivery as stored in the outbox.
#[derive(Debug, Clone)]
pub struct StoredDelivery {
    /// The `webhook-id` of its every attempt.
    pub id: String,
    pub status: String,
    pub attempts: i32,
    pub claimed_by: Option<String>,
    pub last_error: Option<String>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// An attempt as recorded.
#[derive(Debug, Clone)]
pub struct StoredAttempt {
    pub delivery_id: String,
    pub attempted_at: DateTime<Utc>,
    pub instance: String,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub retry_after_seconds: Option<i64>,
}

/// What the dispatcher changes on a subscription.
#[derive(Debug, Clone)]
pub struct StoredSubscription {
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub failing_since: Option<DateTime<Utc>>,
}

impl TestApp {
    /// Subscribes a new admin client (who may read every event) to the event types `types` at
    /// `url`, with a fresh secret sealed by the app's data key, as the webhooks API does; the
    /// URL is not checked, so a test may point it at a loopback receiver.
    ///
    /// Uses `services::webhooks::{create, SubscriptionInput}`, `webhooks::signing::WebhookSecret`,
    /// `AppState::data_key` and `auth::Principal`.
    pub async fn subscribe(&self, url: &str, types: &[&str]) -> Subscription {
        let owner = Principal {
            client_id: self.insert_client(Role::Admin, None, None).await,
            role: Role::Admin,
            certification_body_id: None,
            agency_id: None,
        };
        let secret = WebhookSecret::generate().expose();
        let sealed = self.state.data_key.seal(&secret).unwrap();
        let input = SubscriptionInput {
            url: url.to_owned(),
            description: None,
            event_types: types.iter().map(|t| t.parse::<EventType>().expect("an event type")).collect(),
            agency_id: None,
            country: None,
            corridor: None,
            watchlist_only: false,
        };
        let now = self.state.clock.now();
        let who = owner.clone();
        let row = self
            .state
            .db
            .write(move |conn| webhooks::create(conn, &who, input, sealed, now))
            .await
            .expect("subscription created");
        Subscription { id: row.id, secret, owner }
    }

    /// Gives the subscription a new secret, as its owner would; returns it. The old one keeps
    /// signing beside it for a day.
    ///
    /// Uses `services::webhooks::rotate_secret`, `webhooks::signing::WebhookSecret` and
    /// `AppState::data_key`.
    pub async fn rotate_webhook_secret(&self, subscription: &Subscription) -> String {
        let secret = WebhookSecret::generate().expose();
        let sealed = self.state.data_key.seal(&secret).unwrap();
        let (who, id, now) = (subscription.owner.clone(), subscription.id.clone(), self.state.clock.now());
        self.state.db.write(move |conn| webhooks::rotate_secret(conn, &who, &id, sealed, now)).await.unwrap();
        secret
    }

    /// The subscription's deliveries, oldest first.
    ///
    /// Uses `store::webhooks::deliveries_page` (`DeliveryRow`).
    pub async fn deliveries(&self, subscription_id: &str) -> Vec<StoredDelivery> {
        let id = subscription_id.to_owned();
        let rows = self.state.db.read(move |c| store::webhooks::deliveries_page(c, &id, None, None, 10_000)).await;
        let mut deliveries: Vec<StoredDelivery> = rows
            .unwrap()
            .into_iter()
            .map(|(row, _)| StoredDelivery {
                id: row.id,
                status: row.status,
                attempts: row.attempts,
                claimed_by: row.claimed_by,
                last_error: row.last_error,
                delivered_at: row.delivered_at,
            })
            .collect();
        deliveries.reverse();
        deliveries
    }

    /// Every attempt of the subscription's deliveries, in the order they were made.
    ///
    /// Uses `store::webhooks::{deliveries_page, attempts_of}` (`AttemptRow`).
    pub async fn attempts(&self, subscription_id: &str) -> Vec<StoredAttempt> {
        let id = subscription_id.to_owned();
        let rows = self
            .state
            .db
            .read(move |c| {
                let ids: Vec<String> = store::webhooks::deliveries_page(c, &id, None, None, 10_000)?
                    .into_iter()
                    .map(|(row, _)| row.id)
                    .collect();
                store::webhooks::attempts_of(c, &ids)
            })
            .await
            .unwrap();
        let mut attempts: Vec<StoredAttempt> = rows
            .into_iter()
            .map(|row| StoredAttempt {
                delivery_id: row.delivery_id,
                attempted_at: row.attempted_at,
                instance: row.instance,
                status_code: row.status_code,
                error: row.error,
                retry_after_seconds: row.retry_after_seconds,
            })
            .collect();
        attempts.sort_by_key(|a| a.attempted_at);
        attempts
    }

    /// The subscription as stored.
    ///
    /// Uses `store::webhooks::find` (`SubscriptionRow`).
    pub async fn stored_subscription(&self, id: &str) -> StoredSubscription {
        let id = id.to_owned();
        let row = self.state.db.read(move |c| store::webhooks::find(c, &id)).await.unwrap().expect("subscription");
        StoredSubscription {
            enabled: row.enabled,
            disabled_reason: row.disabled_reason,
            failing_since: row.failing_since,
        }
    }

    /// Stops the app's background jobs (the webhook dispatcher) and leaves its HTTP API serving.
    ///
    /// Uses `AppState::jobs` (`fairhire::jobs::Jobs::stop`).
    pub async fn stop_dispatcher(&self) {
        self.state.jobs.stop().await;
    }
}

/// A worker report's secret columns, as stored.
pub struct StoredReport {
    pub contact_sealed: Option<String>,
    pub follow_up_hash: String,
}

impl TestApp {
    /// The report with this reference, as stored: to check that its contact is sealed and its
    /// follow-up code hashed.
    ///
    /// Uses `store::reports::find_by_reference` (`ReportRow`).
    pub async fn stored_report(&self, reference: &str) -> StoredReport {
        let reference = reference.to_owned();
        let row = self
            .state
            .db
            .read(move |c| store::reports::find_by_reference(c, &reference))
            .await
            .unwrap()
            .expect("report");
        StoredReport { contact_sealed: row.contact_sealed, follow_up_hash: row.follow_up_hash }
    }
}
