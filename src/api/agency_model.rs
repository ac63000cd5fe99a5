//! The agency as the API reads and writes it, and its mapping to the stored row.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::domain::agency::{self, Address, CertificationStatus, Grade, Licence, Sector};
use crate::domain::fields::valid_country;
use crate::domain::schema;
use crate::services::agencies::AgencyInput;
use crate::store::agencies::AgencyRow;

/// An agency in the registry.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90",
    "legal_name": "Himalayan Overseas Manpower Pvt. Ltd.",
    "trading_names": ["Himalayan HR"],
    "licence": {"number": "DoFE-1234/2075", "issuing_authority": "Department of Foreign Employment", "country": "NP", "valid_from": "2024-07-16", "valid_until": "2027-07-15"},
    "origin_countries": ["NP"],
    "destination_countries": ["QA", "AE"],
    "sectors": ["construction", "hospitality"],
    "address": {"line1": "Putalisadak 28", "line2": null, "city": "Kathmandu", "region": null, "postal_code": null, "country": "NP"},
    "website": "https://himalayan-hr.example.com",
    "contact_email": "compliance@himalayan-hr.example.com",
    "contact_phone": "+977 1 4412345",
    "certification_status": "never_certified",
    "grade": null,
    "latest_score": null,
    "version": 1,
    "created_at": "2026-11-28T09:30:00.123456Z",
    "updated_at": "2026-11-28T09:30:00.123456Z"
}))]
pub struct Agency {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(max_length = 200)]
    pub legal_name: String,
    #[schema(schema_with = schema::trading_names)]
    pub trading_names: Vec<String>,
    pub licence: Licence,
    #[schema(schema_with = schema::corridor_countries)]
    pub origin_countries: Vec<String>,
    #[schema(schema_with = schema::corridor_countries)]
    pub destination_countries: Vec<String>,
    #[schema(max_items = 15)]
    pub sectors: Vec<Sector>,
    pub address: Option<Address>,
    #[schema(max_length = 300, pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\u0000]*$")]
    pub website: Option<String>,
    #[schema(format = Email, max_length = 254)]
    pub contact_email: Option<String>,
    #[schema(max_length = 32, pattern = r"^\+(?:[ ().-]*[0-9]){7,15}[ ().-]*$")]
    pub contact_phone: Option<String>,
    pub certification_status: CertificationStatus,
    /// Grade of the latest finalized assessment; null until there is one.
    pub grade: Option<Grade>,
    /// Overall score (0–100) of the latest finalized assessment.
    pub latest_score: Option<f64>,
    /// Increases with every change; the `ETag` is `"v<version>"`.
    #[schema(minimum = 1, maximum = 9_223_372_036_854_775_807_i64)]
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn search_field_len(text: &str) -> Result<(), ValidationError> {
    if text.trim().is_empty() || text.chars().count() > 100 {
        Err(ValidationError::new("length").with_message("must have 1 to 100 characters".into()))
    } else {
        Ok(())
    }
}

/// Registry search. Filters combine with AND.
#[derive(Debug, Default, Deserialize, Validate, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AgencyQuery {
    /// Words of a legal or trading name, or a licence number. Forgives case, accents,
    /// punctuation, word order, legal forms (`Pvt Ltd`, `PT`, `WLL`, `LLC`) and one or two
    /// misspelt letters per word; with `q` the results are ranked by relevance (the licence
    /// number first, then the closest names) instead of registration order.
    #[validate(custom(function = "search_field_len"))]
    #[param(min_length = 1, max_length = 100, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub q: Option<String>,
    /// Exact licence number; case and spaces are ignored.
    #[validate(custom(function = "search_field_len"))]
    #[param(min_length = 1, max_length = 100, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub licence_number: Option<String>,
    /// Licensed in, recruiting from or placing workers in this country (ISO 3166-1 alpha-2).
    #[validate(custom(function = "valid_country"))]
    #[param(schema_with = schema::country)]
    pub country: Option<String>,
    /// Recruits workers from this country.
    #[validate(custom(function = "valid_country"))]
    #[param(schema_with = schema::country)]
    pub origin: Option<String>,
    /// Places workers in this country.
    #[validate(custom(function = "valid_country"))]
    #[param(schema_with = schema::country)]
    pub destination: Option<String>,
    pub sector: Option<Sector>,
    pub status: Option<CertificationStatus>,
    pub grade: Option<Grade>,
    /// Page size, 1–200 (default 50).
    #[validate(range(min = 1, max = 200))]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(schema_with = schema::cursor)]
    pub cursor: Option<String>,
}

impl AgencyQuery {
    /// The store filter for this search, narrowed to `only_id` when the caller may see one
    /// agency only. Text is folded the way stored names are.
    pub fn filter(&self, only_id: Option<String>) -> crate::store::agencies::Filter {
        crate::store::agencies::Filter {
            licence_key: self.licence_number.as_deref().map(agency::licence_key),
            country: self.country.clone(),
            origin: self.origin.clone(),
            destination: self.destination.clone(),
            sector: self.sector,
            status: self.status,
            grade: self.grade,
            only_id,
        }
    }
}

impl From<AgencyRow> for Agency {
    fn from(row: AgencyRow) -> Self {
        let input = AgencyInput::from_row(&row);
        Agency {
            id: row.id,
            legal_name: input.legal_name,
            trading_names: input.trading_names,
            licence: input.licence,
            origin_countries: input.origin_countries,
            destination_countries: input.destination_countries,
            sectors: input.sectors,
            address: input.address,
            website: input.website,
            contact_email: input.contact_email,
            contact_phone: input.contact_phone,
            certification_status: row.certification_status,
            grade: row.grade,
            latest_score: row.latest_score,
            version: row.version,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}
