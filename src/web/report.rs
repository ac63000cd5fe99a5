//! `GET /report` and `POST /report`: the report form, for a worker, anonymous by default; and
//! `GET`/`POST /report/{reference}`: following a report up with its secret code (which never
//! goes in a URL).
//!
//! Nothing about the reporter is read or kept here: not the address, the user agent or any
//! device data, and nothing of the form is logged. The form is checked here first, field by
//! field, in the reader's language; what `services::reports` refuses besides is mapped onto the
//! same fields.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{Datelike, NaiveDate};
use futures_util::StreamExt;
use maud::{Markup, html};

use super::csrf::{self, Csrf};
use super::{Ctx, Failure, Page, app_error_page, error_page};
use crate::api::middleware::take_report_allowance;
use crate::domain::assessment::{FeeAmount, FeeCategory};
use crate::domain::reports::ReportCategory;
use crate::error::{AppError, FieldError};
use crate::services::reports::{self, ReportInput};
use crate::state::AppState;

/// The longest form body read: the description's 5,000 characters, percent-encoded from UTF-8,
/// and the rest.
const MAX_BODY_BYTES: usize = 64 * 1024;
// The service's limits, counted the same way (characters) for the form's own messages.
pub const DESCRIPTION_MAX: usize = reports::DESCRIPTION_MAX as usize;
const NAME_MAX: usize = reports::AGENCY_NAME_MAX as usize;
const CONTACT_MAX: usize = reports::CONTACT_MAX as usize;
const AMOUNT_MAX_CHARS: usize = 20;

/// The categories, in the order the form offers them: the harms without a fee first, then the
/// ILO fee and related-cost categories.
const CATEGORIES: [ReportCategory; 14] = [
    ReportCategory::RecruitmentFee,
    ReportCategory::DocumentRetention,
    ReportCategory::ContractSubstitution,
    ReportCategory::Deception,
    ReportCategory::ThreatsOrViolence,
    ReportCategory::Medical,
    ReportCategory::Insurance,
    ReportCategory::SkillsTest,
    ReportCategory::TrainingOrientation,
    ReportCategory::Equipment,
    ReportCategory::TravelLodging,
    ReportCategory::Administrative,
    ReportCategory::Illegitimate,
    ReportCategory::Other,
];

/// The countries the form offers (ISO 3166-1 alpha-2), named in their own language where it
/// is one of the pages' scripts, and in English: the main countries of origin and destination
/// of the corridors the scheme covers. Any other country is left unsaid.
const COUNTRIES: [(&str, &str); 24] = [
    ("NP", "नेपाल (Nepal)"),
    ("BD", "বাংলাদেশ (Bangladesh)"),
    ("IN", "भारत (India)"),
    ("ID", "Indonesia"),
    ("PH", "Pilipinas (Philippines)"),
    ("LK", "Sri Lanka"),
    ("PK", "Pakistan"),
    ("MM", "Myanmar"),
    ("VN", "Việt Nam (Vietnam)"),
    ("KH", "Cambodia"),
    ("KE", "Kenya"),
    ("UG", "Uganda"),
    ("ET", "Ethiopia"),
    ("QA", "قطر (Qatar)"),
    ("AE", "الإمارات (United Arab Emirates)"),
    ("SA", "السعودية (Saudi Arabia)"),
    ("KW", "الكويت (Kuwait)"),
    ("OM", "عُمان (Oman)"),
    ("BH", "البحرين (Bahrain)"),
    ("JO", "الأردن (Jordan)"),
    ("LB", "لبنان (Lebanon)"),
    ("MY", "Malaysia"),
    ("SG", "Singapore"),
    ("HK", "Hong Kong"),
];

/// The form as sent, every field as text, so that it can be shown again as it was typed.
#[derive(Debug, Default, Clone)]
struct ReportForm {
    agency_id: String,
    agency_name: String,
    category: String,
    fee_amount: String,
    fee_currency: String,
    country: String,
    occurred_on: String,
    description: String,
    contact: String,
    csrf_token: String,
}

impl ReportForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> ReportForm {
        let mut form = ReportForm::default();
        for (name, value) in pairs {
            let slot = match name.as_str() {
                "agency_id" => &mut form.agency_id,
                "agency_name" => &mut form.agency_name,
                "category" => &mut form.category,
                "fee_amount" => &mut form.fee_amount,
                "fee_currency" => &mut form.fee_currency,
                "country" => &mut form.country,
                "occurred_on" => &mut form.occurred_on,
                "description" => &mut form.description,
                "contact" => &mut form.contact,
                csrf::FIELD => &mut form.csrf_token,
                _ => continue,
            };
            *slot = value;
        }
        form
    }
}

/// A field's problem, as the message name that tells it.
type FormErrors = Vec<(&'static str, &'static str)>;

/// A digit in any of the pages' scripts (Devanagari, Bengali, Arabic-Indic), as ASCII.
fn ascii_digit(c: char) -> Option<char> {
    let zero = match c {
        '0'..='9' => return Some(c),
        '\u{0966}'..='\u{096F}' => 0x0966,
        '\u{09E6}'..='\u{09EF}' => 0x09E6,
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        _ => return None,
    };
    char::from_digit(u32::from(c) - zero, 10)
}

/// An amount as a person types it (`1500`, `1,500.50`, `१५००`), in minor units of a currency
/// with `exponent` decimals.
fn parse_amount(typed: &str, exponent: u32) -> Option<i64> {
    let mut whole = String::new();
    let mut fraction: Option<String> = None;
    for c in typed.trim().chars() {
        match c {
            ',' | ' ' | '\u{066C}' if fraction.is_none() => {}
            '.' | '\u{066B}' if fraction.is_none() => fraction = Some(String::new()),
            c => {
                let digit = ascii_digit(c)?;
                match &mut fraction {
                    Some(f) => f.push(digit),
                    None => whole.push(digit),
                }
            }
        }
    }
    let fraction = fraction.unwrap_or_default();
    if whole.is_empty() || fraction.len() > exponent as usize {
        return None;
    }
    let padded = format!("{whole}{fraction:0<width$}", width = exponent as usize);
    padded.parse::<i64>().ok().filter(|n| *n <= 1_000_000_000_000)
}

/// Checks the form and makes the service's input of it, or names each field that is wrong.
fn read_form(form: &ReportForm, language: &str, today: NaiveDate) -> Result<ReportInput, FormErrors> {
    let mut errors: FormErrors = Vec::new();
    let text = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
    let agency_id = text(&form.agency_id);
    if agency_id.as_deref().is_some_and(|id| uuid::Uuid::parse_str(id).is_err()) {
        errors.push(("agency_name", "field-agency"));
    }
    let agency_name = text(&form.agency_name);
    if agency_name.as_ref().is_some_and(|n| n.chars().count() > NAME_MAX) {
        errors.push(("agency_name", "field-too-long"));
    }
    if agency_id.is_none() && agency_name.is_none() {
        errors.push(("agency_name", "field-agency"));
    }
    let category = form.category.parse::<ReportCategory>().ok();
    if category.is_none() {
        errors.push(("category", "field-required"));
    }
    let mut fees = Vec::new();
    let currency_code = form.fee_currency.trim().to_ascii_uppercase();
    let currency = iso_currency::Currency::from_code(&currency_code);
    match (form.fee_amount.trim().is_empty(), currency_code.is_empty()) {
        (true, true) => {}
        (true, false) => errors.push(("fee_amount", "field-amount")),
        (false, _) => {
            let exponent = currency.and_then(|c| c.exponent()).map_or(2, u32::from);
            let amount = Some(form.fee_amount.as_str())
                .filter(|a| a.chars().count() <= AMOUNT_MAX_CHARS)
                .and_then(|a| parse_amount(a, exponent));
            if amount.is_none() {
                errors.push(("fee_amount", "field-amount"));
            }
            if currency.is_none() {
                errors.push(("fee_currency", "field-currency"));
            }
            if let (Some(amount_minor), Some(_)) = (amount, currency) {
                let category = category.and_then(ReportCategory::fee).unwrap_or(FeeCategory::RecruitmentFee);
                fees.push(FeeAmount { category, amount_minor, currency: currency_code.clone() });
            }
        }
    }
    let country = text(&form.country);
    if country.as_deref().is_some_and(|c| !COUNTRIES.iter().any(|(code, _)| *code == c)) {
        errors.push(("country", "field-country"));
    }
    let occurred_on = match text(&form.occurred_on) {
        None => None,
        Some(typed) => match NaiveDate::parse_from_str(&typed, "%Y-%m-%d") {
            Ok(date) if date <= today && date.year() >= 1990 => Some(date),
            _ => {
                errors.push(("occurred_on", "field-date"));
                None
            }
        },
    };
    let description = form.description.trim().to_owned();
    if description.is_empty() {
        errors.push(("description", "field-required"));
    } else if description.chars().count() > DESCRIPTION_MAX {
        errors.push(("description", "field-too-long"));
    }
    let contact = text(&form.contact);
    if contact.as_ref().is_some_and(|c| c.chars().count() > CONTACT_MAX) {
        errors.push(("contact", "field-too-long"));
    }
    match (errors.is_empty(), category) {
        (true, Some(category)) => Ok(ReportInput {
            agency_id,
            agency_name,
            category,
            fees,
            country,
            occurred_on,
            description,
            contact,
            language: Some(language.to_owned()),
        }),
        _ => Err(errors),
    }
}

/// The form field a service's field error is about.
fn form_field(error: &FieldError) -> &'static str {
    let field = error.field.as_str();
    if field.starts_with("fees") {
        if field.ends_with("currency") { "fee_currency" } else { "fee_amount" }
    } else {
        match field {
            "agency_id" | "agency_name" => "agency_name",
            "category" => "category",
            "country" => "country",
            "occurred_on" => "occurred_on",
            "contact" => "contact",
            _ => "description",
        }
    }
}

/// Reads a form body, up to [`MAX_BODY_BYTES`]; `None` when it is longer.
async fn read_body(mut payload: web::Payload) -> Result<Option<Vec<(String, String)>>, actix_web::Error> {
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(url::form_urlencoded::parse(&body).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()))
}

/// The agency a form is about (`?agency=`), when it names one: its id and name (one query: the
/// form needs nothing else of it).
async fn agency_of(state: &AppState, id: Option<&str>) -> Option<(String, String)> {
    let id = uuid::Uuid::parse_str(id?).ok()?.hyphenated().to_string();
    let row = state.db.read(move |conn| crate::store::agencies::find(conn, &id)).await.ok()??;
    Some((row.id, row.legal_name))
}

fn now_secs(state: &AppState) -> i64 {
    state.clock.now().timestamp()
}

/// `GET /report`.
pub async fn form(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let ctx = Ctx::of(&req);
    let agency = agency_of(&state, ctx.query("agency")).await;
    let mut form = ReportForm::default();
    if let Some((id, _)) = &agency {
        form.agency_id.clone_from(id);
    }
    let csrf = Csrf::from_data_key(&state.data_key);
    let (token, cookie) = csrf.for_form(&req, now_secs(&state));
    form.csrf_token = token;
    let today = state.clock.now().date_naive();
    let main = form_main(&ctx, &form, agency.as_ref().map(|(_, name)| name.as_str()), &[], today);
    let mut page = Page::new(StatusCode::OK, ctx.t("report-title"), main).no_store();
    page.cookies.extend(cookie);
    page.render(&ctx)
}

/// `POST /report`.
pub async fn submit(req: HttpRequest, state: web::Data<AppState>, payload: web::Payload) -> HttpResponse {
    let ctx = Ctx::of(&req);
    let pairs = match read_body(payload).await {
        Ok(Some(pairs)) => pairs,
        Ok(None) => return error_page(&ctx, Failure::TooLarge),
        Err(_) => return error_page(&ctx, Failure::BadRequest),
    };
    let mut form = ReportForm::from_pairs(pairs);
    let csrf = Csrf::from_data_key(&state.data_key);
    let now = state.clock.now();
    if csrf.check(&req, Some(&form.csrf_token), now.timestamp()).is_err() {
        return error_page(&ctx, Failure::Forbidden);
    }
    let agency = agency_of(&state, Some(form.agency_id.trim())).await;
    let today = now.date_naive();
    let invalid = |ctx: &Ctx, form: &ReportForm, errors: &[(&'static str, &'static str)]| {
        let main = form_main(ctx, form, agency.as_ref().map(|(_, n)| n.as_str()), errors, today);
        Page::new(StatusCode::UNPROCESSABLE_ENTITY, ctx.t("report-title"), main).no_store().render(ctx)
    };
    let input = match read_form(&form, ctx.tr.lang.code, today) {
        Ok(input) => input,
        Err(errors) => return invalid(&ctx, &form, &errors),
    };
    // Only a form that passed its checks uses up the hour's allowance (429 page otherwise).
    if let Err(err) = take_report_allowance(&req) {
        return app_error_page(&ctx, &err);
    }
    let key = state.data_key.clone();
    match state.db.write(move |conn| reports::submit(conn, &key, input, now)).await {
        Ok(submitted) => {
            let main = submitted_main(&ctx, &submitted.reference, &submitted.follow_up_code);
            Page::new(StatusCode::OK, ctx.t("report-sent-title"), main).no_store().render(&ctx)
        }
        Err(AppError::Validation(fields)) => {
            let mut errors: FormErrors = Vec::new();
            for field in &fields {
                let name = form_field(field);
                if !errors.iter().any(|(f, _)| *f == name) {
                    errors.push((name, if name == "agency_name" { "field-agency" } else { "field-invalid" }));
                }
            }
            // An agency id that names nothing is dropped: the worker names the agency instead.
            if fields.iter().any(|f| f.field == "agency_id") {
                form.agency_id.clear();
            }
            invalid(&ctx, &form, &errors)
        }
        Err(err) => app_error_page(&ctx, &err),
    }
}

/// The message that labels a form field.
fn label_of(field: &str) -> &'static str {
    match field {
        "agency_name" => "report-agency-name",
        "category" => "report-category",
        "fee_amount" => "report-fee-amount",
        "fee_currency" => "report-fee-currency",
        "country" => "report-country",
        "occurred_on" => "report-occurred-on",
        "contact" => "report-contact",
        _ => "report-description",
    }
}

fn error_for<'a>(errors: &'a [(&'static str, &'static str)], field: &str) -> Option<&'a str> {
    errors.iter().find(|(f, _)| *f == field).map(|(_, message)| *message)
}

/// A labelled input's error and hint ids, for `aria-describedby`.
fn described_by(field: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [hint.then(|| format!("{field}-hint")), error.then(|| format!("{field}-error"))]
        .into_iter()
        .flatten()
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn field_error(ctx: &Ctx, field: &str, error: Option<&str>) -> Markup {
    html! {
        @if let Some(message) = error {
            span.error id={ (field) "-error" } { (ctx.t(message)) }
        }
    }
}

fn form_main(
    ctx: &Ctx,
    form: &ReportForm,
    agency_name: Option<&str>,
    errors: &[(&'static str, &'static str)],
    today: NaiveDate,
) -> Markup {
    let err = |field: &str| error_for(errors, field);
    let invalid = |field: &str| err(field).map(|_| "true");
    html! {
        h1 { (ctx.t("report-title")) }
        @if !errors.is_empty() {
            div #error-summary role="alert" tabindex="-1" aria-labelledby="error-summary-title" {
                h2 #error-summary-title { (ctx.t("report-errors-title")) }
                ul {
                    @for (field, message) in errors {
                        li { a href={ "#" (field) } { (ctx.t(label_of(field))) ": " (ctx.t(message)) } }
                    }
                }
            }
        }
        p { (ctx.t("report-intro")) }
        form #report-form method="post" action="/report" novalidate {
            input type="hidden" name=(csrf::FIELD) value=(form.csrf_token);
            @match agency_name {
                Some(name) if !form.agency_id.is_empty() => {
                    input type="hidden" #agency_id name="agency_id" value=(form.agency_id);
                    p { strong { (ctx.t("report-agency")) ": " } bdi #agency-chosen { (name) } }
                }
                _ => {
                    label for="agency_name" { (ctx.t("report-agency-name")) }
                    span.hint #agency_name-hint { (ctx.t("report-agency-name-hint")) }
                    (field_error(ctx, "agency_name", err("agency_name")))
                    input #agency_name type="text" name="agency_name" value=(form.agency_name) maxlength=(NAME_MAX)
                        autocomplete="off" aria-invalid=[invalid("agency_name")]
                        aria-describedby=[described_by("agency_name", true, err("agency_name").is_some())];
                }
            }
            label for="category" { (ctx.t("report-category")) }
            (field_error(ctx, "category", err("category")))
            select #category name="category" required aria-invalid=[invalid("category")]
                aria-describedby=[described_by("category", false, err("category").is_some())] {
                option value="" { (ctx.t("report-category-choose")) }
                @for category in CATEGORIES {
                    @let name = category.to_string();
                    option value=(name) selected[form.category == name] { (ctx.t(&format!("category-{name}"))) }
                }
            }
            fieldset {
                legend { (ctx.t("report-fee-heading")) }
                label for="fee_amount" { (ctx.t("report-fee-amount")) }
                (field_error(ctx, "fee_amount", err("fee_amount")))
                input #fee_amount type="text" inputmode="decimal" name="fee_amount" value=(form.fee_amount)
                    maxlength=(AMOUNT_MAX_CHARS) autocomplete="off" aria-invalid=[invalid("fee_amount")]
                    aria-describedby=[described_by("fee_amount", false, err("fee_amount").is_some())];
                label for="fee_currency" { (ctx.t("report-fee-currency")) }
                span.hint #fee_currency-hint { (ctx.t("report-fee-currency-hint")) }
                (field_error(ctx, "fee_currency", err("fee_currency")))
                input #fee_currency type="text" name="fee_currency" value=(form.fee_currency) maxlength="3" size="4"
                    autocapitalize="characters" autocomplete="off" aria-invalid=[invalid("fee_currency")]
                    aria-describedby=[described_by("fee_currency", true, err("fee_currency").is_some())];
            }
            label for="country" { (ctx.t("report-country")) }
            (field_error(ctx, "country", err("country")))
            select #country name="country" aria-invalid=[invalid("country")]
                aria-describedby=[described_by("country", false, err("country").is_some())] {
                option value="" { (ctx.t("report-country-choose")) }
                @for (code, name) in COUNTRIES {
                    option value=(code) selected[form.country == code] { (name) }
                }
            }
            label for="occurred_on" { (ctx.t("report-occurred-on")) }
            (field_error(ctx, "occurred_on", err("occurred_on")))
            input #occurred_on type="date" name="occurred_on" value=(form.occurred_on) max=(today.to_string())
                aria-invalid=[invalid("occurred_on")]
                aria-describedby=[described_by("occurred_on", false, err("occurred_on").is_some())];
            label for="description" { (ctx.t("report-description")) }
            span.hint #description-hint {
                (ctx.tr.t_with("report-description-hint", &[("max", i64::try_from(DESCRIPTION_MAX).unwrap_or(0).into())]))
            }
            (field_error(ctx, "description", err("description")))
            textarea #description name="description" rows="8" maxlength=(DESCRIPTION_MAX) required
                aria-invalid=[invalid("description")]
                aria-describedby=[described_by("description", true, err("description").is_some())] { (form.description) }
            label for="contact" { (ctx.t("report-contact")) }
            span.hint #contact-hint { (ctx.t("report-contact-hint")) }
            (field_error(ctx, "contact", err("contact")))
            input #contact type="text" name="contact" value=(form.contact) maxlength=(CONTACT_MAX) autocomplete="off"
                aria-invalid=[invalid("contact")]
                aria-describedby=[described_by("contact", true, err("contact").is_some())];
            button #submit-report type="submit" { (ctx.t("report-submit")) }
        }
    }
}

fn submitted_main(ctx: &Ctx, reference: &str, code: &str) -> Markup {
    html! {
        h1 { (ctx.t("report-sent-title")) }
        h2 { (ctx.t("report-reference")) }
        // Latin letters and digits: they read left to right on a right-to-left page too.
        p.code #reference { (reference) }
        h2 { (ctx.t("report-code")) }
        p.code #follow-up-code { (code) }
        p.warn { (ctx.t("report-keep")) }
        p { a #follow-up-link href={ "/report/" (reference) } { (ctx.t("report-follow-link")) } }
    }
}

// ---------------------------------------------------------------------------------------------
// Following a report up

/// A reference as it may stand in a path: `R-` and two groups of four, any case.
fn plausible_reference(reference: &str) -> Option<String> {
    let normalized = reports::normalize_reference(reference);
    (normalized.len() == "R-XXXX-XXXX".len()
        && normalized.bytes().skip(2).all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    .then_some(normalized)
}

/// `GET /report/{reference}`: the form that asks for the code. It shows the same form for any
/// plausible reference, so it tells nobody which references exist.
pub async fn follow_up_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
) -> HttpResponse {
    let ctx = Ctx::of(&req);
    let Some(reference) = plausible_reference(&reference) else {
        return error_page(&ctx, Failure::NotFound);
    };
    let csrf = Csrf::from_data_key(&state.data_key);
    let (token, cookie) = csrf.for_form(&req, now_secs(&state));
    let main = follow_up_form_main(&ctx, &reference, &token);
    let mut page = Page::new(StatusCode::OK, ctx.t("followup-title"), main).no_store();
    page.cookies.extend(cookie);
    page.render(&ctx)
}

fn follow_up_form_main(ctx: &Ctx, reference: &str, token: &str) -> Markup {
    html! {
        h1 { (ctx.t("followup-title")) }
        p { (ctx.tr.t1("followup-intro", "reference", reference)) }
        form #follow-up-form method="post" action={ "/report/" (reference) } {
            input type="hidden" name=(csrf::FIELD) value=(token);
            label for="code" { (ctx.t("followup-code")) }
            input #code type="text" name="code" required autocomplete="off" autocapitalize="characters"
                spellcheck="false" maxlength="40";
            button #show-report type="submit" { (ctx.t("followup-submit")) }
        }
    }
}

/// `POST /report/{reference}`: the report's state, for the right code; the 404 page otherwise,
/// the same for an unknown reference and a wrong code.
pub async fn follow_up(
    req: HttpRequest,
    state: web::Data<AppState>,
    reference: web::Path<String>,
    payload: web::Payload,
) -> HttpResponse {
    let ctx = Ctx::of(&req);
    let Some(reference) = plausible_reference(&reference) else {
        return error_page(&ctx, Failure::NotFound);
    };
    let pairs = match read_body(payload).await {
        Ok(Some(pairs)) => pairs,
        Ok(None) => return error_page(&ctx, Failure::TooLarge),
        Err(_) => return error_page(&ctx, Failure::BadRequest),
    };
    let field = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default();
    let csrf = Csrf::from_data_key(&state.data_key);
    if csrf.check(&req, Some(&field(csrf::FIELD)), now_secs(&state)).is_err() {
        return error_page(&ctx, Failure::Forbidden);
    }
    let code: String = field("code").chars().take(40).collect();
    let found = state.db.read(move |conn| reports::follow_up(conn, &reference, &code)).await;
    match found {
        Ok(report) => {
            let state_name = report.state.to_string();
            let main = html! {
                h1 { (ctx.t("followup-title")) }
                p.code { bdi { (report.reference) } }
                h2 { (ctx.t("followup-state-heading")) }
                p.big #report-state data-state=(state_name) { (ctx.t(&format!("state-{state_name}"))) }
                p { (ctx.tr.t1("followup-received", "date", ctx.tr.date(report.received_at.date_naive()))) }
                @if report.updated_at != report.received_at {
                    p { (ctx.tr.t1("followup-updated", "date", ctx.tr.date(report.updated_at.date_naive()))) }
                }
                @if let Some(reason) = &report.reason {
                    h2 { (ctx.t("followup-reason")) }
                    p #report-reason { (reason) }
                }
            };
            Page::new(StatusCode::OK, ctx.t("followup-title"), main).no_store().render(&ctx)
        }
        Err(err) => app_error_page(&ctx, &err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_read_as_people_type_them() {
        assert_eq!(parse_amount("1500", 2), Some(150_000));
        assert_eq!(parse_amount(" 1,500.5 ", 2), Some(150_050));
        assert_eq!(parse_amount("१५००", 2), Some(150_000));
        assert_eq!(parse_amount("১২০০০০", 2), Some(12_000_000));
        assert_eq!(parse_amount("٣٠٠٫٥", 3), Some(300_500));
        assert_eq!(parse_amount("250000", 0), Some(250_000));
        assert_eq!(parse_amount("12.5", 0), None, "no decimals in this currency");
        assert_eq!(parse_amount("1.234", 2), None);
        assert_eq!(parse_amount("abc", 2), None);
        assert_eq!(parse_amount("-5", 2), None);
        assert_eq!(parse_amount("", 2), None);
        assert_eq!(parse_amount("99999999999999999999", 2), None);
    }

    fn valid_form() -> ReportForm {
        ReportForm {
            agency_name: "Gorkha Manpower".into(),
            category: "recruitment_fee".into(),
            fee_amount: "150000".into(),
            fee_currency: "npr".into(),
            country: "NP".into(),
            occurred_on: "2026-10-02".into(),
            description: "  They asked for money.  ".into(),
            ..ReportForm::default()
        }
    }

    #[test]
    fn a_valid_form_becomes_the_service_s_input() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let input = read_form(&valid_form(), "ne", today).unwrap();
        assert_eq!(input.category, ReportCategory::RecruitmentFee);
        assert_eq!(input.fees.len(), 1);
        assert_eq!((input.fees[0].amount_minor, input.fees[0].currency.as_str()), (15_000_000, "NPR"));
        assert_eq!(input.fees[0].category, FeeCategory::RecruitmentFee);
        assert_eq!(input.description, "They asked for money.");
        assert_eq!((input.contact, input.language.as_deref()), (None, Some("ne")));
    }

    #[test]
    fn each_wrong_field_is_named() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let form = ReportForm {
            agency_name: " ".into(),
            category: "nonsense".into(),
            fee_amount: "lots".into(),
            fee_currency: "XXY".into(),
            country: "ZZ".into(),
            occurred_on: "2026-12-01".into(),
            description: "x".repeat(DESCRIPTION_MAX + 1),
            contact: "c".repeat(CONTACT_MAX + 1),
            ..ReportForm::default()
        };
        let errors = read_form(&form, "en", today).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            [
                "agency_name",
                "category",
                "fee_amount",
                "fee_currency",
                "country",
                "occurred_on",
                "description",
                "contact"
            ]
        );
        // A currency without an amount names the amount.
        let form = ReportForm { fee_amount: String::new(), ..valid_form() };
        let errors = read_form(&form, "en", today).unwrap_err();
        assert_eq!(errors, [("fee_amount", "field-amount")]);
    }

    #[test]
    fn references_are_read_as_typed_and_nonsense_is_refused() {
        assert_eq!(plausible_reference("r-7k3m-q9px").as_deref(), Some("R-7K3M-Q9PX"));
        assert_eq!(plausible_reference("R-7K3M-Q9P"), None);
        assert_eq!(plausible_reference("../../etc"), None);
    }
}
