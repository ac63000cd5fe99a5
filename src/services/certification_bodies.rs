//! Certification bodies and their accreditation.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::db::DbConnection;
use crate::domain::certification_body::AccreditationStatus;
use crate::domain::events::EventType;
use crate::domain::fields::{not_blank, not_null, plausible_date, present, valid_country, web_url};
use crate::domain::schema;
use crate::error::{AppError, AppResult};
use crate::services::events::{self, Draft};
use crate::services::{check_if_match, new_id, validate};
use crate::store;
use crate::store::certification_bodies::BodyRow;

#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Gulf Ethical Audit Ltd", "country": "AE", "website": "https://gulf-audit.example.com", "accreditation_status": "accredited", "accredited_until": "2029-06-30"}))]
pub struct BodyInput {
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 200, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub name: String,
    #[validate(custom(function = "valid_country"))]
    #[schema(schema_with = schema::country)]
    pub country: String,
    #[serde(default)]
    #[validate(length(max = 300), custom(function = "web_url"))]
    #[schema(max_length = 300, pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\u0000]*$")]
    pub website: Option<String>,
    pub accreditation_status: AccreditationStatus,
    /// Last day of the accreditation; audits and decisions after it are refused.
    #[serde(default)]
    #[validate(custom(function = "plausible_date"))]
    #[schema(pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-")]
    pub accredited_until: Option<NaiveDate>,
}

/// Fields present replace the current value; `null` clears an optional one.
#[derive(Debug, Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"accreditation_status": "suspended"}))]
pub struct BodyPatch {
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false, min_length = 1, max_length = 200, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(schema_with = schema::country)]
    pub country: Option<String>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, nullable, max_length = 300, pattern = r"^[Hh][Tt][Tt][Pp][Ss]?://[^\u0000]*$")]
    pub website: Option<Option<String>>,
    #[serde(default, deserialize_with = "not_null")]
    #[schema(nullable = false)]
    pub accreditation_status: Option<AccreditationStatus>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<NaiveDate>, nullable, pattern = r"^(19[0-9]{2}|2[01][0-9]{2}|2200)-")]
    pub accredited_until: Option<Option<NaiveDate>>,
}

impl BodyPatch {
    /// The body's editable fields with this patch applied (not yet validated).
    fn apply(self, row: &BodyRow) -> BodyInput {
        BodyInput {
            name: self.name.map(|v| v.trim().to_owned()).unwrap_or_else(|| row.name.clone()),
            country: self.country.unwrap_or_else(|| row.country.clone()),
            website: self.website.unwrap_or_else(|| row.website.clone()),
            accreditation_status: self.accreditation_status.unwrap_or(row.accreditation_status),
            accredited_until: self.accredited_until.unwrap_or(row.accredited_until),
        }
    }
}

/// The body, or 404.
pub fn find(conn: &mut DbConnection, id: &str) -> AppResult<BodyRow> {
    store::certification_bodies::find(conn, id)?
        .ok_or_else(|| AppError::NotFound(format!("no certification body with id {id}")))
}

/// What the event log keeps of a body.
fn logged(row: &BodyRow) -> serde_json::Value {
    serde_json::json!({
        "name": row.name,
        "country": row.country,
        "website": row.website,
        "accreditation_status": row.accreditation_status,
        "accredited_until": row.accredited_until,
    })
}

pub fn create(conn: &mut DbConnection, actor: &str, input: BodyInput, now: DateTime<Utc>) -> AppResult<BodyRow> {
    validate(&input)?;
    let row = BodyRow {
        id: new_id(),
        name: input.name.trim().to_owned(),
        country: input.country,
        website: input.website,
        accreditation_status: input.accreditation_status,
        accredited_until: input.accredited_until,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    store::certification_bodies::insert(conn, &row)?;
    let draft = Draft::new(EventType::CertificationBodyCreated, "certification_body", &row.id)
        .body(Some(&row.id))
        .values(None, Some(logged(&row)));
    events::record(actor, draft, now)?;
    Ok(row)
}

/// Changes a body (its accreditation status and validity, mostly). As for agencies, the
/// precondition is judged on an otherwise valid request.
pub fn update(
    conn: &mut DbConnection,
    actor: &str,
    id: &str,
    patch: BodyPatch,
    if_match: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<BodyRow> {
    let mut row = find(conn, id)?;
    let input = patch.apply(&row);
    validate(&input)?;
    check_if_match(if_match, row.version)?;
    let before = logged(&row);
    row.name = input.name;
    row.country = input.country;
    row.website = input.website;
    row.accreditation_status = input.accreditation_status;
    row.accredited_until = input.accredited_until;
    let after = logged(&row);
    if before == after {
        return Ok(row);
    }
    store::save(conn, &mut row, now)?;
    let (was, is) = crate::domain::events::changes(&before, &after);
    let draft = Draft::new(EventType::CertificationBodyUpdated, "certification_body", id)
        .body(Some(id))
        .values(Some(was), Some(is));
    events::record(actor, draft, now)?;
    Ok(row)
}
