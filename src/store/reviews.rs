//! Technical reviews before certification decisions.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::db::DbConnection;
use crate::db::schema::technical_reviews;
use crate::db::types::{At, MaybeAt};
use crate::domain::review::{ReviewOutcome, ReviewedDecision};
use crate::error::AppResult;
use crate::store::InTable;

const TABLE: &str = "technical_reviews";

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = technical_reviews)]
pub struct ReviewRow {
    pub id: String,
    pub agency_id: String,
    pub certification_body_id: String,
    pub decision: ReviewedDecision,
    pub assessment_id: Option<String>,
    pub certificate_number: Option<String>,
    pub outcome: ReviewOutcome,
    pub reasons: Option<String>,
    pub reviewer: String,
    pub reviewer_person_ref: Option<String>,
    #[diesel(serialize_as = At)]
    pub reviewed_at: DateTime<Utc>,
    #[diesel(serialize_as = MaybeAt)]
    pub used_at: Option<DateTime<Utc>>,
}

pub fn insert(conn: &mut DbConnection, row: &ReviewRow) -> AppResult<()> {
    diesel::insert_into(technical_reviews::table).values(row.clone()).execute(conn)?;
    Ok(())
}

/// What a review is about: the audit of a `certify`, the certificate of a `reinstate` or
/// `withdraw`.
pub enum Subject<'a> {
    Audit(&'a str),
    Certificate(&'a str),
}

/// The latest review of `decision` on `subject`: the one a decision may rest on.
pub fn latest(
    conn: &mut DbConnection,
    agency_id: &str,
    decision: ReviewedDecision,
    subject: Subject<'_>,
) -> AppResult<Option<ReviewRow>> {
    let query = technical_reviews::table
        .filter(technical_reviews::agency_id.eq(agency_id))
        .filter(technical_reviews::decision.eq(decision))
        .order((technical_reviews::reviewed_at.desc(), technical_reviews::id.desc()))
        .into_boxed();
    let query = match subject {
        Subject::Audit(id) => query.filter(technical_reviews::assessment_id.eq(id.to_owned())),
        Subject::Certificate(number) => query.filter(technical_reviews::certificate_number.eq(number.to_owned())),
    };
    query.first(conn).optional().in_table(TABLE)
}

/// Marks a review spent by the decision that rested on it. Only an unspent one: of two
/// decisions racing on it, the second changes nothing and is refused by the caller.
pub fn mark_used(conn: &mut DbConnection, id: &str, now: DateTime<Utc>) -> AppResult<bool> {
    let n = diesel::update(technical_reviews::table.filter(technical_reviews::id.eq(id)))
        .filter(technical_reviews::used_at.is_null())
        .set(technical_reviews::used_at.eq(MaybeAt(Some(now))))
        .execute(conn)?;
    Ok(n == 1)
}

/// The most reviews one list answers: far more than an agency's decisions ever need (one or
/// two reviews each), and a bound the document can state.
pub const MAX_LISTED: i64 = 1000;

/// Reviews of an agency (all of them, or only those on one audit, or of one body), oldest first,
/// at most [`MAX_LISTED`].
pub fn list(
    conn: &mut DbConnection,
    agency_id: &str,
    assessment_id: Option<&str>,
    body_id: Option<&str>,
) -> AppResult<Vec<ReviewRow>> {
    let mut query = technical_reviews::table.filter(technical_reviews::agency_id.eq(agency_id)).into_boxed();
    if let Some(id) = assessment_id {
        query = query.filter(technical_reviews::assessment_id.eq(id.to_owned()));
    }
    if let Some(body) = body_id {
        query = query.filter(technical_reviews::certification_body_id.eq(body.to_owned()));
    }
    query
        .order((technical_reviews::reviewed_at.asc(), technical_reviews::id.asc()))
        .limit(MAX_LISTED)
        .load(conn)
        .in_table(TABLE)
}
