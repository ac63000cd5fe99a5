//! `fairhire seed-demo --agencies N`: the registry beyond the demo's stories, at scale.
//!
//! A national registry lists far more licensed agencies than ever apply for certification, so
//! the agencies past the 300 with stories are registered only (`never_certified`), with the
//! same kinds of names, licences, corridors and sectors as the storied ones. Names mix a place
//! or founder word made of syllables with the origin's usual words, so the vocabulary grows with
//! the registry as a real one does, and some names repeat (as real ones do; a search must then
//! tell them apart by licence or corridor). They go through the same service as the API's,
//! with an event each, committed in batches so a million agencies take minutes, not a single
//! transaction the size of the registry.

use std::collections::HashSet;

use chrono::{Datelike, Months};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::db::Db;
use crate::domain::agency::{Address, Licence, licence_key};
use crate::error::AppResult;
use crate::seed::origins::{NameStyle, ORIGINS, Origin, sector_pool};
use crate::seed::texts::slug;
use crate::seed::{ACTOR, SEED, Time, days};
use crate::services;
use crate::services::agencies::AgencyInput;
use crate::store;
use crate::store::agencies::Filter;

/// Agencies per transaction.
const BATCH: usize = 2_000;
/// More than the storied registry holds.
const STORIED_MAX: usize = 10_000;

/// Syllables of the invented place and founder words.
const SYLLABLES: &[&str] = &[
    "ka", "ri", "ma", "no", "sa", "li", "ta", "ra", "an", "ja", "ya", "ku", "shi", "de", "vi", "ha", "ba", "lo", "mi",
    "na", "pu", "ro", "su", "te", "za", "el", "ar", "in", "om", "ud", "bha", "gan", "dar", "sun",
];

struct Bulk {
    rng: StdRng,
    now: Time,
    origins: Vec<&'static Origin>,
    licences: HashSet<String>,
}

/// Registers `count` more agencies, as of `now`, in batches, after the storied ones (whose
/// licences it leaves alone); returns how many it registered.
pub(super) fn register(db: &Db, now: Time, count: usize) -> AppResult<usize> {
    let mut licences = HashSet::with_capacity(count + STORIED_MAX);
    let mut conn = db.conn()?;
    let storied = store::agencies::search(&mut conn, &Filter::default(), None, STORIED_MAX as i64)?;
    drop(conn);
    licences.extend(storied.into_iter().map(|a| a.licence_key));
    let mut bulk = Bulk {
        rng: StdRng::seed_from_u64(SEED + 1),
        now,
        // Origins weighted as in the storied registry.
        origins: ORIGINS.iter().flat_map(|o| std::iter::repeat_n(o, o.agencies)).collect(),
        licences,
    };
    let mut done = 0;
    while done < count {
        let inputs: Vec<AgencyInput> = (0..BATCH.min(count - done)).map(|_| bulk.agency()).collect();
        let n = inputs.len();
        db.write_blocking(|c| services::agencies::create_many(c, ACTOR, inputs, now).map(|_| ()))?;
        done += n;
        if done % 100_000 < BATCH {
            tracing::info!(done, count, "registered registry-only demo agencies");
        }
    }
    Ok(done)
}

impl Bulk {
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.rng.gen_range(0..items.len())]
    }

    /// A capitalized word of two or three syllables.
    fn invented_word(&mut self) -> String {
        let n = self.rng.gen_range(2..=3);
        let word: String = (0..n).map(|_| self.pick(SYLLABLES)).collect();
        let mut letters = word.chars();
        letters.next().map(|first| first.to_ascii_uppercase().to_string() + letters.as_str()).unwrap_or_default()
    }

    fn agency(&mut self) -> AgencyInput {
        let origin = self.pick(&self.origins.clone());
        let word = self.invented_word();
        let prefix = self.pick(origin.prefixes);
        let kind = self.pick(origin.kinds);
        let suffix = self.pick(origin.suffixes);
        let core = if self.rng.gen_bool(0.5) { format!("{word} {kind}") } else { format!("{word} {prefix} {kind}") };
        let legal_name = match origin.style {
            NameStyle::Western => format!("{core} {suffix}"),
            NameStyle::Indonesian => format!("PT {core} {suffix}"),
        };
        let trading_names =
            if self.rng.gen_bool(0.2) { vec![format!("{word} {}", self.pick(origin.brands))] } else { Vec::new() };
        let today = self.now.date_naive();
        let issued = today - days(self.rng.gen_range(30..=1500));
        let number = loop {
            let candidate = self.licence_number(origin, issued.year());
            if self.licences.insert(licence_key(&candidate)) {
                break candidate;
            }
        };
        let term = Months::new(12 * origin.licence_years);
        let valid_until = issued.checked_add_months(term).unwrap_or(issued);
        let mut destinations: Vec<&str> = origin.destinations.to_vec();
        destinations.shuffle(&mut self.rng);
        destinations.truncate(self.rng.gen_range(1..=3));
        let mut sectors = Vec::new();
        for d in &destinations {
            for s in sector_pool(origin.code, d) {
                if !sectors.contains(s) {
                    sectors.push(*s);
                }
            }
        }
        sectors.shuffle(&mut self.rng);
        sectors.truncate(self.rng.gen_range(1..=3));
        let city = &origin.cities[self.rng.gen_range(0..origin.cities.len())];
        let street = self.pick(city.streets);
        let website = self.rng.gen_bool(0.5).then(|| format!("https://{}.example.com", slug(&legal_name)));
        AgencyInput {
            trading_names,
            licence: Licence {
                number,
                issuing_authority: origin.authority.into(),
                country: origin.code.into(),
                valid_from: Some(issued),
                // Some licences ran out and were not renewed: the registry says so.
                valid_until: Some(valid_until),
                verified_at: None,
                verified_by: None,
                source: None,
            },
            origin_countries: vec![origin.code.into()],
            destination_countries: destinations.iter().map(|d| d.to_string()).collect(),
            sectors,
            address: Some(Address {
                line1: format!("{street} {}", self.rng.gen_range(2..=480)),
                line2: None,
                city: city.name.into(),
                region: city.region.map(str::to_owned),
                postal_code: None,
                country: origin.code.into(),
            }),
            website,
            contact_email: None,
            contact_phone: None,
            legal_name,
        }
    }

    /// A licence number in the issuing country's style, from a range wide enough for a
    /// million agencies.
    fn licence_number(&mut self, origin: &Origin, year: i32) -> String {
        let n = self.rng.gen_range(1..=9_999_999);
        match origin.code {
            "NP" => format!("DoFE-{n}/{}", year + 57),
            "PH" => format!("DMW-{n:07}-LB-R"),
            "ID" => format!("SIP3MI-{n}/KEMNAKER/{year}"),
            "BD" => format!("RL-{n}"),
            "IN" => format!("B-{n:07}/PER/{year}"),
            "LK" => format!("SLBFE/RA/{n:07}"),
            "ET" => format!("MoLS/PEA/{n}/{year}"),
            "KE" => format!("NEA/PEA/{n}/{year}"),
            _ => format!("EEL/{n}/{year}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use validator::Validate;

    #[test]
    fn bulk_agencies_are_valid_with_unique_licences_and_the_same_every_time() {
        let make = || {
            let mut bulk = Bulk {
                rng: StdRng::seed_from_u64(SEED + 1),
                now: chrono::Utc::now(),
                origins: ORIGINS.iter().flat_map(|o| std::iter::repeat_n(o, o.agencies)).collect(),
                licences: HashSet::new(),
            };
            (0..2_000).map(|_| bulk.agency()).collect::<Vec<_>>()
        };
        let first = make();
        let names: Vec<&str> = first.iter().map(|a| a.legal_name.as_str()).collect();
        assert_eq!(names, make().iter().map(|a| a.legal_name.as_str()).collect::<Vec<_>>());
        let distinct: HashSet<&str> = names.iter().copied().collect();
        assert!(distinct.len() > 1_900, "names mostly differ: {}", distinct.len());
        let licences: HashSet<(String, String)> =
            first.iter().map(|a| (a.licence.country.clone(), licence_key(&a.licence.number))).collect();
        assert_eq!(licences.len(), first.len());
        for a in &first {
            assert!(a.validate().is_ok(), "{}: {:?}", a.legal_name, a.validate());
        }
    }
}
