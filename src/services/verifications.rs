//! Bulk verification: up to 1,000 agencies, named by id, by licence or by name and country.
//! This module reads the items and resolves each to its agency; `api::verification_model`
//! reads where the matched agencies stand and shapes the answer. A read: nothing is written.
//!
//! Ids and licences are looked up in batches (`IN` lists of at most 500), so a call costs a
//! handful of queries whatever its size; only names are searched one by one, through
//! [`name_candidates`].

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::db::DbConnection;
use crate::domain::agency::{fold_for_search, licence_key};
use crate::domain::countries;
use crate::domain::verification::{MAX_CANDIDATES, NameMatch, decide_name_match};
use crate::error::{AppResult, FieldError};
use crate::search::SearchIndex;
use crate::store;
use crate::store::agencies::AgencyRow;

/// The most items one call may hold.
pub const MAX_ITEMS: usize = 1000;

/// The longest client `reference` echoed back, in characters.
pub const MAX_REFERENCE_CHARS: usize = 200;

/// The longest name searched for, in characters.
pub const MAX_NAME_CHARS: usize = 200;

/// The longest licence number, in characters: as registered (`Licence::number`).
pub const MAX_LICENCE_NUMBER_CHARS: usize = 64;

/// The longest value an item may hold at all. Longer than the rules above is an `invalid` item,
/// answered among the others; longer than this is no spreadsheet cell anyone typed, and the
/// request is refused whole (422), like a value of the wrong type.
pub const MAX_CELL_CHARS: u64 = 1000;

/// Agencies to verify.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"items": [
    {"reference": "row-1", "agency_id": "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90"},
    {"reference": "row-2", "licence_country": "NP", "licence_number": "DoFE-1234/2075"},
    {"reference": "row-3", "name": "Himalayan Overseas Manpower Pvt. Ltd.", "country": "NP"}
]}))]
pub struct VerificationRequest {
    /// 1 to 1,000 items, answered in this order.
    #[validate(length(min = 1, max = 1000, message = "must hold 1 to 1000 items; send more in several calls"), nested)]
    #[schema(min_items = 1, max_items = 1000)]
    pub items: Vec<VerificationItem>,
}

/// One agency to verify, named in exactly one of three ways: `agency_id`; `licence_country`
/// and `licence_number`; or `name` and `country`, where `country` is the licensing country or
/// a country the agency recruits from or to. Blank values count as absent (as empty CSV
/// cells do). An item that breaks these rules is answered `invalid`, with its `errors`; the
/// other items are answered all the same. A value over 1,000 characters refuses the request.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerificationItem {
    /// Your own reference for the item (up to 200 characters), echoed back.
    #[serde(default)]
    #[validate(length(max = MAX_CELL_CHARS))]
    #[schema(max_length = 1000, example = "row-1")]
    pub reference: Option<String>,
    /// The agency's id, a UUID in any form. Not declared `format: uuid`: anything else is
    /// answered as an `invalid` item, like every other broken item, not refused whole.
    #[serde(default)]
    #[validate(length(max = MAX_CELL_CHARS))]
    #[schema(max_length = 1000, example = "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90")]
    pub agency_id: Option<String>,
    /// ISO 3166-1 alpha-2 code of the licensing country (case is ignored).
    #[serde(default)]
    #[validate(length(max = MAX_CELL_CHARS))]
    #[schema(max_length = 1000, example = "NP")]
    pub licence_country: Option<String>,
    /// The licence number as printed (case and spaces are ignored), up to 64 characters.
    #[serde(default)]
    #[validate(length(max = MAX_CELL_CHARS))]
    #[schema(max_length = 1000, example = "DoFE-1234/2075")]
    pub licence_number: Option<String>,
    /// A legal or trading name, up to 200 characters (case, accents, punctuation, word order
    /// and legal form such as `Pvt. Ltd.` are ignored).
    #[serde(default)]
    #[validate(length(max = MAX_CELL_CHARS))]
    #[schema(max_length = 1000, example = "Himalayan Overseas Manpower Pvt. Ltd.")]
    pub name: Option<String>,
    /// With `name`: a country the agency is licensed in or recruits from or to (case is
    /// ignored).
    #[serde(default)]
    #[validate(length(max = MAX_CELL_CHARS))]
    #[schema(max_length = 1000, example = "NP")]
    pub country: Option<String>,
}

crate::domain::named_enum! {
    /// How an item named its agency.
    pub enum Lookup {
        AgencyId,
        Licence,
        Name,
    }
}

/// What an item asks for, once its rules are checked.
#[derive(Debug, Clone, PartialEq)]
enum Query {
    Id(String),
    Licence { country: String, key: String },
    Name { name: String, country: String },
}

/// A value given: present and not blank, trimmed.
fn given(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A country code as typed: upper-cased, and one of the assigned codes.
fn country_code(value: &str) -> Option<String> {
    let code = value.to_ascii_uppercase();
    countries::is_assigned(&code).then_some(code)
}

/// Checks an item's rules; the errors name fields as `items[i].field`.
fn classify(index: usize, item: &VerificationItem) -> Result<Query, Vec<FieldError>> {
    let field = |name: &str| format!("items[{index}].{name}");
    let mut errors = Vec::new();
    if item.reference.as_ref().is_some_and(|r| r.chars().count() > MAX_REFERENCE_CHARS) {
        errors.push(FieldError::new(field("reference"), format!("must be at most {MAX_REFERENCE_CHARS} characters")));
    }
    let id = given(&item.agency_id);
    let (licence_country, licence_number) = (given(&item.licence_country), given(&item.licence_number));
    let (name, country) = (given(&item.name), given(&item.country));
    let kinds =
        [id.is_some(), licence_country.is_some() || licence_number.is_some(), name.is_some() || country.is_some()];
    let ways = "agency_id; or licence_country and licence_number; or name and country";
    let query = match kinds {
        [true, false, false] => match id.and_then(|id| uuid::Uuid::try_parse(id).ok()) {
            Some(id) => Some(Query::Id(id.hyphenated().to_string())),
            None => {
                errors.push(FieldError::new(field("agency_id"), "must be a UUID"));
                None
            }
        },
        [false, true, false] => {
            let country = licence_country.and_then(country_code);
            if country.is_none() {
                errors.push(FieldError::new(field("licence_country"), country_message(licence_country)));
            }
            let number = licence_number.filter(|n| n.chars().count() <= MAX_LICENCE_NUMBER_CHARS);
            if number.is_none() {
                let message = match licence_number {
                    None => "is required with licence_country".to_owned(),
                    Some(_) => format!("must be at most {MAX_LICENCE_NUMBER_CHARS} characters"),
                };
                errors.push(FieldError::new(field("licence_number"), message));
            }
            country.zip(number).map(|(country, number)| Query::Licence { country, key: licence_key(number) })
        }
        [false, false, true] => {
            let country = country.and_then(country_code);
            if country.is_none() {
                errors.push(FieldError::new(field("country"), country_message(given(&item.country))));
            }
            let searchable = name.filter(|n| {
                n.chars().count() <= MAX_NAME_CHARS
                    && fold_for_search(n).chars().filter(char::is_ascii_alphanumeric).count() >= 2
            });
            if searchable.is_none() {
                let message = match name {
                    None => "is required with country".to_owned(),
                    Some(n) if n.chars().count() > MAX_NAME_CHARS => {
                        format!("must be at most {MAX_NAME_CHARS} characters")
                    }
                    Some(_) => "must hold at least 2 letters or digits".to_owned(),
                };
                errors.push(FieldError::new(field("name"), message));
            }
            country.zip(searchable).map(|(country, name)| Query::Name { name: name.to_owned(), country })
        }
        [false, false, false] => {
            errors.push(FieldError::new(format!("items[{index}]"), format!("name the agency by {ways}")));
            None
        }
        _ => {
            errors.push(FieldError::new(format!("items[{index}]"), format!("name the agency in one way only: {ways}")));
            None
        }
    };
    match query {
        Some(query) if errors.is_empty() => Ok(query),
        _ => Err(errors),
    }
}

fn country_message(given: Option<&str>) -> &'static str {
    match given {
        None => "is required",
        Some(_) => "must be an ISO 3166-1 alpha-2 country code, e.g. NP",
    }
}

/// How many candidates a name search hands to the decision: enough to see a tie at the top
/// and to list [`MAX_CANDIDATES`].
const NAME_CANDIDATES: usize = MAX_CANDIDATES + 1;

/// How many of the search index's best hits are weighed: plenty to find a tie at the top.
const NAME_SEARCH_WINDOW: usize = 50;

/// The agencies `name` may mean in `country` (licensed there, or recruiting from or to it), by
/// id, each with how alike its names are (0 to 1, two decimals), best first, at most `limit`;
/// as of the index's last catch-up.
///
/// The one place candidates are produced; the decision between `found` and `ambiguous` is
/// `domain::verification::decide_name_match`, whatever produced them. Candidates come from the
/// registry's search index by name only (a licence number reading like the name is no match),
/// so misspellings, word order, case, accents, punctuation and legal forms are forgiven as in
/// `GET /v1/agencies?q=`. The similarity weighs both ways equally: how close the words asked
/// for are to the agency's (the mean closeness), and how much of one of its names they cover.
/// A part of a name (`Himalayan` for `Himalayan Overseas Manpower`) is therefore never a match
/// on its own: it stays a candidate to confirm by licence or id.
pub fn name_candidates(index: &SearchIndex, name: &str, country: &str, limit: usize) -> Vec<(String, f64)> {
    let filter = store::agencies::Filter { country: Some(country.to_owned()), ..store::agencies::Filter::default() };
    let mut hits: Vec<(String, f64)> = index
        .search_names(name, &filter, NAME_SEARCH_WINDOW)
        .into_iter()
        .map(|hit| (hit.id, (f64::from(hit.closeness + hit.coverage) * 50.0).round() / 100.0))
        .collect();
    // Stable: equally alike agencies stay in the index's ranking order.
    hits.sort_by(|a, b| b.1.total_cmp(&a.1));
    hits.truncate(limit);
    hits
}

/// What one item resolved to, before the matched agencies' standing is read.
#[derive(Debug, Clone)]
pub enum Resolved {
    /// The item breaks the rules: what is wrong, by field.
    Invalid(Vec<FieldError>),
    /// Looked up one way: the agency, if one matched, and for a name how alike it is.
    Agency { lookup: Lookup, agency: Option<Box<AgencyRow>>, similarity: Option<f64> },
    /// A name that may mean several agencies (or one, loosely): best first.
    Ambiguous(Vec<(AgencyRow, f64)>),
}

/// Resolves each item to its agency, in request order: ids in one batch, licences in one
/// batch per country, names one search each (the same name and country searched once).
pub fn resolve(conn: &mut DbConnection, index: &SearchIndex, items: &[VerificationItem]) -> AppResult<Vec<Resolved>> {
    let queries: Vec<Result<Query, Vec<FieldError>>> =
        items.iter().enumerate().map(|(i, item)| classify(i, item)).collect();

    let ids: Vec<String> = distinct(queries.iter().filter_map(|q| match q {
        Ok(Query::Id(id)) => Some(id.clone()),
        _ => None,
    }));
    let by_id: HashMap<String, AgencyRow> =
        store::agencies::find_many(conn, &ids)?.into_iter().map(|row| (row.id.clone(), row)).collect();
    let mut keys_by_country: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for query in &queries {
        if let Ok(Query::Licence { country, key }) = query {
            keys_by_country.entry(country).or_default().push(key.clone());
        }
    }
    let mut by_licence: HashMap<(String, String), AgencyRow> = HashMap::new();
    for (country, keys) in keys_by_country {
        for row in store::agencies::find_by_licences(conn, country, &distinct(keys))? {
            by_licence.insert((row.licence_country.clone(), row.licence_key.clone()), row);
        }
    }

    // Names: the index brought up to date once, every distinct name searched in memory, and
    // the candidates' rows read together.
    let names: BTreeSet<(String, String)> = queries
        .iter()
        .filter_map(|q| match q {
            Ok(Query::Name { name, country }) => Some((fold_for_search(name), country.clone())),
            _ => None,
        })
        .collect();
    if !names.is_empty() {
        index.catch_up(conn)?;
    }
    let by_name: HashMap<(String, String), Vec<(String, f64)>> = names
        .into_iter()
        .map(|key| {
            let candidates = name_candidates(index, &key.0, &key.1, NAME_CANDIDATES);
            (key, candidates)
        })
        .collect();
    let candidate_ids = distinct(by_name.values().flatten().map(|(id, _)| id.clone()));
    let candidate_rows: HashMap<String, AgencyRow> =
        store::agencies::find_many(conn, &candidate_ids)?.into_iter().map(|row| (row.id.clone(), row)).collect();

    let mut resolved = Vec::with_capacity(items.len());
    for query in queries {
        let found = |lookup, row: Option<&AgencyRow>| Resolved::Agency {
            lookup,
            agency: row.cloned().map(Box::new),
            similarity: None,
        };
        resolved.push(match query {
            Err(errors) => Resolved::Invalid(errors),
            Ok(Query::Id(id)) => found(Lookup::AgencyId, by_id.get(&id)),
            Ok(Query::Licence { country, key }) => found(Lookup::Licence, by_licence.get(&(country, key))),
            Ok(Query::Name { name, country }) => {
                let key = (fold_for_search(&name), country);
                let candidates: Vec<(AgencyRow, f64)> = by_name
                    .get(&key)
                    .into_iter()
                    .flatten()
                    .filter_map(|(id, similarity)| candidate_rows.get(id).map(|row| (row.clone(), *similarity)))
                    .collect();
                let similarities: Vec<f64> = candidates.iter().map(|(_, s)| *s).collect();
                match decide_name_match(&similarities) {
                    NameMatch::One(i) => Resolved::Agency {
                        lookup: Lookup::Name,
                        agency: Some(Box::new(candidates[i].0.clone())),
                        similarity: Some(candidates[i].1),
                    },
                    NameMatch::Several(best) => {
                        Resolved::Ambiguous(best.into_iter().map(|i| candidates[i].clone()).collect())
                    }
                    NameMatch::None => found(Lookup::Name, None),
                }
            }
        });
    }
    Ok(resolved)
}

/// The values once each, in first-seen order.
pub fn distinct(values: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut seen = HashSet::new();
    values.into_iter().filter(|v| seen.insert(v.clone())).collect()
}
#[cfg(test)]
mod tests {
    use super::*;

    fn item(fields: &[(&str, &str)]) -> VerificationItem {
        let value: serde_json::Map<String, serde_json::Value> =
            fields.iter().map(|(k, v)| ((*k).to_owned(), serde_json::Value::from(*v))).collect();
        serde_json::from_value(serde_json::Value::Object(value)).unwrap()
    }

    fn fields(result: Result<Query, Vec<FieldError>>) -> Vec<String> {
        result.unwrap_err().into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn each_way_of_naming_an_agency_is_read_forgivingly() {
        let id = "0193F0A4-7C1E-7D2A-9C35-2B8E4F1A6D90";
        assert_eq!(
            classify(0, &item(&[("agency_id", id)])),
            Ok(Query::Id("0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90".into()))
        );
        assert_eq!(
            classify(0, &item(&[("licence_country", " np "), ("licence_number", "dofe 1234/2075")])),
            Ok(Query::Licence { country: "NP".into(), key: "DOFE1234/2075".into() })
        );
        assert_eq!(
            classify(0, &item(&[("name", "Himalayan"), ("country", "qa"), ("agency_id", "  ")])),
            Ok(Query::Name { name: "Himalayan".into(), country: "QA".into() }),
            "a blank value is absent"
        );
    }

    #[test]
    fn a_broken_item_names_each_fault_at_its_index() {
        assert_eq!(fields(classify(3, &item(&[]))), ["items[3]"]);
        assert_eq!(fields(classify(3, &item(&[("agency_id", "x"), ("name", "y")]))), ["items[3]"]);
        assert_eq!(fields(classify(3, &item(&[("agency_id", "not-a-uuid")]))), ["items[3].agency_id"]);
        assert_eq!(
            fields(classify(3, &item(&[("licence_country", "XX")]))),
            ["items[3].licence_country", "items[3].licence_number"]
        );
        assert_eq!(fields(classify(3, &item(&[("name", "Himal"), ("country", "")]))), ["items[3].country"]);
        assert_eq!(fields(classify(3, &item(&[("name", "-"), ("country", "NP")]))), ["items[3].name"]);
        let long = "r".repeat(MAX_REFERENCE_CHARS + 1);
        assert_eq!(
            fields(classify(3, &item(&[("reference", &long), ("agency_id", "0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90")]))),
            ["items[3].reference"]
        );
    }
}
