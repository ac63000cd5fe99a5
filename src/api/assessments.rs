//! `/v1/assessments`: audits filed criterion by criterion, their workflow and explained score.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use serde::Deserialize;

use crate::api::assessment_model::*;
use crate::api::extract::{self, AssessmentId, ValidJson, ValidJsonWithBytes, ValidQuery};
use crate::api::idempotency::{Created, create_once};
use crate::api::pagination::{self, Page};
use crate::api::problems::*;
use crate::api::standards as standards_api;
use crate::auth::permissions::assessment_scope;
use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::assessment::{AssessmentKind, AssessmentStatus, Step};
use crate::domain::grants::GrantedRead;
use crate::domain::scoring;
use crate::error::AppResult;
use crate::services::assessments::{self, AssessmentInput, FindingInput};
use crate::services::etag;
use crate::services::grants::{self, FindingsAccess};
use crate::state::AppState;
use crate::store;
use crate::store::assessments::AssessmentRow;

crate::api::pagination::documented_page!(AssessmentPage, Assessment, "assessments");

/// The full view of one assessment, with findings when the caller may see them by role.
fn full_view(conn: &mut DbConnection, who: &Principal, row: AssessmentRow) -> AppResult<Assessment> {
    let sees = authorize(
        who,
        Action::ReadFindings { agency_id: &row.agency_id, body_id: row.certification_body_id.as_deref() },
    )
    .is_ok();
    view(conn, row, sees)
}

/// The view of one assessment, with its findings if `sees`.
fn view(conn: &mut DbConnection, row: AssessmentRow, sees: bool) -> AppResult<Assessment> {
    let total = store::standards::content_of_version(conn, &row.standard_version)?.criteria.len();
    let findings = store::assessments::findings_of(conn, &row.id)?;
    let recorded = findings.len();
    Ok(Assessment::of(row, sees.then_some(findings), total, recorded))
}

/// Records a read of `what` under a sharing grant before the answer leaves: a read that could
/// not be recorded is not answered.
async fn record_granted_read(
    state: &AppState,
    who: Principal,
    grant_id: Option<String>,
    assessment_id: String,
    what: GrantedRead,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<()> {
    let Some(grant_id) = grant_id else {
        return Ok(());
    };
    state.db.write(move |c| grants::record_read(c, &who, &grant_id, &assessment_id, what, now)).await
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
    responses((status = 200, description = "A page of assessments (without findings).", body = AssessmentPage)),
    security(("bearer" = []))
)]
#[get("/assessments")]
pub async fn list_assessments(
    state: web::Data<AppState>,
    who: Principal,
    query: ValidQuery<AssessmentQuery>,
) -> AppResult<HttpResponse> {
    let q = query.0;
    let window = pagination::window(q.limit, q.cursor.as_deref())?;
    let visibility = assessment_scope(&who);
    let filter = store::assessments::Filter { agency_id: q.agency_id, status: q.status, kind: q.kind };
    let (limit, after) = (window.fetch(), window.after.clone());
    let (rows, counts, totals) = state
        .db
        .read(move |c| {
            let rows = store::assessments::page(c, &visibility, &filter, after.as_deref(), limit)?;
            let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
            let counts = store::assessments::finding_counts(c, &ids)?;
            // Few standard versions exist: read them once rather than once per assessment.
            let totals: HashMap<String, usize> =
                store::standards::all(c)?.into_iter().map(|s| (s.version, s.content.criteria.len())).collect();
            Ok((rows, counts, totals))
        })
        .await?;
    let page = Page::of(
        rows,
        window.limit,
        |r| &r.id,
        |row| {
            let recorded = counts.get(&row.id).copied().unwrap_or(0) as usize;
            let total = totals.get(&row.standard_version).copied().unwrap_or(0);
            Assessment::of(row, None, total, recorded)
        },
    );
    Ok(HttpResponse::Ok().json(page))
}

/// Open an assessment.
///
/// An auditor opens audits (any kind but `self_assessment`) for agencies that have an accepted
/// application with the auditor's certification body; an agency opens its own
/// `self_assessment`. The assessment is bound to one published standard version for good.
#[utoipa::path(
    operation_id = "create_assessment",
    tag = "assessments",
    params(IdempotencyKey),
    request_body = AssessmentInput,
    responses(
        (status = 201, description = "Opened, in draft.", body = Assessment, headers(("Location" = String), ("ETag" = String))),
        Forbidden, Conflict
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
    let (now, actor) = (state.clock.now(), who.clone());
    create_once(&state, &who, &req, &body.bytes, move |c| {
        let row = assessments::open(c, &actor, input, now)?;
        let assessment = full_view(c, &actor, row)?;
        Created::json(&assessment, format!("/v1/assessments/{}", assessment.id), assessment.version)
    })
    .await
}

/// Read an assessment, with its findings for those allowed to see them.
///
/// Findings are shown to admins, the agency itself, and the staff of the assessing body; to an
/// integrator only for a finalized assessment of an agency that granted it access
/// (`POST /v1/agencies/{id}/grants`) and only while the grant is in force. Each such read is
/// recorded for the agency to see.
#[utoipa::path(
    operation_id = "get_assessment",
    tag = "assessments",
    params(("id" = String, Path, format = Uuid, description = "Assessment id.")),
    responses((status = 200, description = "The assessment.", body = Assessment, headers(("ETag" = String)))),
    security(("bearer" = []))
)]
#[get("/assessments/{id}")]
pub async fn get_assessment(state: web::Data<AppState>, who: Principal, id: AssessmentId) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let (now, reader) = (state.clock.now(), who.clone());
    let (assessment, grant) = state
        .db
        .read(move |c| {
            let row = assessments::find_visible(c, &who, &id)?;
            let access = grants::findings_access(c, &who, &row, now)?;
            let grant = match &access {
                FindingsAccess::Granted(grant) => Some(grant.clone()),
                _ => None,
            };
            let sees = !matches!(access, FindingsAccess::Denied(_));
            Ok((view(c, row, sees)?, grant))
        })
        .await?;
    record_granted_read(&state, reader, grant, assessment.id.clone(), GrantedRead::Findings, now).await?;
    Ok(respond(actix_web::http::StatusCode::OK, &assessment))
}

#[derive(Deserialize)]
pub struct CriterionPath {
    criterion_code: String,
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
        ("criterion_code" = String, Path, max_length = 5, pattern = "^[A-Z][.][0-9]{1,3}$",
            description = "A criterion of the assessment's standard, e.g. `C.1`."),
        IfMatch
    ),
    request_body = FindingInput,
    responses(
        (status = 200, description = "The assessment with the finding recorded.", body = Assessment, headers(("ETag" = String))),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[put("/assessments/{id}/findings/{criterion_code}")]
pub async fn put_finding(
    state: web::Data<AppState>,
    who: Principal,
    req: HttpRequest,
    id: AssessmentId,
    path: web::Path<CriterionPath>,
    body: ValidJson<FindingInput>,
) -> AppResult<HttpResponse> {
    let (id, code) = (id.into_inner(), path.into_inner().criterion_code);
    let if_match = extract::if_match(&req)?;
    let now = state.clock.now();
    let assessment = state
        .db
        .write(move |c| {
            let row = assessments::record_finding(c, &who, &id, &code, body.0, if_match.as_deref(), now)?;
            full_view(c, &who, row)
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::OK, &assessment))
}

/// Moves an assessment one workflow step.
async fn step(state: &AppState, who: Principal, req: &HttpRequest, id: String, step: Step) -> AppResult<HttpResponse> {
    let if_match = extract::if_match(req)?;
    let now = state.clock.now();
    let assessment = state
        .db
        .write(move |c| {
            let row = assessments::step(c, &who, &id, step, if_match.as_deref(), now)?;
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
            params(("id" = String, Path, format = Uuid, description = "Assessment id."), IfMatch),
            responses((status = 200, description = $ok, body = Assessment, headers(("ETag" = String))), Forbidden, Conflict),
            security(("bearer" = []))
        )]
        #[post($path)]
        pub async fn $name(state: web::Data<AppState>, who: Principal, req: HttpRequest, id: AssessmentId) -> AppResult<HttpResponse> {
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
/// score and grade on the assessment, unless the agency granted them access to its findings
/// (then of finalized assessments, while the grant is in force; each read is recorded).
#[utoipa::path(
    operation_id = "get_assessment_score",
    tag = "assessments",
    params(("id" = String, Path, format = Uuid, description = "Assessment id."), AcceptLanguage),
    responses(
        (status = 200, description = "The explanation.", body = ScoreExplanation, headers(
            ("Content-Language" = String, description = "The language of the principle titles."),
            ("Vary" = String, description = "`Accept-Language`: the titles depend on it.")
        )),
        Forbidden
    ),
    security(("bearer" = []))
)]
#[get("/assessments/{id}/score")]
pub async fn get_assessment_score(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    id: AssessmentId,
) -> AppResult<HttpResponse> {
    let ranges = standards_api::accepted_languages(&req)?;
    let id = id.into_inner();
    let (now, reader) = (state.clock.now(), who.clone());
    let (explanation, grant, language) = state
        .db
        .read(move |c| {
            let row = assessments::find_visible(c, &who, &id)?;
            let grant = match grants::findings_access(c, &who, &row, now)? {
                FindingsAccess::Own => None,
                FindingsAccess::Granted(grant) => Some(grant),
                FindingsAccess::Denied(refusal) => return Err(refusal),
            };
            let fixed = row.status == AssessmentStatus::Finalized;
            let standard = store::standards::content_of_version(c, &row.standard_version)?;
            let base_language = standard.base_language().to_owned();
            let mut score = match (&row.score, fixed) {
                (Some(stored), true) => stored.0.clone(),
                _ => {
                    let findings = store::assessments::findings_of(c, &row.id)?;
                    scoring::score(&standard, &assessments::severities(&findings))
                }
            };
            let translations = store::translations::of_version(c, &row.standard_version)?;
            let (texts, _) = standards_api::negotiate(standard, &translations, &ranges);
            let language = texts.base_language().to_owned();
            if language != base_language {
                for p in &mut score.principles {
                    if let Some(t) = texts.principles.iter().find(|t| t.code == p.code) {
                        p.title.clone_from(&t.title);
                    }
                }
            }
            let explanation = ScoreExplanation {
                assessment_id: row.id,
                standard_version: row.standard_version,
                status: row.status,
                fixed,
                score,
            };
            Ok((explanation, grant, language))
        })
        .await?;
    let assessment_id = explanation.assessment_id.clone();
    record_granted_read(&state, reader, grant, assessment_id, GrantedRead::ScoreExplanation, now).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, language))
        .insert_header((header::VARY, "Accept-Language"))
        .json(explanation))
}
