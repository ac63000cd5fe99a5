//! Technical reviews over HTTP: recorded by the body's staff before a certify, reinstate or
//! withdraw decision, and listed for the body and the scheme's admins.

use actix_web::{HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::{AgencyId, AssessmentId, ValidJson};
use crate::api::problems::*;
use crate::auth::Principal;
use crate::domain::review::{ReviewOutcome, ReviewedDecision};
use crate::error::AppResult;
use crate::services::reviews::{self, AuditReviewInput, CertificateReviewInput};
use crate::state::AppState;
use crate::store::reviews::ReviewRow;

#[derive(Debug, Serialize, ToSchema)]
pub struct Review {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub agency_id: String,
    #[schema(format = Uuid)]
    pub certification_body_id: String,
    pub decision: ReviewedDecision,
    /// The audit reviewed: the one a `certify` would rest on, or the follow-up a reinstatement
    /// or withdrawal rests on.
    #[schema(format = Uuid)]
    pub assessment_id: Option<String>,
    /// The certificate a `reinstate` or `withdraw` review is about.
    #[schema(max_length = 32, pattern = "^FH-[0-9]{4}-[0-9A-Z]{1,16}$")]
    pub certificate_number: Option<String>,
    pub outcome: ReviewOutcome,
    #[schema(max_length = 2000)]
    pub reasons: Option<String>,
    /// The reviewing client.
    #[schema(max_length = 64, pattern = "^[A-Za-z0-9._-]{1,64}$")]
    pub reviewer: String,
    pub reviewed_at: DateTime<Utc>,
    /// When a decision rested on it; a review supports one decision only.
    pub used_at: Option<DateTime<Utc>>,
}

impl From<ReviewRow> for Review {
    fn from(r: ReviewRow) -> Self {
        Review {
            id: r.id,
            agency_id: r.agency_id,
            certification_body_id: r.certification_body_id,
            decision: r.decision,
            assessment_id: r.assessment_id,
            certificate_number: r.certificate_number,
            outcome: r.outcome,
            reasons: r.reasons,
            reviewer: r.reviewer,
            reviewed_at: r.reviewed_at,
            used_at: r.used_at,
        }
    }
}

/// Reviews, oldest first (at most 1,000, `store::reviews::MAX_LISTED`).
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct ReviewList(Vec<Review>);

// By hand: the derive takes no `max_items` on a newtype, and the document must state the bound.
impl utoipa::PartialSchema for ReviewList {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::ArrayBuilder;
        ArrayBuilder::new()
            .items(utoipa::openapi::Ref::from_schema_name("Review"))
            .max_items(Some(crate::store::reviews::MAX_LISTED as usize))
            .description(Some("Reviews, oldest first (at most 1,000)."))
            .into()
    }
}

impl ToSchema for ReviewList {
    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        schemas.push(("Review".into(), <Review as utoipa::PartialSchema>::schema()));
        <Review as ToSchema>::schemas(schemas);
    }
}

fn listed(rows: Vec<ReviewRow>) -> ReviewList {
    ReviewList(rows.into_iter().map(Review::from).collect())
}

/// Review an audit before a certification decision.
///
/// An auditor or certifier of the body that carried out the audit, who did not lead it (by
/// client or `person_ref`), agrees that the finalized stage-2 or recertification audit supports
/// certification, or returns the file with reasons. A `certify` decision rests on the latest
/// review of its audit, which must agree; by the standard's `decision_policy` (default for
/// `certify`) the decider must be yet another person.
#[utoipa::path(
    operation_id = "create_audit_review",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Assessment id.")),
    request_body = AuditReviewInput,
    responses(
        (status = 201, description = "Recorded.", body = Review),
        Forbidden, NotFound, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/assessments/{id}/reviews")]
pub async fn create_audit_review(
    state: web::Data<AppState>,
    who: Principal,
    id: AssessmentId,
    body: ValidJson<AuditReviewInput>,
) -> AppResult<HttpResponse> {
    let (id, now) = (id.into_inner(), state.clock.now());
    let row = state.db.write(move |c| reviews::review_audit(c, &who, &id, body.0, now)).await?;
    Ok(HttpResponse::Created().json(Review::from(row)))
}

/// List an audit's technical reviews.
///
/// For admins and the staff of the audit's body, oldest first (at most 1,000): who agreed or
/// returned the file, when, and whether a decision used the review.
#[utoipa::path(
    operation_id = "list_audit_reviews",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Assessment id.")),
    responses((status = 200, description = "The reviews.", body = ReviewList), Forbidden, NotFound),
    security(("bearer" = []))
)]
#[get("/assessments/{id}/reviews")]
pub async fn list_audit_reviews(
    state: web::Data<AppState>,
    who: Principal,
    id: AssessmentId,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let rows = state.db.read(move |c| reviews::of_audit(c, &who, &id)).await?;
    Ok(HttpResponse::Ok().json(listed(rows)))
}

/// Review a reinstatement or withdrawal before it is decided.
///
/// An auditor or certifier of the certificate's body agrees to, or returns, a `reinstate` (the
/// agency suspended) or `withdraw` decision on the agency's current certificate; with
/// `assessment_id`, the follow-up or special audit the decision rests on, whose lead may not
/// review. The decision rests on the latest review of its kind on that certificate.
#[utoipa::path(
    operation_id = "create_certificate_review",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    request_body = CertificateReviewInput,
    responses(
        (status = 201, description = "Recorded.", body = Review),
        Forbidden, NotFound, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/agencies/{id}/certification/reviews")]
pub async fn create_certificate_review(
    state: web::Data<AppState>,
    who: Principal,
    id: AgencyId,
    body: ValidJson<CertificateReviewInput>,
) -> AppResult<HttpResponse> {
    let (id, now) = (id.into_inner(), state.clock.now());
    let row = state.db.write(move |c| reviews::review_certificate(c, &who, &id, body.0, now)).await?;
    Ok(HttpResponse::Created().json(Review::from(row)))
}

/// List an agency's technical reviews.
///
/// Oldest first (at most 1,000): all of them for admins, the body's own for its staff.
#[utoipa::path(
    operation_id = "list_certification_reviews",
    tag = "certification",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    responses((status = 200, description = "The reviews.", body = ReviewList), Forbidden, NotFound),
    security(("bearer" = []))
)]
#[get("/agencies/{id}/certification/reviews")]
pub async fn list_certification_reviews(
    state: web::Data<AppState>,
    who: Principal,
    id: AgencyId,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let rows = state.db.read(move |c| reviews::of_agency(c, &who, &id)).await?;
    Ok(HttpResponse::Ok().json(listed(rows)))
}
