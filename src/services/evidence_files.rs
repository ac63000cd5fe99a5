//! Evidence files: attached by an assessment's auditors (to the assessment or a finding) or by
//! the agency (to a corrective action), read by whoever may read the parent's findings or the
//! action, removed by their uploader while the parent is open, erased for retention.
//!
//! The contents are stored before a row is written (see `blobs`); these operations deal with
//! the rows and the log. The async helpers at the end pair them with the object store.

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::auth::{Action, Principal, authorize};
use crate::blobs::Blobs;
use crate::db::{Db, DbConnection};
use crate::domain::assessment::AssessmentStatus;
use crate::domain::corrective::ActionStatus;
use crate::domain::events::EventType;
use crate::domain::evidence_files::ParentKind;
use crate::error::{AppError, AppResult};
use crate::services::events::{self, Draft};
use crate::services::grants::{self, FindingsAccess};
use crate::services::{assessments, corrective_actions, new_id};
use crate::store;
use crate::store::evidence_files::FileRow;

/// What a file is attached to, as the request names it.
#[derive(Debug, Clone)]
pub enum Target {
    Assessment(String),
    /// An assessment and a criterion with a recorded finding.
    Finding(String, String),
    CorrectiveAction(String),
}

/// The parent a file may be attached to now, with the bindings its events carry.
#[derive(Debug, Clone)]
pub struct Parent {
    pub kind: ParentKind,
    pub parent_id: String,
    pub criterion_code: Option<String>,
    pub agency_id: String,
    pub certification_body_id: Option<String>,
}

/// A stored file's description, for [`attach`].
#[derive(Debug, Clone)]
pub struct NewFile {
    /// Checked by the caller with `domain::evidence_files::valid_name`.
    pub name: String,
    pub names_workers: bool,
    pub media_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("no evidence file with id {id}"))
}

/// The parent `target` names, if `who` may attach files to it now: 404 when invisible, 403
/// when not the caller's to add to, 409 once it is closed (a finalized or cancelled
/// assessment, a verified corrective action: what was judged stays as it was judged).
pub fn attachable(conn: &mut DbConnection, who: &Principal, target: &Target) -> AppResult<Parent> {
    match target {
        Target::Assessment(id) | Target::Finding(id, _) => {
            let row = assessments::find_visible(conn, who, id)?;
            let body_id = row.certification_body_id.as_deref();
            authorize(who, Action::AttachAssessmentFile { agency_id: &row.agency_id, body_id })?;
            let criterion_code = match target {
                Target::Finding(_, code) => {
                    let recorded = store::assessments::findings_of(conn, id)?;
                    if !recorded.iter().any(|f| f.criterion_code == *code) {
                        return Err(AppError::NotFound(format!("no finding recorded for {code} on assessment {id}")));
                    }
                    Some(code.clone())
                }
                _ => None,
            };
            if matches!(row.status, AssessmentStatus::Finalized | AssessmentStatus::Cancelled) {
                return Err(AppError::Conflict(format!(
                    "the assessment is {}: its evidence files can no longer change",
                    row.status
                )));
            }
            Ok(Parent {
                kind: if criterion_code.is_some() { ParentKind::Finding } else { ParentKind::Assessment },
                parent_id: row.id,
                criterion_code,
                agency_id: row.agency_id,
                certification_body_id: row.certification_body_id,
            })
        }
        Target::CorrectiveAction(id) => {
            let row = corrective_actions::find_visible(conn, who, id)?;
            authorize(who, Action::AttachActionFile { agency_id: &row.agency_id })?;
            if row.status == ActionStatus::Verified {
                return Err(AppError::Conflict(
                    "the corrective action is verified: its evidence files can no longer change".into(),
                ));
            }
            Ok(Parent {
                kind: ParentKind::CorrectiveAction,
                parent_id: row.id,
                criterion_code: None,
                agency_id: row.agency_id,
                certification_body_id: Some(row.certification_body_id),
            })
        }
    }
}

/// An event about a file, readable by those who may read its parent's events.
fn about(row: &FileRow, event_type: EventType) -> Draft {
    Draft::new(event_type, "evidence_file", &row.id).agency(&row.agency_id).body(row.certification_body_id.as_deref())
}

/// What the log keeps of a file. `file_name` may name a worker: it is the key the retention
/// rules treat as personal data.
fn logged(row: &FileRow) -> serde_json::Value {
    json!({
        "file_name": row.name,
        "parent_kind": row.parent_kind,
        "parent_id": row.parent_id,
        "criterion_code": row.criterion_code,
        "media_type": row.media_type,
        "size_bytes": row.size_bytes,
        "sha256": row.sha256,
        "names_workers": row.names_workers,
    })
}

/// Records a file whose contents are stored under `file.sha256`, attached to `target` by `who`.
/// The parent is checked again here, in the transaction: it may have been closed while the
/// contents were streaming.
pub fn attach(
    conn: &mut DbConnection,
    who: &Principal,
    target: &Target,
    file: NewFile,
    now: DateTime<Utc>,
) -> AppResult<FileRow> {
    let parent = attachable(conn, who, target)?;
    let row = FileRow {
        id: new_id(),
        parent_kind: parent.kind,
        parent_id: parent.parent_id,
        criterion_code: parent.criterion_code,
        agency_id: parent.agency_id,
        certification_body_id: parent.certification_body_id,
        name: Some(file.name),
        media_type: file.media_type,
        size_bytes: file.size_bytes,
        sha256: file.sha256,
        names_workers: file.names_workers,
        uploaded_by: who.client_id.clone(),
        uploaded_at: now,
        erased_at: None,
    };
    store::evidence_files::insert(conn, &row)?;
    events::record(&who.client_id, about(&row, EventType::EvidenceFileAttached).values(None, Some(logged(&row))), now)?;
    Ok(row)
}

/// Whether `who` may read the files of this parent, and under which grant (a read under a
/// grant is recorded, as for the findings). Files of an assessment or a finding are part of its
/// findings: readable by who may read them. A corrective action's by who may read the action.
/// An invisible parent is a 404 (`what` names it); a visible one whose findings are not the
/// caller's to read is a 403.
pub fn readable(
    conn: &mut DbConnection,
    who: &Principal,
    kind: ParentKind,
    parent_id: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<String>> {
    match kind {
        ParentKind::Assessment | ParentKind::Finding => {
            let row = assessments::find_visible(conn, who, parent_id)?;
            match grants::findings_access(conn, who, &row, now)? {
                FindingsAccess::Own => Ok(None),
                FindingsAccess::Granted(grant) => Ok(Some(grant)),
                FindingsAccess::Denied(refusal) => Err(refusal),
            }
        }
        ParentKind::CorrectiveAction => corrective_actions::find_visible(conn, who, parent_id).map(|_| None),
    }
}

/// A file `who` may read, and the grant it reads under, if any. A file whose parent the caller
/// may not see is answered as absent (404).
pub fn find_readable(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    now: DateTime<Utc>,
) -> AppResult<(FileRow, Option<String>)> {
    let row = store::evidence_files::find(conn, id)?.ok_or_else(|| not_found(id))?;
    let grant = readable(conn, who, row.parent_kind, &row.parent_id, now).map_err(|e| match e {
        AppError::NotFound(_) => not_found(id),
        other => other,
    })?;
    Ok((row, grant))
}

/// Records a read of a file under a grant, as reads of findings are.
pub fn record_granted_read(
    conn: &mut DbConnection,
    who: &Principal,
    grant_id: &str,
    row: &FileRow,
    now: DateTime<Utc>,
) -> AppResult<()> {
    grants::record_read(conn, who, grant_id, &row.parent_id, crate::domain::grants::GrantedRead::Findings, now)
}

/// Removes a file: only its uploader, while the parent is open (409 after). Returns the removed
/// row; its contents are to be deleted when no other file holds them ([`release`]).
pub fn remove(conn: &mut DbConnection, who: &Principal, id: &str, now: DateTime<Utc>) -> AppResult<FileRow> {
    let (row, _) = find_readable(conn, who, id, now)?;
    authorize(who, Action::RemoveEvidenceFile { uploaded_by: &row.uploaded_by })?;
    let target = match row.parent_kind {
        ParentKind::Assessment => Target::Assessment(row.parent_id.clone()),
        ParentKind::Finding => Target::Finding(row.parent_id.clone(), row.criterion_code.clone().unwrap_or_default()),
        ParentKind::CorrectiveAction => Target::CorrectiveAction(row.parent_id.clone()),
    };
    attachable(conn, who, &target)?;
    store::evidence_files::delete(conn, &row.id)?;
    events::record(&who.client_id, about(&row, EventType::EvidenceFileRemoved).values(Some(logged(&row)), None), now)?;
    Ok(row)
}

/// Deletes the stored contents of `sha256` unless a file whose contents are kept still holds
/// them. Called after the transaction that removed or erased a holder has committed.
///
/// Known gap: an upload of the same bytes whose contents are in place but whose row is not yet
/// committed is not seen here, so a removal at that very moment can delete contents the new
/// row then names (its download would fail). Closing it needs a lock per hash across
/// instances; the window is one transaction long.
pub async fn release(db: &Db, blobs: &Blobs, sha256: &str) -> AppResult<()> {
    let hash = sha256.to_owned();
    if db.read(move |c| store::evidence_files::holders_of(c, &hash)).await? == 0 {
        blobs.remove(sha256).await?;
    }
    Ok(())
}
