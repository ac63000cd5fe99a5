//! Evidence files: `POST/GET /v1/assessments/{id}/files`,
//! `POST /v1/assessments/{id}/findings/{criterion_code}/files`,
//! `POST/GET /v1/corrective-actions/{id}/files`, `GET/DELETE /v1/files/{id}` and
//! `GET /v1/files/{id}/content`.
//!
//! An upload is the raw body (any declared type: the kind is judged from the content), with
//! the file's name in `?name=`. It is streamed to the object store (see `blobs`): the size
//! limit is enforced while reading, the kind is judged from the first 8 KiB, and the row is
//! written only once the contents are stored.

use actix_web::http::header;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use futures_util::{StreamExt, TryStreamExt};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::extract::{ActionId, AssessmentId, FileId, ValidQuery};
use crate::api::pagination::{self, Page, PageQuery};
use crate::api::problems::*;
use crate::auth::Principal;
use crate::domain::evidence_files::{self as rules, ParentKind, SNIFF_BYTES};
use crate::error::{AppError, AppResult};
use crate::services::evidence_files::{self as files, NewFile, Target};
use crate::state::AppState;
use crate::store;
use crate::store::evidence_files::FileRow;

crate::api::pagination::documented_page!(EvidenceFilePage, EvidenceFile, "evidence files");

/// What a file is attached to.
#[derive(Debug, Serialize, ToSchema)]
pub struct FileParent {
    pub kind: ParentKind,
    /// The assessment (of an `assessment` or a `finding`) or the corrective action.
    #[schema(format = Uuid)]
    pub id: String,
    /// The finding's criterion; null unless `kind` is `finding`.
    #[schema(max_length = 5, pattern = "^[A-Z][.][0-9]{1,3}$")]
    pub criterion_code: Option<String>,
}

/// An evidence file: what it is and who attached it. The contents are at
/// `/v1/files/{id}/content`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193f0d2-1b4c-7e8f-9a0b-1c2d3e4f5a6b",
    "parent": {"kind": "finding", "id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90", "criterion_code": "C.1"},
    "name": "fee receipts.pdf",
    "media_type": "application/pdf",
    "size_bytes": 48213,
    "sha256": "9f2b5c0e7d1a4b3c8e6f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5",
    "names_workers": false,
    "uploaded_by": "0193f0c1-5d2e-7a10-9c35-2b8e4f1a6d90",
    "uploaded_at": "2026-12-03T09:30:00Z",
    "erased_at": null
}))]
pub struct EvidenceFile {
    #[schema(format = Uuid)]
    pub id: String,
    pub parent: FileParent,
    /// The name given at upload; null once the file was erased.
    #[schema(min_length = 1, max_length = 255)]
    pub name: Option<String>,
    /// The type judged from the content (never the one declared by the uploader).
    #[schema(example = "application/pdf", max_length = 100)]
    pub media_type: String,
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub size_bytes: i64,
    /// SHA-256 of the contents, lowercase hex: the download's `ETag`.
    #[schema(min_length = 64, max_length = 64, pattern = "^[0-9a-f]{64}$")]
    pub sha256: String,
    /// The uploader declared that the file names workers: it is erased when the retention
    /// period ends.
    pub names_workers: bool,
    /// The API client that uploaded the file.
    #[schema(format = Uuid)]
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
    /// When the contents and the name were erased; null while they are kept.
    pub erased_at: Option<DateTime<Utc>>,
}

impl EvidenceFile {
    fn of(row: FileRow) -> EvidenceFile {
        EvidenceFile {
            id: row.id,
            parent: FileParent { kind: row.parent_kind, id: row.parent_id, criterion_code: row.criterion_code },
            name: row.name,
            media_type: row.media_type,
            size_bytes: row.size_bytes,
            sha256: row.sha256,
            names_workers: row.names_workers,
            uploaded_by: row.uploaded_by,
            uploaded_at: row.uploaded_at,
            erased_at: row.erased_at,
        }
    }
}

/// The body of an upload: the file's bytes as they are.
pub struct FileBody;

impl utoipa::PartialSchema for FileBody {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        // Bytes, not text: any byte may occur. The length is the default `files.max_bytes`.
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .max_length(Some(25 * 1024 * 1024))
            .content_media_type("application/octet-stream")
            .description(Some("The file's bytes."))
            .into()
    }
}

impl ToSchema for FileBody {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("FileBody")
    }
}

#[derive(Debug, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    /// The file's name, as shown to readers and offered when downloading: 1–255 characters, no
    /// control characters, no `/` or `\`.
    #[validate(custom(function = "rules::valid_name"))]
    #[param(
        min_length = 1,
        max_length = 255,
        pattern = r"^[^\x00-\x1f\x7f-\x9f/\\]*[^\s\x00-\x1f\x7f-\x9f/\\][^\x00-\x1f\x7f-\x9f/\\]*$",
        example = "fee receipts.pdf"
    )]
    pub name: String,
    /// `true` when the file names workers (interview notes, a list of workers): it is then
    /// erased when the retention period ends. Default `false`.
    #[serde(default)]
    pub names_workers: bool,
}

#[derive(Deserialize)]
pub struct CriterionPath {
    criterion_code: String,
}

/// A criterion code from the path, or 404.
fn criterion(raw: String) -> AppResult<String> {
    let b = raw.as_bytes();
    let valid = (3..=5).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b[1] == b'.'
        && b[2..].iter().all(u8::is_ascii_digit);
    if valid { Ok(raw) } else { Err(AppError::NotFound(format!("no criterion {raw}"))) }
}

fn unreadable(e: actix_web::error::PayloadError) -> AppError {
    AppError::BadRequest(format!("the body could not be read: {e}"))
}

fn too_large(limit: u64) -> AppError {
    AppError::PayloadTooLarge(format!("evidence files are at most {limit} bytes"))
}

/// Streams the body to the store, checks it, and records the file.
async fn upload(
    state: &AppState,
    who: Principal,
    req: &HttpRequest,
    payload: web::Payload,
    target: Target,
    query: UploadQuery,
) -> AppResult<HttpResponse> {
    let limit = state.config.files.max_bytes;
    // The parent is checked before the body is read: a refusal costs no upload.
    let (asker, wanted) = (who.clone(), target.clone());
    state.db.read(move |c| files::attachable(c, &asker, &wanted)).await?;
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large(limit));
    }
    let mut body = payload.into_inner();
    let mut head = BytesMut::new();
    while head.len() < SNIFF_BYTES {
        match body.next().await {
            Some(chunk) => head.extend_from_slice(&chunk.map_err(unreadable)?),
            None => break,
        }
        if head.len() as u64 > limit {
            return Err(too_large(limit));
        }
    }
    if head.is_empty() {
        return Err(AppError::field("body", "the file is empty"));
    }
    let media_type = rules::sniff(&head[..head.len().min(SNIFF_BYTES)]).map_err(AppError::UnsupportedMediaType)?;
    let csv = media_type == "text/csv";
    let refused_text = || AppError::UnsupportedMediaType("the CSV file holds binary data past its start".into());
    if csv && !rules::csv_continues(&head) {
        return Err(refused_text());
    }
    // From here an early return drops `stored`, which removes what was written.
    let mut stored = state.blobs.begin().await?;
    stored.write(head.freeze()).await?;
    while let Some(chunk) = body.next().await {
        let chunk: Bytes = chunk.map_err(unreadable)?;
        if stored.size() + chunk.len() as u64 > limit {
            return Err(too_large(limit));
        }
        if csv && !rules::csv_continues(&chunk) {
            return Err(refused_text());
        }
        stored.write(chunk).await?;
    }
    let (sha256, size) = stored.store().await?;
    let file = NewFile {
        name: query.name,
        names_workers: query.names_workers,
        media_type: media_type.to_owned(),
        size_bytes: i64::try_from(size).map_err(AppError::internal)?,
        sha256: sha256.clone(),
    };
    let now = state.clock.now();
    let recorded = state.db.write(move |c| files::attach(c, &who, &target, file, now)).await;
    let row = match recorded {
        Ok(row) => row,
        Err(e) => {
            // The contents are not kept for nothing: unless another file holds them.
            if let Err(cleanup) = files::release(&state.db, &state.blobs, &sha256).await {
                tracing::warn!(error = %cleanup, sha256, "could not release the contents of a refused upload");
            }
            return Err(e);
        }
    };
    let location = format!("/v1/files/{}", row.id);
    Ok(HttpResponse::Created().insert_header((header::LOCATION, location)).json(EvidenceFile::of(row)))
}

/// A refused file type, as uploads answer it.
fn unsupported_file() -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let example = AppError::UnsupportedMediaType(
        "application/x-msdownload files are not accepted; send PDF, PNG, JPEG, WebP, XLSX, ODS or CSV".into(),
    )
    .to_problem(None);
    ResponseBuilder::new()
        .description("The content is of no accepted kind (judged from the bytes, not the name or `Content-Type`).")
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .example(serde_json::to_value(example).ok())
                .build(),
        )
        .build()
}

/// The responses every upload documents beyond the shared ones.
struct UploadResponses;

impl utoipa::IntoResponses for UploadResponses {
    fn responses() -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>> {
        std::collections::BTreeMap::from([("415".to_owned(), utoipa::openapi::RefOr::T(unsupported_file()))])
    }
}

/// Attach a file to an assessment.
///
/// The body is the file's bytes, the name in `name` (see the tag for the kinds and limits).
/// Only an auditor of the assessment's body (the agency, on its self-assessment), while the
/// assessment is neither finalized nor cancelled (409).
#[utoipa::path(
    operation_id = "upload_assessment_file",
    tag = "evidence files",
    params(("id" = String, Path, format = Uuid, description = "Assessment id."), UploadQuery),
    request_body(content = FileBody, content_type = "application/octet-stream", description = "The file's bytes."),
    responses(
        (status = 201, description = "Stored and attached.", body = EvidenceFile,
            headers(("Location" = String, description = "`/v1/files/{id}`."))),
        UploadResponses, Forbidden, Conflict, PayloadTooLarge
    ),
    security(("bearer" = []))
)]
#[post("/assessments/{id}/files")]
pub async fn upload_assessment_file(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    id: AssessmentId,
    query: ValidQuery<UploadQuery>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    upload(&state, who, &req, payload, Target::Assessment(id.into_inner()), query.0).await
}

/// Attach a file to a finding.
///
/// The body is the file's bytes, the name in `name` (see the tag for the kinds and limits).
/// The finding for the criterion must be recorded (404 otherwise). Only an auditor of the
/// assessment's body (the agency, on its self-assessment), while the assessment is neither
/// finalized nor cancelled (409).
#[utoipa::path(
    operation_id = "upload_finding_file",
    tag = "evidence files",
    params(
        ("id" = String, Path, format = Uuid, description = "Assessment id."),
        ("criterion_code" = String, Path, max_length = 5, pattern = "^[A-Z][.][0-9]{1,3}$",
            description = "A criterion with a recorded finding, e.g. `C.1`."),
        UploadQuery
    ),
    request_body(content = FileBody, content_type = "application/octet-stream", description = "The file's bytes."),
    responses(
        (status = 201, description = "Stored and attached.", body = EvidenceFile,
            headers(("Location" = String, description = "`/v1/files/{id}`."))),
        UploadResponses, Forbidden, Conflict, PayloadTooLarge
    ),
    security(("bearer" = []))
)]
#[post("/assessments/{id}/findings/{criterion_code}/files")]
pub async fn upload_finding_file(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    id: AssessmentId,
    path: web::Path<CriterionPath>,
    query: ValidQuery<UploadQuery>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let code = criterion(path.into_inner().criterion_code)?;
    upload(&state, who, &req, payload, Target::Finding(id.into_inner(), code), query.0).await
}

/// Attach a file to a corrective action's evidence.
///
/// The body is the file's bytes, the name in `name` (see the tag for the kinds and limits).
/// Only the agency the action is about, until the action is verified (409).
#[utoipa::path(
    operation_id = "upload_corrective_action_file",
    tag = "evidence files",
    params(("id" = String, Path, format = Uuid, description = "Corrective action id."), UploadQuery),
    request_body(content = FileBody, content_type = "application/octet-stream", description = "The file's bytes."),
    responses(
        (status = 201, description = "Stored and attached.", body = EvidenceFile,
            headers(("Location" = String, description = "`/v1/files/{id}`."))),
        UploadResponses, Forbidden, Conflict, PayloadTooLarge
    ),
    security(("bearer" = []))
)]
#[post("/corrective-actions/{id}/files")]
pub async fn upload_corrective_action_file(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    id: ActionId,
    query: ValidQuery<UploadQuery>,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    upload(&state, who, &req, payload, Target::CorrectiveAction(id.into_inner()), query.0).await
}

/// Records a read under a sharing grant, before the answer is sent.
async fn record_grant(state: &AppState, who: Principal, grant: Option<String>, row: FileRow) -> AppResult<()> {
    let Some(grant) = grant else {
        return Ok(());
    };
    let now = state.clock.now();
    state.db.write(move |c| files::record_granted_read(c, &who, &grant, &row, now)).await
}

/// A page of a parent's files.
async fn list(
    state: &AppState,
    who: Principal,
    kind: ParentKind,
    parent_id: String,
    q: PageQuery,
) -> AppResult<HttpResponse> {
    let window = pagination::window(q.limit, q.cursor.as_deref())?;
    let (limit, after) = (window.fetch(), window.after.clone());
    let (now, reader) = (state.clock.now(), who.clone());
    let (rows, grant) = state
        .db
        .read(move |c| {
            let grant = files::readable(c, &who, kind, &parent_id, now)?;
            let rows = store::evidence_files::page_of(c, &parent_id, after.as_deref(), limit)?;
            Ok((rows, grant))
        })
        .await?;
    if let (Some(grant), Some(first)) = (grant, rows.first()) {
        record_grant(state, reader, Some(grant), first.clone()).await?;
    }
    Ok(HttpResponse::Ok().json(Page::of(rows, window.limit, |r| &r.id, EvidenceFile::of)))
}

/// List an assessment's files.
///
/// Those of the assessment and of its findings, in upload order. For whoever may read the
/// assessment's findings: admins, the agency, the staff of its body; an integrator under a
/// sharing grant of the agency, on a finalized assessment (each read is recorded).
#[utoipa::path(
    operation_id = "list_assessment_files",
    tag = "evidence files",
    params(("id" = String, Path, format = Uuid, description = "Assessment id."), PageQuery),
    responses((status = 200, description = "A page of files.", body = EvidenceFilePage), Forbidden),
    security(("bearer" = []))
)]
#[get("/assessments/{id}/files")]
pub async fn list_assessment_files(
    state: web::Data<AppState>,
    who: Principal,
    id: AssessmentId,
    query: ValidQuery<PageQuery>,
) -> AppResult<HttpResponse> {
    list(&state, who, ParentKind::Assessment, id.into_inner(), query.0).await
}

/// List a corrective action's files.
///
/// In upload order; for whoever may read the action.
#[utoipa::path(
    operation_id = "list_corrective_action_files",
    tag = "evidence files",
    params(("id" = String, Path, format = Uuid, description = "Corrective action id."), PageQuery),
    responses((status = 200, description = "A page of files.", body = EvidenceFilePage)),
    security(("bearer" = []))
)]
#[get("/corrective-actions/{id}/files")]
pub async fn list_corrective_action_files(
    state: web::Data<AppState>,
    who: Principal,
    id: ActionId,
    query: ValidQuery<PageQuery>,
) -> AppResult<HttpResponse> {
    list(&state, who, ParentKind::CorrectiveAction, id.into_inner(), query.0).await
}

/// Reads a file's row for `who`, recording a read under a grant.
async fn readable_file(state: &AppState, who: Principal, id: String) -> AppResult<FileRow> {
    let (now, reader) = (state.clock.now(), who.clone());
    let (row, grant) = state.db.read(move |c| files::find_readable(c, &who, &id, now)).await?;
    record_grant(state, reader, grant, row.clone()).await?;
    Ok(row)
}

/// Read a file's description.
///
/// For whoever may read its parent's files; a file whose parent the caller may not see is a
/// 404.
#[utoipa::path(
    operation_id = "get_file",
    tag = "evidence files",
    params(("id" = String, Path, format = Uuid, description = "Evidence file id.")),
    responses((status = 200, description = "The file.", body = EvidenceFile), Forbidden),
    security(("bearer" = []))
)]
#[get("/files/{id}")]
pub async fn get_file(state: web::Data<AppState>, who: Principal, id: FileId) -> AppResult<HttpResponse> {
    let row = readable_file(&state, who, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(EvidenceFile::of(row)))
}

/// Download a file.
///
/// The bytes as uploaded, as an attachment (never shown inline), with the type judged at
/// upload, `ETag` the quoted SHA-256 (`If-None-Match` with it answers 304) and
/// `X-Content-Type-Options: nosniff`. An erased file is a 410.
#[utoipa::path(
    operation_id = "download_file",
    tag = "evidence files",
    params(
        ("id" = String, Path, format = Uuid, description = "Evidence file id."),
        ("If-None-Match" = Option<String>, Header, max_length = 1024,
            description = "The `ETag` of a copy held: 304 when it is current.")
    ),
    responses(
        (status = 200, description = "The file's bytes.", content_type = "application/octet-stream", body = FileBody,
            headers(
                ("Content-Type" = String, description = "The media type judged at upload."),
                ("Content-Disposition" = String, description = "`attachment`, with the file's name."),
                ("ETag" = String, description = "The quoted SHA-256 of the bytes."),
                ("X-Content-Type-Options" = String, description = "`nosniff`.")
            )),
        (status = 304, description = "The copy named by `If-None-Match` is current."),
        Forbidden, Gone
    ),
    security(("bearer" = []))
)]
#[get("/files/{id}/content")]
pub async fn download_file(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    id: FileId,
) -> AppResult<HttpResponse> {
    crate::api::conditional::readable(&req)?;
    let row = readable_file(&state, who, id.into_inner()).await?;
    if row.erased_at.is_some() {
        return Err(AppError::Gone(format!("the contents of evidence file {} were erased", row.id)));
    }
    let etag = header::EntityTag::new_strong(row.sha256.clone());
    let held = match <header::IfNoneMatch as header::Header>::parse(&req) {
        Ok(header::IfNoneMatch::Any) => true,
        Ok(header::IfNoneMatch::Items(tags)) => tags.iter().any(|t| t.weak_eq(&etag)),
        Err(_) => false,
    };
    if held {
        return Ok(HttpResponse::NotModified().insert_header(header::ETag(etag)).finish());
    }
    let stream = state.blobs.read(&row.sha256).await?.map_err(|e| std::io::Error::other(e.to_string()));
    let size = u64::try_from(row.size_bytes).map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, row.media_type.as_str()))
        .insert_header((header::CONTENT_DISPOSITION, rules::content_disposition(row.name.as_deref().unwrap_or(""))))
        .insert_header(header::ETag(etag))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox"))
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(actix_web::body::SizedStream::new(size, stream)))
}

/// Remove a file.
///
/// Only the client that uploaded it, while its parent is open: not once the assessment is
/// finalized or cancelled, or the corrective action verified (409). The stored contents go
/// when no other file holds the same bytes.
#[utoipa::path(
    operation_id = "delete_file",
    tag = "evidence files",
    params(("id" = String, Path, format = Uuid, description = "Evidence file id.")),
    responses((status = 204, description = "Removed."), Forbidden, Conflict),
    security(("bearer" = []))
)]
#[delete("/files/{id}")]
pub async fn delete_file(state: web::Data<AppState>, who: Principal, id: FileId) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let now = state.clock.now();
    let row = state.db.write(move |c| files::remove(c, &who, &id, now)).await?;
    if let Err(e) = files::release(&state.db, &state.blobs, &row.sha256).await {
        // The row is gone; the contents wait for a cleanup rather than fail the removal.
        tracing::warn!(error = %e, sha256 = %row.sha256, "could not delete the contents of a removed file");
    }
    Ok(HttpResponse::NoContent().finish())
}
