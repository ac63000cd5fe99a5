//! The registry: registering agencies and changing their profile.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::db::types::Json;
use crate::domain::agency::{self, Address, CertificationStatus, Licence, Sector};
use crate::domain::events::EventType;
use crate::domain::fields::{not_blank, not_null, present, web_url};
use crate::domain::schema;
use crate::error::{AppError, AppResult};
use crate::services::events::{self, Draft};
use crate::services::{check_if_match, new_id, validate};
use crate::store;
use crate::store::agencies::AgencyRow;

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
    #[schema(min_length = 1, max_length = 200, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
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
    #[validate(length(max = schema::MAX_SECTORS))]
    #[schema(max_items = 15)]
    pub sectors: Vec<Sector>,
    #[serde(default)]
    #[validate(nested)]
    pub address: Option<Address>,
    /// An http or https URL.
    #[serde(default)]
    #[validate(length(max = 300), custom(function = "web_url"))]
    #[schema(max_length = 300, pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\u0000]*$")]
    pub website: Option<String>,
    #[serde(default)]
    #[validate(email, length(max = 254))]
    #[schema(format = Email, max_length = 254)]
    pub contact_email: Option<String>,
    /// International format: `+`, then 7 to 15 digits, optionally grouped with spaces, dashes,
    /// dots or parentheses.
    #[serde(default)]
    #[validate(length(max = 32), custom(function = "phone"))]
    #[schema(max_length = 32, pattern = r"^\+(?:[ ().-]*[0-9]){7,15}[ ().-]*$")]
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
    #[schema(nullable = false, min_length = 1, max_length = 200, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
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
    #[schema(nullable = false, max_items = 15)]
    pub sectors: Option<Vec<Sector>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<Address>, nullable)]
    pub address: Option<Option<Address>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable, max_length = 300, pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\u0000]*$")]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable, format = Email, max_length = 254)]
    pub contact_email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable, max_length = 32, pattern = r"^\+(?:[ ().-]*[0-9]){7,15}[ ().-]*$")]
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

impl AgencyInput {
    /// Trims names and removes repeated list entries, so equal inputs store equal rows.
    pub fn normalized(mut self) -> Self {
        self.legal_name = self.legal_name.trim().to_owned();
        self.trading_names = dedup(&self.trading_names.iter().map(|n| n.trim().to_owned()).collect::<Vec<_>>());
        self.licence.number = self.licence.number.trim().to_owned();
        self.licence.issuing_authority = self.licence.issuing_authority.trim().to_owned();
        self.licence.verified_by = self.licence.verified_by.map(|v| v.trim().to_owned());
        self.licence.source = self.licence.source.map(|v| v.trim().to_owned());
        self.origin_countries = dedup(&self.origin_countries);
        self.destination_countries = dedup(&self.destination_countries);
        self.sectors = dedup(&self.sectors);
        self
    }

    /// The row for a new agency.
    fn into_new_row(self, id: String, now: DateTime<Utc>) -> AgencyRow {
        let mut row = AgencyRow {
            id,
            legal_name: String::new(),
            trading_names: Json::default(),
            licence_number: String::new(),
            licence_key: String::new(),
            licence_authority: String::new(),
            licence_country: String::new(),
            licence_valid_from: None,
            licence_valid_until: None,
            origin_countries: Json::default(),
            destination_countries: Json::default(),
            sectors: Json::default(),
            address: None,
            website: None,
            contact_email: None,
            contact_phone: None,
            certification_status: CertificationStatus::NeverCertified,
            grade: None,
            latest_score: None,
            version: 1,
            created_at: now,
            updated_at: now,
            licence_verified_at: None,
            licence_verified_by: None,
            licence_source: None,
        };
        self.write_into(&mut row);
        row
    }

    /// Copies the editable fields onto `row`.
    fn write_into(self, row: &mut AgencyRow) {
        let input = self.normalized();
        row.licence_key = agency::licence_key(&input.licence.number);
        row.legal_name = input.legal_name;
        row.trading_names = Json(input.trading_names);
        row.licence_number = input.licence.number;
        row.licence_authority = input.licence.issuing_authority;
        row.licence_country = input.licence.country;
        row.licence_valid_from = input.licence.valid_from;
        row.licence_valid_until = input.licence.valid_until;
        row.licence_verified_at = input.licence.verified_at;
        row.licence_verified_by = input.licence.verified_by;
        row.licence_source = input.licence.source;
        row.origin_countries = Json(input.origin_countries);
        row.destination_countries = Json(input.destination_countries);
        row.sectors = Json(input.sectors);
        row.address = input.address.map(Json);
        row.website = input.website;
        row.contact_email = input.contact_email;
        row.contact_phone = input.contact_phone;
    }

    /// The editable part of a stored agency.
    pub fn from_row(row: &AgencyRow) -> AgencyInput {
        AgencyInput {
            legal_name: row.legal_name.clone(),
            trading_names: row.trading_names.to_vec(),
            licence: Licence {
                number: row.licence_number.clone(),
                issuing_authority: row.licence_authority.clone(),
                country: row.licence_country.clone(),
                valid_from: row.licence_valid_from,
                valid_until: row.licence_valid_until,
                verified_at: row.licence_verified_at,
                verified_by: row.licence_verified_by.clone(),
                source: row.licence_source.clone(),
            },
            origin_countries: row.origin_countries.to_vec(),
            destination_countries: row.destination_countries.to_vec(),
            sectors: row.sectors.to_vec(),
            address: row.address.as_deref().cloned(),
            website: row.website.clone(),
            contact_email: row.contact_email.clone(),
            contact_phone: row.contact_phone.clone(),
        }
    }
}

/// Registers an agency. Its licence (issuing country and number, ignoring case and spaces) must
/// not be registered yet (409).
pub fn create(conn: &mut DbConnection, actor: &str, input: AgencyInput, now: DateTime<Utc>) -> AppResult<AgencyRow> {
    validate(&input)?;
    let row = input.into_new_row(new_id(), now);
    store::agencies::insert(conn, &row)?;
    let draft = Draft::new(EventType::AgencyCreated, "agency", &row.id)
        .agency(&row.id)
        .created(&AgencyInput::from_row(&row))?;
    events::record(actor, draft, now)?;
    Ok(row)
}

/// Registers many agencies at once (the demo registry at scale): each as [`create`] would, with
/// its event, but written in few statements.
pub fn create_many(
    conn: &mut DbConnection,
    actor: &str,
    inputs: Vec<AgencyInput>,
    now: DateTime<Utc>,
) -> AppResult<Vec<AgencyRow>> {
    let mut rows = Vec::with_capacity(inputs.len());
    for input in inputs {
        validate(&input)?;
        rows.push(input.into_new_row(new_id(), now));
    }
    store::agencies::insert_many(conn, &rows)?;
    for row in &rows {
        let draft = Draft::new(EventType::AgencyCreated, "agency", &row.id)
            .agency(&row.id)
            .created(&AgencyInput::from_row(row))?;
        events::record(actor, draft, now)?;
    }
    Ok(rows)
}

/// Applies a partial update. The result must be a valid agency; only an admin changes the legal
/// name or licence. The precondition is judged only on a request that would otherwise succeed
/// (RFC 9110 §13.2.1): invalid or forbidden changes say so, whatever `If-Match` holds.
pub fn update(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    patch: AgencyPatch,
    if_match: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<AgencyRow> {
    let mut row = find(conn, id)?;
    let current = AgencyInput::from_row(&row);
    // Validated as sent (eleven trading names are refused even if some repeat), then tidied.
    let updated = patch.apply(current.clone());
    validate(&updated)?;
    let updated = updated.normalized();
    let changes_identity = updated.legal_name != current.legal_name || updated.licence != current.licence;
    authorize(who, Action::UpdateAgency { agency_id: id, changes_identity })?;
    check_if_match(if_match, row.version)?;
    if updated == current {
        return Ok(row);
    }
    let licence_changed = updated.licence != current.licence;
    updated.write_into(&mut row);
    store::save(conn, &mut row, now)?;
    let stored = AgencyInput::from_row(&row);
    let draft = Draft::new(EventType::AgencyUpdated, "agency", id).agency(id).changed(&current, &stored)?;
    events::record(&who.client_id, draft, now)?;
    if licence_changed {
        let draft = Draft::new(EventType::AgencyLicenceChanged, "agency", id)
            .agency(id)
            .values(Some(events::to_value(&current.licence)?), Some(events::to_value(&stored.licence)?));
        events::record(&who.client_id, draft, now)?;
    }
    Ok(row)
}

/// The agency, or 404.
pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<AgencyRow> {
    store::agencies::find(conn, id)?.ok_or_else(|| AppError::NotFound(format!("no agency with id {id}")))
}
