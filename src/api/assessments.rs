//! `/v1/assessments`: audits filed criterion by criterion, their workflow and explained score.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use uuid::Uuid;

use crate::api::assessment_model::*;
use crate::api::extract::{self, ValidJson, ValidJsonWithBytes, ValidQuery, check_if_match, etag};
use crate::api::idempotency::{Created, create_once};
use crate::api::pagination;
use crate::api::problems::*;
use crate::auth::permissions::assessment_scope;
use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::assessment::{AssessmentKind, AssessmentStatus, Step, criterion_takes_fees};
use crate::domain::scoring::{self, ScoreResult};
use crate::domain::{from_wire, wire_name};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store;
use crate::store::assessments::{AssessmentRow, FindingRow};

fn not_found(id: &str) -> AppError {
    AppError::NotFound(format!("no assessment with id {id}"))
}

fn status_of(row: &AssessmentRow) -> AppResult<AssessmentStatus> {
    from_wire(&row.status).ok_or_else(|| AppError::internal(format!("assessment status {}", row.status)))
}

/// Loads an assessment the caller may see; one it may not see is answered as absent.
fn load_visible(conn: &mut DbConnection, who: &Principal, id: &str) -> AppResult<AssessmentRow> {
    let row = store::assessments::find(conn, id)?.ok_or_else(|| not_found(id))?;
    let visible = authorize(
        who,
        Action::ReadAssessment {
            agency_id: &row.agency_id,
            body_id: row.certification_body_id.as_deref(),
            finalized: row.status == "finalized",
        },
    );
    visible.map_err(|_| not_found(id))?;
    Ok(row)
}

/// The full view of one assessment, with findings when the caller may see them.
fn full_view(conn: &mut DbConnection, who: &Principal, row: AssessmentRow) -> AppResult<Assessment> {
    let standard = store::standards::content_of_version(conn, &row.standard_version)?;
    let findings = store::assessments::findings_of(conn, &row.id)?;
    let recorded = findings.len();
    let sees = authorize(
        who,
        Action::ReadFindings { agency_id: &row.agency_id, body_id: row.certification_body_id.as_deref() },
    )
    .is_ok();
    to_assessment(row, sees.then_some(findings), standard.criteria.len(), recorded)
}

fn respond(status: actix_web::http::StatusCode, assessment: &Assessment) -> HttpResponse {
    HttpResponse::build(status).insert_header((header::ETAG, etag(assessment.version))).json(assessment)
}

/// List assessments.
///
/// Auditors and certifiers see their body's, an agency its own, integrators finalized ones
/// (without findings), admins all.
#[utoipa::path(
    operation_id = "list_assessments",
    tag = "assessments",
    params(AssessmentQuery),
    responses((status = 200, description = "A page of assessments (without findings).", body = AssessmentPage), BadRequest, Unauthorized, Unprocessable, TooManyRequests),
    security(("bearer" = []))
)]
#[get("/assessments")]
pub async fn list_assessments(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<AssessmentQuery>,
) -> AppResult<HttpResponse> {
    let q = query.0;
    let (limit, after) = pagination::resolve(q.limit, q.cursor.as_deref())?;
    let visibility = assessment_scope(&who);
    let filter = store::assessments::Filter {
        agency_id: q.agency_id,
        status: q.status.map(|s| wire_name(&s)),
        kind: q.kind.map(|k| wire_name(&k)),
    };
    let (rows, counts, totals) = state
        .db
        .read(move |c| {
            let rows = store::assessments::page(c, &visibility, &filter, after.as_deref(), i64::from(limit) + 1)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let counts = store::assessments::finding_counts(c, &ids)?;
            // Few standard versions exist: read them once rather than once per assessment.
            let mut totals = HashMap::new();
            for standard in store::standards::all(c)? {
                totals.insert(standard.version.clone(), standard.content()?.criteria.len());
            }
            Ok((rows, counts, totals))
        })
        .await?;
    let (rows, next_cursor) = pagination::split_page(rows, limit, |r| &r.id);
    let data = rows
        .into_iter()
        .map(|row| {
            let recorded = counts.get(&row.id).copied().unwrap_or(0) as usize;
            let total = totals.get(&row.standard_version).copied().unwrap_or(0);
            to_assessment(row, None, total, recorded)
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(AssessmentPage { data, next_cursor }))
}

/// Open an assessment.
///
/// An auditor opens audits (any kind but `self_assessment`) for agencies that have an accepted
/// application with the auditor's certification body; an agency opens its own
/// `self_assessment`. The assessment is bound to one published standard version for good.
#[utoipa::path(
    operation_id = "create_assessment",
    tag = "assessments",
    params(("Idempotency-Key" = Option<String>, Header, nullable = false, min_length = 1, max_length = 255, pattern = "^[!-~]+$",
        description = "Makes a retry return the first answer instead of creating twice (kept 24 hours).")),
    request_body = AssessmentInput,
    responses(
        (status = 201, description = "Opened, in draft.", body = Assessment, headers(("Location" = String), ("ETag" = String))),
        BadRequest, Unauthorized, Forbidden, Conflict, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[post("/assessments")]
pub async fn create_assessment(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    body: ValidJsonWithBytes<AssessmentInput>,
) -> AppResult<HttpResponse> {
    let input = body.value;
    let self_assessment = input.kind == AssessmentKind::SelfAssessment;
    authorize(&who, Action::CreateAssessment { agency_id: &input.agency_id, self_assessment })?;
    let now = store::to_db_time(state.clock.now());
    let actor = who.clone();
    create_once(&state, &who, &req, &body.bytes, move |c| {
        if !store::agencies::exists(c, &input.agency_id)? {
            return Err(AppError::field("agency_id", format!("no agency with id {}", input.agency_id)));
        }
        let standard = match &input.standard_version {
            Some(version) => {
                store::standards::find(c, version)?.filter(|s| s.status == "published").ok_or_else(|| {
                    AppError::field("standard_version", format!("{version} is not a published standard version"))
                })?
            }
            None => store::standards::latest_published(c)?
                .ok_or_else(|| AppError::Conflict("no standard version is published".into()))?,
        };
        let body_id = if self_assessment { None } else { actor.certification_body_id.clone() };
        if let Some(body_id) = &body_id {
            if !store::certification_bodies::has_accepted_application(c, &input.agency_id, body_id)? {
                return Err(AppError::Forbidden(
                    "the agency has no accepted application with your certification body".into(),
                ));
            }
            let accredited =
                store::certification_bodies::find(c, body_id)?.is_some_and(|b| b.accreditation_status == "accredited");
            if !accredited {
                return Err(AppError::Conflict("your certification body is not accredited".into()));
            }
        }
        let row = AssessmentRow {
            id: Uuid::now_v7().to_string(),
            agency_id: input.agency_id,
            certification_body_id: body_id,
            standard_version: standard.version.clone(),
            kind: wire_name(&input.kind),
            status: wire_name(&AssessmentStatus::Draft),
            lead_client_id: actor.client_id.clone(),
            methods: serde_json::to_string(&input.methods).map_err(AppError::internal)?,
            overall_score: None,
            grade: None,
            score: None,
            version: 1,
            created_at: now,
            updated_at: now,
            submitted_at: None,
            finalized_at: None,
            cancelled_at: None,
        };
        store::assessments::insert(c, &row)?;
        let total = standard.content()?.criteria.len();
        let assessment = to_assessment(row, Some(Vec::new()), total, 0)?;
        Ok(Created {
            body: serde_json::to_string(&assessment).map_err(AppError::internal)?,
            location: Some(format!("/v1/assessments/{}", assessment.id)),
            etag: Some(etag(assessment.version)),
        })
    })
    .await
}

/// Read an assessment, with its findings for those allowed to see them.
#[utoipa::path(
    operation_id = "get_assessment",
    tag = "assessments",
    params(("id" = String, Path, format = Uuid, description = "Assessment id.")),
    responses((status = 200, description = "The assessment.", body = Assessment, headers(("ETag" = String))), BadRequest, Unauthorized, NotFound, TooManyRequests),
    security(("bearer" = []))
)]
#[get("/assessments/{id}")]
pub async fn get_assessment(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let assessment = state
        .db
        .read(move |c| {
            let row = load_visible(c, &who, &id)?;
            full_view(c, &who, row)
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::OK, &assessment))
}

/// Record the finding for one criterion.
///
/// Replaces any finding already recorded for the criterion. Allowed while the assessment is a
/// draft, or submitted (it then returns to draft). Fee amounts are recorded only on criteria of
/// principle C. Send the assessment's `ETag` as `If-Match` to refuse a change based on a stale
/// read.
#[utoipa::path(
    operation_id = "put_finding",
    tag = "assessments",
    params(
        ("id" = String, Path, format = Uuid, description = "Assessment id."),
        ("criterion_code" = String, Path, description = "A criterion of the assessment's standard, e.g. `C.1`."),
        ("If-Match" = Option<String>, Header, description = "The assessment's `ETag` the change is based on.")
    ),
    request_body = FindingInput,
    responses(
        (status = 200, description = "The assessment with the finding recorded.", body = Assessment, headers(("ETag" = String))),
        BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, PayloadTooLarge, UnsupportedMediaType, Unprocessable, TooManyRequests
    ),
    security(("bearer" = []))
)]
#[put("/assessments/{id}/findings/{criterion_code}")]
pub async fn put_finding(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    path: web::Path<(String, String)>,
    body: ValidJson<FindingInput>,
) -> AppResult<HttpResponse> {
    let (id, code) = path.into_inner();
    let if_match = extract::if_match(&req)?;
    let now = store::to_db_time(state.clock.now());
    let input = body.0;
    let assessment = state
        .db
        .write(move |c| {
            let mut row = load_visible(c, &who, &id)?;
            authorize(
                &who,
                Action::WorkOnAssessment { agency_id: &row.agency_id, body_id: row.certification_body_id.as_deref() },
            )?;
            let next = status_of(&row)?.after(Step::RecordFinding).map_err(AppError::Conflict)?;
            let standard = store::standards::content_of_version(c, &row.standard_version)?;
            if standard.criterion(&code).is_none() {
                return Err(AppError::NotFound(format!("standard {} has no criterion {code}", row.standard_version)));
            }
            if !input.fees.is_empty() && !criterion_takes_fees(&code) {
                return Err(AppError::field("fees", "fee amounts are recorded only on criteria of principle C"));
            }
            check_if_match(if_match.as_deref(), &etag(row.version))?;
            store::assessments::put_finding(
                c,
                &FindingRow {
                    assessment_id: row.id.clone(),
                    criterion_code: code,
                    severity: wire_name(&input.severity),
                    evidence: input.evidence,
                    workers_interviewed: i32::try_from(input.workers_interviewed).unwrap_or(i32::MAX),
                    fees: serde_json::to_string(&input.fees).map_err(AppError::internal)?,
                    recorded_by: who.client_id.clone(),
                    updated_at: now,
                },
            )?;
            let expected = row.version;
            row.status = wire_name(&next);
            row.submitted_at = if next == AssessmentStatus::Submitted { row.submitted_at } else { None };
            row.version += 1;
            row.updated_at = now;
            if !store::assessments::update(c, &row, expected)? {
                return Err(AppError::PreconditionFailed("the assessment changed meanwhile; fetch it again".into()));
            }
            full_view(c, &who, row)
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::OK, &assessment))
}

/// Moves an assessment one workflow step, with what that step does besides.
async fn step(state: &AppState, who: Principal, req: &HttpRequest, id: String, step: Step) -> AppResult<HttpResponse> {
    let if_match = extract::if_match(req)?;
    let now = state.clock.now();
    let assessment = state
        .db
        .write(move |c| {
            let mut row = load_visible(c, &who, &id)?;
            authorize(
                &who,
                Action::WorkOnAssessment { agency_id: &row.agency_id, body_id: row.certification_body_id.as_deref() },
            )?;
            let next = status_of(&row)?.after(step).map_err(AppError::Conflict)?;
            check_if_match(if_match.as_deref(), &etag(row.version))?;
            let db_now = store::to_db_time(now);
            match next {
                AssessmentStatus::Submitted => row.submitted_at = Some(db_now),
                AssessmentStatus::Cancelled => row.cancelled_at = Some(db_now),
                AssessmentStatus::Finalized => crate::audits::finalize(c, &mut row, now)?,
                AssessmentStatus::Draft => {}
            }
            let expected = row.version;
            row.status = wire_name(&next);
            row.version += 1;
            row.updated_at = db_now;
            if !store::assessments::update(c, &row, expected)? {
                return Err(AppError::PreconditionFailed("the assessment changed meanwhile; fetch it again".into()));
            }
            full_view(c, &who, row)
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::OK, &assessment))
}

macro_rules! workflow_route {
    ($name:ident, $path:literal, $op:literal, $step:expr, $summary:literal, $doc:literal, $ok:literal) => {
        #[doc = $summary]
        #[doc = ""]
        #[doc = $doc]
        #[utoipa::path(
            operation_id = $op,
            tag = "assessments",
            params(
                ("id" = String, Path, format = Uuid, description = "Assessment id."),
                ("If-Match" = Option<String>, Header, description = "The assessment's `ETag` the step is based on.")
            ),
            responses(
                (status = 200, description = $ok, body = Assessment, headers(("ETag" = String))),
                BadRequest, Unauthorized, Forbidden, NotFound, Conflict, PreconditionFailed, TooManyRequests
            ),
            security(("bearer" = []))
        )]
        #[post($path)]
        pub async fn $name(state: web::Data<AppState>, who: Principal, req: HttpRequest, id: web::Path<String>) -> AppResult<HttpResponse> {
            step(&state, who, &req, id.into_inner(), $step).await
        }
    };
}

workflow_route!(
    submit_assessment,
    "/assessments/{id}/submit",
    "submit_assessment",
    Step::Submit,
    "Submit a draft assessment for review.",
    "Findings can still change afterwards; recording one returns the assessment to draft.",
    "Submitted."
);
workflow_route!(
    finalize_assessment,
    "/assessments/{id}/finalize",
    "finalize_assessment",
    Step::Finalize,
    "Finalize a submitted assessment.",
    "Only a complete assessment (a finding for every criterion) can be finalized. The score is \
     then fixed; each minor, major and critical finding of an audit opens a corrective action with \
     its deadlines; the audit's score and grade become the agency's latest. A finalized assessment \
     never changes again (409).",
    "Finalized and scored."
);
workflow_route!(
    cancel_assessment,
    "/assessments/{id}/cancel",
    "cancel_assessment",
    Step::Cancel,
    "Cancel a draft or submitted assessment.",
    "A cancelled assessment counts for nothing and never changes again.",
    "Cancelled."
);

/// The explained score.
///
/// Every number that produced the score: per criterion (weight, credit, earned), per principle,
/// overall, the grade band, and each cap that applied with its reason. Fixed once finalized;
/// before, a preview of the findings recorded so far. Not for integrators, who see the overall
/// score and grade on the assessment.
#[utoipa::path(
    operation_id = "get_assessment_score",
    tag = "assessments",
    params(("id" = String, Path, format = Uuid, description = "Assessment id.")),
    responses((status = 200, description = "The explanation.", body = ScoreExplanation), BadRequest, Unauthorized, Forbidden, NotFound, TooManyRequests),
    security(("bearer" = []))
)]
#[get("/assessments/{id}/score")]
pub async fn get_assessment_score(
    state: web::Data<AppState>,
    who: Principal,
    id: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let explanation = state
        .db
        .read(move |c| {
            let row = load_visible(c, &who, &id)?;
            authorize(
                &who,
                Action::ReadFindings { agency_id: &row.agency_id, body_id: row.certification_body_id.as_deref() },
            )?;
            let status = status_of(&row)?;
            let score: ScoreResult = match (&row.score, status) {
                (Some(stored), AssessmentStatus::Finalized) => {
                    serde_json::from_str(stored).map_err(AppError::internal)?
                }
                _ => {
                    let standard = store::standards::content_of_version(c, &row.standard_version)?;
                    let findings = store::assessments::findings_of(c, &row.id)?;
                    scoring::score(&standard, &crate::audits::severities(&findings))
                }
            };
            Ok(ScoreExplanation {
                assessment_id: row.id,
                standard_version: row.standard_version,
                status,
                fixed: status == AssessmentStatus::Finalized,
                score,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(explanation))
}
