//! Language tags and the choice of a language for an answer: the one reading of
//! `Accept-Language` the pages and the API share, and the lookup that picks one of the languages
//! a resource is available in (RFC 4647 §3.4, with a plain-language range also matching its
//! regional forms).

use unic_langid::LanguageIdentifier;

/// The longest language tag accepted (RFC 5646 §4.4.1 asks for at least 35 characters).
pub const MAX_TAG_CHARS: usize = 35;

/// The canonical form of a BCP 47 language tag (`fr-ca` → `fr-CA`, `zh-hant-tw` → `zh-Hant-TW`),
/// or why it is not one. Language, script, region and variants only: no extensions, no private
/// use, not `und`, and subtags separated by `-`.
pub fn canonical_tag(tag: &str) -> Result<String, String> {
    let refusal = || format!("must be a BCP 47 language tag such as fr or fr-CA (at most {MAX_TAG_CHARS} characters)");
    if tag.is_empty() || tag.len() > MAX_TAG_CHARS || !tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(refusal());
    }
    let id: LanguageIdentifier = tag.parse().map_err(|_| refusal())?;
    if id.language.is_empty() {
        return Err(refusal());
    }
    Ok(id.to_string())
}

/// The language ranges of an `Accept-Language` value (RFC 9110 §12.5.4), best first: by
/// quality, the first listed among equals. Ranges with `q=0`, or a quality that cannot be read,
/// are left out: the client does not want them.
pub fn accepted_ranges(value: &str) -> Vec<String> {
    let mut ranges: Vec<(String, f32)> = Vec::new();
    for element in value.split(',') {
        let mut parts = element.split(';');
        let range = parts.next().unwrap_or("").trim();
        if range.is_empty() {
            continue;
        }
        let mut quality = 1.0_f32;
        for parameter in parts {
            if let Some((name, q)) = parameter.split_once('=')
                && name.trim().eq_ignore_ascii_case("q")
            {
                quality = q.trim().parse::<f32>().ok().filter(|q| (0.0..=1.0).contains(q)).unwrap_or(0.0);
            }
        }
        if quality > 0.0 {
            ranges.push((range.to_owned(), quality));
        }
    }
    // A stable sort keeps the order of the header among equal qualities.
    ranges.sort_by(|a, b| b.1.total_cmp(&a.1));
    ranges.into_iter().map(|(range, _)| range).collect()
}

/// The language to answer in, of `available` (which holds `base`), for the ranges of
/// [`accepted_ranges`]: the first range that matches anything decides. A range matches a tag
/// equal to it (ignoring case), else the tag it shortens to (`fr-CA` → `fr`), else a regional
/// form of it (`fr` → `fr-CA`). `*` stands for the base language; no match at all gives the
/// base language too, never a refusal.
pub fn choose<'a>(ranges: &[String], available: &[&'a str], base: &'a str) -> &'a str {
    let find = |tag: &str| available.iter().copied().find(|a| a.eq_ignore_ascii_case(tag));
    for range in ranges {
        if range == "*" {
            return base;
        }
        let mut candidate = range.as_str();
        loop {
            if let Some(found) = find(candidate) {
                return found;
            }
            match candidate.rfind('-') {
                Some(cut) => candidate = &candidate[..cut],
                None => break,
            }
        }
        let prefix = format!("{}-", range.to_ascii_lowercase());
        let mut regional: Vec<&'a str> =
            available.iter().copied().filter(|a| a.to_ascii_lowercase().starts_with(&prefix)).collect();
        regional.sort_unstable();
        if let Some(first) = regional.first() {
            return first;
        }
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_checked_and_written_canonically() {
        assert_eq!(canonical_tag("fr").as_deref(), Ok("fr"));
        assert_eq!(canonical_tag("fr-ca").as_deref(), Ok("fr-CA"));
        assert_eq!(canonical_tag("ZH-hant-tw").as_deref(), Ok("zh-Hant-TW"));
        assert_eq!(canonical_tag("es-419").as_deref(), Ok("es-419"));
        for bad in ["", "f", "fr_CA", "und", "fr-", "*", "en-u-ca-gregory", "x-private", "français", "abcdefghi"] {
            assert!(canonical_tag(bad).is_err(), "{bad} is refused");
        }
        assert!(canonical_tag(&"a".repeat(36)).is_err());
    }

    #[test]
    fn ranges_come_best_first_without_the_unwanted() {
        assert_eq!(accepted_ranges("fr;q=0.5, de, ne;q=0.8"), ["de", "ne", "fr"]);
        assert_eq!(accepted_ranges("en;q=0.2, id;q=0.2"), ["en", "id"]);
        assert_eq!(accepted_ranges("hi;q=0, ar;q=abc, ,bn"), ["bn"]);
        assert!(accepted_ranges("").is_empty());
    }

    #[test]
    fn the_first_range_that_matches_decides() {
        let available = ["en", "fr", "pt-BR"];
        let pick = |header: &str| choose(&accepted_ranges(header), &available, "en");
        assert_eq!(pick("fr"), "fr");
        assert_eq!(pick("FR"), "fr");
        assert_eq!(pick("fr-CA"), "fr", "a region shortens to its language");
        assert_eq!(pick("pt"), "pt-BR", "a language reaches its regional form");
        assert_eq!(pick("de, fr;q=0.3"), "fr");
        assert_eq!(pick("en;q=0.9, fr"), "fr");
        assert_eq!(pick("fr;q=0, de"), "en", "q=0 refuses, unknown falls back to the base");
        assert_eq!(pick("*, fr;q=0.5"), "en");
        assert_eq!(pick(""), "en");
    }
}
