//! The pages' languages: Fluent message files embedded in the binary (`locales/<code>/fairhire.ftl`,
//! nothing is read at run time), and the choice of a language for a request: `?lang=`, then the
//! `lang` cookie, then `Accept-Language` (by quality), then English.
//!
//! A message missing from a translation falls back to English, so a half-translated file still
//! gives whole pages; the unit tests below keep every file complete anyway.

use std::sync::LazyLock;

use actix_web::HttpRequest;
use actix_web::http::header;
use chrono::{Datelike, NaiveDate};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// A language the pages are offered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lang {
    /// The BCP 47 code, as used in `?lang=`, the cookie and `<html lang>`.
    pub code: &'static str,
    /// The language's name in the language itself, for the switcher.
    pub name: &'static str,
    /// Written right to left.
    pub rtl: bool,
    source: &'static str,
}

impl Lang {
    pub fn dir(&self) -> &'static str {
        if self.rtl { "rtl" } else { "ltr" }
    }
}

/// Every language offered, English first (the source and the fallback).
pub const LANGS: [Lang; 7] = [
    Lang { code: "en", name: "English", rtl: false, source: include_str!("../../locales/en/fairhire.ftl") },
    Lang { code: "ne", name: "नेपाली", rtl: false, source: include_str!("../../locales/ne/fairhire.ftl") },
    Lang { code: "bn", name: "বাংলা", rtl: false, source: include_str!("../../locales/bn/fairhire.ftl") },
    Lang { code: "hi", name: "हिन्दी", rtl: false, source: include_str!("../../locales/hi/fairhire.ftl") },
    Lang { code: "id", name: "Bahasa Indonesia", rtl: false, source: include_str!("../../locales/id/fairhire.ftl") },
    Lang { code: "tl", name: "Tagalog", rtl: false, source: include_str!("../../locales/tl/fairhire.ftl") },
    Lang { code: "ar", name: "العربية", rtl: true, source: include_str!("../../locales/ar/fairhire.ftl") },
];

/// The name of the cookie that keeps a chosen language.
pub const LANG_COOKIE: &str = "lang";

type Bundle = FluentBundle<FluentResource>;

fn bundle_for(lang: &Lang) -> Bundle {
    let id: LanguageIdentifier = lang.code.parse().unwrap_or_default();
    let mut bundle = Bundle::new_concurrent(vec![id]);
    // No invisible isolation marks around values: pages put values that may run in the other
    // direction (names, numbers) in their own elements, and the marks would reach copied text.
    bundle.set_use_isolating(false);
    let resource = FluentResource::try_new(lang.source.to_owned()).unwrap_or_else(|(partial, errors)| {
        tracing::error!(
            lang = lang.code,
            ?errors,
            "a translation file has syntax errors; its readable messages are used"
        );
        partial
    });
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(lang = lang.code, ?errors, "a translation file repeats a message");
    }
    bundle
}

static BUNDLES: LazyLock<Vec<Bundle>> = LazyLock::new(|| LANGS.iter().map(bundle_for).collect());

/// Finds an offered language for a language tag (`ne-NP`, `AR`, `fil`), by its primary subtag.
pub fn find(tag: &str) -> Option<&'static Lang> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    let primary = match primary.as_str() {
        "fil" => "tl",
        "in" => "id",
        other => other,
    };
    LANGS.iter().find(|l| l.code == primary)
}

/// The best offered language of an `Accept-Language` value (RFC 9110 §12.5.4): the highest
/// quality wins, the first listed among equals; `q=0` and unknown languages are skipped.
pub fn from_accept_language(value: &str) -> Option<&'static Lang> {
    crate::domain::language::accepted_ranges(value).iter().find_map(|range| find(range))
}

/// How the language of a request was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    /// By `?lang=`: the answer keeps it in the cookie.
    Query,
    Cookie,
    AcceptLanguage,
    Default,
}

/// The language of a request: `?lang=`, then the `lang` cookie, then `Accept-Language`, then
/// English.
pub fn negotiate(req: &HttpRequest) -> (&'static Lang, Chosen) {
    let query = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "lang")
        .and_then(|(_, v)| find(&v));
    if let Some(lang) = query {
        return (lang, Chosen::Query);
    }
    if let Some(lang) = req.cookie(LANG_COOKIE).and_then(|c| find(c.value())) {
        return (lang, Chosen::Cookie);
    }
    let accepted =
        req.headers().get_all(header::ACCEPT_LANGUAGE).filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
    match from_accept_language(&accepted) {
        Some(lang) => (lang, Chosen::AcceptLanguage),
        None => (&LANGS[0], Chosen::Default),
    }
}

/// The messages of one language.
#[derive(Clone, Copy)]
pub struct Tr {
    pub lang: &'static Lang,
    index: usize,
}

impl Tr {
    pub fn new(lang: &'static Lang) -> Tr {
        let index = LANGS.iter().position(|l| l.code == lang.code).unwrap_or(0);
        Tr { lang: &LANGS[index], index }
    }

    /// The message `id`.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with its variables.
    pub fn t_with(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.format(id, Some(&fluent_args))
    }

    /// The message `id` with one text variable.
    pub fn t1(&self, id: &str, name: &str, value: impl Into<String>) -> String {
        self.t_with(id, &[(name, FluentValue::from(value.into()))])
    }

    /// A date in words (`29 November 2026`), as the language writes it.
    pub fn date(&self, date: NaiveDate) -> String {
        let month = self.t(&format!("month-{}", date.month()));
        self.t_with(
            "date",
            &[
                ("day", FluentValue::from(date.day().to_string())),
                ("month", FluentValue::from(month)),
                ("year", FluentValue::from(date.year().to_string())),
            ],
        )
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let bundles = &*BUNDLES;
        for bundle in [&bundles[self.index], &bundles[0]] {
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, args, &mut errors).into_owned();
                if !errors.is_empty() {
                    tracing::warn!(lang = self.lang.code, id, ?errors, "a message did not format cleanly");
                }
                return text;
            }
        }
        tracing::warn!(lang = self.lang.code, id, "no such message");
        id.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use fluent_bundle::FluentResource;
    use fluent_syntax::ast::Entry;

    use super::*;

    fn message_ids(source: &str) -> Vec<String> {
        let resource = FluentResource::try_new(source.to_owned()).map_err(|(_, e)| e).expect("parses");
        resource
            .entries()
            .filter_map(|e| match e {
                Entry::Message(m) => Some(m.id.name.to_owned()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn every_file_parses_and_has_every_english_message_and_no_other() {
        let english = message_ids(LANGS[0].source);
        assert!(english.len() > 50, "the English file holds the messages");
        for lang in &LANGS[1..] {
            let ids = message_ids(lang.source);
            let missing: Vec<_> = english.iter().filter(|id| !ids.contains(id)).collect();
            let extra: Vec<_> = ids.iter().filter(|id| !english.contains(id)).collect();
            assert!(missing.is_empty(), "{} lacks {missing:?}", lang.code);
            assert!(extra.is_empty(), "{} has messages English does not: {extra:?}", lang.code);
        }
    }

    #[test]
    fn every_message_formats_in_every_language_without_errors() {
        let args = [
            ("query", FluentValue::from("x")),
            ("date", FluentValue::from("1 May 2026")),
            ("from", FluentValue::from("1 May 2026")),
            ("until", FluentValue::from("1 May 2027")),
            ("count", FluentValue::from(4)),
            ("minutes", FluentValue::from(2)),
            ("seconds", FluentValue::from(30)),
            ("max", FluentValue::from(10)),
            ("day", FluentValue::from("1")),
            ("month", FluentValue::from("May")),
            ("year", FluentValue::from("2026")),
            ("name", FluentValue::from("Agency")),
            ("reference", FluentValue::from("R-ABCD-EFGH")),
        ];
        let mut fluent_args = FluentArgs::new();
        for (k, v) in &args {
            fluent_args.set(*k, v.clone());
        }
        for (lang, bundle) in LANGS.iter().zip(BUNDLES.iter()) {
            for id in message_ids(lang.source) {
                let pattern = bundle.get_message(&id).and_then(|m| m.value()).expect("has a value");
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
                assert!(errors.is_empty(), "{}: {id}: {errors:?}", lang.code);
                assert!(!text.trim().is_empty(), "{}: {id} is empty", lang.code);
            }
        }
    }

    #[test]
    fn every_translation_is_marked_for_review() {
        for lang in &LANGS[1..] {
            assert!(lang.source.contains("review: needed"), "{} carries the review marker", lang.code);
        }
    }

    #[test]
    fn accept_language_is_read_by_quality() {
        assert_eq!(from_accept_language("fr, ne;q=0.5, ar;q=0.8").map(|l| l.code), Some("ar"));
        assert_eq!(from_accept_language("bn-BD,en;q=0.9").map(|l| l.code), Some("bn"));
        assert_eq!(from_accept_language("fil-PH").map(|l| l.code), Some("tl"));
        assert_eq!(from_accept_language("hi;q=0, de").map(|l| l.code), None);
        assert_eq!(from_accept_language("en;q=0.2, id;q=0.2").map(|l| l.code), Some("en"));
        assert_eq!(from_accept_language("").map(|l| l.code), None);
        assert_eq!(from_accept_language("*;q=0.5, ne;q=abc").map(|l| l.code), None);
    }

    #[test]
    fn dates_are_written_in_words() {
        let date = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap_or_default();
        assert_eq!(Tr::new(&LANGS[0]).date(date), "29 November 2026");
    }
}
