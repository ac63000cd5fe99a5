//! The sub-agents and branches an agency records as recruiting for it: a registered agency by
//! id, or one outside the registry by name, country and licence number if it has one.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::agency::licence_key;
use crate::domain::chain::{MAX_LINKS, SubAgentKind};
use crate::domain::events::EventType;
use crate::domain::fields::{not_blank, uuid, valid_country};
use crate::domain::schema;
use crate::error::{AppError, AppResult, FieldError};
use crate::services::events::{self, Draft};
use crate::services::{agencies, new_id, validate};
use crate::store;
use crate::store::sub_agents::LinkRow;

/// A sub-agent or branch: either `agency_id` (registered), or `name` and `country` (not in the
/// registry), never both.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"kind": "sub_agent", "name": "Janakpur Job Link", "country": "NP", "licence_number": "DoFE-88/2079"}))]
pub struct SubAgentInput {
    pub kind: SubAgentKind,
    /// The sub-agent, when it is in the registry.
    #[serde(default)]
    #[validate(custom(function = "uuid"))]
    #[schema(format = Uuid)]
    pub agency_id: Option<String>,
    /// The name of a sub-agent outside the registry.
    #[serde(default)]
    #[validate(length(min = 1, max = 200), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 200, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub name: Option<String>,
    /// Where a sub-agent outside the registry works (ISO 3166-1 alpha-2); its licence's issuing
    /// country when it has one.
    #[serde(default)]
    #[validate(custom(function = "valid_country"))]
    #[schema(schema_with = schema::country)]
    pub country: Option<String>,
    /// The licence number of a sub-agent outside the registry, if it has one.
    #[serde(default)]
    #[validate(length(min = 1, max = 64), custom(function = "not_blank"))]
    #[schema(min_length = 1, max_length = 64, pattern = r"^[^\u0000]*[^\s\u0085\u0000][^\u0000]*$")]
    pub licence_number: Option<String>,
}

/// What the log keeps of a link.
fn link_values(link: &LinkRow) -> serde_json::Value {
    json!({
        "link_id": link.id,
        "kind": link.kind,
        "sub_agency_id": link.sub_agency_id,
        "name": link.name,
        "country": link.country,
        "licence_number": link.licence_number,
    })
}

/// The faults of an input whose fields are each valid: which of the two forms it is.
fn shape_faults(input: &SubAgentInput) -> Vec<FieldError> {
    let mut errors = Vec::new();
    match &input.agency_id {
        Some(_) => {
            for (field, given) in [
                ("name", input.name.is_some()),
                ("country", input.country.is_some()),
                ("licence_number", input.licence_number.is_some()),
            ] {
                if given {
                    errors.push(FieldError::new(field, "a registered sub-agent is named by agency_id alone"));
                }
            }
        }
        None => {
            if input.name.is_none() {
                errors.push(FieldError::new("name", "name the sub-agent: agency_id if it is registered, else name"));
            }
            if input.country.is_none() {
                errors.push(FieldError::new("country", "required for a sub-agent outside the registry"));
            }
        }
    }
    errors.sort_by(|a, b| a.field.cmp(&b.field));
    errors
}

/// Records a sub-agent or branch of `agency_id`. Refused: the agency itself (422), an unknown
/// agency id (422), a registered agency already listed (409), an unregistered one whose
/// licence is in the registry (422: link the registered agency, so its real status shows).
pub fn add(
    conn: &mut DbConnection,
    who: &Principal,
    agency_id: &str,
    input: SubAgentInput,
    now: DateTime<Utc>,
) -> AppResult<LinkRow> {
    validate(&input)?;
    let faults = shape_faults(&input);
    if !faults.is_empty() {
        return Err(AppError::Validation(faults));
    }
    agencies::find(conn, agency_id)?;
    authorize(who, Action::ManageSubAgents { agency_id })?;
    if let Some(sub) = &input.agency_id {
        if sub == agency_id {
            return Err(AppError::field("agency_id", "an agency cannot be its own sub-agent"));
        }
        if store::agencies::find(conn, sub)?.is_none() {
            return Err(AppError::field("agency_id", format!("no agency with id {sub}")));
        }
        if store::sub_agents::standing_to(conn, agency_id, sub)?.is_some() {
            return Err(AppError::Conflict("this agency already lists that registered agency as a sub-agent".into()));
        }
    }
    if let (Some(country), Some(number)) = (&input.country, &input.licence_number)
        && let Some(registered) = store::agencies::find_by_licence(conn, country, &licence_key(number))?
    {
        return Err(AppError::field(
            "licence_number",
            format!(
                "licence {number} issued in {country} is registered (agency {}): link it by agency_id",
                registered.id
            ),
        ));
    }
    if store::sub_agents::standing_count(conn, agency_id)? >= MAX_LINKS {
        return Err(AppError::Conflict(format!("an agency may list at most {MAX_LINKS} sub-agents and branches")));
    }
    let trimmed = |v: Option<String>| v.map(|s| s.trim().to_owned());
    let row = LinkRow {
        id: new_id(),
        agency_id: agency_id.to_owned(),
        kind: input.kind,
        sub_agency_id: input.agency_id,
        name: trimmed(input.name),
        country: input.country,
        licence_number: trimmed(input.licence_number),
        created_by: who.client_id.clone(),
        created_at: now,
        removed_by: None,
        removed_at: None,
    };
    store::sub_agents::insert(conn, &row)?;
    let draft = Draft::new(EventType::SubAgentAdded, "sub_agent_link", &row.id)
        .agency(agency_id)
        .values(None, Some(link_values(&row)));
    events::record(&who.client_id, draft, now)?;
    Ok(row)
}

/// Removes a standing link of `agency_id`. The link is kept, marked removed, so that findings
/// naming it still read; an unknown or already removed one is a 404.
pub fn remove(
    conn: &mut DbConnection,
    who: &Principal,
    agency_id: &str,
    link_id: &str,
    now: DateTime<Utc>,
) -> AppResult<()> {
    agencies::find(conn, agency_id)?;
    authorize(who, Action::ManageSubAgents { agency_id })?;
    let missing = || AppError::NotFound(format!("no sub-agent link with id {link_id} on this agency"));
    let link = store::sub_agents::find(conn, link_id)?
        .filter(|l| l.agency_id == agency_id && l.removed_at.is_none())
        .ok_or_else(missing)?;
    if !store::sub_agents::remove(conn, link_id, &who.client_id, now)? {
        return Err(missing());
    }
    let draft = Draft::new(EventType::SubAgentRemoved, "sub_agent_link", link_id)
        .agency(agency_id)
        .values(Some(link_values(&link)), Some(json!({ "removed_at": now })));
    events::record(&who.client_id, draft, now)?;
    Ok(())
}

/// The sub-agent links `ids` must all be links the agency recorded (standing or removed: an
/// audit looks back, and removing a link must not break a finding). Faults name
/// `sub_agent_ids[i]`.
pub fn check_links_of(conn: &mut DbConnection, agency_id: &str, ids: &[String]) -> AppResult<()> {
    let known: std::collections::HashSet<String> =
        store::sub_agents::ids_of_agency(conn, agency_id, ids)?.into_iter().collect();
    let faults: Vec<FieldError> = ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !known.contains(*id))
        .map(|(i, id)| {
            FieldError::new(format!("sub_agent_ids[{i}]"), format!("{id} is no sub-agent link of this agency"))
        })
        .collect();
    if faults.is_empty() { Ok(()) } else { Err(AppError::Validation(faults)) }
}
