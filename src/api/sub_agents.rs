//! `/v1/agencies/{id}/sub-agents`: the sub-agents and branches that recruit for an agency. Due
//! diligence follows them (`chain` in `GET /v1/agencies/{id}/due-diligence`).

use std::collections::HashMap;

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::{AgencyId, AgencyRes, SubAgentRes, ValidJson, ValidQuery, path_uuid};
use crate::api::pagination::{self, Page, PageQuery};
use crate::api::problems::*;
use crate::auth::{Action, Principal, authorize};
use crate::db::DbConnection;
use crate::domain::chain::SubAgentKind;
use crate::error::AppResult;
use crate::services::agencies;
use crate::services::sub_agents::{self, SubAgentInput};
use crate::state::AppState;
use crate::store;
use crate::store::sub_agents::LinkRow;

crate::api::pagination::documented_page!(SubAgentPage, SubAgent, "sub-agents and branches");

/// A sub-agent or branch recorded as recruiting for the agency.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "id": "0193f0c1-5d2e-7a10-9c35-2b8e4f1a6d90", "agency_id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90",
    "kind": "sub_agent", "registered": false, "sub_agency_id": null, "name": "Janakpur Job Link",
    "country": "NP", "licence_number": "DoFE-88/2079", "created_at": "2026-12-02T09:00:00Z"
}))]
pub struct SubAgent {
    /// The link's id: what a finding's `sub_agent_ids` names.
    #[schema(format = Uuid)]
    pub id: String,
    /// The agency it recruits for.
    #[schema(format = Uuid)]
    pub agency_id: String,
    pub kind: SubAgentKind,
    /// Whether the sub-agent is in the registry.
    pub registered: bool,
    /// The registered sub-agent; null for one outside the registry.
    #[schema(format = Uuid)]
    pub sub_agency_id: Option<String>,
    /// The registered agency's legal name, or the name given for one outside the registry.
    #[schema(max_length = 200)]
    pub name: String,
    /// The registered agency's licence country, or the country given.
    #[schema(max_length = 2, pattern = "^[A-Z]{2}$")]
    pub country: Option<String>,
    #[schema(max_length = 64)]
    pub licence_number: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The views of these links, with each registered sub-agent's name and licence read in one query.
fn views(c: &mut DbConnection, links: Vec<LinkRow>) -> AppResult<Vec<SubAgent>> {
    let ids: Vec<String> = links.iter().filter_map(|l| l.sub_agency_id.clone()).collect();
    let registered: HashMap<String, _> =
        store::agencies::find_many(c, &ids)?.into_iter().map(|a| (a.id.clone(), a)).collect();
    Ok(links
        .into_iter()
        .map(|l| {
            let agency = l.sub_agency_id.as_ref().and_then(|id| registered.get(id));
            SubAgent {
                registered: l.sub_agency_id.is_some(),
                name: agency.map_or_else(|| l.name.clone().unwrap_or_default(), |a| a.legal_name.clone()),
                country: agency.map_or_else(|| l.country.clone(), |a| Some(a.licence_country.clone())),
                licence_number: agency.map_or_else(|| l.licence_number.clone(), |a| Some(a.licence_number.clone())),
                id: l.id,
                agency_id: l.agency_id,
                kind: l.kind,
                sub_agency_id: l.sub_agency_id,
                created_at: l.created_at,
            }
        })
        .collect())
}

/// List the agency's sub-agents and branches.
///
/// For whoever may read the agency. Removed links are not listed (a finding may still name
/// one).
#[utoipa::path(
    operation_id = "list_sub_agents",
    tag = "agencies",
    params(("id" = String, Path, format = Uuid, description = "Agency id."), PageQuery),
    responses((status = 200, description = "A page of sub-agents and branches, in creation order.", body = SubAgentPage), Forbidden),
    security(("bearer" = []))
)]
#[get("/agencies/{id}/sub-agents")]
pub async fn list_sub_agents(
    state: web::Data<AppState>,
    who: Principal,
    id: AgencyId,
    query: ValidQuery<PageQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    authorize(&who, Action::ReadAgency { agency_id: &id })?;
    let window = pagination::window(query.0.limit, query.0.cursor.as_deref())?;
    let (limit, after) = (window.fetch(), window.after.clone());
    let rows = state
        .db
        .read(move |c| {
            agencies::find(c, &id)?;
            let rows = store::sub_agents::page(c, &id, after.as_deref(), limit)?;
            views(c, rows)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Page::of(rows, window.limit, |v| &v.id, |v| v)))
}

/// Record a sub-agent or branch.
///
/// The agency itself or an admin. A registered agency by `agency_id` (not the agency itself;
/// once only while listed: 409), or one outside the registry by `name` and `country`, with its
/// `licence_number` if it has one. A licence that is in the registry must be linked by
/// `agency_id` (422), so its real status shows in due diligence.
#[utoipa::path(
    operation_id = "create_sub_agent",
    tag = "agencies",
    params(("id" = String, Path, format = Uuid, description = "Agency id.")),
    request_body = SubAgentInput,
    responses(
        (status = 201, description = "Recorded.", body = SubAgent, headers(("Location" = String))),
        Forbidden, Conflict
    ),
    security(("bearer" = []))
)]
#[post("/agencies/{id}/sub-agents")]
pub async fn create_sub_agent(
    state: web::Data<AppState>,
    who: Principal,
    id: AgencyId,
    body: ValidJson<SubAgentInput>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    authorize(&who, Action::ManageSubAgents { agency_id: &id })?;
    let now = state.clock.now();
    let view = state
        .db
        .write(move |c| {
            let row = sub_agents::add(c, &who, &id, body.0, now)?;
            views(c, vec![row])?.pop().ok_or_else(|| crate::error::AppError::internal("no view of the new link"))
        })
        .await?;
    let location = format!("/v1/agencies/{}/sub-agents/{}", view.agency_id, view.id);
    Ok(HttpResponse::Created().insert_header(("Location", location)).json(view))
}

/// Remove a sub-agent or branch.
///
/// The agency itself or an admin. The link stops counting in due diligence at once; findings
/// that name it keep naming it.
#[utoipa::path(
    operation_id = "delete_sub_agent",
    tag = "agencies",
    params(
        ("id" = String, Path, format = Uuid, description = "Agency id."),
        ("link_id" = String, Path, format = Uuid, description = "Sub-agent link id.")
    ),
    responses((status = 204, description = "Removed."), Forbidden),
    security(("bearer" = []))
)]
#[delete("/agencies/{id}/sub-agents/{link_id}")]
pub async fn delete_sub_agent(
    state: web::Data<AppState>,
    who: Principal,
    path: web::Path<(String, String)>,
) -> AppResult<HttpResponse> {
    let (id, link_id) = path.into_inner();
    let id = path_uuid::<AgencyRes>(&id)?;
    authorize(&who, Action::ManageSubAgents { agency_id: &id })?;
    let link_id = path_uuid::<SubAgentRes>(&link_id)?;
    let now = state.clock.now();
    state.db.write(move |c| sub_agents::remove(c, &who, &id, &link_id, now)).await?;
    Ok(HttpResponse::NoContent().finish())
}
