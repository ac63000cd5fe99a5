//! The agency as the API reads and writes it, and its mapping to the stored row.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::{Validate, ValidationError};

use crate::api::fields::{not_blank, not_null, present, valid_country, web_url};
use crate::api::schema;
use crate::domain::agency::{self, CertificationStatus, Grade, Sector};
use crate::error::AppError;
use crate::store::agencies::AgencyRow;
use crate::store::{from_db_time, to_db_time};

fn country_list(codes: &[String]) -> Result<(), ValidationError> {
    match codes.iter().find(|c| !crate::domain::countries::is_assigned(c)) {
        None => Ok(()),
        Some(bad) => Err(ValidationError::new("country")
            .with_message(format!("{bad:?} is not an ISO 3166-1 alpha-2 country code").into())),
    }
}

fn names(list: &[String]) -> Result<(), ValidationError> {
    if list.iter().any(|n| n.trim().is_empty() || n.chars().count() > 200) {
        Err(ValidationError::new("names").with_message("each name must have 1 to 200 characters".into()))
    } else {
        Ok(())
    }
}

fn phone(number: &str) -> Result<(), ValidationError> {
    let digits = number.chars().filter(char::is_ascii_digit).count();
    let allowed = number.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if allowed && number.starts_with('+') && (7..=15).contains(&digits) {
        Ok(())
    } else {
        Err(ValidationError::new("phone")
            .with_message("must be an international number starting with +, e.g. +977 1 4412345".into()))
    }
}

fn licence_dates(licence: &Licence) -> Result<(), ValidationError> {
    match (licence.valid_from, licence.valid_until) {
        (Some(from), Some(until)) if until < from => {
            Err(ValidationError::new("dates").with_message("valid_until must not be before valid_from".into()))
        }
        _ => Ok(()),
    }
}

/// The operating licence issued by a labour ministry or recruitment regulator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[validate(schema(function = "licence_dates", skip_on_field_errors = false))]
#[schema(example = json!({"number": "DoFE-1234/2075", "issuing_authority": "Department of Foreign Employment", "country": "NP", "valid_from": "2024-07-16", "valid_until": "2027-07-15"}))]
pub struct Licence {
    /// The number as printed on the licence. Unique per issuing country, ignoring case and spaces.
    #[validate(length(min = 1, max = 64), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 64, pattern = r"[^\s\u0085]")]
    pub number: String,
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 200, pattern = r"[^\s\u0085]")]
    pub issuing_authority: String,
    /// ISO 3166-1 alpha-2 code of the issuing country.
    #[validate(custom(function = "valid_country"))]
    #[schema(schema_with = schema::country)]
    pub country: String,
    #[serde(default)]
    pub valid_from: Option<NaiveDate>,
    #[serde(default)]
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Address {
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 200, pattern = r"[^\s\u0085]")]
    pub line1: String,
    #[serde(default)]
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub line2: Option<String>,
    #[validate(length(min = 1, max = 100), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 100, pattern = r"[^\s\u0085]")]
    pub city: String,
    #[serde(default)]
    #[validate(length(max = 100))]
    #[schema(max_length = 100)]
    pub region: Option<String>,
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_length = 20)]
    pub postal_code: Option<String>,
    #[validate(custom(function = "valid_country"))]
    #[schema(schema_with = schema::country)]
    pub country: String,
}

/// What a client sends to register an agency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "legal_name": "Himalayan Overseas Manpower Pvt. Ltd.",
    "trading_names": ["Himalayan HR"],
    "licence": {"number": "DoFE-1234/2075", "issuing_authority": "Department of Foreign Employment", "country": "NP", "valid_from": "2024-07-16", "valid_until": "2027-07-15"},
    "origin_countries": ["NP"],
    "destination_countries": ["QA", "AE"],
    "sectors": ["construction", "hospitality"],
    "address": {"line1": "Putalisadak 28", "city": "Kathmandu", "country": "NP"},
    "website": "https://himalayan-hr.example.com",
    "contact_email": "compliance@himalayan-hr.example.com",
    "contact_phone": "+977 1 4412345"
}))]
pub struct AgencyInput {
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 200, pattern = r"[^\s\u0085]")]
    pub legal_name: String,
    /// Other names the agency recruits under; searchable like the legal name.
    #[serde(default)]
    #[validate(length(max = 10), custom(function = "names"))]
    #[schema(schema_with = schema::trading_names)]
    pub trading_names: Vec<String>,
    #[validate(nested)]
    pub licence: Licence,
    /// Countries workers are recruited from (ISO 3166-1 alpha-2).
    #[validate(length(min = 1, max = 60), custom(function = "country_list"))]
    #[schema(schema_with = schema::corridor_countries)]
    pub origin_countries: Vec<String>,
    /// Countries workers are placed in (ISO 3166-1 alpha-2).
    #[validate(length(min = 1, max = 60), custom(function = "country_list"))]
    #[schema(schema_with = schema::corridor_countries)]
    pub destination_countries: Vec<String>,
    #[serde(default)]
    pub sectors: Vec<Sector>,
    #[serde(default)]
    #[validate(nested)]
    pub address: Option<Address>,
    /// An http or https URL.
    #[serde(default)]
    #[validate(length(max = 300), custom(function = "web_url"))]
    #[schema(max_length = 300, pattern = "^[Hh][Tt][Tt][Pp][Ss]?://")]
    pub website: Option<String>,
    #[serde(default)]
    #[validate(email, length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub contact_email: Option<String>,
    /// International format: `+`, then 7 to 15 digits, optionally grouped with spaces, dashes,
    /// dots or parentheses.
    #[serde(default)]
    #[validate(custom(function = "phone"))]
    #[schema(pattern = r"^\+(?:[ ().-]*[0-9]){7,15}[ ().-]*$")]
    pub contact_phone: Option<String>,
}

/// A partial update. A field that is present replaces the current value whole (nested objects
/// included); `null` clears an optional field; an absent field is left as it is. The result must
/// still be a valid agency. The legal name and licence can be changed only by an admin.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"destination_countries": ["QA", "AE", "SA"], "website": null}))]
pub struct AgencyPatch {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false, min_length = 1, max_length = 200, pattern = r"[^\s\u0085]")]
    pub legal_name: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(schema_with = schema::trading_names)]
    pub trading_names: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    pub licence: Option<Licence>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(schema_with = schema::corridor_countries)]
    pub origin_countries: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(schema_with = schema::corridor_countries)]
    pub destination_countries: Option<Vec<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    pub sectors: Option<Vec<Sector>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Address>, nullable)]
    pub address: Option<Option<Address>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable, max_length = 300, pattern = "^[Hh][Tt][Tt][Pp][Ss]?://")]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable, format = Email, max_length = 254)]
    pub contact_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable, pattern = r"^\+(?:[ ().-]*[0-9]){7,15}[ ().-]*$")]
    pub contact_phone: Option<Option<String>>,
}

impl AgencyPatch {
    /// The agency with this patch applied (not yet validated).
    pub fn apply(self, mut to: AgencyInput) -> AgencyInput {
        if let Some(v) = self.legal_name {
            to.legal_name = v;
        }
        if let Some(v) = self.trading_names {
            to.trading_names = v;
        }
        if let Some(v) = self.licence {
            to.licence = v;
        }
        if let Some(v) = self.origin_countries {
            to.origin_countries = v;
        }
        if let Some(v) = self.destination_countries {
            to.destination_countries = v;
        }
        if let Some(v) = self.sectors {
            to.sectors = v;
        }
        if let Some(v) = self.address {
            to.address = v;
        }
        if let Some(v) = self.website {
            to.website = v;
        }
        if let Some(v) = self.contact_email {
            to.contact_email = v;
        }
        if let Some(v) = self.contact_phone {
            to.contact_phone = v;
        }
        to
    }
}

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
    pub legal_name: String,
    pub trading_names: Vec<String>,
    pub licence: Licence,
    pub origin_countries: Vec<String>,
    pub destination_countries: Vec<String>,
    pub sectors: Vec<Sector>,
    pub address: Option<Address>,
    pub website: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub certification_status: CertificationStatus,
    /// Grade of the latest finalized assessment; null until there is one.
    pub grade: Option<Grade>,
    /// Overall score (0–100) of the latest finalized assessment.
    pub latest_score: Option<f64>,
    /// Increases with every change; the `ETag` is `"v<version>"`.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One page of agencies.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgencyPage {
    pub data: Vec<Agency>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
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
    /// Part of a legal or trading name; case and accents are ignored.
    #[validate(custom(function = "search_field_len"))]
    #[param(min_length = 1, max_length = 100, pattern = r"[^\s\u0085]")]
    pub q: Option<String>,
    /// Exact licence number; case and spaces are ignored.
    #[validate(custom(function = "search_field_len"))]
    #[param(min_length = 1, max_length = 100, pattern = r"[^\s\u0085]")]
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
            name_contains: self.q.as_deref().map(agency::fold_for_search),
            licence_key: self.licence_number.as_deref().map(agency::licence_key),
            country: self.country.clone(),
            origin: self.origin.clone(),
            destination: self.destination.clone(),
            sector: self.sector.map(|s| crate::domain::wire_name(&s)),
            status: self.status.map(|s| s.as_str().to_owned()),
            grade: self.grade.map(|g| g.as_str().to_owned()),
            only_id,
        }
    }
}

/// Removes repeats, keeping the first occurrence of each value.
fn dedup<T: PartialEq + Clone>(items: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "[]".into())
}

fn from_json<T: serde::de::DeserializeOwned + Default>(text: &str) -> T {
    serde_json::from_str(text).unwrap_or_default()
}

impl AgencyInput {
    /// Trims names and removes repeated list entries, so equal inputs store equal rows.
    pub fn normalized(mut self) -> Self {
        self.legal_name = self.legal_name.trim().to_owned();
        self.trading_names = dedup(&self.trading_names.iter().map(|n| n.trim().to_owned()).collect::<Vec<_>>());
        self.licence.number = self.licence.number.trim().to_owned();
        self.licence.issuing_authority = self.licence.issuing_authority.trim().to_owned();
        self.origin_countries = dedup(&self.origin_countries);
        self.destination_countries = dedup(&self.destination_countries);
        self.sectors = dedup(&self.sectors);
        self
    }

    /// The row for a new agency.
    pub fn into_new_row(self, id: String, now: DateTime<Utc>) -> AgencyRow {
        let now = to_db_time(now);
        let mut row = AgencyRow {
            id,
            legal_name: String::new(),
            trading_names: String::new(),
            search_text: String::new(),
            licence_number: String::new(),
            licence_key: String::new(),
            licence_authority: String::new(),
            licence_country: String::new(),
            licence_valid_from: None,
            licence_valid_until: None,
            origin_countries: String::new(),
            destination_countries: String::new(),
            sectors: String::new(),
            address: None,
            website: None,
            contact_email: None,
            contact_phone: None,
            certification_status: CertificationStatus::NeverCertified.as_str().to_owned(),
            grade: None,
            latest_score: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        self.write_into(&mut row);
        row
    }

    /// Copies the editable fields onto `row`.
    pub fn write_into(self, row: &mut AgencyRow) {
        let input = self.normalized();
        row.search_text = agency::search_text(&input.legal_name, &input.trading_names);
        row.licence_key = agency::licence_key(&input.licence.number);
        row.legal_name = input.legal_name;
        row.trading_names = to_json(&input.trading_names);
        row.licence_number = input.licence.number;
        row.licence_authority = input.licence.issuing_authority;
        row.licence_country = input.licence.country;
        row.licence_valid_from = input.licence.valid_from;
        row.licence_valid_until = input.licence.valid_until;
        row.origin_countries = to_json(&input.origin_countries);
        row.destination_countries = to_json(&input.destination_countries);
        row.sectors = to_json(&input.sectors);
        row.address = input.address.as_ref().map(to_json);
        row.website = input.website;
        row.contact_email = input.contact_email;
        row.contact_phone = input.contact_phone;
    }

    /// The editable part of a stored agency.
    pub fn from_row(row: &AgencyRow) -> AgencyInput {
        AgencyInput {
            legal_name: row.legal_name.clone(),
            trading_names: from_json(&row.trading_names),
            licence: Licence {
                number: row.licence_number.clone(),
                issuing_authority: row.licence_authority.clone(),
                country: row.licence_country.clone(),
                valid_from: row.licence_valid_from,
                valid_until: row.licence_valid_until,
            },
            origin_countries: from_json(&row.origin_countries),
            destination_countries: from_json(&row.destination_countries),
            sectors: from_json(&row.sectors),
            address: row.address.as_deref().and_then(|a| serde_json::from_str(a).ok()),
            website: row.website.clone(),
            contact_email: row.contact_email.clone(),
            contact_phone: row.contact_phone.clone(),
        }
    }
}

impl TryFrom<AgencyRow> for Agency {
    type Error = AppError;

    fn try_from(row: AgencyRow) -> Result<Self, AppError> {
        let input = AgencyInput::from_row(&row);
        let status = CertificationStatus::parse(&row.certification_status).ok_or_else(|| {
            AppError::internal(format!("agency {} has status {:?}", row.id, row.certification_status))
        })?;
        Ok(Agency {
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
            certification_status: status,
            grade: row.grade.as_deref().and_then(Grade::parse),
            latest_score: row.latest_score,
            version: row.version,
            created_at: from_db_time(row.created_at),
            updated_at: from_db_time(row.updated_at),
        })
    }
}
