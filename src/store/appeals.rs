//! Appeals of decisions about agencies, and complaints about certification bodies.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::{appeals, certification_events, complaints};
use crate::db::types::{At, MaybeAt};
use crate::domain::agency::CertificationStatus;
use crate::domain::appeals::{AppealedDecision, CaseState};
use crate::error::{AppError, AppResult};
use crate::store::InTable;
use crate::store::certifications::EventRow;

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = appeals, treat_none_as_null = true)]
pub struct AppealRow {
    pub id: String,
    pub agency_id: String,
    pub certification_body_id: Option<String>,
    pub decision: AppealedDecision,
    pub decision_ref: String,
    pub decided_by: String,
    #[diesel(serialize_as = At)]
    pub decided_at: DateTime<Utc>,
    pub grounds: String,
    pub state: CaseState,
    pub outcome_reason: Option<String>,
    pub handled_by: Option<String>,
    pub filed_by: String,
    #[diesel(serialize_as = At)]
    pub filed_at: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub closed_at: Option<DateTime<Utc>>,
    #[diesel(serialize_as = At)]
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

crate::store::versioned!(AppealRow, appeals, "appeal");

#[derive(Debug, Clone, Queryable, Insertable, AsChangeset)]
#[diesel(table_name = complaints, treat_none_as_null = true)]
pub struct ComplaintRow {
    pub id: String,
    pub certification_body_id: String,
    pub subject_client_id: Option<String>,
    pub subject_person_ref: Option<String>,
    pub body_text: String,
    pub complainant: String,
    pub state: CaseState,
    pub outcome_reason: Option<String>,
    pub handled_by: Option<String>,
    #[diesel(serialize_as = At)]
    pub filed_at: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub closed_at: Option<DateTime<Utc>>,
    #[diesel(serialize_as = At)]
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

crate::store::versioned!(ComplaintRow, complaints, "complaint");

/// Files an appeal; a second open appeal of the same decision is refused (409), also when two
/// race: the partial unique index decides, on both backends.
pub fn insert_appeal(conn: &mut DbConnection, row: &AppealRow) -> AppResult<()> {
    diesel::insert_into(appeals::table).values(row.clone()).execute(conn).map_err(|e| match e {
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _) => {
            AppError::Conflict("this decision already has an open appeal".into())
        }
        other => other.into(),
    })?;
    Ok(())
}

pub fn find_appeal(conn: &mut DbConnection, id: &str) -> AppResult<Option<AppealRow>> {
    appeals::table.find(id).first(conn).optional().in_table("appeals")
}

/// The open appeal of a decision, if any.
pub fn open_appeal_of(conn: &mut DbConnection, decision_ref: &str) -> AppResult<Option<AppealRow>> {
    appeals::table
        .filter(appeals::decision_ref.eq(decision_ref))
        .filter(appeals::state.eq_any([CaseState::Received, CaseState::UnderReview]))
        .first(conn)
        .optional()
        .in_table("appeals")
}

/// The agency's latest open appeal: what due diligence shows.
pub fn open_appeal_of_agency(conn: &mut DbConnection, agency_id: &str) -> AppResult<Option<AppealRow>> {
    appeals::table
        .filter(appeals::agency_id.eq(agency_id))
        .filter(appeals::state.eq_any([CaseState::Received, CaseState::UnderReview]))
        .order(appeals::id.desc())
        .first(conn)
        .optional()
        .in_table("appeals")
}

/// Appeals in id order (the order they came in), after `after`; of one agency when given.
pub fn appeals_page(
    conn: &mut DbConnection,
    agency_id: Option<&str>,
    state: Option<CaseState>,
    after: Option<&str>,
    limit: i64,
) -> AppResult<Vec<AppealRow>> {
    let mut query = appeals::table.into_boxed();
    if let Some(agency) = agency_id {
        query = query.filter(appeals::agency_id.eq(agency.to_owned()));
    }
    if let Some(state) = state {
        query = query.filter(appeals::state.eq(state));
    }
    if let Some(after) = after {
        query = query.filter(appeals::id.gt(after.to_owned()));
    }
    query.order(appeals::id.asc()).limit(limit).load(conn).in_table("appeals")
}

/// The latest transition of the agency into `to`: the decision a suspension or withdrawal
/// appeal is about.
pub fn latest_transition_to(
    conn: &mut DbConnection,
    agency_id: &str,
    to: CertificationStatus,
) -> AppResult<Option<EventRow>> {
    certification_events::table
        .filter(certification_events::agency_id.eq(agency_id))
        .filter(certification_events::to_status.eq(to))
        .order((certification_events::occurred_at.desc(), certification_events::id.desc()))
        .first(conn)
        .optional()
        .in_table("certification_events")
}

pub fn insert_complaint(conn: &mut DbConnection, row: &ComplaintRow) -> AppResult<()> {
    diesel::insert_into(complaints::table).values(row.clone()).execute(conn)?;
    Ok(())
}

pub fn find_complaint(conn: &mut DbConnection, id: &str) -> AppResult<Option<ComplaintRow>> {
    complaints::table.find(id).first(conn).optional().in_table("complaints")
}

/// Complaints in id order, after `after`; only one complainant's when given.
pub fn complaints_page(
    conn: &mut DbConnection,
    complainant: Option<&str>,
    state: Option<CaseState>,
    after: Option<&str>,
    limit: i64,
) -> AppResult<Vec<ComplaintRow>> {
    let mut query = complaints::table.into_boxed();
    if let Some(who) = complainant {
        query = query.filter(complaints::complainant.eq(who.to_owned()));
    }
    if let Some(state) = state {
        query = query.filter(complaints::state.eq(state));
    }
    if let Some(after) = after {
        query = query.filter(complaints::id.gt(after.to_owned()));
    }
    query.order(complaints::id.asc()).limit(limit).load(conn).in_table("complaints")
}
