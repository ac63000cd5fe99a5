//! `POST /v1/verifications`: up to 1,000 agencies verified in one call, as JSON or as CSV,
//! with an attestation that covers the whole answer.

use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, post, web};
use chrono::{DateTime, SubsecRound, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use crate::api::extract::{is_json, parse_json, read_body};
use crate::api::middleware::take_bulk_allowance;
use crate::api::problems::*;
use crate::api::verification_csv;
use crate::api::verification_model::{self, VerificationResult};
use crate::auth::attestation::{self, DigestOf};
use crate::auth::{Action, Principal, authorize};
use crate::domain::events::{canonical_json, hex};
use crate::error::{AppError, AppResult};
use crate::services::verifications::VerificationRequest;
use crate::state::AppState;

/// The largest body accepted, JSON or CSV (unless `limits.json_body_bytes` is larger): room
/// for 1,000 items with long names.
pub const VERIFICATION_BODY_BYTES: usize = 1024 * 1024;

/// The response header that carries the attestation of a CSV answer.
pub const ATTESTATION_HEADER: &str = "fairhire-attestation";

/// The answer to a verification, with its attestation.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "verified_at": "2026-11-30T12:00:00Z",
    "expires_at": "2026-11-30T13:00:00Z",
    "count": 1,
    "results": [{
        "request_index": 0,
        "reference": "row-1",
        "lookup": "name",
        "outcome": "ambiguous",
        "agency": null,
        "name_similarity": null,
        "candidates": [{
            "agency_id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90",
            "legal_name": "Himalayan Overseas Manpower Pvt. Ltd.",
            "licence_number": "DoFE-1234/2075",
            "licence_country": "NP",
            "certification_status": "certified",
            "similarity": 0.33
        }],
        "errors": []
    }],
    "attestation": VERIFICATION_ATTESTATION_EXAMPLE
}))]
pub struct VerificationAnswer {
    /// The moment the registry was read, to the second: the attestation's `iat`.
    pub verified_at: DateTime<Utc>,
    /// The attestation's `exp`, one hour later.
    pub expires_at: DateTime<Utc>,
    /// How many items were verified.
    #[schema(format = Int32, minimum = 1, maximum = 1000)]
    pub count: usize,
    /// One result per item, in request order.
    #[schema(max_items = 1000)]
    pub results: Vec<VerificationResult>,
    /// A compact JWS (EdDSA, `typ: verification+jwt`) whose `sha256` claim is the SHA-256 of
    /// the canonical JSON of `results` (keys sorted at every level, no insignificant white
    /// space, UTF-8): verify it offline with the keys at `/.well-known/jwks.json`.
    #[schema(max_length = 2048, pattern = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$")]
    pub attestation: String,
}

/// The media type of a request, which is also the media type of its answer.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Json,
    Csv,
}

fn format_of(headers: &HeaderMap) -> Result<Format, AppError> {
    let essence = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|ct| ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    if is_json(headers) {
        Ok(Format::Json)
    } else if essence.as_deref() == Some("text/csv") {
        Ok(Format::Csv)
    } else {
        Err(AppError::UnsupportedMediaType("send the items as application/json or text/csv".into()))
    }
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// Verify agencies in bulk.
///
/// Up to 1,000 items, each naming one agency by `agency_id`, by `licence_country` and
/// `licence_number`, or by `name` and `country` (the licensing country or a country the
/// agency recruits from or to), with an optional `reference` echoed back. The answer holds one
/// result per item, in request order, with its `request_index` and an `outcome`: `found`
/// (certificate in force), `not_found`, `ambiguous` (a name that may mean several agencies, or
/// one only loosely: `candidates`, best first), `never_certified`, `suspended`, `withdrawn`,
/// `expired`, or `invalid` (the item breaks the rules: `errors`, by field). A matched agency
/// comes with its certification status, grade, risk level and reasons (as in its due-diligence
/// summary), licence validity and certificate.
///
/// Send JSON (`{"items": [...]}`) for a JSON answer, or CSV (`text/csv`, a header row naming
/// any of `reference, agency_id, licence_country, licence_number, name, country`) for a CSV
/// answer, one row per item. Either way the answer is attested: a JWS (`typ:
/// verification+jwt`) in the JSON's `attestation`, or in the `Fairhire-Attestation` header of
/// a CSV answer, whose `sha256` claim covers the results (`digest_of:
/// canonical_json_results`) or the CSV body byte for byte (`digest_of: csv_body`).
///
/// An empty list or more than 1,000 items is a 422 naming `items`; a malformed CSV is a 400
/// naming the line. Ten items cost one request of the rate limit (1,000 items cost 100).
#[utoipa::path(
    operation_id = "verify_agencies",
    tag = "verifications",
    request_body(
        description = "The items, as JSON or as CSV with a header row.",
        content(
            (VerificationRequest = "application/json"),
            (VerificationCsv = "text/csv", example = json!(CSV_REQUEST_EXAMPLE))
        )
    ),
    responses(
        (status = 200, description = "One result per item, in request order, attested. A CSV answer carries its attestation in `Fairhire-Attestation`.",
            content(
                (VerificationAnswer = "application/json"),
                (String = "text/csv", example = json!(CSV_ANSWER_EXAMPLE))
            ),
            headers(
                ("Fairhire-Attestation" = String, description = "With a CSV answer only: the compact JWS attesting the body (`digest_of: csv_body`)."),
                ("Cache-Control" = String, description = "`no-store`: an answer states one moment.")
            )),
        Forbidden, Unprocessable
    ),
    security(("bearer" = []))
)]
#[post("/verifications")]
pub async fn verify_agencies(
    req: HttpRequest,
    state: web::Data<AppState>,
    who: Principal,
    payload: web::Payload,
) -> AppResult<HttpResponse> {
    let format = format_of(req.headers())?;
    let limit = state.config.limits.json_body_bytes.max(VERIFICATION_BODY_BYTES);
    let bytes = read_body(req.headers(), &mut payload.into_inner(), limit).await?;
    let request = match format {
        Format::Json => {
            let request = parse_json::<VerificationRequest>(&bytes)?;
            items_are_objects(&bytes)?;
            request
        }
        Format::Csv => VerificationRequest { items: verification_csv::read_items(&bytes)? },
    };
    crate::services::validate(&request)?;
    authorize(&who, Action::VerifyAgencies)?;
    take_bulk_allowance(&req, request.items.len())?;

    // Whole seconds, as the attestation counts them: the answer is as of its `iat`.
    let now = state.clock.now().trunc_subsecs(0);
    let items = request.items;
    let index = state.search.clone();
    let results = state.db.read(move |c| verification_model::verify(c, &index, &items, now)).await?;
    let issued = u64::try_from(now.timestamp()).map_err(AppError::internal)?;
    let mut answer = HttpResponse::Ok();
    answer.insert_header((header::CACHE_CONTROL, "no-store"));
    match format {
        Format::Json => {
            let value = serde_json::to_value(&results).map_err(AppError::internal)?;
            let digest = sha256_hex(canonical_json(&value).as_bytes());
            let jws = attestation::sign_verification(
                &state.keys,
                &state.config.jwt,
                results.len(),
                DigestOf::CanonicalJsonResults,
                digest,
                issued,
            )?;
            let ttl = i64::try_from(attestation::ATTESTATION_TTL_SECONDS).map_err(AppError::internal)?;
            Ok(answer.json(VerificationAnswer {
                verified_at: now,
                expires_at: now + chrono::Duration::seconds(ttl),
                count: results.len(),
                results,
                attestation: jws,
            }))
        }
        Format::Csv => {
            let body = verification_csv::write_results(&results)?;
            let jws = attestation::sign_verification(
                &state.keys,
                &state.config.jwt,
                results.len(),
                DigestOf::CsvBody,
                sha256_hex(&body),
                issued,
            )?;
            Ok(answer.insert_header((ATTESTATION_HEADER, jws)).content_type("text/csv; charset=utf-8").body(body))
        }
    }
}

/// A CSV upload, as the document describes it: a header line naming columns, then one row per
/// item, up to [`VERIFICATION_BODY_BYTES`] (so never more characters than that).
pub struct VerificationCsv;

impl utoipa::PartialSchema for VerificationCsv {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::{ObjectBuilder, Type};
        let column = verification_csv::REQUEST_COLUMNS.join("|");
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(
                "RFC 4180 CSV in UTF-8: a header line naming any of the columns (a byte-order mark first is skipped), \
then one row per item with as many cells as the header. At most 1 MiB (in bytes).",
            ))
            .min_length(Some(1))
            .max_length(Some(VERIFICATION_BODY_BYTES))
            .pattern(Some(format!(r"^\ufeff?({column})(,({column}))*\r?\n")))
            .into()
    }
}

impl utoipa::ToSchema for VerificationCsv {}

/// An upload, for the documentation.
const CSV_REQUEST_EXAMPLE: &str = "reference,agency_id,licence_country,licence_number,name,country\r\n\
row-1,0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90,,,,\r\n\
row-2,,NP,DoFE-1234/2075,,\r\n\
row-3,,,,Himalayan Overseas Manpower Pvt. Ltd.,NP\r\n";

/// An answer as CSV, for the documentation.
const CSV_ANSWER_EXAMPLE: &str = "request_index,reference,outcome,lookup,agency_id,legal_name,licence_country,licence_number,licence_valid_until,licence_valid_today,certification_status,grade,risk_level,risk_reasons,certificate_number,certificate_state,certificate_valid_until,certificate_valid_today,name_similarity,candidates,errors\r\n\
0,row-1,found,agency_id,0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90,Himalayan Overseas Manpower Pvt. Ltd.,NP,DoFE-1234/2075,2027-07-15,true,certified,B,low,,FH-2026-7D2A9C35,in_force,2029-11-28T09:30:00Z,true,,,\r\n\
1,row-2,not_found,licence,,,,,,,,,,,,,,,,,\r\n";

/// A real verification attestation, signed by a throw-away key, for the documentation.
const VERIFICATION_ATTESTATION_EXAMPLE: &str = concat!(
    "eyJ0eXAiOiJ2ZXJpZmljYXRpb24rand0IiwiYWxnIjoiRWREU0EiLCJraWQiOiJSZHNJZE8zQ3NNRHpDak5adnpoOW9xTW1UZ01BU2czamdvQWk4ZFhaTElRIn0.",
    "eyJpc3MiOiJmYWlyaGlyZSIsImlhdCI6MTc5NjA0MDAwMCwiZXhwIjoxNzk2MDQzNjAwLCJqdGkiOiIwMWEyMjVmMC05Njg5LTc3MjctYWViNS03NjhmYzZkMWE3NTEiLCJjb3VudCI6MSwiZGlnZXN0X29mIjoiY2Fub25pY2FsX2pzb25fcmVzdWx0cyIsInNoYTI1NiI6IjYzNDM4MTZjZDM5YmY0ZDI2OGI0MDNiZTY1NTUwNWJlZGU5NWUwYWI1YmJhNzc5NTVkMzQ2YTFkMjFlMmRkOTgifQ.",
    "RGNzM59lfKq_g1zI9fTHRxiZDnG-MTX-7eASUDHCfbTtmnb9zVeCSgo8hHncIjKg4JVNQZAICC_FdIIu-vDSAA"
);

/// Refuses (422) an item that is not a JSON object. An item breaking the naming rules is
/// answered `invalid` among the others, but one of another type is a malformed request: serde
/// would otherwise read an array such as `[null, null]` as an item's fields by position.
fn items_are_objects(bytes: &[u8]) -> AppResult<()> {
    let Ok(serde_json::Value::Object(body)) = serde_json::from_slice::<serde_json::Value>(bytes) else {
        return Ok(());
    };
    let items = body.get("items").and_then(serde_json::Value::as_array).map(Vec::as_slice).unwrap_or_default();
    match items.iter().position(|item| !item.is_object()) {
        Some(i) => Err(AppError::field(format!("items[{i}]"), "must be an object")),
        None => Ok(()),
    }
}
