//! `POST /v1/erasures`: an admin erases a person's data on request.

use actix_web::{HttpResponse, post, web};

use crate::api::extract::ValidJson;
use crate::api::problems::{Forbidden, NotFound};
use crate::auth::{Action, Principal, authorize};
use crate::error::AppResult;
use crate::services::evidence_files;
use crate::services::retention::{self, Erasure, ErasureRequest};
use crate::state::AppState;

/// Erase personal data.
///
/// Erases one record's personal data at a person's request: a worker report's contact, an
/// agency's contact e-mail and phone, or an evidence file's contents and name (its hash, size
/// and type stay; downloading it then answers 410). The record keeps everything else; the events about it
/// lose their personal values but keep the digests their hashes cover, so the event log still
/// verifies; one `personal_data.erased` event records what was erased and why, never the data.
/// Asking again erases nothing more (`erased_fields` is empty). Admins only. The retention
/// policy erases the same data on its own when its period ends (README, "Personal data").
#[utoipa::path(
    operation_id = "erase_personal_data",
    tag = "personal data",
    request_body = ErasureRequest,
    responses(
        (status = 200, description = "What was erased.", body = Erasure),
        Forbidden, NotFound
    ),
    security(("bearer" = []))
)]
#[post("/erasures")]
pub async fn erase_personal_data(
    state: web::Data<AppState>,
    who: Principal,
    request: ValidJson<ErasureRequest>,
) -> AppResult<HttpResponse> {
    authorize(&who, Action::ErasePersonalData)?;
    let now = state.clock.now();
    let erased = state.db.write(move |c| retention::erase(c, &who, request.0, now)).await?;
    for sha256 in &erased.release {
        // Erased and committed: contents that fail to go now stay unreadable (410) and are
        // logged; the answer still says what was erased.
        if let Err(e) = evidence_files::release(&state.db, &state.blobs, sha256).await {
            tracing::error!(error = %e, "could not delete erased evidence contents");
        }
    }
    Ok(HttpResponse::Ok().json(erased.done))
}
