//! The worker pages (`src/web/`): server-rendered HTML over real HTTP, in every language, within
//! the page budget, with their errors as HTML pages.

use reqwest::header::{self, HeaderMap};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

/// The page budget: a page and its stylesheet, as sent.
const BUDGET_BYTES: usize = 30 * 1024;
const LANGS: [&str; 7] = ["en", "ne", "bn", "hi", "id", "tl", "ar"];

/// A page as it came: status, headers, body.
struct Page {
    status: StatusCode,
    headers: HeaderMap,
    body: String,
}

impl Page {
    fn header(&self, name: &str) -> &str {
        self.headers.get(name).map_or("", |v| v.to_str().unwrap())
    }

    fn is_html(&self) -> bool {
        self.header("content-type") == "text/html; charset=utf-8"
    }

    /// The `<html>` element's `lang` and `dir`.
    fn lang_dir(&self) -> (String, String) {
        let start = self.body.find("<html ").expect("an html element");
        let tag = &self.body[start..start + self.body[start..].find('>').unwrap()];
        (attribute(tag, "lang").unwrap_or_default(), attribute(tag, "dir").unwrap_or_default())
    }

    /// The `Set-Cookie` value for `name`, if set.
    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .find(|c| c.starts_with(&format!("{name}=")))
    }

    /// The element with `id` (its start tag and what follows it up to its end tag's start).
    fn element(&self, id: &str) -> Option<&str> {
        let at = self.body.find(&format!("id=\"{id}\""))?;
        let start = self.body[..at].rfind('<')?;
        let name_end = self.body[start + 1..].find([' ', '>']).map(|n| start + 1 + n)?;
        let name = &self.body[start + 1..name_end];
        let end = self.body[at..].find(&format!("</{name}>")).map_or(self.body.len(), |n| at + n);
        Some(&self.body[start..end])
    }
}

/// The value of `name="..."` in a start tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    Some(tag[start..start + tag[start..].find('"')?].to_owned())
}

async fn page(app: &TestApp, method: Method, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut req = app.http.request(method, app.url(path));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = req.send().await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    Page { status, headers, body: res.text().await.unwrap() }
}

async fn get(app: &TestApp, path: &str) -> Page {
    page(app, Method::GET, path, &[]).await
}

/// The hashed stylesheet path a page links.
fn stylesheet(page: &Page) -> String {
    let at = page.body.find("rel=\"stylesheet\"").expect("a stylesheet link");
    let tag_start = page.body[..at].rfind('<').unwrap();
    let tag = &page.body[tag_start..tag_start + page.body[tag_start..].find('>').unwrap()];
    attribute(tag, "href").unwrap()
}

/// Checks what every page must be: HTML, the language and direction asked for, the language
/// switcher, one `h1`, landmarks, the stylesheet, nothing fetched from elsewhere, no script.
fn assert_is_page(page: &Page, lang: &str) {
    assert!(page.is_html(), "{} {}", page.status, page.header("content-type"));
    let dir = if lang == "ar" { "rtl" } else { "ltr" };
    assert_eq!(page.lang_dir(), (lang.to_owned(), dir.to_owned()));
    let switcher = page.element("languages").expect("a language switcher");
    for code in LANGS {
        assert!(
            switcher.contains(&format!("href=\"?lang={code}")) && switcher.contains(&format!("hreflang=\"{code}\"")),
            "{code} in {switcher}"
        );
        assert!(switcher.contains(&format!(" lang=\"{code}\"")), "{code} link has its lang");
    }
    assert_eq!(page.body.matches("<h1").count(), 1, "one h1");
    for landmark in ["<header>", "<main ", "<footer>"] {
        assert!(page.body.contains(landmark), "{landmark}");
    }
    assert!(!page.body.contains("<script"), "no script");
    assert!(stylesheet(page).starts_with("/assets/site."));
    assert!(page.header("content-security-policy").contains("default-src 'none'"));
}

/// Every `http://` or `https://` in `body`.
fn absolute_urls(body: &str) -> Vec<String> {
    let mut found = Vec::new();
    for scheme in ["http://", "https://"] {
        for (at, _) in body.match_indices(scheme) {
            let end = body[at..].find(['"', '<', ' ', '\'']).map_or(body.len(), |n| at + n);
            found.push(body[at..end].to_owned());
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------
// The search page

#[tokio::test]
async fn the_start_page_finds_agencies_by_name_or_licence_number() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let first = app.create_agency(&admin, &agency_body(1)).await;
    let second = app.create_agency(&admin, &agency_body(2)).await;

    let home = get(&app, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_is_page(&home, "en");
    assert_eq!(home.header("cache-control"), "no-cache");
    assert!(home.body.contains("<form class=\"search\" role=\"search\" method=\"get\" action=\"/\">"));
    assert!(home.body.contains("<label for=\"q\">") && home.body.contains("id=\"q\" type=\"search\" name=\"q\""));
    assert!(home.body.contains("What does “certified” mean for me?"));
    assert!(home.element("results").is_none() && home.element("no-results").is_none());

    // By name: both, each linked to its card with its status in words.
    let found = get(&app, "/?q=himalayan+overseas").await;
    assert_is_page(&found, "en");
    let results = found.element("results").expect("a result list");
    for agency in [&first, &second] {
        assert!(results.contains(&format!(
            "<a href=\"/agencies/{}\">{}</a>",
            id(agency),
            agency["legal_name"].as_str().unwrap()
        )));
    }
    assert_eq!(results.matches("Not certified").count(), 2);
    // The query is kept in the box, escaped.
    assert!(found.body.contains("value=\"himalayan overseas\""));

    // By licence number, ignoring case and spaces; and by a trading name.
    for q in ["dofe-2%2F2075", "DoFE+-2/2075", "himal+hr+2"] {
        let results = get(&app, &format!("/?q={q}")).await;
        let list = results.element("results").unwrap_or_else(|| panic!("{q}: {}", results.body));
        assert!(list.contains(id(&second)) && !list.contains(id(&first)), "{q}");
    }

    let none = get(&app, "/?q=%3Cscript%3Enobody").await;
    let text = none.element("no-results").expect("says nothing was found");
    assert!(text.contains("&lt;script&gt;nobody"), "the query is escaped: {text}");
    assert!(!none.body.contains("<script>"));
    assert!(get(&app, "/?q=x").await.element("too-short").is_some());
}

// ---------------------------------------------------------------------------------------------
// Languages

#[tokio::test]
async fn every_language_has_its_page_and_arabic_is_written_right_to_left() {
    let app = TestApp::spawn().await;
    let english = get(&app, "/").await;
    for lang in LANGS {
        let home = get(&app, &format!("/?lang={lang}")).await;
        assert_eq!(home.status, StatusCode::OK);
        assert_is_page(&home, lang);
        let switcher = home.element("languages").unwrap();
        assert!(switcher.contains(&format!("hreflang=\"{lang}\" dir=")), "{switcher}");
        assert!(switcher.contains("aria-current=\"true\""));
        if lang != "en" {
            assert_ne!(home.element("main"), english.element("main"), "{lang} is translated");
        }
        // `?lang=` is kept for the next pages.
        let cookie = home.cookie("lang").expect("the choice is kept");
        assert!(cookie.starts_with(&format!("lang={lang};")), "{cookie}");
        assert!(cookie.contains("SameSite=Lax") && cookie.contains("Path=/"), "{cookie}");
    }
    let arabic = get(&app, "/?lang=ar").await;
    assert!(arabic.body.contains("افحص وكالة توظيف"));
    // Pages vary by language, so shared caches must not mix them.
    assert!(arabic.header("vary").contains("Accept-Language") && arabic.header("vary").contains("Cookie"));
}

#[tokio::test]
async fn the_language_is_chosen_by_query_then_cookie_then_accept_language_then_english() {
    let app = TestApp::spawn().await;
    let lang_of = |page: Page| page.lang_dir().0;
    let with = |headers: &'static [(&'static str, &'static str)], path: &'static str| {
        let app = &app;
        async move { page(app, Method::GET, path, headers).await }
    };
    assert_eq!(lang_of(with(&[], "/").await), "en");
    assert_eq!(lang_of(with(&[("accept-language", "fr;q=1, bn-BD;q=0.9, hi;q=0.8")], "/").await), "bn");
    assert_eq!(lang_of(with(&[("accept-language", "fil-PH")], "/").await), "tl");
    assert_eq!(lang_of(with(&[("accept-language", "de, fr")], "/").await), "en");
    assert_eq!(lang_of(with(&[("accept-language", "hi"), ("cookie", "lang=ar")], "/").await), "ar");
    let chosen = with(&[("accept-language", "hi"), ("cookie", "lang=ar")], "/?lang=id").await;
    assert_eq!(chosen.lang_dir().0, "id");
    assert!(chosen.cookie("lang").unwrap().starts_with("lang=id;"));
    // A language that is not offered is ignored at each step.
    assert_eq!(lang_of(with(&[("accept-language", "ne"), ("cookie", "lang=xx")], "/?lang=zz").await), "ne");
    // Without `?lang=`, no cookie is set.
    assert!(with(&[("accept-language", "ne")], "/").await.cookie("lang").is_none());
    // The language links keep the page's query.
    let search = with(&[], "/?q=abc&lang=hi").await;
    assert!(search.element("languages").unwrap().contains("href=\"?lang=ne&amp;q=abc\""));
}

// ---------------------------------------------------------------------------------------------
// The status card

/// The card's `data-status`.
fn card_status(page: &Page) -> String {
    let card = page.element("status-card").expect("a status card");
    attribute(&card[..card.find('>').unwrap()], "data-status").unwrap()
}

#[tokio::test]
async fn the_status_card_says_where_the_agency_stands_in_plain_words() {
    let w = World::at_start().await;
    let path = format!("/agencies/{}", w.agency.id);

    let never = get(&w.app, &path).await;
    assert_eq!(never.status, StatusCode::OK);
    assert_is_page(&never, "en");
    assert_eq!(card_status(&never), "never_certified");
    assert!(never.element("status-word").unwrap().contains("Not certified"));
    assert!(never.element("status-meaning").unwrap().contains("never checked"));
    assert!(never.element("certificate").unwrap().contains("no certificate"));
    assert!(never.body.contains("<h1 id=\"agency-name\">Himalayan Overseas Manpower 1</h1>"));
    assert!(never.element("licence").unwrap().contains("DoFE-1/2075"));
    assert!(never.element("report-link").unwrap().contains(&format!("href=\"/report?agency={}\"", w.agency.id)));
    assert!(never.element("confirmed-reports").is_none());
    assert_eq!(never.element("checked-on").unwrap(), "<p id=\"checked-on\">Checked on 5 January 2026");

    let certification = w.certified().await;
    let certified = get(&w.app, &path).await;
    assert_eq!(card_status(&certified), "certified");
    assert!(certified.element("status-word").unwrap().contains(">Certified<"));
    assert!(certified.element("status-meaning").unwrap().contains("independent audit"));
    let number = certification["certificate"]["number"].as_str().unwrap();
    let certificate = certified.element("certificate").unwrap();
    assert!(certificate.contains(number), "{certificate}");
    assert!(certificate.contains("from 5 January 2026 to"), "{certificate}");
    assert!(certified.body.contains("never pay a fee"));
    assert!(certified.element("licence-expired").is_none());

    // The QR code holds the page's own address, which is also written out.
    let address = w.app.url(&path);
    assert_eq!(certified.element("page-address").unwrap(), format!("<bdi id=\"page-address\">{address}"));
    assert!(certified.body.contains("<svg viewBox=") && certified.body.contains("role=\"img\" aria-label=\"QR code"));

    let res = w.decide(&w.body.certifier, json!({"action": "suspend", "reason": "fees charged to workers"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let suspended = get(&w.app, &format!("{path}?lang=ne")).await;
    assert_is_page(&suspended, "ne");
    assert_eq!(card_status(&suspended), "suspended");
    assert!(suspended.element("status-word").unwrap().contains("निलम्बित"));
    assert!(suspended.body.contains("2026 जनवरी 5 देखि निलम्बित"), "the day it was suspended");

    let res = w.decide(&w.admin, json!({"action": "withdraw", "reason": "passports kept"})).await;
    assert_eq!(res.status(), StatusCode::OK);
    let withdrawn = get(&w.app, &path).await;
    assert_eq!(card_status(&withdrawn), "withdrawn");
    assert!(withdrawn.element("status-meaning").unwrap().contains("lost its certificate"));
    assert!(withdrawn.body.contains("This certificate is no longer valid."));
}

#[tokio::test]
async fn an_expired_licence_is_shown_loudly() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let mut body = agency_body(1);
    body["licence"]["valid_from"] = json!("2020-01-01");
    body["licence"]["valid_until"] = json!("2021-06-30");
    let agency = app.create_agency(&admin, &body).await;
    let card = get(&app, &format!("/agencies/{}", id(&agency))).await;
    let warning = card.element("licence-expired").expect("a warning");
    assert!(warning.contains("licence ended on 30 June 2021"), "{warning}");
    assert!(card.element("licence").unwrap().contains("from 1 January 2020 to 30 June 2021"));
}

#[tokio::test]
async fn an_unknown_agency_is_an_html_404_page_in_the_reader_s_language() {
    let app = TestApp::spawn().await;
    for path in ["/agencies/0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90", "/agencies/not-an-id", "/agencies/%27%3B--"] {
        let missing = page(&app, Method::GET, path, &[("accept-language", "ar")]).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND, "{path}");
        assert_is_page(&missing, "ar");
        assert!(missing.body.contains("الصفحة غير موجودة"));
        assert!(!missing.header("x-request-id").is_empty(), "still a request of ours");
    }
}

// ---------------------------------------------------------------------------------------------
// Errors, methods, caching, weight

#[tokio::test]
async fn unmatched_paths_and_methods_answer_in_html_to_browsers_and_as_problems_to_the_api() {
    let app = TestApp::spawn().await;
    let browser = [("accept", "text/html,application/xhtml+xml,*/*;q=0.8")];
    let missing = page(&app, Method::GET, "/no-such-page", &browser).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_is_page(&missing, "en");
    // The API keeps its problems, to browsers too.
    let api = page(&app, Method::GET, "/v1/no-such-thing", &browser).await;
    assert_eq!((api.status, api.header("content-type")), (StatusCode::NOT_FOUND, "application/problem+json"));
    let plain = get(&app, "/no-such-page").await;
    assert_eq!(plain.header("content-type"), "application/problem+json");

    for (method, path, allow) in [
        (Method::DELETE, "/", "GET, HEAD"),
        (Method::POST, "/agencies/0193f0a4-7c1e-7d2a-9c35-2b8e4f1a6d90", "GET, HEAD"),
        (Method::PUT, "/assets/site.css", "GET, HEAD"),
    ] {
        let refused = page(&app, method.clone(), path, &[("accept-language", "hi")]).await;
        assert_eq!(refused.status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_eq!(refused.header("allow"), allow);
        assert_is_page(&refused, "hi");
    }

    // HEAD is answered as GET, without a body.
    let head = page(&app, Method::HEAD, "/", &[]).await;
    assert_eq!(head.status, StatusCode::OK);
    assert!(head.body.is_empty() && head.is_html());
}

#[tokio::test]
async fn the_stylesheet_is_kept_for_a_year_under_a_hashed_name() {
    let app = TestApp::spawn().await;
    let home = get(&app, "/").await;
    let path = stylesheet(&home);
    assert!(path.len() == "/assets/site.0123456789ab.css".len() && path.ends_with(".css"), "{path}");
    let css = get(&app, &path).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("content-type"), "text/css; charset=utf-8");
    assert_eq!(css.header("cache-control"), "public, max-age=31536000, immutable");
    assert!(css.body.contains("font-family:system-ui,sans-serif"));
    assert!(!css.body.contains("@font-face") && !css.body.contains("@import") && !css.body.contains("url("));
    // Another name is a 404, not the stylesheet.
    assert_eq!(get(&app, "/assets/site.000000000000.css").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn each_page_and_its_stylesheet_weigh_at_most_30_kb_and_fetch_nothing_from_elsewhere() {
    let w = World::at_start().await;
    w.certified().await;
    let card_path = format!("/agencies/{}", w.agency.id);
    let css = get(&w.app, &stylesheet(&get(&w.app, "/").await)).await.body.len();
    for lang in LANGS {
        for path in ["/", "/?q=himalayan", "/?q=nothing-like-it", card_path.as_str(), "/agencies/unknown"] {
            let sep = if path.contains('?') { '&' } else { '?' };
            let shown = get(&w.app, &format!("{path}{sep}lang={lang}")).await;
            let weight = shown.body.len() + css;
            assert!(weight <= BUDGET_BYTES, "{lang} {path}: {weight} bytes");
            let own = w.app.url(&card_path);
            let elsewhere: Vec<_> = absolute_urls(&shown.body).into_iter().filter(|u| *u != own).collect();
            assert!(elsewhere.is_empty(), "{lang} {path}: {elsewhere:?}");
        }
    }
}
