//! Erasing personal data: when its retention period ends (the sweep) and when a person asks
//! (an admin's request). The record loses the data, the events about it lose their personal
//! values (their digests stay, so the chain still verifies), and one `personal_data.erased`
//! event says what went, never what it was.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Action, Principal, authorize};
use crate::config::RetentionConfig;
use crate::db::DbConnection;
use crate::domain::events::EventType;
use crate::domain::retention::{Ground, PersonalData, cutoff};
use crate::error::{AppError, AppResult};
use crate::services::events::{self, Draft, SYSTEM};
use crate::store;

/// An admin's erasure of one record's personal data, at a person's request.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "kind": "report_contact",
    "record_id": "0193f0c4-1b2a-7c3d-9e4f-5a6b7c8d9e0f",
    "reason": "the reporter asked for their contact to be deleted (ticket 2291)"
}))]
pub struct ErasureRequest {
    /// What to erase.
    pub kind: PersonalData,
    /// The record that holds it: the report's id, the agency's, or the evidence file's.
    #[validate(custom(function = "crate::domain::fields::uuid"))]
    #[schema(format = Uuid, max_length = 36)]
    pub record_id: String,
    /// Why: the request it answers. Kept in the event log, so it must not repeat the data.
    #[validate(length(min = 1, max = 500), custom(function = "crate::domain::fields::not_blank"))]
    #[schema(min_length = 1, max_length = 500, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub reason: String,
}

/// What an erasure removed.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({
    "kind": "report_contact",
    "record_id": "0193f0c4-1b2a-7c3d-9e4f-5a6b7c8d9e0f",
    "erased_fields": ["contact"],
    "events_erased": 0,
    "erased_at": "2026-12-03T10:00:00Z"
}))]
pub struct Erasure {
    pub kind: PersonalData,
    #[schema(format = Uuid)]
    pub record_id: String,
    /// The fields that held data and now hold none; empty when nothing was left to erase.
    #[schema(schema_with = crate::domain::schema::erased_fields)]
    pub erased_fields: Vec<String>,
    /// The events about the record whose personal values were erased.
    #[schema(minimum = 0, maximum = 9_223_372_036_854_775_807_i64)]
    pub events_erased: u64,
    pub erased_at: DateTime<Utc>,
}

/// What one retention pass erased.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct RetentionReport {
    /// Worker reports whose contact was erased.
    #[schema(minimum = 0, maximum = 4_294_967_295_u32)]
    pub report_contacts: usize,
    /// Agencies whose contact details were erased.
    #[schema(minimum = 0, maximum = 4_294_967_295_u32)]
    pub agency_contacts: usize,
    /// Evidence files naming workers whose contents and name were erased.
    #[schema(minimum = 0, maximum = 4_294_967_295_u32)]
    pub evidence_files: usize,
}

/// What an erasure committed, and the stored contents to delete once it has: an evidence file's
/// contents may only go after the transaction that erased its record commits, and only when no
/// other file holds them (`services::evidence_files::release`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Erased<T> {
    pub done: T,
    /// The SHA-256 of the contents to release.
    pub release: Vec<String>,
}

/// Erases what a person asked to be erased (admins only). Unknown record: 404. Asking again
/// erases nothing more and says so (`erased_fields` empty).
pub fn erase(
    conn: &mut DbConnection,
    who: &Principal,
    request: ErasureRequest,
    now: DateTime<Utc>,
) -> AppResult<Erased<Erasure>> {
    authorize(who, Action::ErasePersonalData)?;
    crate::services::validate(&request)?;
    let ErasureRequest { kind, record_id, reason } = request;
    let mut release = Vec::new();
    let ground = (Ground::Request, reason.as_str());
    let done = match kind {
        PersonalData::ReportContact => {
            let mut report = store::reports::find(conn, &record_id)?
                .ok_or_else(|| AppError::NotFound(format!("no report with id {record_id}")))?;
            let fields = erase_report_contact(conn, &mut report, now)?;
            finish(conn, &who.client_id, Record::report(&record_id), fields, ground, now)?
        }
        PersonalData::AgencyContact => {
            let mut agency = store::agencies::find(conn, &record_id)?
                .ok_or_else(|| AppError::NotFound(format!("no agency with id {record_id}")))?;
            let fields = erase_agency_contact(conn, &mut agency, now)?;
            finish(conn, &who.client_id, Record::agency(&record_id), fields, ground, now)?
        }
        PersonalData::EvidenceFile => {
            let file = store::evidence_files::find(conn, &record_id)?
                .ok_or_else(|| AppError::NotFound(format!("no evidence file with id {record_id}")))?;
            let fields = erase_evidence_file(conn, &file, now, &mut release)?;
            finish(conn, &who.client_id, Record::file(&file), fields, ground, now)?
        }
    };
    Ok(Erased { done, release })
}

/// Erases what the retention policy no longer lets the service keep. One transaction; running
/// it again erases nothing twice.
pub fn sweep(
    conn: &mut DbConnection,
    policy: &RetentionConfig,
    now: DateTime<Utc>,
) -> AppResult<Erased<RetentionReport>> {
    let mut report = RetentionReport::default();
    let mut release = Vec::new();
    let reason = |days: u32, after: &str| format!("kept {days} days after {after}, as the retention policy says");
    for mut row in store::reports::contacts_decided_before(conn, cutoff(now, policy.report_contact_days))? {
        let fields = erase_report_contact(conn, &mut row, now)?;
        let why = reason(policy.report_contact_days, "the report was decided");
        finish(conn, SYSTEM, Record::report(&row.id), fields, (Ground::Retention, &why), now)?;
        report.report_contacts += 1;
    }
    for mut row in store::agencies::contacts_idle_since(conn, cutoff(now, policy.agency_contact_days))? {
        let fields = erase_agency_contact(conn, &mut row, now)?;
        let why =
            reason(policy.agency_contact_days, "the agency's last change, with no certificate or application open");
        finish(conn, SYSTEM, Record::agency(&row.id), fields, (Ground::Retention, &why), now)?;
        report.agency_contacts += 1;
    }
    let files_cutoff = cutoff(now, policy.evidence_naming_workers_days);
    for file in store::evidence_files::naming_workers_before(conn, files_cutoff, i64::MAX)? {
        let fields = erase_evidence_file(conn, &file, now, &mut release)?;
        let why = reason(policy.evidence_naming_workers_days, "the upload of a file declared to name workers");
        finish(conn, SYSTEM, Record::file(&file), fields, (Ground::Retention, &why), now)?;
        report.evidence_files += 1;
    }
    Ok(Erased { done: report, release })
}

fn erase_report_contact(
    conn: &mut DbConnection,
    report: &mut store::reports::ReportRow,
    now: DateTime<Utc>,
) -> AppResult<Vec<String>> {
    if report.contact_sealed.is_none() {
        return Ok(Vec::new());
    }
    report.contact_sealed = None;
    store::save(conn, report, now)?;
    Ok(vec!["contact".into()])
}

fn erase_agency_contact(
    conn: &mut DbConnection,
    agency: &mut store::agencies::AgencyRow,
    now: DateTime<Utc>,
) -> AppResult<Vec<String>> {
    let mut fields = Vec::new();
    if agency.contact_email.take().is_some() {
        fields.push("contact_email".to_owned());
    }
    if agency.contact_phone.take().is_some() {
        fields.push("contact_phone".to_owned());
    }
    if !fields.is_empty() {
        store::save(conn, agency, now)?;
    }
    Ok(fields)
}

fn erase_evidence_file(
    conn: &mut DbConnection,
    file: &store::evidence_files::FileRow,
    now: DateTime<Utc>,
    release: &mut Vec<String>,
) -> AppResult<Vec<String>> {
    if !store::evidence_files::mark_erased(conn, &file.id, now)? {
        return Ok(Vec::new());
    }
    release.push(file.sha256.clone());
    Ok(PersonalData::EvidenceFile.fields().iter().map(|f| (*f).to_owned()).collect())
}

/// The record an erasure is about, and who may read the event that logs it: the agency sees
/// what was erased from its own record, and the body from an audit it filed; a report's erasure,
/// like every report event, is for admins only.
struct Record<'a> {
    kind: PersonalData,
    id: &'a str,
    agency_id: Option<&'a str>,
    body_id: Option<&'a str>,
}

impl<'a> Record<'a> {
    fn report(id: &'a str) -> Self {
        Record { kind: PersonalData::ReportContact, id, agency_id: None, body_id: None }
    }

    fn agency(id: &'a str) -> Self {
        Record { kind: PersonalData::AgencyContact, id, agency_id: Some(id), body_id: None }
    }

    fn file(file: &'a store::evidence_files::FileRow) -> Self {
        Record {
            kind: PersonalData::EvidenceFile,
            id: &file.id,
            agency_id: Some(&file.agency_id),
            body_id: file.certification_body_id.as_deref(),
        }
    }
}

/// Erases the personal values of the record's events and logs the erasure.
fn finish(
    conn: &mut DbConnection,
    actor: &str,
    record: Record<'_>,
    erased_fields: Vec<String>,
    (ground, reason): (Ground, &str),
    now: DateTime<Utc>,
) -> AppResult<Erasure> {
    let Record { kind, id: record_id, agency_id, body_id } = record;
    let events_erased = store::events::erase_personal_of(conn, kind.subject_type(), record_id, now)? as u64;
    if !erased_fields.is_empty() || events_erased > 0 {
        let mut draft = Draft::new(EventType::PersonalDataErased, kind.subject_type(), record_id).values(
            None,
            Some(serde_json::json!({
                "kind": kind,
                "fields": erased_fields,
                "events_erased": events_erased,
                "ground": ground.name(),
                "reason": reason,
            })),
        );
        if let Some(agency) = agency_id {
            draft = draft.agency(agency);
        }
        events::record(actor, draft.body(body_id), now)?;
    }
    Ok(Erasure { kind, record_id: record_id.to_owned(), erased_fields, events_erased, erased_at: now })
}
