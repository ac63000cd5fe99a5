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
    read_page(req.send().await.unwrap()).await
}

async fn read_page(res: reqwest::Response) -> Page {
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
            "<a href=\"/agencies/{}\"><bdi>{}</bdi></a>",
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
    assert!(never.body.contains("<h1 id=\"agency-name\"><bdi>Himalayan Overseas Manpower 1</bdi></h1>"));
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

    w.agree_certificate("withdraw").await;
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

// ---------------------------------------------------------------------------------------------
// Reports

/// A form as a browser holds it: the token of its hidden field, which is also its cookie.
struct Form {
    token: String,
    cookie: String,
}

/// Opens the form at `path` (`/report...`), checking its CSRF cookie.
async fn open_form(app: &TestApp, path: &str, headers: &[(&str, &str)]) -> (Page, Form) {
    let shown = page(app, Method::GET, path, headers).await;
    assert_eq!(shown.status, StatusCode::OK, "{path}: {}", shown.body);
    let at = shown.body.find("name=\"csrf_token\"").expect("a token field");
    let tag_start = shown.body[..at].rfind('<').unwrap();
    let tag = &shown.body[tag_start..tag_start + shown.body[tag_start..].find('>').unwrap()];
    let token = attribute(tag, "value").unwrap();
    let cookie = shown.cookie("csrf").expect("the token's cookie");
    for part in ["HttpOnly", "SameSite=Strict", "Path=/report", "Max-Age=7200"] {
        assert!(cookie.contains(part), "{part} in {cookie}");
    }
    assert!(cookie.starts_with(&format!("csrf={token};")), "the cookie holds the field's token");
    (shown, Form { cookie: format!("csrf={token}"), token })
}

/// Posts `fields` (and the form's token, unless `fields` has one) with the form's cookie.
async fn post_form(app: &TestApp, path: &str, form: &Form, fields: &[(&str, &str)], headers: &[(&str, &str)]) -> Page {
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    if !fields.iter().any(|(k, _)| *k == "csrf_token") {
        all.push(("csrf_token", &form.token));
    }
    let mut req = app.http.post(app.url(path)).header("cookie", &form.cookie).form(&all);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    read_page(req.send().await.unwrap()).await
}

/// The text inside an element (tags dropped).
fn text_of(element: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in element.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim().to_owned()
}

fn is_reference(text: &str) -> bool {
    let b = text.as_bytes();
    text.len() == 11
        && text.starts_with("R-")
        && b[6] == b'-'
        && text[2..].bytes().all(|c| c == b'-' || c.is_ascii_alphanumeric())
}

const GOOD_REPORT: [(&str, &str); 7] = [
    ("category", "recruitment_fee"),
    ("fee_amount", "150,000.50"),
    ("fee_currency", "npr"),
    ("country", "NP"),
    ("occurred_on", "2025-12-20"),
    ("description", "The agent asked for 150,000 rupees before the visa. No receipt."),
    ("contact", "WhatsApp, evenings"),
];

#[tokio::test]
async fn a_worker_files_a_report_and_follows_it_up_with_the_secret_code() {
    let w = World::at_start().await;
    let (shown, form) = open_form(&w.app, &format!("/report?agency={}", w.agency.id), &[]).await;
    assert_is_page(&shown, "en");
    assert_eq!(shown.header("cache-control"), "no-store");
    let html = shown.element("report-form").expect("the form");
    assert!(html.starts_with("<form id=\"report-form\" method=\"post\" action=\"/report\""));
    assert!(html.contains(&format!("id=\"agency_id\" type=\"hidden\" name=\"agency_id\" value=\"{}\"", w.agency.id)));
    assert!(shown.element("agency-chosen").unwrap().contains("Himalayan Overseas Manpower 1"));
    for field in ["category", "fee_amount", "fee_currency", "country", "occurred_on", "description", "contact"] {
        assert!(html.contains(&format!("<label for=\"{field}\">")), "a label for {field}");
        assert!(
            html.contains(&format!("id=\"{field}\" name=\"{field}\""))
                || html.contains(&format!("id=\"{field}\" type=")),
            "{field}"
        );
    }
    assert!(html.contains("type=\"date\" name=\"occurred_on\"") && html.contains("max=\"2026-01-05\""));
    assert_eq!(html.matches("<option").count(), 15 + 25, "14 categories and 24 countries, each with a blank choice");
    assert!(html.contains("<button id=\"submit-report\" type=\"submit\">"));
    // Without ?agency, the worker names the agency.
    let (unnamed, _) = open_form(&w.app, "/report?lang=ar", &[]).await;
    assert_is_page(&unnamed, "ar");
    assert!(unnamed.body.contains("<label for=\"agency_name\">") && !unnamed.body.contains("name=\"agency_id\""));

    let mut fields = GOOD_REPORT.to_vec();
    fields.push(("agency_id", &w.agency.id));
    let origin = w.app.address.clone();
    let sent =
        post_form(&w.app, "/report", &form, &fields, &[("origin", &origin), ("sec-fetch-site", "same-origin")]).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert_is_page(&sent, "en");
    assert_eq!(sent.header("cache-control"), "no-store");
    let reference = text_of(sent.element("reference").unwrap());
    let code = text_of(sent.element("follow-up-code").unwrap());
    assert!(is_reference(&reference), "{reference}");
    assert_eq!(code.len(), 14, "{code}");
    assert!(sent.body.contains(&format!("href=\"/report/{reference}\"")));

    // What was stored, as a moderator reads it.
    let listed = w.app.get_json(&format!("/v1/reports?agency_id={}", w.agency.id), Some(&w.admin)).await;
    let stored = &listed["data"][0];
    assert_eq!(stored["reference"], reference.as_str());
    assert_eq!(stored["category"], "recruitment_fee");
    assert_eq!(stored["fees"], json!([{"category": "recruitment_fee", "amount_minor": 15_000_050, "currency": "NPR"}]));
    assert_eq!((&stored["country"], &stored["occurred_on"]), (&json!("NP"), &json!("2025-12-20")));
    assert_eq!(stored["language"], "en");
    assert_eq!(stored["has_contact"], true);

    // The follow-up asks for the code in a form, never in the URL.
    let (follow, follow_form) = open_form(&w.app, &format!("/report/{}", reference.to_lowercase()), &[]).await;
    assert_is_page(&follow, "en");
    let asks = follow.element("follow-up-form").unwrap();
    assert!(asks.starts_with(&format!("<form id=\"follow-up-form\" method=\"post\" action=\"/report/{reference}\"")));
    assert!(asks.contains("id=\"code\" type=\"text\" name=\"code\"") && asks.contains("<label for=\"code\">"));
    let path = format!("/report/{reference}");
    let shown = post_form(&w.app, &path, &follow_form, &[("code", &code.to_lowercase())], &[]).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert_is_page(&shown, "en");
    let state = shown.element("report-state").unwrap();
    assert!(state.contains("data-state=\"received\"") && state.contains("Received"), "{state}");
    assert!(shown.element("report-reason").is_none());

    // A wrong code and an unknown reference are the same 404 page.
    let wrong = post_form(&w.app, &path, &follow_form, &[("code", "AAAA-BBBB-CCCC")], &[]).await;
    let unknown = post_form(&w.app, "/report/R-0000-0000", &follow_form, &[("code", &code)], &[]).await;
    for missing in [&wrong, &unknown] {
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_is_page(missing, "en");
    }
    assert_eq!(wrong.element("main"), unknown.element("main"));

    // A moderator's shareable reason is shown; the state in words follows the decision.
    let id = stored["id"].as_str().unwrap();
    let review = json!({"state": "under_review", "reason": "checking the bank transfer"});
    w.app.ok(Method::PATCH, &format!("/v1/reports/{id}"), &w.admin, Some(review)).await;
    let decided = json!({"state": "substantiated", "reason": "the receipt matches", "reason_shareable": true});
    w.app.ok(Method::PATCH, &format!("/v1/reports/{id}"), &w.admin, Some(decided)).await;
    let shown = post_form(&w.app, &path, &follow_form, &[("code", &code)], &[("cookie", "lang=tl")]).await;
    assert!(shown.element("report-state").unwrap().contains("data-state=\"substantiated\""));
    assert_eq!(text_of(shown.element("report-reason").unwrap()), "the receipt matches");
}

#[tokio::test]
async fn a_form_with_mistakes_comes_back_with_each_mistake_named_by_its_field() {
    let app = TestApp::spawn().await;
    let (_, form) = open_form(&app, "/report?lang=bn", &[]).await;
    let fields = [
        ("agency_name", ""),
        ("category", "not-a-category"),
        ("fee_amount", "a lot"),
        ("fee_currency", "RUPEES"),
        ("country", "XX"),
        ("occurred_on", "2999-01-01"),
        ("description", "<b>kept</b> as typed"),
    ];
    // The language chosen by `?lang=` is kept by its cookie, as a browser sends it back.
    let refused = post_form(&app, "/report", &form, &fields, &[("cookie", "lang=bn")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_is_page(&refused, "bn");
    let summary = refused.element("error-summary").expect("an error summary");
    assert!(summary.contains("role=\"alert\""));
    for field in ["agency_name", "category", "fee_amount", "fee_currency", "country", "occurred_on"] {
        assert!(summary.contains(&format!("href=\"#{field}\"")), "{field} in the summary");
        let input = refused.element(field).unwrap_or_else(|| panic!("{field}"));
        let tag = &input[..input.find('>').unwrap()];
        assert_eq!(attribute(tag, "aria-invalid").as_deref(), Some("true"), "{field}: {tag}");
        assert!(attribute(tag, "aria-describedby").unwrap().contains(&format!("{field}-error")), "{field}");
        assert!(refused.element(&format!("{field}-error")).is_some(), "{field}'s message");
    }
    // The description was fine, and comes back as typed, escaped.
    assert!(!summary.contains("#description"));
    assert!(refused.body.contains("&lt;b&gt;kept&lt;/b&gt; as typed</textarea>"));
    // A required field left empty.
    let (_, form) = open_form(&app, "/report", &[]).await;
    let empty = post_form(&app, "/report", &form, &[("agency_name", "Some agency"), ("category", "other")], &[]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.element("description-error").unwrap().contains("Fill in this field."));
    assert!(empty.element("error-summary").unwrap().contains("Tell us what happened: Fill in this field."));
    assert_eq!(empty.element("error-summary").unwrap().matches("<li>").count(), 1);
    // An overlong body is a 413 page, read no further.
    let long = "x".repeat(70 * 1024);
    let too_long = post_form(&app, "/report", &form, &[("description", &long)], &[]).await;
    assert_eq!(too_long.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_is_page(&too_long, "en");
}

#[tokio::test]
async fn a_form_without_its_token_or_sent_from_another_site_is_refused() {
    // A refused form does not use up the submission allowance: the one accepted below is the
    // only one it counts.
    let app = TestApp::spawn_with(|c| {
        c.limits.reports_per_hour = 1;
        c.limits.reports_burst = 1;
    })
    .await;
    let (_, form) = open_form(&app, "/report", &[]).await;
    let (_, other) = open_form(&app, "/report", &[]).await;
    let report = [("agency_name", "Some agency"), ("category", "other"), ("description", "x")];
    let forged = Form { token: "AAAA".repeat(20), cookie: format!("csrf={}", "AAAA".repeat(20)) };
    let refusals: Vec<(&str, Page)> = vec![
        ("no token at all", { read_page(app.http.post(app.url("/report")).form(&report).send().await.unwrap()).await }),
        ("no cookie", {
            let no_cookie = Form { token: form.token.clone(), cookie: "other=1".into() };
            post_form(&app, "/report", &no_cookie, &report, &[]).await
        }),
        ("the field of another form", {
            let mixed = Form { token: other.token.clone(), cookie: form.cookie.clone() };
            post_form(&app, "/report", &mixed, &report, &[]).await
        }),
        ("a forged token", post_form(&app, "/report", &forged, &report, &[]).await),
        (
            "another site, by Origin",
            post_form(&app, "/report", &form, &report, &[("origin", "https://evil.example")]).await,
        ),
        (
            "another site, by Sec-Fetch-Site",
            post_form(&app, "/report", &form, &report, &[("sec-fetch-site", "cross-site")]).await,
        ),
        ("a follow-up without a token", {
            read_page(app.http.post(app.url("/report/R-0000-0000")).form(&[("code", "X")]).send().await.unwrap()).await
        }),
    ];
    for (what, refused) in refusals {
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{what}");
        assert_is_page(&refused, "en");
        assert!(refused.body.contains("Please send the form again"), "{what}");
    }
    // The same form, as sent from this site, is accepted; `Origin: null` (a browser under a
    // strict referrer policy) leaves the decision to the token.
    let accepted = post_form(&app, "/report", &form, &report, &[("origin", &app.address)]).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    let (_, form) = open_form(&app, "/report", &[]).await;
    let blank_origin = [("origin", "null"), ("sec-fetch-site", "same-origin")];
    let refused = post_form(&app, "/report", &form, &[("category", "other")], &blank_origin).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "checked, not refused as cross-site");
    // A form shown again keeps the token it has, so two open tabs both work.
    let again = page(&app, Method::GET, "/report", &[("cookie", &form.cookie)]).await;
    assert!(again.cookie("csrf").is_none() && again.body.contains(&form.token));
    // Wrong methods get a 405 page naming the right ones.
    let put = page(&app, Method::PUT, "/report", &[]).await;
    assert_eq!((put.status, put.header("allow")), (StatusCode::METHOD_NOT_ALLOWED, "GET, HEAD, POST"));
    assert!(put.is_html());
}

#[tokio::test]
async fn too_many_reports_from_one_connection_get_a_readable_429_page() {
    let app = TestApp::spawn_with(|c| {
        c.limits.reports_per_hour = 1;
        c.limits.reports_burst = 1;
        c.limits.token_per_second = 1;
        c.limits.token_burst = 1;
    })
    .await;
    let (_, form) = open_form(&app, "/report", &[]).await;
    let report = [("agency_name", "Some agency"), ("category", "deception"), ("description", "They lied.")];
    // Guessing follow-up codes draws on the strict bucket, and its 429 is a page too.
    let mut guesses = Vec::new();
    for _ in 0..5 {
        guesses.push(post_form(&app, "/report/R-0000-0000", &form, &[("code", "AAAA-BBBB-CCCC")], &[]).await);
    }
    let limited = guesses.iter().find(|g| g.status == StatusCode::TOO_MANY_REQUESTS).expect("guesses are limited");
    assert_is_page(limited, "en");
    assert!(!limited.header("retry-after").is_empty());
    // Mistakes corrected on the form do not count.
    for _ in 0..3 {
        let mistaken = post_form(&app, "/report", &form, &report[..2], &[]).await;
        assert_eq!(mistaken.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let first = post_form(&app, "/report", &form, &report, &[]).await;
    assert_eq!(first.status, StatusCode::OK);
    let second = post_form(&app, "/report", &form, &report, &[("cookie", "lang=hi")]).await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
    assert_is_page(&second, "hi");
    let wait: u64 = second.header("retry-after").parse().unwrap();
    assert!((3000..=3600).contains(&wait), "{wait}");
    assert!(second.element("error-text").unwrap().contains("60 मिनट"), "{}", second.body);
    // Reading pages is not limited by it, nor is the API's own limit turned into HTML.
    assert_eq!(get(&app, "/report").await.status, StatusCode::OK);
    let body = json!({"agency_name": "Some agency", "category": "deception", "description": "They lied."});
    let api = app.send_anonymous(Method::POST, "/v1/public/reports", Some(body)).await;
    assert_eq!(api.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(api.headers()["content-type"], "application/problem+json");
}

#[tokio::test]
async fn the_card_counts_substantiated_reports_only_from_three() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let path = format!("/agencies/{}", id(&agency));
    for n in 1..=3 {
        let body =
            json!({"agency_id": id(&agency), "category": "document_retention", "description": format!("report {n}")});
        let res = app.send_anonymous(Method::POST, "/v1/public/reports", Some(body)).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let listed = app.get_json(&format!("/v1/reports?state=received&agency_id={}", id(&agency)), Some(&admin)).await;
        let report = listed["data"][0]["id"].as_str().unwrap().to_owned();
        for state in ["under_review", "substantiated"] {
            let decision = json!({"state": state, "reason": "passport found in the office"});
            app.ok(Method::PATCH, &format!("/v1/reports/{report}"), &admin, Some(decision)).await;
        }
        let card = get(&app, &path).await;
        match n {
            1 | 2 => assert!(card.element("confirmed-reports").is_none(), "{n} is too few to show"),
            _ => assert_eq!(
                text_of(card.element("confirmed-reports").unwrap()),
                "3 reports by workers about this agency were confirmed."
            ),
        }
    }
}

#[tokio::test]
async fn the_report_pages_weigh_at_most_30_kb_and_fetch_nothing_from_elsewhere() {
    let app = TestApp::spawn().await;
    let css = get(&app, &stylesheet(&get(&app, "/").await)).await.body.len();
    for lang in LANGS {
        let (form_page, form) = open_form(&app, &format!("/report?lang={lang}"), &[]).await;
        let refused = post_form(&app, "/report", &form, &[("category", "x")], &[]).await;
        let (follow, _) = open_form(&app, "/report/R-ABCD-EFGH", &[]).await;
        for (what, shown) in [("form", &form_page), ("refused", &refused), ("follow-up", &follow)] {
            let weight = shown.body.len() + css;
            assert!(weight <= BUDGET_BYTES, "{lang} {what}: {weight} bytes");
            assert_eq!(absolute_urls(&shown.body), Vec::<String>::new(), "{lang} {what}");
        }
    }
}

#[tokio::test]
async fn the_status_card_names_the_configured_public_address_whatever_the_request_says() {
    let app = TestApp::spawn_with(|c| c.public_url = "https://check.example.org/".into()).await;
    let admin = app.admin().await;
    let agency = app.agency(&admin, 1).await;
    let path = format!("/agencies/{}", agency.id);
    let spoofed =
        page(&app, Method::GET, &path, &[("x-forwarded-host", "evil.example"), ("host", "evil.example")]).await;
    assert_eq!(spoofed.status, StatusCode::OK);
    let expected = format!("<bdi id=\"page-address\">https://check.example.org{path}");
    assert_eq!(spoofed.element("page-address").unwrap(), expected);
    assert!(!spoofed.body.contains("evil.example"));
}
