//! `GET /v1/public/fee-evidence`: fees found by finalized audits and named by substantiated
//! worker reports, per corridor, year, ILO fee category and currency. The rules (attribution,
//! one observation per record, the median, cells under 3 left out) are in
//! `domain::fee_evidence`; this module reads the records page by page and shapes the cells.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::api::extract::ValidQuery;
use crate::domain::assessment::{FeeAmount, FeeCategory};
use crate::domain::fee_evidence::{self as rules, Cell, Corridor, MIN_OBSERVATIONS, Observation, Served, Source};
use crate::domain::fields::valid_country;
use crate::error::AppResult;
use crate::state::AppState;
use crate::store;

/// Records read per query.
const PAGE: i64 = 1000;

/// The answers may be kept this long by any cache: the evidence moves with audits and reports,
/// which take days, not seconds.
pub(crate) const CACHE_CONTROL: &str = "public, max-age=300";

/// Fees observed on one corridor in one year, in one ILO fee category and one currency. Shown
/// only when made of at least 3 observations; amounts are integer minor units of `currency`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({
    "origin": "NP", "destination": "QA", "year": 2026, "category": "recruitment_fee", "currency": "NPR",
    "observations": 3, "median_minor": 15000000, "min_minor": 9000000, "max_minor": 21000000
}))]
pub struct FeeCell {
    /// Country of origin; null when the records do not fix it (an agency recruiting in several
    /// countries, audited as a whole).
    #[schema(schema_with = crate::domain::schema::nullable_country)]
    pub origin: Option<String>,
    /// Country of destination; null when the records do not fix it.
    #[schema(schema_with = crate::domain::schema::nullable_country)]
    pub destination: Option<String>,
    /// The year the fee was charged as far as the record tells: the year an audit was finalized;
    /// a report's date of what happened, else the year it was received.
    #[schema(minimum = 1900, maximum = 2200)]
    pub year: i32,
    pub category: FeeCategory,
    #[schema(schema_with = crate::domain::schema::currency)]
    pub currency: String,
    /// How many observations the cell is made of (at least 3): one per audit or report and
    /// category and currency.
    #[schema(minimum = 3)]
    #[schema(format = Int64, maximum = 9_223_372_036_854_775_807_i64)]
    pub observations: usize,
    /// The median amount, in minor units.
    #[schema(minimum = 0, maximum = 1_000_000_000_000i64)]
    pub median_minor: i64,
    /// The smallest amount, in minor units.
    #[schema(minimum = 0, maximum = 1_000_000_000_000i64)]
    pub min_minor: i64,
    /// The largest amount, in minor units.
    #[schema(minimum = 0, maximum = 1_000_000_000_000i64)]
    pub max_minor: i64,
}

impl FeeCell {
    fn of(cell: Cell) -> FeeCell {
        FeeCell {
            origin: cell.corridor.origin,
            destination: cell.corridor.destination,
            year: cell.year,
            category: cell.category,
            currency: cell.currency,
            observations: cell.observations,
            median_minor: cell.median_minor,
            min_minor: cell.min_minor,
            max_minor: cell.max_minor,
        }
    }

    /// The cell as a CSV record, in the order of [`FeeCell::CSV_COLUMNS`].
    pub(crate) fn csv_fields(&self) -> Vec<String> {
        vec![
            self.origin.clone().unwrap_or_default(),
            self.destination.clone().unwrap_or_default(),
            self.year.to_string(),
            <&'static str>::from(self.category).to_owned(),
            self.currency.clone(),
            self.observations.to_string(),
            self.median_minor.to_string(),
            self.min_minor.to_string(),
            self.max_minor.to_string(),
        ]
    }

    pub(crate) const CSV_COLUMNS: [&'static str; 9] = [
        "origin",
        "destination",
        "year",
        "category",
        "currency",
        "observations",
        "median_minor",
        "min_minor",
        "max_minor",
    ];
}

/// The cells that match, and the rule they were shown by.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "minimum_observations": 3,
    "data": [{
        "origin": "NP", "destination": "QA", "year": 2026, "category": "recruitment_fee", "currency": "NPR",
        "observations": 3, "median_minor": 15000000, "min_minor": 9000000, "max_minor": 21000000
    }]
}))]
pub struct FeeEvidence {
    /// Cells made of fewer observations are left out, so that no worker can be singled out.
    #[schema(format = Int32, minimum = 1, maximum = 1000)]
    pub minimum_observations: usize,
    /// In order of origin, destination, year, category and currency (null sides first).
    pub data: Vec<FeeCell>,
}

#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct FeeEvidenceQuery {
    /// Only cells with this country of origin.
    #[validate(custom(function = "valid_country"))]
    #[param(schema_with = crate::domain::schema::country)]
    pub origin: Option<String>,
    /// Only cells with this country of destination.
    #[validate(custom(function = "valid_country"))]
    #[param(schema_with = crate::domain::schema::country)]
    pub destination: Option<String>,
    /// Only this year.
    #[validate(range(min = 1900, max = 2200))]
    #[param(minimum = 1900, maximum = 2200, example = 2026)]
    pub year: Option<i32>,
    /// Only this ILO fee category.
    pub category: Option<FeeCategory>,
    /// Only amounts in this currency.
    #[validate(custom(function = "crate::domain::assessment::currency"))]
    #[param(schema_with = crate::domain::schema::currency)]
    pub currency: Option<String>,
}

impl FeeEvidenceQuery {
    fn admits(&self, cell: &FeeCell) -> bool {
        let matches = |wanted: &Option<String>, value: &Option<String>| wanted.is_none() || wanted == value;
        matches(&self.origin, &cell.origin)
            && matches(&self.destination, &cell.destination)
            && self.year.is_none_or(|y| y == cell.year)
            && self.category.is_none_or(|c| c == cell.category)
            && self.currency.as_ref().is_none_or(|c| *c == cell.currency)
    }
}

/// The observations of finalized audits. An audit's findings are read in order, so its
/// amounts are combined once all of its findings are in.
async fn audit_observations(state: &AppState) -> AppResult<Vec<Observation>> {
    let mut audits: HashMap<String, (Vec<FeeAmount>, Corridor, i32)> = HashMap::new();
    let mut after: Option<(String, String)> = None;
    loop {
        let from = after.clone();
        let rows = state
            .db
            .read(move |c| {
                store::fee_evidence::audit_fees(c, from.as_ref().map(|(a, f)| (a.as_str(), f.as_str())), PAGE)
            })
            .await?;
        let full = rows.len() as i64 == PAGE;
        after = rows.last().map(|r| (r.assessment_id.clone(), r.criterion_code.clone()));
        for row in rows {
            let Some(finalized_at) = row.finalized_at else { continue };
            let served = Served { origins: &row.origins, destinations: &row.destinations };
            let entry = audits
                .entry(row.assessment_id)
                .or_insert_with(|| (Vec::new(), rules::audit_corridor(served), finalized_at.year()));
            entry.0.extend(row.fees.0);
        }
        if !full {
            break;
        }
    }
    Ok(audits
        .into_values()
        .flat_map(|(fees, corridor, year)| rules::observations(Source::Audit, &fees, &corridor, year))
        .collect())
}

/// The observations of substantiated reports.
async fn report_observations(state: &AppState) -> AppResult<Vec<Observation>> {
    let mut observations = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let from = after.clone();
        let rows = state.db.read(move |c| store::fee_evidence::report_fees(c, from.as_deref(), PAGE)).await?;
        let full = rows.len() as i64 == PAGE;
        after = rows.last().map(|r| r.id.clone());
        for row in rows {
            let served = match (&row.origins, &row.destinations) {
                (Some(origins), Some(destinations)) => Some(Served { origins, destinations }),
                _ => None,
            };
            let corridor = rules::report_corridor(served, row.country.as_deref());
            let year = row.occurred_on.map_or(row.received_at.year(), |d| d.year());
            observations.extend(rules::observations(Source::Report, &row.fees, &corridor, year));
        }
        if !full {
            break;
        }
    }
    Ok(observations)
}

/// Every cell that may be shown, from both sources.
pub(crate) async fn gather(state: &AppState) -> AppResult<Vec<FeeCell>> {
    let mut observations = audit_observations(state).await?;
    observations.extend(report_observations(state).await?);
    Ok(rules::cells(observations).into_iter().map(FeeCell::of).collect())
}

/// Fee evidence per corridor.
///
/// No token needed. Fees that finalized independent audits found (on findings of principle C)
/// and that substantiated worker reports named, by ILO fee category, per origin → destination
/// corridor, year and currency: how many observations, their median and range. Amounts are
/// never converted between currencies (there is no dated rate source to convert with), so each
/// currency has its own cells. A cell made of fewer than 3 observations is left out, and the
/// sources are not told apart, so that no worker can be singled out. The same cells, unfiltered,
/// are the open data set `GET /v1/exports/fees.csv` (and `.json`).
#[utoipa::path(
    operation_id = "list_fee_evidence",
    tag = "public",
    security(()),
    params(FeeEvidenceQuery),
    responses(
        (status = 200, description = "The cells that match, every one of them (not paginated).", body = FeeEvidence,
            headers(("Cache-Control" = String, description = "`public, max-age=300`.")))
    )
)]
#[get("/public/fee-evidence")]
pub async fn list_fee_evidence(
    state: web::Data<AppState>,
    query: ValidQuery<FeeEvidenceQuery>,
) -> AppResult<HttpResponse> {
    let query = query.0;
    let data = gather(&state).await?.into_iter().filter(|c| query.admits(c)).collect();
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, CACHE_CONTROL))
        .json(FeeEvidence { minimum_observations: MIN_OBSERVATIONS, data }))
}
