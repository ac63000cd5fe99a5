//! Worker reports: filing one anonymously, following it up with the secret code, and its
//! moderation. The reporter is never identified: no address, user agent or device data reaches
//! this module, the contact is sealed with the data key, the follow-up code is kept hashed, and
//! the log's events about a report carry neither the text nor the contact and are for admins
//! only (an agency reading its own events must not learn when it was reported).

use chrono::{DateTime, NaiveDate, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::{Validate, ValidationError};

use crate::auth::sealing::DataKey;
use crate::auth::secrets;
use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::db::types::Json;
use crate::domain::assessment::FeeAmount;
use crate::domain::events::EventType;
use crate::domain::fields::{not_blank, not_null, plausible_date, uuid, valid_country};
use crate::domain::reports::{ReportCategory, ReportState};
use crate::error::{AppError, AppResult, FieldError};
use crate::services::events::{self, Draft};
use crate::services::{check_if_match, new_id, validate};
use crate::store;
use crate::store::reports::ReportRow;

/// Who files a report, in the log: nobody in particular.
pub const REPORTER: &str = "reporter";

/// The longest agency name, text and contact a report takes, in characters; the form says the
/// same limits in the reader's language.
pub const AGENCY_NAME_MAX: u64 = 300;
pub const DESCRIPTION_MAX: u64 = 5000;
pub const CONTACT_MAX: u64 = 300;

fn language_tag(tag: &str) -> Result<(), ValidationError> {
    let mut parts = tag.split('-');
    let primary_ok =
        parts.next().is_some_and(|p| (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase()));
    if primary_ok && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric())) {
        Ok(())
    } else {
        Err(ValidationError::new("language").with_message("must be a language tag such as ne or bn-BD".into()))
    }
}

/// A report, as a worker files it. Everything but the category and the text is optional: a
/// worker may not know the agency's licence, the date, or the amounts.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "agency_id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90",
    "category": "recruitment_fee",
    "fees": [{"category": "recruitment_fee", "amount_minor": 15000000, "currency": "NPR"}],
    "country": "NP",
    "occurred_on": "2026-10-02",
    "description": "The agent asked 150,000 rupees before giving me the visa. No receipt.",
    "contact": "WhatsApp +977 98XXXXXXXX, evenings",
    "language": "ne"
}))]
pub struct ReportInput {
    /// The agency, when it is in the registry.
    #[serde(default)]
    #[validate(custom(function = "uuid"))]
    #[schema(format = Uuid)]
    pub agency_id: Option<String>,
    /// The agency's name as the worker knows it, when it is not in the registry (or as well).
    #[serde(default)]
    #[validate(length(min = 1, max = AGENCY_NAME_MAX), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 300, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub agency_name: Option<String>,
    pub category: ReportCategory,
    /// Amounts the worker was made to pay, in minor units of the currency.
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub fees: Vec<FeeAmount>,
    /// Where it happened.
    #[serde(default, deserialize_with = "not_null")]
    #[validate(custom(function = "valid_country"))]
    #[schema(schema_with = crate::domain::schema::country)]
    pub country: Option<String>,
    /// When it happened (not after the day the report is filed).
    #[serde(default, deserialize_with = "not_null")]
    #[validate(custom(function = "plausible_date"))]
    pub occurred_on: Option<NaiveDate>,
    /// What happened, in the worker's own words and language.
    #[validate(length(min = 1, max = DESCRIPTION_MAX), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 5000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub description: String,
    /// How a moderator may reach the worker, if they wish. Stored encrypted; shown to admins only.
    #[serde(default)]
    #[validate(length(min = 1, max = CONTACT_MAX), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 300, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub contact: Option<String>,
    /// The language the worker wrote in (BCP 47), so a moderator can find a translator.
    #[serde(default)]
    #[validate(length(min = 2, max = 35), custom(function = "language_tag"))]
    #[schema(min_length = 2, max_length = 35, pattern = "^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$", example = "ne")]
    pub language: Option<String>,
}

/// What the reporter takes away: the reference to quote and the code that opens the follow-up.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "reference": "R-7K3M-Q9PX",
    "follow_up_code": "H4ZD-82NC-WQ5T",
    "state": "received",
    "received_at": "2026-11-29T10:15:00Z"
}))]
pub struct Submitted {
    #[schema(pattern = "^R-[0-9A-Z]{4}-[0-9A-Z]{4}$")]
    #[schema(max_length = 11)]
    pub reference: String,
    /// Shown only in this answer: it is stored hashed and cannot be shown again.
    #[schema(pattern = "^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$")]
    #[schema(max_length = 14)]
    pub follow_up_code: String,
    pub state: ReportState,
    pub received_at: DateTime<Utc>,
}

/// What the reporter sees when following a report up.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "reference": "R-7K3M-Q9PX",
    "state": "under_review",
    "received_at": "2026-11-29T10:15:00Z",
    "updated_at": "2026-11-30T08:00:00Z",
    "reason": null
}))]
pub struct FollowUp {
    #[schema(max_length = 11, pattern = "^R-[0-9A-Z]{4}-[0-9A-Z]{4}$")]
    pub reference: String,
    pub state: ReportState,
    pub received_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The moderator's reason, when they chose to share it with the reporter.
    #[schema(max_length = 2000)]
    pub reason: Option<String>,
}

/// Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or copied by hand survives.
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn random_groups(groups: usize) -> String {
    let mut rng = rand::rngs::OsRng;
    (0..groups)
        .map(|_| (0..4).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char).collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed by a person, in the form it was issued: upper case, grouped by dashes,
/// with the letters Crockford's alphabet leaves out read as the digits they look like.
pub fn normalize_code(typed: &str) -> String {
    let plain: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    let chars: Vec<char> = plain.chars().collect();
    chars.chunks(4).map(|g| g.iter().collect::<String>()).collect::<Vec<_>>().join("-")
}

/// A reference as typed: upper case, with its `R-` prefix and the dash in the middle.
pub fn normalize_reference(typed: &str) -> String {
    let upper = typed.trim().to_ascii_uppercase();
    let body = upper.strip_prefix("R-").or_else(|| upper.strip_prefix('R')).unwrap_or(&upper);
    format!("R-{}", normalize_code(body))
}

fn no_nul(field: &str, text: Option<&str>, errors: &mut Vec<FieldError>) {
    if text.is_some_and(|t| t.contains('\0')) {
        errors.push(FieldError::new(field, "must not contain NUL characters"));
    }
}

/// Files a report and returns its reference and follow-up code. Slow on purpose (the code is
/// hashed with argon2): call it inside `Db::write`, on a blocking thread.
pub fn submit(conn: &mut DbConnection, key: &DataKey, input: ReportInput, now: DateTime<Utc>) -> AppResult<Submitted> {
    validate(&input)?;
    let mut errors = Vec::new();
    no_nul("agency_name", input.agency_name.as_deref(), &mut errors);
    no_nul("description", Some(&input.description), &mut errors);
    no_nul("contact", input.contact.as_deref(), &mut errors);
    if input.agency_id.is_none() && input.agency_name.is_none() {
        errors.push(FieldError::new("agency_id", "name the agency: its id in the registry, or agency_name"));
    }
    if let Some(id) = &input.agency_id
        && store::agencies::find(conn, id)?.is_none()
    {
        errors.push(FieldError::new("agency_id", format!("no agency with id {id}")));
    }
    if input.occurred_on.is_some_and(|d| d > now.date_naive()) {
        errors.push(FieldError::new("occurred_on", "must not be after today"));
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let mut reference = format!("R-{}", random_groups(2));
    while store::reports::find_by_reference(conn, &reference)?.is_some() {
        reference = format!("R-{}", random_groups(2));
    }
    let code = random_groups(3);
    let row = ReportRow {
        id: new_id(),
        reference: reference.clone(),
        follow_up_hash: secrets::hash(&code).map_err(AppError::internal)?,
        agency_id: input.agency_id,
        agency_name: input.agency_name.map(|n| n.trim().to_owned()),
        category: input.category,
        fees: Json(input.fees),
        country: input.country,
        occurred_on: input.occurred_on,
        description: input.description,
        contact_sealed: input.contact.map(|c| key.seal(c.trim())).transpose()?,
        language: input.language,
        state: ReportState::Received,
        reason: None,
        reason_shareable: false,
        moderated_by: None,
        received_at: now,
        decided_at: None,
        updated_at: now,
        version: 1,
    };
    store::reports::insert(conn, &row)?;
    // Only what moderation needs to triage: never the text, the amounts or the contact.
    let draft = Draft::new(EventType::ReportReceived, "report", &row.id).values(
        None,
        Some(serde_json::json!({
            "reference": row.reference,
            "agency_id": row.agency_id,
            "category": row.category,
            "state": row.state,
        })),
    );
    events::record(REPORTER, draft, now)?;
    Ok(Submitted { reference, follow_up_code: code, state: row.state, received_at: row.received_at })
}

/// The report with this reference, if `code` is its follow-up code. A wrong code and an unknown
/// reference are the same 404, and take as long, so neither tells which references exist.
pub fn follow_up(conn: &mut DbConnection, reference: &str, code: &str) -> AppResult<FollowUp> {
    let row = store::reports::find_by_reference(conn, &normalize_reference(reference))?;
    let code = normalize_code(code);
    if !secrets::verify(&code, row.as_ref().map(|r| r.follow_up_hash.as_str())) {
        return Err(AppError::NotFound("no report with this reference and follow-up code".into()));
    }
    let row = row.ok_or_else(|| AppError::internal("a verified report vanished"))?;
    Ok(FollowUp {
        reference: row.reference,
        state: row.state,
        received_at: row.received_at,
        updated_at: row.updated_at,
        reason: row.reason.filter(|_| row.reason_shareable),
    })
}

/// A moderator's decision on a report.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "state": "substantiated",
    "reason": "Two receipts and a bank transfer of 150,000 NPR to the agency's account.",
    "reason_shareable": false
}))]
pub struct Moderation {
    pub state: ReportState,
    /// Why: kept with the report and in the log.
    #[validate(length(min = 1, max = 2000), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 2000, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub reason: String,
    /// Whether the reporter may read the reason when following the report up. Off unless the
    /// moderator says so: a reason can name people or evidence.
    #[serde(default)]
    pub reason_shareable: bool,
}

/// Moves a report to the state a moderator chose, with their reason, and logs it.
pub fn moderate(
    conn: &mut DbConnection,
    who: &Principal,
    id: &str,
    decision: Moderation,
    if_match: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<ReportRow> {
    authorize(who, Action::ModerateReports)?;
    validate(&decision)?;
    if decision.reason.contains('\0') {
        return Err(AppError::field("reason", "must not contain NUL characters"));
    }
    let mut row =
        store::reports::find(conn, id)?.ok_or_else(|| AppError::NotFound(format!("no report with id {id}")))?;
    check_if_match(if_match, row.version)?;
    row.state.can_move_to(decision.state).map_err(AppError::Conflict)?;
    let from = row.state;
    row.state = decision.state;
    row.reason = Some(decision.reason.trim().to_owned());
    row.reason_shareable = decision.reason_shareable;
    row.moderated_by = Some(who.client_id.clone());
    if decision.state.is_decided() {
        row.decided_at = Some(now);
    }
    store::save(conn, &mut row, now)?;
    let draft = Draft::new(EventType::ReportStateChanged, "report", &row.id).values(
        Some(serde_json::json!({ "state": from })),
        Some(serde_json::json!({
            "state": row.state,
            "reason": row.reason,
            "reason_shareable": row.reason_shareable,
            "agency_id": row.agency_id,
            "category": row.category,
        })),
    );
    events::record(&who.client_id, draft, now)?;
    Ok(row)
}

/// A substantiated report of a critical breach by this agency, as grounds for a suspension;
/// a 422 naming `report_id` otherwise.
pub fn grounds_for_suspension(conn: &mut DbConnection, agency_id: &str, report_id: &str) -> AppResult<ReportRow> {
    let refuse = |m: String| AppError::field("report_id", m);
    let row = store::reports::find(conn, report_id)?.ok_or_else(|| refuse(format!("no report with id {report_id}")))?;
    if row.agency_id.as_deref() != Some(agency_id) {
        return Err(refuse(format!("report {} is not about this agency", row.reference)));
    }
    if row.state != ReportState::Substantiated {
        return Err(refuse(format!("report {} is {}, not substantiated", row.reference, row.state)));
    }
    if !row.category.is_critical() {
        return Err(refuse(format!(
            "report {} is about {}, not a breach of a critical criterion",
            row.reference, row.category
        )));
    }
    Ok(row)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_grouped_from_an_unambiguous_alphabet() {
        let code = random_groups(3);
        assert_eq!(code.len(), 14);
        assert!(code.split('-').all(|g| g.len() == 4 && g.bytes().all(|b| ALPHABET.contains(&b))));
        assert_ne!(random_groups(3), code);
    }

    #[test]
    fn typed_codes_and_references_are_read_forgivingly() {
        assert_eq!(normalize_code(" h4zd 82nc-wq5t "), "H4ZD-82NC-WQ5T");
        assert_eq!(normalize_code("HOZD-82NC-WQ5L"), "H0ZD-82NC-WQ51");
        assert_eq!(normalize_reference("r-7k3m-q9px"), "R-7K3M-Q9PX");
        assert_eq!(normalize_reference("R7K3MQ9PX"), "R-7K3M-Q9PX");
    }

    #[test]
    fn the_documented_limits_are_the_checked_ones() {
        use utoipa::PartialSchema;
        let schema = serde_json::to_value(ReportInput::schema()).unwrap();
        for (field, max) in
            [("agency_name", AGENCY_NAME_MAX), ("description", DESCRIPTION_MAX), ("contact", CONTACT_MAX)]
        {
            let documented = &schema["properties"][field];
            let documented = documented["maxLength"]
                .as_u64()
                .or_else(|| documented["oneOf"].as_array()?.iter().find_map(|s| s["maxLength"].as_u64()));
            assert_eq!(documented, Some(max), "{field}: {schema}");
        }
    }

    #[test]
    fn language_tags() {
        assert!(language_tag("ne").is_ok());
        assert!(language_tag("bn-BD").is_ok());
        assert!(language_tag("N").is_err());
        assert!(language_tag("ne--x").is_err());
    }
}
