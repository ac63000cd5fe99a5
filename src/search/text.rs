//! How names and queries become search words, and how close two words are.
//!
//! Both sides go through [`words`], so what is ignored in a name (case, accents, punctuation,
//! legal forms such as `Pvt. Ltd.`, `PT`, `W.L.L.`) is ignored in a query too.

use std::collections::HashSet;

/// Words that say what kind of company an agency is, not which one: ignored on both sides, so
/// "Himalayan Overseas Pvt Ltd" and "himalayan overseas" are the same search. A few linking
/// words are dropped for the same reason.
const NOISE: &[&str] = &[
    // legal forms, as registries across the corridors write them
    "pvt",
    "private",
    "ltd",
    "limited",
    "llc",
    "wll",
    "pt",
    "cv",
    "tbk",
    "plc",
    "inc",
    "incorporated",
    "co",
    "company",
    "corp",
    "corporation",
    "sdn",
    "bhd",
    "gmbh",
    "sa",
    "srl",
    "fze",
    "fzco",
    "fzc",
    "fzllc",
    "llp",
    "jsc",
    "opc",
    "spc",
    "est",
    "establishment",
    "intl",
    // linking words
    "the",
    "and",
    "of",
    "for",
];

/// The folded words of `text`: accents and case dropped, split at anything that is not a letter
/// or digit, single letters written with points joined (`P.T.` is `pt`, `P.V.T. L.T.D.` is
/// `pvt ltd`), and the words in [`NOISE`] left out unless nothing else is left.
pub fn words(text: &str) -> Vec<String> {
    let folded = deunicode::deunicode(text).to_ascii_lowercase();
    let mut out: Vec<String> = Vec::new();
    for chunk in folded.split_whitespace() {
        let mut letters = String::new();
        for part in chunk.split(|c: char| !c.is_ascii_alphanumeric()).filter(|p| !p.is_empty()) {
            if part.len() == 1 {
                letters.push_str(part);
                continue;
            }
            if !letters.is_empty() {
                out.push(std::mem::take(&mut letters));
            }
            out.push(part.to_owned());
        }
        if !letters.is_empty() {
            out.push(letters);
        }
    }
    let kept: Vec<String> = out.iter().filter(|w| !NOISE.contains(&w.as_str())).cloned().collect();
    let mut words = if kept.is_empty() { out } else { kept };
    let mut seen = HashSet::new();
    words.retain(|w| seen.insert(w.clone()));
    words
}

/// Extra terms a name is also found by: a short word written together with its neighbour
/// (`Al Noor` is also `alnoor`, `Abu Dhabi` also `abudhabi`), as people type such names either
/// way. Only pairs with a word of at most three letters, so the vocabulary stays small.
pub fn joined(words: &[String]) -> Vec<String> {
    words
        .windows(2)
        .filter(|pair| pair[0].len() <= 3 || pair[1].len() <= 3)
        .map(|pair| format!("{}{}", pair[0], pair[1]))
        .collect()
}

/// How many edits (insertions, deletions, substitutions, swaps of neighbours) may separate two
/// words the longer of which has `len` letters: none up to three letters (too many words are that
/// close), one up to seven, two from eight.
pub fn edit_budget(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// How well a query word matches a name word, from 0 (not at all) to 1 (the same word).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Closeness(pub f32);

impl Closeness {
    pub const EXACT: Closeness = Closeness(1.0);
    /// The query word starts the name word (someone still typing, or an abbreviation).
    pub const PREFIX: Closeness = Closeness(0.85);
    /// One edit away.
    pub const ONE_EDIT: Closeness = Closeness(0.8);
    /// The query word is inside the name word (`layan` in `himalayan`).
    pub const INSIDE: Closeness = Closeness(0.7);
    /// Two edits away.
    pub const TWO_EDITS: Closeness = Closeness(0.6);

    /// How close `query` is to `term`, or `None` when they do not match at all.
    pub fn of(query: &str, term: &str) -> Option<Closeness> {
        if query == term {
            return Some(Self::EXACT);
        }
        if query.len() >= 3 && term.starts_with(query) {
            return Some(Self::PREFIX);
        }
        let budget = if query.len() >= 4 { edit_budget(query.len().max(term.len())) } else { 0 };
        if budget > 0 && query.len().abs_diff(term.len()) <= budget {
            match strsim::osa_distance(query, term) {
                1 => return Some(Self::ONE_EDIT),
                2 if budget >= 2 => return Some(Self::TWO_EDITS),
                _ => {}
            }
        }
        if query.len() >= 4 && term.contains(query) {
            return Some(Self::INSIDE);
        }
        None
    }
}

/// Letter triples of a word, with `^` and `$` marking its ends when `padded`: the key the
/// vocabulary is looked up by. Words are ASCII by then (see [`words`]).
pub fn trigrams(word: &str, padded: bool) -> Vec<u32> {
    let bytes: Vec<u8> = if padded {
        std::iter::once(b'^').chain(word.bytes()).chain(std::iter::once(b'$')).collect()
    } else {
        word.into()
    };
    let mut grams: Vec<u32> =
        bytes.windows(3).map(|w| u32::from(w[0]) << 16 | u32::from(w[1]) << 8 | u32::from(w[2])).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_forms_punctuation_case_and_accents_are_ignored() {
        assert_eq!(words("Himalayan Overseas Manpower Pvt. Ltd."), ["himalayan", "overseas", "manpower"]);
        assert_eq!(words("PT. Sinar Jaya Abadi"), ["sinar", "jaya", "abadi"]);
        assert_eq!(words("P.T. Sinar Jaya"), ["sinar", "jaya"]);
        assert_eq!(words("Gulf Link P.V.T. L.T.D."), ["gulf", "link"]);
        assert_eq!(words("Al-Khaleej Manpower W.L.L."), ["al", "khaleej", "manpower"]);
        assert_eq!(words("SÃO JOSÉ Agência, LLC"), ["sao", "jose", "agencia"]);
        assert_eq!(words("Nepal & Gulf and Nepal"), ["nepal", "gulf"]);
    }

    #[test]
    fn a_name_of_legal_forms_only_keeps_them() {
        assert_eq!(words("PT LLC"), ["pt", "llc"]);
        assert!(words("  ,.; ").is_empty());
    }

    #[test]
    fn short_words_are_also_found_written_together() {
        let w = words("Al Noor Abu Dhabi Recruitment");
        assert_eq!(joined(&w), ["alnoor", "noorabu", "abudhabi"]);
    }

    #[test]
    fn closeness_forgives_one_or_two_edits_by_length() {
        assert_eq!(Closeness::of("himalayan", "himalayan"), Some(Closeness::EXACT));
        assert_eq!(Closeness::of("himalyan", "himalayan"), Some(Closeness::ONE_EDIT));
        assert_eq!(Closeness::of("himlyan", "himalayan"), Some(Closeness::TWO_EDITS));
        assert_eq!(Closeness::of("oversaes", "overseas"), Some(Closeness::ONE_EDIT), "a swap is one edit");
        assert_eq!(Closeness::of("hima", "himalayan"), Some(Closeness::PREFIX));
        assert_eq!(Closeness::of("layan", "himalayan"), Some(Closeness::INSIDE));
        assert_eq!(Closeness::of("dhka", "dhaka"), Some(Closeness::ONE_EDIT));
        // Short words must be exact, and five to seven letters allow one edit only.
        assert_eq!(Closeness::of("gf", "gulf"), None);
        assert_eq!(Closeness::of("ali", "al"), None);
        assert_eq!(Closeness::of("dohx", "doha"), Some(Closeness::ONE_EDIT));
        assert_eq!(Closeness::of("dxhx", "doha"), None);
        assert_eq!(Closeness::of("mnapowr", "manpower"), Some(Closeness::TWO_EDITS), "the registry's word is long");
        assert_eq!(Closeness::of("mnapwr", "manpower"), None, "three edits");
        assert_eq!(Closeness::of("abd", "abcd"), None, "a three-letter query must be exact or a prefix");
    }

    #[test]
    fn trigrams_mark_word_ends_when_padded() {
        assert_eq!(trigrams("abc", false).len(), 1);
        assert_eq!(trigrams("abc", true).len(), 3);
        assert!(trigrams("ab", false).is_empty());
    }
}
