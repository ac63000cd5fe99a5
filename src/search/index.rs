//! The in-memory search index: every agency's name words and the facts searches filter on, and
//! the ranking. Pure data structure, no database: `search::SearchIndex` fills it and keeps it
//! current from the event log.
//!
//! Layout: a vocabulary of distinct words, each with the sorted list of agencies ("slots") that
//! carry it; the words are also listed by letter triple, so the words close to a misspelt query
//! word are found without scanning the vocabulary. A query word is matched against the
//! vocabulary first (a few thousand words even for a million agencies, since names share their
//! words), then the agencies are scored from the matching words' lists.

use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};

use crate::domain::agency::{CertificationStatus, Grade, Sector};
use crate::search::text::{self, Closeness};
use crate::store::agencies::Filter;

/// The most vocabulary words one query word may expand to (a prefix such as `man` matches
/// many); the closest are kept.
const MAX_EXPANSION: usize = 64;
/// The most words of a query that count; the rest are ignored.
const MAX_QUERY_WORDS: usize = 8;
/// The relevance of an agency whose licence number is the query: above any name match.
pub const LICENCE_MATCH: f32 = 2.0;

/// What the index needs to know about one agency.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    /// The legal name and the trading names.
    pub names: Vec<String>,
    /// `domain::agency::licence_key` of the licence number.
    pub licence_key: String,
    pub licence_country: String,
    pub origins: Vec<String>,
    pub destinations: Vec<String>,
    pub sectors: Vec<Sector>,
    pub status: CertificationStatus,
    pub grade: Option<Grade>,
}

/// A two-letter country code in two bytes.
type Country = [u8; 2];

fn country(code: &str) -> Country {
    let b = code.as_bytes();
    [b.first().copied().unwrap_or(0), b.get(1).copied().unwrap_or(0)]
}

struct Doc {
    id: String,
    /// Vocabulary ids of each name's words (not the joined pairs), for coverage.
    names: Box<[Box<[u32]>]>,
    /// Every vocabulary id the agency is listed under.
    terms: Box<[u32]>,
    licence_key: Box<str>,
    licence_country: Country,
    origins: Box<[Country]>,
    destinations: Box<[Country]>,
    /// One bit per sector, in declaration order.
    sectors: u32,
    status: CertificationStatus,
    grade: Option<Grade>,
}

impl Doc {
    fn admits(&self, f: &Filter) -> bool {
        let has = |list: &[Country], code: &Option<String>| code.as_deref().is_none_or(|c| list.contains(&country(c)));
        f.only_id.as_deref().is_none_or(|id| id == self.id)
            && f.licence_key.as_deref().is_none_or(|k| k == &*self.licence_key)
            && f.status.is_none_or(|s| s == self.status)
            && f.grade.is_none_or(|g| Some(g) == self.grade)
            && f.sector.is_none_or(|s| self.sectors & sector_bit(s) != 0)
            && has(&self.origins, &f.origin)
            && has(&self.destinations, &f.destination)
            && f.country.as_deref().is_none_or(|c| {
                let c = country(c);
                self.licence_country == c || self.origins.contains(&c) || self.destinations.contains(&c)
            })
    }
}

fn sector_bit(sector: Sector) -> u32 {
    use strum::IntoEnumIterator;
    Sector::iter().position(|s| s == sector).map_or(0, |i| 1 << i)
}

struct Term {
    text: Box<str>,
    /// Slots of the agencies listed under the word, ascending.
    slots: Vec<u32>,
}

/// One agency found, with how well it matched (see [`Index::search`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: String,
    pub relevance: f32,
    /// The mean closeness of the query's words to their best matches (0 to 1; 0 for a match by
    /// licence number alone).
    pub closeness: f32,
    /// The largest share of one of the agency's names that the query's words matched (0 to 1).
    pub coverage: f32,
}

/// The ranking order of (relevance, slot) pairs: more relevant first, then in registration
/// order (slots are given in id order, see [`Index::upsert`]), so equal scores page stably.
fn ranked(a: (f32, u32), b: (f32, u32)) -> Ordering {
    b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1))
}

/// An agency matched, before it is known to be on the page asked for.
#[derive(Debug, Clone, Copy)]
struct Scored {
    slot: u32,
    relevance: f32,
    closeness: f32,
}

/// Per-agency tallies of one query, kept per thread and zeroed after each query: allocating them
/// anew would fault in megabytes of fresh pages on every search of a large registry.
#[derive(Default)]
struct Tallies {
    score: Vec<f32>,
    /// Which query words each agency matched, one bit per word.
    matched: Vec<u8>,
}

impl Tallies {
    fn fit(&mut self, slots: usize) {
        if self.score.len() < slots {
            self.score.resize(slots, 0.0);
            self.matched.resize(slots, 0);
        }
    }
}

thread_local! {
    static TALLIES: std::cell::RefCell<Tallies> = std::cell::RefCell::new(Tallies::default());
}

/// What a query matched: the candidates, and which vocabulary words.
struct Matches {
    candidates: Vec<Scored>,
    matched_terms: Vec<bool>,
}

#[derive(Default)]
pub struct Index {
    docs: Vec<Option<Doc>>,
    slot_of: HashMap<String, u32>,
    free: Vec<u32>,
    vocab: HashMap<Box<str>, u32>,
    terms: Vec<Term>,
    /// Vocabulary ids in word order, for prefixes.
    sorted: BTreeMap<Box<str>, u32>,
    /// Vocabulary ids by padded letter triple.
    grams: HashMap<u32, Vec<u32>>,
    licences: HashMap<Box<str>, Vec<u32>>,
    /// Per slot, the number of words of the agency's shortest name: kept beside the records so
    /// ranking reads no record.
    shortest: Vec<u8>,
}

impl Index {
    pub fn len(&self) -> usize {
        self.slot_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slot_of.is_empty()
    }

    fn term_id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.vocab.get(word) {
            return id;
        }
        let id = u32::try_from(self.terms.len()).unwrap_or(u32::MAX);
        self.terms.push(Term { text: word.into(), slots: Vec::new() });
        self.vocab.insert(word.into(), id);
        self.sorted.insert(word.into(), id);
        for gram in text::trigrams(word, true) {
            self.grams.entry(gram).or_default().push(id);
        }
        id
    }

    /// Adds the agency, or replaces what the index knew of it (in the slot it had). New agencies
    /// get the next slot, so agencies added in id order sit in id order, which ranking uses to
    /// break ties cheaply.
    pub fn upsert(&mut self, entry: Entry) {
        self.remove(&entry.id);
        let mut names: Vec<Box<[u32]>> = Vec::with_capacity(entry.names.len());
        let mut terms: Vec<String> = Vec::new();
        for name in &entry.names {
            let w = text::words(name);
            terms.extend(text::joined(&w));
            names.push(w.iter().map(|word| self.term_id(word)).collect());
            terms.extend(w);
        }
        terms.sort();
        terms.dedup();
        let term_ids: Vec<u32> = terms.iter().map(|w| self.term_id(w)).collect();
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.docs.push(None);
                self.shortest.push(0);
                u32::try_from(self.docs.len() - 1).unwrap_or(u32::MAX)
            }
        };
        let shortest = names.iter().map(|n| n.len()).filter(|n| *n > 0).min().unwrap_or(1);
        self.shortest[slot as usize] = u8::try_from(shortest).unwrap_or(u8::MAX);
        for &t in &term_ids {
            let slots = &mut self.terms[t as usize].slots;
            if let Err(at) = slots.binary_search(&slot) {
                slots.insert(at, slot);
            }
        }
        self.licences.entry(entry.licence_key.as_str().into()).or_default().push(slot);
        self.slot_of.insert(entry.id.clone(), slot);
        self.docs[slot as usize] = Some(Doc {
            id: entry.id,
            names: names.into(),
            terms: term_ids.into(),
            licence_key: entry.licence_key.into(),
            licence_country: country(&entry.licence_country),
            origins: entry.origins.iter().map(|c| country(c)).collect(),
            destinations: entry.destinations.iter().map(|c| country(c)).collect(),
            sectors: entry.sectors.iter().fold(0, |bits, s| bits | sector_bit(*s)),
            status: entry.status,
            grade: entry.grade,
        });
    }

    /// Forgets the agency (its words stay in the vocabulary, listing nobody).
    fn remove(&mut self, id: &str) {
        let Some(slot) = self.slot_of.remove(id) else { return };
        let Some(doc) = self.docs[slot as usize].take() else { return };
        for &t in doc.terms.iter() {
            let slots = &mut self.terms[t as usize].slots;
            if let Ok(at) = slots.binary_search(&slot) {
                slots.remove(at);
            }
        }
        if let Some(list) = self.licences.get_mut(&doc.licence_key) {
            list.retain(|s| *s != slot);
        }
        self.free.push(slot);
    }

    /// The vocabulary words `word` matches, closest first, at most [`MAX_EXPANSION`].
    fn expand(&self, word: &str) -> Vec<(u32, Closeness)> {
        let mut found: HashMap<u32, Closeness> = HashMap::new();
        let consider = |id: u32, found: &mut HashMap<u32, Closeness>| {
            if found.contains_key(&id) {
                return;
            }
            if let Some(c) = Closeness::of(word, &self.terms[id as usize].text) {
                found.insert(id, c);
            }
        };
        if let Some(&id) = self.vocab.get(word) {
            consider(id, &mut found);
        }
        if word.len() >= 3 {
            for (_, &id) in self
                .sorted
                .range::<str, _>((std::ops::Bound::Included(word), std::ops::Bound::Unbounded))
                .take_while(|(t, _)| t.starts_with(word))
                .take(MAX_EXPANSION)
            {
                consider(id, &mut found);
            }
        }
        // Words sharing letter triples with the query word. A word within the edit budget keeps
        // all but four of the query word's padded triples per edit (a swap of neighbours touches
        // four), and a word containing the query word has all of its inner triples.
        if word.len() >= 4 {
            let grams = text::trigrams(word, true);
            let inner = text::trigrams(word, false);
            // The budget of the longest word within reach (two letters longer).
            let budget = text::edit_budget(word.len() + 2);
            let needed_close = grams.len().saturating_sub(4 * budget).max(1);
            let mut shared: HashMap<u32, (usize, usize)> = HashMap::new();
            for g in &grams {
                let is_inner = inner.binary_search(g).is_ok();
                for &id in self.grams.get(g).map(Vec::as_slice).unwrap_or_default() {
                    let tally = shared.entry(id).or_default();
                    tally.0 += 1;
                    tally.1 += usize::from(is_inner);
                }
            }
            for (id, (padded, inside)) in shared {
                if (budget > 0 && padded >= needed_close) || inside == inner.len() {
                    consider(id, &mut found);
                }
            }
        }
        let mut out: Vec<(u32, Closeness)> =
            found.into_iter().filter(|(id, _)| !self.terms[*id as usize].slots.is_empty()).collect();
        out.sort_by(|a, b| b.1.0.total_cmp(&a.1.0).then(a.0.cmp(&b.0)));
        out.truncate(MAX_EXPANSION);
        out
    }

    /// The agencies matching `query` and `filter`, most relevant first, after `after` (the id
    /// that ended the previous page) and at most `limit`.
    ///
    /// Relevance: an agency whose licence number is the query gets [`LICENCE_MATCH`]. Otherwise
    /// each query word scores the closeness of its best match among the agency's words (exact
    /// 1, prefix 0.85, one edit 0.8, inside a word 0.7, two edits 0.6); relevance is 0.9 × the
    /// mean over the query words + 0.1 × the share of its shortest name they can cover, so
    /// among equally good matches the name with fewer other words comes first. An agency must match
    /// every word of a one- or two-word query, and all but a third of a longer one (a word a
    /// recruiter added that the registry lacks should not hide the agency), and every word with
    /// a digit in it (`Himal HR 2` is not `Himal HR 1`).
    pub fn search(&self, query: &str, filter: &Filter, after: Option<&str>, limit: usize) -> Vec<Hit> {
        self.ranked(query, filter, true, after, limit)
    }

    /// As [`Index::search`], by names only: a licence number that happens to read like the
    /// query is no match.
    pub fn search_names(&self, query: &str, filter: &Filter, limit: usize) -> Vec<Hit> {
        self.ranked(query, filter, false, None, limit)
    }

    fn ranked(&self, query: &str, filter: &Filter, by_licence: bool, after: Option<&str>, limit: usize) -> Vec<Hit> {
        let Matches { mut candidates, matched_terms } = self.matches(query, by_licence);
        if let Some(id) = after {
            // An agency that no longer matches ranks below every match: the list has ended.
            let key = match self.slot_of.get(id) {
                Some(&slot) => (candidates.iter().find(|c| c.slot == slot).map_or(0.0, |c| c.relevance), slot),
                None => (0.0, u32::MAX),
            };
            candidates.retain(|c| ranked(key, (c.relevance, c.slot)) == Ordering::Less);
        }
        // The best first, a growing window at a time, checking the filters (which read each
        // agency's record) only as far as the page needs: a common word can match a good part
        // of the registry, but only the page is sorted and only its agencies are read whole.
        let order = |a: &Scored, b: &Scored| ranked((a.relevance, a.slot), (b.relevance, b.slot));
        let mut page = Vec::with_capacity(limit);
        let mut rest = candidates.as_mut_slice();
        let mut window = limit.max(16);
        while page.len() < limit && !rest.is_empty() {
            let take = window.min(rest.len());
            if take < rest.len() {
                rest.select_nth_unstable_by(take, order);
            }
            let (head, tail) = rest.split_at_mut(take);
            head.sort_unstable_by(order);
            for c in head.iter() {
                if page.len() == limit {
                    break;
                }
                if let Some(doc) = self.docs[c.slot as usize].as_ref().filter(|d| d.admits(filter)) {
                    page.push(self.hit(doc, c, &matched_terms));
                }
            }
            rest = tail;
            window *= 4;
        }
        page
    }

    /// The hit for a candidate, with the exact share of its best-covered name.
    fn hit(&self, doc: &Doc, c: &Scored, matched_terms: &[bool]) -> Hit {
        let coverage = doc
            .names
            .iter()
            .map(|name| {
                let covered = name.iter().filter(|w| matched_terms.get(**w as usize).copied().unwrap_or(false)).count();
                covered as f32 / name.len().max(1) as f32
            })
            .fold(0.0, f32::max);
        let closeness = if c.relevance == LICENCE_MATCH { 0.0 } else { c.closeness };
        Hit {
            id: doc.id.clone(),
            relevance: c.relevance,
            closeness,
            coverage: if closeness == 0.0 { 0.0 } else { coverage },
        }
    }

    /// Every agency matching, unordered.
    /// Every agency matching, unordered, with what it matched.
    fn matches(&self, query: &str, licences: bool) -> Matches {
        let mut words = text::words(query);
        words.truncate(MAX_QUERY_WORDS);
        let mut candidates = Vec::new();
        let mut by_licence: Vec<u32> = Vec::new();
        if licences {
            let licence = crate::domain::agency::licence_key(query);
            by_licence = self.licences.get(licence.as_str()).cloned().unwrap_or_default();
            by_licence.sort_unstable();
        }
        for &slot in &by_licence {
            candidates.push(Scored { slot, relevance: LICENCE_MATCH, closeness: 0.0 });
        }
        // Every vocabulary word some query word matched, for coverage.
        let mut matched_terms = vec![false; self.terms.len()];
        if words.is_empty() {
            return Matches { candidates, matched_terms };
        }
        let k = words.len();
        let needed = if k <= 2 { k } else { k - k / 3 };
        TALLIES.with_borrow_mut(|tallies| {
            tallies.fit(self.docs.len());
            self.score(&words, needed, &by_licence, tallies, &mut candidates, &mut matched_terms);
        });
        Matches { candidates, matched_terms }
    }

    /// Tallies the query's words over the agencies they match, and turns those matching enough
    /// into candidates. Leaves the tallies zeroed, as it found them.
    fn score(
        &self,
        words: &[String],
        needed: usize,
        by_licence: &[u32],
        tallies: &mut Tallies,
        candidates: &mut Vec<Scored>,
        matched_terms: &mut [bool],
    ) {
        let k = words.len();
        let Tallies { score, matched } = tallies;
        let mut touched: Vec<u32> = Vec::new();
        // A number in a name tells branches and successors apart: it must match.
        let mut must: u8 = 0;
        for (i, word) in words.iter().enumerate() {
            let bit = 1u8 << i;
            if word.bytes().any(|b| b.is_ascii_digit()) {
                must |= bit;
            }
            let expansion = self.expand(word);
            for (term, _) in &expansion {
                matched_terms[*term as usize] = true;
            }
            // Closest first, so an agency's first match for this word is its best.
            for (term, closeness) in expansion {
                for &slot in &self.terms[term as usize].slots {
                    let s = slot as usize;
                    if matched[s] & bit != 0 {
                        continue;
                    }
                    if matched[s] == 0 {
                        touched.push(slot);
                    }
                    matched[s] |= bit;
                    score[s] += closeness.0;
                }
            }
        }
        for slot in touched {
            let s = slot as usize;
            let (hits, all, sum) = (matched[s].count_ones(), matched[s], score[s]);
            (matched[s], score[s]) = (0, 0.0);
            if (hits as usize) < needed || all & must != must || by_licence.binary_search(&slot).is_ok() {
                continue;
            }
            // Ranked on what the tallies hold, without reading the agency's record: the share
            // of its shortest name the query's words can cover stands for the share they do
            // (the same when each word matches one word of that name).
            let coverage = (hits as f32 / f32::from(self.shortest[s].max(1))).min(1.0);
            let closeness = sum / k as f32;
            candidates.push(Scored { slot, relevance: 0.9 * closeness + 0.1 * coverage, closeness });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, name: &str, licence: &str) -> Entry {
        Entry {
            id: id.into(),
            names: vec![name.into()],
            licence_key: crate::domain::agency::licence_key(licence),
            licence_country: "NP".into(),
            origins: vec!["NP".into()],
            destinations: vec!["QA".into()],
            sectors: vec![Sector::Construction],
            status: CertificationStatus::Certified,
            grade: Some(Grade::A),
        }
    }

    fn registry() -> Index {
        let mut index = Index::default();
        index.upsert(entry("a1", "Himalayan Overseas Manpower Pvt. Ltd.", "DoFE-1234/2075"));
        index.upsert(entry("a2", "Himalayan Tours Ltd", "DoFE-2222/2079"));
        index.upsert(entry("a3", "Everest Overseas Recruitment", "DoFE-3333/2080"));
        index.upsert(Entry {
            origins: vec!["BD".into()],
            licence_country: "BD".into(),
            ..entry("a4", "Al Noor Manpower W.L.L.", "RL-77")
        });
        index
    }

    fn ids(hits: &[Hit]) -> Vec<&str> {
        hits.iter().map(|h| h.id.as_str()).collect()
    }

    fn find(index: &Index, q: &str) -> Vec<Hit> {
        index.search(q, &Filter::default(), None, 10)
    }

    #[test]
    fn misspellings_word_order_and_legal_forms_do_not_hide_an_agency() {
        let index = registry();
        assert!(ids(&find(&index, "himalyan")).contains(&"a1"));
        for q in [
            "himalyn overseas",
            "overseas himalayan",
            "Himalayan Overseas Manpower",
            "himalayan oversaes pvt ltd",
            "HIMALAYAN-OVERSEAS",
        ] {
            assert_eq!(find(&index, q).first().map(|h| h.id.as_str()), Some("a1"), "{q}");
        }
        assert_eq!(ids(&find(&index, "alnoor")), ["a4"]);
        assert_eq!(ids(&find(&index, "al-noor wll")), ["a4"]);
        assert!(find(&index, "kathmandu").is_empty());
    }

    #[test]
    fn the_licence_number_comes_first_then_name_similarity() {
        let index = registry();
        let hits = find(&index, "himalayan");
        assert_eq!(ids(&hits), ["a2", "a1"], "both exact; the name with fewer other words first");
        let hits = find(&index, "dofe-3333 / 2080");
        assert_eq!(hits[0], Hit { id: "a3".into(), relevance: LICENCE_MATCH, closeness: 0.0, coverage: 0.0 });
        assert!(index.search_names("dofe-3333 / 2080", &Filter::default(), 10).is_empty());
        let hits = find(&index, "himalayan overseas");
        assert_eq!(ids(&hits), ["a1"], "both words of a two-word query must match");
        let hits = find(&index, "himalayan overseas manpower nepal");
        assert_eq!(ids(&hits), ["a1"], "a word the registry lacks does not hide the agency");
        assert!(find(&index, "himalayan overseas manpower 2").is_empty(), "numbers must match");
    }

    #[test]
    fn filters_apply_and_updates_replace_what_was_known() {
        let mut index = registry();
        let origin_bd = Filter { origin: Some("BD".into()), ..Filter::default() };
        assert_eq!(ids(&index.search("manpower", &origin_bd, None, 10)), ["a4"]);
        let country_np = Filter { country: Some("NP".into()), ..Filter::default() };
        assert_eq!(ids(&index.search("manpower", &country_np, None, 10)), ["a1"]);
        let suspended = Filter { status: Some(CertificationStatus::Suspended), ..Filter::default() };
        assert!(index.search("himalayan", &suspended, None, 10).is_empty());
        index.upsert(Entry {
            status: CertificationStatus::Suspended,
            ..entry("a1", "Renamed Gulf Link", "DoFE-1234/2075")
        });
        assert_eq!(ids(&index.search("gulf link", &suspended, None, 10)), ["a1"]);
        assert_eq!(ids(&find(&index, "himalayan")), ["a2"], "the old name no longer finds it");
        assert_eq!(index.len(), 4);
    }

    #[test]
    fn pages_continue_after_the_last_id_in_ranking_order() {
        let index = registry();
        let all = find(&index, "overseas");
        assert_eq!(all.len(), 2);
        let first = index.search("overseas", &Filter::default(), None, 1);
        let rest = index.search("overseas", &Filter::default(), Some(&first[0].id), 10);
        assert_eq!([first, rest].concat(), all);
        assert!(
            index.search("overseas", &Filter::default(), Some("a4"), 10).is_empty(),
            "a cursor that no longer matches ends the list"
        );
    }
}
