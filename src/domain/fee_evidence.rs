//! Fee evidence per corridor (domain.md §9): the fees finalized audits found and substantiated
//! worker reports named, by ILO fee category, per origin → destination corridor, year and
//! currency, as counts, medians and ranges. Pure: the caller reads the records, these rules say
//! which corridor a record belongs to, what one observation is, and which cells may be shown.
//!
//! Amounts are aggregated per currency: there is no dated exchange-rate source on the service,
//! and a conversion at an invented rate would mislead the very people the figures are for.

use std::collections::{BTreeMap, HashMap};

use crate::domain::assessment::{FeeAmount, FeeCategory};

/// A cell built from fewer observations than this is never shown: with one or two, a worker who
/// reported could be singled out (the same threshold as the public count of reports).
pub const MIN_OBSERVATIONS: usize = crate::domain::reports::PUBLIC_COUNT_THRESHOLD;

/// The corridors an agency serves, as its registry record lists them.
#[derive(Debug, Clone, Copy)]
pub struct Served<'a> {
    pub origins: &'a [String],
    pub destinations: &'a [String],
}

/// The corridor an observation is counted in. A side the facts do not fix is `None`: the
/// observation is counted once, on what is known, never spread over every corridor the agency
/// serves.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Corridor {
    pub origin: Option<String>,
    pub destination: Option<String>,
}

/// The only element of a list of one.
fn sole(list: &[String]) -> Option<String> {
    match list {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// An audit's corridor: the audit covers the agency's whole practice, so a side is known only
/// when the agency serves a single country on it.
pub fn audit_corridor(served: Served<'_>) -> Corridor {
    Corridor { origin: sole(served.origins), destination: sole(served.destinations) }
}

/// A report's corridor. The report's country (where it happened) fixes the side of the agency's
/// corridors it belongs to: one of the agency's origins fixes the origin, one of its
/// destinations the destination (a country on both sides fixes neither). The other side is
/// known when the agency serves a single country there. A report about an agency that is not in
/// the registry has no corridor: its country alone does not say which side it is.
pub fn report_corridor(served: Option<Served<'_>>, country: Option<&str>) -> Corridor {
    let Some(served) = served else {
        return Corridor { origin: None, destination: None };
    };
    let listed = |list: &[String]| country.is_some_and(|c| list.iter().any(|l| l == c));
    let (in_origins, in_destinations) = (listed(served.origins), listed(served.destinations));
    let from_country = |yes: bool, no: bool| if yes && !no { country.map(str::to_owned) } else { None };
    Corridor {
        origin: from_country(in_origins, in_destinations).or_else(|| sole(served.origins)),
        destination: from_country(in_destinations, in_origins).or_else(|| sole(served.destinations)),
    }
}

/// Where a record comes from; each decides how its amounts make one observation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A finalized audit: the same fee is often recorded under several criteria of principle C
    /// (charged, not repaid), so the audit's observation per category and currency is the
    /// largest amount it found, not a sum that would count one fee twice.
    Audit,
    /// A substantiated report: one worker's account, so its observation per category and
    /// currency is the total the worker paid under that heading.
    Report,
}

/// One record's observations: one amount per fee category and currency.
pub fn amounts(source: Source, fees: &[FeeAmount]) -> Vec<(FeeCategory, String, i64)> {
    let mut by_key: BTreeMap<(FeeCategory, String), i64> = BTreeMap::new();
    for fee in fees {
        let slot = by_key.entry((fee.category, fee.currency.clone())).or_insert(0);
        *slot = match source {
            Source::Audit => (*slot).max(fee.amount_minor),
            Source::Report => slot.saturating_add(fee.amount_minor),
        };
    }
    by_key.into_iter().map(|((category, currency), amount)| (category, currency, amount)).collect()
}

/// One amount, counted once in one cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub corridor: Corridor,
    pub year: i32,
    pub category: FeeCategory,
    pub currency: String,
    pub amount_minor: i64,
}

/// Every observation of one record, in its corridor and year.
pub fn observations(source: Source, fees: &[FeeAmount], corridor: &Corridor, year: i32) -> Vec<Observation> {
    amounts(source, fees)
        .into_iter()
        .map(|(category, currency, amount_minor)| Observation {
            corridor: corridor.clone(),
            year,
            category,
            currency,
            amount_minor,
        })
        .collect()
}

/// What a cell is keyed by.
type CellKey = (Corridor, i32, FeeCategory, String);

/// A shown cell: enough observations, with their median and range.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    pub corridor: Corridor,
    pub year: i32,
    pub category: FeeCategory,
    pub currency: String,
    pub observations: usize,
    pub median_minor: i64,
    pub min_minor: i64,
    pub max_minor: i64,
}

/// The median of sorted amounts: the middle one, or the mean of the two middle ones rounded
/// half up to a whole minor unit. `None` for no amounts.
pub fn median(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    let mid = n / 2;
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[mid]),
        _ => {
            let (a, b) = (i128::from(sorted[mid - 1]), i128::from(sorted[mid]));
            i64::try_from((a + b + 1).div_euclid(2)).ok()
        }
    }
}

/// The cells of these observations, in a stable order (corridor, year, category, currency).
/// A cell built from fewer than [`MIN_OBSERVATIONS`] is left out altogether, not shown as
/// suppressed: that it exists at all says one or two workers reported there.
pub fn cells(observations: impl IntoIterator<Item = Observation>) -> Vec<Cell> {
    let mut grouped: HashMap<CellKey, Vec<i64>> = HashMap::new();
    for o in observations {
        grouped.entry((o.corridor, o.year, o.category, o.currency)).or_default().push(o.amount_minor);
    }
    let mut shown: Vec<Cell> = grouped
        .into_iter()
        .filter(|(_, amounts)| amounts.len() >= MIN_OBSERVATIONS)
        .filter_map(|((corridor, year, category, currency), mut amounts)| {
            amounts.sort_unstable();
            Some(Cell {
                observations: amounts.len(),
                median_minor: median(&amounts)?,
                min_minor: *amounts.first()?,
                max_minor: *amounts.last()?,
                corridor,
                year,
                category,
                currency,
            })
        })
        .collect();
    shown.sort_by(|a, b| {
        (&a.corridor, a.year, a.category, &a.currency).cmp(&(&b.corridor, b.year, b.category, &b.currency))
    });
    shown
}

#[cfg(test)]
mod tests {
    use super::*;
    use FeeCategory::*;

    fn codes(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    fn fee(category: FeeCategory, amount_minor: i64, currency: &str) -> FeeAmount {
        FeeAmount { category, amount_minor, currency: currency.into() }
    }

    fn corridor(origin: Option<&str>, destination: Option<&str>) -> Corridor {
        Corridor { origin: origin.map(Into::into), destination: destination.map(Into::into) }
    }

    fn obs(amount_minor: i64) -> Observation {
        Observation {
            corridor: corridor(Some("NP"), Some("QA")),
            year: 2026,
            category: RecruitmentFee,
            currency: "NPR".into(),
            amount_minor,
        }
    }

    #[test]
    fn an_audit_fixes_only_the_sides_where_the_agency_serves_one_country() {
        let (one, two) = (codes(&["NP"]), codes(&["QA", "AE"]));
        let served = Served { origins: &one, destinations: &two };
        assert_eq!(audit_corridor(served), corridor(Some("NP"), None));
        let qa = codes(&["QA"]);
        assert_eq!(audit_corridor(Served { origins: &one, destinations: &qa }), corridor(Some("NP"), Some("QA")));
        assert_eq!(audit_corridor(Served { origins: &two, destinations: &two }), corridor(None, None));
    }

    #[test]
    fn a_report_country_fixes_its_side_and_a_single_country_the_other() {
        let (np, gulf) = (codes(&["NP"]), codes(&["QA", "AE"]));
        let served = Some(Served { origins: &np, destinations: &gulf });
        assert_eq!(report_corridor(served, Some("QA")), corridor(Some("NP"), Some("QA")));
        assert_eq!(report_corridor(served, Some("NP")), corridor(Some("NP"), None));
        // A country the agency does not serve says nothing; the agency's single origin still does.
        assert_eq!(report_corridor(served, Some("IN")), corridor(Some("NP"), None));
        assert_eq!(report_corridor(served, None), corridor(Some("NP"), None));
        // A country on both sides fixes neither.
        let both = codes(&["IN", "AE"]);
        let served = Some(Served { origins: &both, destinations: &both });
        assert_eq!(report_corridor(served, Some("AE")), corridor(None, None));
        // An agency outside the registry: no corridor, whatever the country.
        assert_eq!(report_corridor(None, Some("QA")), corridor(None, None));
    }

    #[test]
    fn an_audit_counts_its_largest_amount_and_a_report_its_total_per_category_and_currency() {
        let fees = [
            fee(RecruitmentFee, 100, "NPR"),
            fee(RecruitmentFee, 250, "NPR"),
            fee(RecruitmentFee, 40, "QAR"),
            fee(Medical, 10, "NPR"),
        ];
        let audit = amounts(Source::Audit, &fees);
        assert_eq!(
            audit,
            vec![(RecruitmentFee, "NPR".into(), 250), (RecruitmentFee, "QAR".into(), 40), (Medical, "NPR".into(), 10)]
        );
        let report = amounts(Source::Report, &fees);
        assert_eq!(report[0], (RecruitmentFee, "NPR".into(), 350));
        assert_eq!(report.len(), 3, "one observation per category and currency");
    }

    #[test]
    fn median_is_the_middle_or_the_rounded_mean_of_the_two_middle_amounts() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[7]), Some(7));
        assert_eq!(median(&[1, 5, 100]), Some(5));
        assert_eq!(median(&[1, 2]), Some(2), "1.5 rounds half up");
        assert_eq!(median(&[10, 20, 31, 41]), Some(26), "25.5 rounds half up");
        assert_eq!(median(&[i64::MAX, i64::MAX]), Some(i64::MAX), "no overflow");
    }

    #[test]
    fn cells_under_three_observations_are_left_out() {
        assert!(cells([obs(1), obs(2)]).is_empty());
        let shown = cells([obs(300), obs(100), obs(200)]);
        assert_eq!(shown.len(), 1);
        let cell = &shown[0];
        assert_eq!((cell.observations, cell.median_minor, cell.min_minor, cell.max_minor), (3, 200, 100, 300));
    }

    #[test]
    fn each_key_makes_its_own_cell_and_cells_come_in_a_stable_order() {
        let mut other_year = obs(5);
        other_year.year = 2025;
        let mut other_currency = obs(5);
        other_currency.currency = "QAR".into();
        let mut input = vec![obs(1), obs(2), obs(3), other_year.clone(), other_currency.clone()];
        input.extend([other_year.clone(), other_year, other_currency.clone(), other_currency]);
        let shown = cells(input);
        let keys: Vec<(i32, &str)> = shown.iter().map(|c| (c.year, c.currency.as_str())).collect();
        assert_eq!(keys, vec![(2025, "NPR"), (2026, "NPR"), (2026, "QAR")]);
        assert!(shown.iter().all(|c| c.observations == 3));
    }
}
