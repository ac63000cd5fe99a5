//! `GET /agencies/{id}`: an agency's status card in plain words, for a worker, with a QR code of
//! the page's address so that it can be shown to others.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use maud::{Markup, PreEscaped, html};

use super::{Ctx, Failure, Page, app_error_page, error_page, qr};
use crate::api::public::{self, CertificateState, PublicAgency};
use crate::domain::agency::CertificationStatus;
use crate::state::AppState;

/// The status in words, in a box that says it in words too (never by colour alone).
pub fn status_badge(ctx: &Ctx, status: CertificationStatus) -> Markup {
    let name = status.as_str();
    html! { span class={ "status s-" (name) } { (ctx.t(&format!("status-{name}"))) } }
}

pub async fn page(req: HttpRequest, state: web::Data<AppState>, id: web::Path<String>) -> HttpResponse {
    let ctx = Ctx::of(&req);
    let id = id.into_inner();
    // Only an id can name an agency; anything else is not looked up.
    let Ok(uuid) = uuid::Uuid::parse_str(&id) else {
        return error_page(&ctx, Failure::NotFound);
    };
    let id = uuid.hyphenated().to_string();
    let answer = match public::load(&state, id.clone()).await {
        Ok(answer) => answer,
        Err(err) => return app_error_page(&ctx, &err),
    };
    let agency = match public::found(&answer, &id) {
        Ok(found) => &found.agency,
        Err(err) => return app_error_page(&ctx, &err),
    };
    let today = state.clock.now().date_naive();
    let address = ctx.absolute(&format!("/agencies/{}", agency.id));
    let main = card(&ctx, agency, today, &address);
    Page::new(StatusCode::OK, agency.legal_name.clone(), main).render(&ctx)
}

fn validity(ctx: &Ctx, from: Option<NaiveDate>, until: Option<NaiveDate>) -> String {
    match (from, until) {
        (Some(from), Some(until)) => ctx
            .tr
            .t_with("card-valid-range", &[("from", ctx.tr.date(from).into()), ("until", ctx.tr.date(until).into())]),
        (Some(from), None) => ctx.tr.t1("card-valid-from", "from", ctx.tr.date(from)),
        (None, Some(until)) => ctx.tr.t1("card-valid-until", "until", ctx.tr.date(until)),
        (None, None) => ctx.t("card-valid-unknown"),
    }
}

fn card(ctx: &Ctx, agency: &PublicAgency, today: NaiveDate, address: &str) -> Markup {
    let status = agency.certification_status;
    let name = status.as_str();
    let licence = &agency.licence;
    let licence_ended = licence.valid_until.filter(|until| *until < today);
    let qr = qr::svg(address, &ctx.t("card-qr-label"));
    html! {
        section #status-card data-status=(name) aria-labelledby="agency-name" {
            // A Latin name inside right-to-left text keeps its own direction.
            h1 #agency-name { bdi { (agency.legal_name) } }
            @if !agency.trading_names.is_empty() {
                p { (ctx.t("card-other-names")) ": " bdi { (agency.trading_names.join(", ")) } }
            }
            p.big #status-word { (ctx.t("card-status-heading")) ": " (status_badge(ctx, status)) }
            p #status-meaning { (ctx.t(&format!("meaning-{name}"))) }
            @if let Some(ended) = licence_ended {
                p.warn #licence-expired { (ctx.tr.t1("card-licence-expired", "date", ctx.tr.date(ended))) }
            }
            p.note { (ctx.t("card-remember")) }
            // Counted only from `domain::reports::PUBLIC_COUNT_THRESHOLD` (3) on: `None` below.
            @if let Some(count) = agency.substantiated_reports {
                p.warn #confirmed-reports {
                    (ctx.tr.t_with("card-reports", &[("count", i64::try_from(count).unwrap_or(i64::MAX).into())]))
                }
            }
            h2 { (ctx.t("card-licence-heading")) }
            dl #licence {
                dt { (ctx.t("card-licence-number")) }
                dd { bdi { (licence.number) } }
                dt { (ctx.t("card-licence-authority")) }
                dd { (licence.issuing_authority) " (" (licence.country) ")" }
                dt { (ctx.t("card-valid")) }
                dd { (validity(ctx, licence.valid_from, licence.valid_until)) }
            }
            h2 { (ctx.t("card-certificate-heading")) }
            @match &agency.certificate {
                Some(certificate) => {
                    dl #certificate {
                        dt { (ctx.t("card-certificate-number")) }
                        dd { bdi { (certificate.number) } }
                        dt { (ctx.t("card-valid")) }
                        dd {
                            (validity(ctx, Some(certificate.valid_from.date_naive()), Some(certificate.valid_until.date_naive())))
                        }
                    }
                    @if let (CertificateState::Suspended, Some(at)) = (certificate.state, certificate.suspended_at) {
                        p { strong { (ctx.tr.t1("card-certificate-suspended", "date", ctx.tr.date(at.date_naive()))) } }
                    }
                    @if certificate.state == CertificateState::Ended {
                        p { strong { (ctx.t("card-certificate-ended")) } }
                    }
                }
                None => { p #certificate { (ctx.t("card-certificate-none")) } }
            }
            p #checked-on {
                (ctx.tr.t1("card-checked", "date", ctx.tr.date(today)))
            }
        }
        p { a #report-link href={ "/report?agency=" (agency.id) } { (ctx.t("card-report-link")) } }
        @if let Some(svg) = qr {
            section.qr aria-labelledby="share" {
                h2 #share { (ctx.t("card-share-heading")) }
                (PreEscaped(svg))
                p { (ctx.t("card-qr-help")) }
                p.addr { bdi #page-address { (address) } }
            }
        }
    }
}
