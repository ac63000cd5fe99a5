//! `/v1/exports`: the open data sets, without a token. The public registry, one agency per
//! record, streamed in keyset pages so that memory stays the same whatever the registry's size;
//! a delta of the agencies changed after an event cursor; and the fee evidence per corridor.
//! Each answer names its licence, carries an `ETag` that changes exactly when its content does,
//! and answers `If-None-Match` with 304.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, get, web};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::extract::ValidQuery;
use crate::api::fee_evidence::{self, FeeCell};
use crate::api::public::{CertificateState, PublicAgency, public_view};
use crate::domain::agency::{CertificationStatus, Grade, Sector};
use crate::domain::open_data::{LICENCE_NAME, LICENCE_URL, csv_line, csv_list, none_match};
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use crate::store;
use crate::store::exports::Delta;

/// Agencies read per query: big enough to keep the queries few, small enough that a page is a
/// few hundred kilobytes whatever the registry's size.
const PAGE: i64 = 1000;

/// The header that tells the event cursor to pass as `since` next time.
const EVENT_CURSOR: &str = "X-Event-Cursor";
/// The header that names the data set's licence (its URL is in `Link`).
const DATA_LICENSE: &str = "X-Data-License";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Csv,
    JsonLines,
}

impl Format {
    fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8; header=present",
            Format::JsonLines => "application/x-ndjson",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::JsonLines => "json",
        }
    }
}

/// An agency as the open registry lists it: the public registry's facts, flat, one column each.
/// Never contact details, the address, who checked the licence, reports' contents or versions.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90",
    "legal_name": "Himalayan Overseas Manpower Pvt. Ltd.",
    "trading_names": ["Himalayan HR"],
    "licence_number": "DoFE-1234/2075",
    "licence_issuing_authority": "Department of Foreign Employment",
    "licence_country": "NP",
    "licence_valid_from": "2024-07-16",
    "licence_valid_until": "2027-07-15",
    "licence_verified_at": "2026-11-20T08:15:00Z",
    "licence_source": "https://dofe.gov.np/agencies",
    "origin_countries": ["NP"],
    "destination_countries": ["QA", "AE"],
    "sectors": ["construction", "hospitality"],
    "website": "https://himalayan-hr.example.com",
    "certification_status": "certified",
    "certificate_number": "FH-2026-7D2A9C35",
    "certificate_state": "in_force",
    "certificate_body_id": "0193f0a6-2b3c-7d4e-8f50-6a7b8c9d0e1f",
    "certificate_valid_from": "2026-11-28T09:30:00Z",
    "certificate_valid_until": "2029-11-28T09:30:00Z",
    "certificate_suspended_at": null,
    "certificate_ended_at": null,
    "certificate_end_reason": null,
    "last_audit_date": "2026-11-20",
    "grade": "B",
    "substantiated_reports": null
}))]
pub struct RegistryRecord {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(max_length = 200)]
    pub legal_name: String,
    #[schema(schema_with = crate::domain::schema::trading_names)]
    pub trading_names: Vec<String>,
    #[schema(max_length = 64)]
    pub licence_number: String,
    #[schema(max_length = 200)]
    pub licence_issuing_authority: String,
    #[schema(schema_with = crate::domain::schema::country)]
    pub licence_country: String,
    pub licence_valid_from: Option<NaiveDate>,
    pub licence_valid_until: Option<NaiveDate>,
    /// When the licence was last checked against the issuing authority's register.
    pub licence_verified_at: Option<DateTime<Utc>>,
    /// The register it was checked in (a URL or a name).
    #[schema(max_length = 300)]
    pub licence_source: Option<String>,
    #[schema(schema_with = crate::domain::schema::corridor_countries)]
    pub origin_countries: Vec<String>,
    #[schema(schema_with = crate::domain::schema::corridor_countries)]
    pub destination_countries: Vec<String>,
    #[schema(max_items = 15)]
    pub sectors: Vec<Sector>,
    #[schema(max_length = 300, pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\u0000]*$")]
    pub website: Option<String>,
    pub certification_status: CertificationStatus,
    /// The last certificate's number; null if the agency was never certified.
    #[schema(max_length = 32, pattern = "^FH-[0-9]{4}-[0-9A-Z]{1,16}$")]
    pub certificate_number: Option<String>,
    pub certificate_state: Option<CertificateState>,
    #[schema(format = Uuid)]
    pub certificate_body_id: Option<String>,
    pub certificate_valid_from: Option<DateTime<Utc>>,
    pub certificate_valid_until: Option<DateTime<Utc>>,
    pub certificate_suspended_at: Option<DateTime<Utc>>,
    pub certificate_ended_at: Option<DateTime<Utc>>,
    #[schema(max_length = 5000)]
    pub certificate_end_reason: Option<String>,
    /// Day the latest independent audit was finalized.
    pub last_audit_date: Option<NaiveDate>,
    pub grade: Option<Grade>,
    /// Substantiated worker reports, from 3 on (null below).
    #[schema(minimum = 3)]
    #[schema(format = Int64, maximum = 9_223_372_036_854_775_807_i64)]
    pub substantiated_reports: Option<usize>,
}

impl RegistryRecord {
    const CSV_COLUMNS: [&'static str; 26] = [
        "id",
        "legal_name",
        "trading_names",
        "licence_number",
        "licence_issuing_authority",
        "licence_country",
        "licence_valid_from",
        "licence_valid_until",
        "licence_verified_at",
        "licence_source",
        "origin_countries",
        "destination_countries",
        "sectors",
        "website",
        "certification_status",
        "certificate_number",
        "certificate_state",
        "certificate_body_id",
        "certificate_valid_from",
        "certificate_valid_until",
        "certificate_suspended_at",
        "certificate_ended_at",
        "certificate_end_reason",
        "last_audit_date",
        "grade",
        "substantiated_reports",
    ];

    fn of(agency: PublicAgency) -> RegistryRecord {
        let certificate = agency.certificate;
        let cert = certificate.as_ref();
        RegistryRecord {
            id: agency.id,
            legal_name: agency.legal_name,
            trading_names: agency.trading_names,
            licence_number: agency.licence.number,
            licence_issuing_authority: agency.licence.issuing_authority,
            licence_country: agency.licence.country,
            licence_valid_from: agency.licence.valid_from,
            licence_valid_until: agency.licence.valid_until,
            licence_verified_at: agency.licence.verified_at,
            licence_source: agency.licence.source,
            origin_countries: agency.origin_countries,
            destination_countries: agency.destination_countries,
            sectors: agency.sectors,
            website: agency.website,
            certification_status: agency.certification_status,
            certificate_number: cert.map(|c| c.number.clone()),
            certificate_state: cert.map(|c| c.state),
            certificate_body_id: cert.map(|c| c.certification_body_id.clone()),
            certificate_valid_from: cert.map(|c| c.valid_from),
            certificate_valid_until: cert.map(|c| c.valid_until),
            certificate_suspended_at: cert.and_then(|c| c.suspended_at),
            certificate_ended_at: cert.and_then(|c| c.ended_at),
            certificate_end_reason: cert.and_then(|c| c.end_reason.clone()),
            last_audit_date: agency.last_audit_date,
            grade: agency.grade,
            substantiated_reports: agency.substantiated_reports,
        }
    }

    /// The record as CSV fields, in the order of [`Self::CSV_COLUMNS`]: lists joined by `|`,
    /// times in RFC 3339, nothing for null.
    fn csv_fields(&self) -> Vec<String> {
        let time =
            |t: Option<DateTime<Utc>>| t.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true)).unwrap_or_default();
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let text = |s: &Option<String>| s.clone().unwrap_or_default();
        let sectors: Vec<&'static str> = self.sectors.iter().map(|s| <&'static str>::from(*s)).collect();
        vec![
            self.id.clone(),
            self.legal_name.clone(),
            csv_list(&self.trading_names),
            self.licence_number.clone(),
            self.licence_issuing_authority.clone(),
            self.licence_country.clone(),
            date(self.licence_valid_from),
            date(self.licence_valid_until),
            time(self.licence_verified_at),
            text(&self.licence_source),
            csv_list(&self.origin_countries),
            csv_list(&self.destination_countries),
            csv_list(&sectors),
            text(&self.website),
            self.certification_status.as_str().to_owned(),
            text(&self.certificate_number),
            self.certificate_state.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            text(&self.certificate_body_id),
            time(self.certificate_valid_from),
            time(self.certificate_valid_until),
            time(self.certificate_suspended_at),
            time(self.certificate_ended_at),
            text(&self.certificate_end_reason),
            date(self.last_audit_date),
            self.grade.map(|g| g.as_str().to_owned()).unwrap_or_default(),
            self.substantiated_reports.map(|n| n.to_string()).unwrap_or_default(),
        ]
    }

    fn render(&self, format: Format, out: &mut String) -> AppResult<()> {
        match format {
            Format::Csv => out.push_str(&csv_line(&self.csv_fields())),
            Format::JsonLines => {
                out.push_str(&serde_json::to_string(self).map_err(AppError::internal)?);
                out.push('\n');
            }
        }
        Ok(())
    }
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegistryExportQuery {
    /// An event cursor (the `X-Event-Cursor` of an earlier export): only the agencies whose
    /// exported record changed after it. Without it, the whole registry.
    #[validate(range(min = 0))]
    #[param(minimum = 0, maximum = 9_223_372_036_854_775_807_i64, example = 1200)]
    pub since: Option<i64>,
}

/// The headers every export carries, 304s included: its version, how long it may be cached,
/// and its licence.
fn described(answer: &mut HttpResponseBuilder, etag: &str, format: Format, name: &str) {
    answer
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, fee_evidence::CACHE_CONTROL))
        .insert_header((header::LINK, format!("<{LICENCE_URL}>; rel=\"license\"")))
        .insert_header((DATA_LICENSE, LICENCE_NAME))
        .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{name}.{}\"", format.extension())));
}

/// Whether the client already holds this version (`If-None-Match`).
fn holds(req: &HttpRequest, etag: &str) -> bool {
    req.headers().get_all(header::IF_NONE_MATCH).filter_map(|v| v.to_str().ok()).any(|v| none_match(v, etag))
}

/// The registry, from `after` on, page by page: one database read per page, on the blocking
/// pool, rendered and sent before the next is read. Only one page is ever held.
fn registry_stream(
    state: web::Data<AppState>,
    delta: Option<Arc<Delta>>,
    format: Format,
) -> impl futures_util::Stream<Item = AppResult<Bytes>> {
    // (the cursor, whether the header line is still to be sent, whether the last page was read)
    let start = (None::<String>, format == Format::Csv, false);
    futures_util::stream::try_unfold(start, move |(after, header, done)| {
        let (state, delta) = (state.clone(), delta.clone());
        async move {
            if done {
                return Ok(None);
            }
            let from = after.clone();
            let (agencies, last, full) = state
                .db
                .read(move |c| {
                    let rows = store::exports::registry_page(c, delta.as_deref(), from.as_deref(), PAGE)?;
                    let full = rows.len() as i64 == PAGE;
                    let last = rows.last().map(|r| r.id.clone());
                    Ok((public_view(c, rows)?, last, full))
                })
                .await
                .inspect_err(|e| tracing::error!(error = %e, "the registry export stopped part way"))?;
            let mut out = String::new();
            if header {
                out.push_str(&csv_line(&RegistryRecord::CSV_COLUMNS));
            }
            for agency in agencies {
                RegistryRecord::of(agency).render(format, &mut out)?;
            }
            Ok(Some((Bytes::from(out), (last.or(after), false, !full))))
        }
    })
}

async fn export_registry(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: RegistryExportQuery,
    format: Format,
) -> AppResult<HttpResponse> {
    let since = query.since;
    let (head, version, by_reports) = state
        .db
        .read(move |c| {
            let (head, _) = store::events::head(c)?;
            let version = store::exports::registry_version(c)?;
            let by_reports = match since {
                Some(since) if since <= head => store::exports::changed_by_reports(c, since, head)?,
                _ => Vec::new(),
            };
            Ok((head, version, by_reports))
        })
        .await?;
    if let Some(since) = since.filter(|s| *s > head) {
        return Err(AppError::field(
            "since",
            format!("{since} is after the last event ({head}): not a cursor of this registry; export it whole"),
        ));
    }
    let etag = format!(
        "\"registry-{}-{}-{}-{}\"",
        format.extension(),
        since.map_or("all".to_owned(), |s| s.to_string()),
        version.last_change,
        version.shown_reports
    );
    let not_modified = holds(&req, &etag);
    let mut answer = if not_modified { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    described(&mut answer, &etag, format, "registry");
    answer.insert_header((EVENT_CURSOR, head.to_string()));
    if not_modified {
        return Ok(answer.finish());
    }
    let delta = since.map(|since| Arc::new(Delta { since, until: head, by_reports }));
    Ok(answer.content_type(format.content_type()).streaming(registry_stream(state, delta, format)))
}

async fn export_fees(req: HttpRequest, state: web::Data<AppState>, format: Format) -> AppResult<HttpResponse> {
    let cells = fee_evidence::gather(&state).await?;
    let mut body = String::new();
    match format {
        Format::Csv => {
            body.push_str(&csv_line(&FeeCell::CSV_COLUMNS));
            for cell in &cells {
                body.push_str(&csv_line(&cell.csv_fields()));
            }
        }
        Format::JsonLines => {
            for cell in &cells {
                body.push_str(&serde_json::to_string(cell).map_err(AppError::internal)?);
                body.push('\n');
            }
        }
    }
    // The cells are computed whole, so the version is their own digest: it changes exactly
    // when a shown figure does, and a moderation that changes nothing shown stays unseen.
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!("\"fees-{}-{}\"", format.extension(), hex(&digest[..16]));
    let not_modified = holds(&req, &etag);
    let mut answer = if not_modified { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    described(&mut answer, &etag, format, "fees");
    if not_modified {
        return Ok(answer.finish());
    }
    Ok(answer.content_type(format.content_type()).body(body))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A CSV export as the document shows it: the header line and one record.
const REGISTRY_CSV_EXAMPLE: &str = "id,legal_name,trading_names,licence_number,licence_issuing_authority,licence_country,licence_valid_from,licence_valid_until,licence_verified_at,licence_source,origin_countries,destination_countries,sectors,website,certification_status,certificate_number,certificate_state,certificate_body_id,certificate_valid_from,certificate_valid_until,certificate_suspended_at,certificate_ended_at,certificate_end_reason,last_audit_date,grade,substantiated_reports\r\n0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90,Himalayan Overseas Manpower Pvt. Ltd.,Himalayan HR,DoFE-1234/2075,Department of Foreign Employment,NP,2024-07-16,2027-07-15,2026-11-20T08:15:00Z,https://dofe.gov.np/agencies,NP,QA|AE,construction|hospitality,https://himalayan-hr.example.com,certified,FH-2026-7D2A9C35,in_force,0193f0a6-2b3c-7d4e-8f50-6a7b8c9d0e1f,2026-11-28T09:30:00Z,2029-11-28T09:30:00Z,,,,2026-11-20,B,\r\n";

const FEES_CSV_EXAMPLE: &str = "origin,destination,year,category,currency,observations,median_minor,min_minor,max_minor\r\nNP,QA,2026,recruitment_fee,NPR,3,15000000,9000000,21000000\r\n";

/// Declares an export route: its documentation (the headers every export answers with, and the
/// 304), and a handler that calls `$export`. A registry export also takes `since` and answers
/// `X-Event-Cursor`.
macro_rules! export_route {
    (
        $name:ident, $path:literal, $op:literal, $summary:literal, $doc:literal,
        ok($ok:literal, $content:ty, $media:literal $(, $example:expr)?), etag($etag:literal), $(cursor($cursor:literal),)?
        fn($req:ident, $state:ident $(, $query:ident: $qty:ident)?) => $call:expr
    ) => {
        #[doc = $summary]
        #[doc = ""]
        #[doc = $doc]
        #[utoipa::path(
            operation_id = $op,
            tag = "public",
            security(()),
            params(
                $($qty,)?
                ("If-None-Match" = Option<String>, Header, max_length = 1024,
                    description = "The `ETag` of an export already held: 304 if it is still current.")
            ),
            responses(
                (status = 200, description = $ok,
                    content(($content = $media $(, example = $example)?)),
                    headers(
                        ("ETag" = String, description = $etag),
                        $(("X-Event-Cursor" = i64, description = $cursor),)?
                        ("Link" = String, description = "`<https://creativecommons.org/licenses/by/4.0/>; rel=\"license\"`: the data set's licence."),
                        ("X-Data-License" = String, description = "`CC-BY-4.0`."),
                        ("Cache-Control" = String, description = "`public, max-age=300`.")
                    )),
                (status = 304, description = "Not modified: the `ETag` in `If-None-Match` is still current (the same headers, no body).")
            )
        )]
        #[get($path)]
        pub async fn $name(
            $req: HttpRequest,
            $state: web::Data<AppState>,
            $($query: ValidQuery<$qty>,)?
        ) -> AppResult<HttpResponse> {
            crate::api::conditional::readable(&$req)?;
            $call
        }
    };
}

export_route!(
    export_registry_csv,
    "/exports/registry.csv",
    "export_registry_csv",
    "Export the public registry as CSV.",
    "No token needed. One record per agency, in id order, after a header line; the columns are \
     those of `RegistryRecord` (the README's column dictionary describes each), lists joined by \
     `|`, times in RFC 3339 UTC, an empty field for null. Streamed: the answer starts at once and \
     uses the same memory whatever the registry's size. Data licence: CC BY 4.0. \
     `X-Event-Cursor` is the event cursor the export is at least as fresh as: pass it as `since` \
     to get only the agencies whose record changed after it.",
    ok("The registry (or the agencies changed after `since`), as RFC 4180 CSV with a header line.",
        String, "text/csv", json!(REGISTRY_CSV_EXAMPLE)),
    etag("The export's version: it changes exactly when its content does."),
    cursor("Pass as `since` to get the agencies whose record changed after this export."),
    fn(req, state, query: RegistryExportQuery) => export_registry(req, state, query.0, Format::Csv).await
);
export_route!(
    export_registry_json,
    "/exports/registry.json",
    "export_registry_json",
    "Export the public registry as JSON Lines.",
    "No token needed. The same records as the CSV export, one `RegistryRecord` JSON object per \
     line (`application/x-ndjson`), lists as arrays and null as null. Streamed, licensed, \
     versioned and delta-able like the CSV export.",
    ok("JSON Lines: one `RegistryRecord` per line.", RegistryRecord, "application/x-ndjson"),
    etag("The export's version: it changes exactly when its content does."),
    cursor("Pass as `since` to get the agencies whose record changed after this export."),
    fn(req, state, query: RegistryExportQuery) => export_registry(req, state, query.0, Format::JsonLines).await
);
export_route!(
    export_fee_evidence_csv,
    "/exports/fees.csv",
    "export_fee_evidence_csv",
    "Export the fee evidence as CSV.",
    "No token needed. Every cell of `GET /v1/public/fee-evidence`, unfiltered, after a header \
     line: origin, destination (empty when not known), year, category, currency, observations, \
     median and range in minor units. Cells under 3 observations are left out. Data licence: \
     CC BY 4.0.",
    ok("The fee evidence, as RFC 4180 CSV with a header line.", String, "text/csv", json!(FEES_CSV_EXAMPLE)),
    etag("A digest of the content: it changes exactly when a figure does."),
    fn(req, state) => export_fees(req, state, Format::Csv).await
);
export_route!(
    export_fee_evidence_json,
    "/exports/fees.json",
    "export_fee_evidence_json",
    "Export the fee evidence as JSON Lines.",
    "No token needed. One `FeeCell` per line (`application/x-ndjson`). Data licence: CC BY 4.0.",
    ok("JSON Lines: one `FeeCell` per line.", FeeCell, "application/x-ndjson"),
    etag("A digest of the content: it changes exactly when a figure does."),
    fn(req, state) => export_fees(req, state, Format::JsonLines).await
);
