//! `GET /`: search the registry by an agency's name or licence number, and what certification
//! means for a worker.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use maud::{Markup, html};

use super::{Ctx, Page, app_error_page, status_card::status_badge};
use crate::domain::agency::CertificationStatus;
use crate::error::AppResult;
use crate::state::AppState;
use crate::store::agencies::Filter;

/// The most results a search shows.
const SHOWN: usize = 20;
/// The longest query read.
const MAX_QUERY_CHARS: usize = 100;

/// One agency found.
pub struct Found {
    pub id: String,
    pub legal_name: String,
    pub licence_number: String,
    pub status: CertificationStatus,
}

/// The agency whose licence number is `query` first, then the closest names (the API's ranked
/// search); at most `SHOWN + 1`, so the page can tell there are more.
async fn search(state: &AppState, query: String) -> AppResult<Vec<Found>> {
    let index = state.search.clone();
    state
        .db
        .read(move |conn| {
            let rows = index.search_rows(conn, &query, &Filter::default(), None, SHOWN + 1)?;
            Ok(rows
                .into_iter()
                .map(|r| Found {
                    id: r.id,
                    legal_name: r.legal_name,
                    licence_number: r.licence_number,
                    status: r.certification_status,
                })
                .collect())
        })
        .await
}

pub async fn page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let ctx = Ctx::of(&req);
    let query: String = ctx.query("q").unwrap_or("").trim().chars().take(MAX_QUERY_CHARS).collect();
    let results = if query.chars().count() >= 2 {
        match search(&state, query.clone()).await {
            Ok(found) => Some(found),
            Err(err) => return app_error_page(&ctx, &err),
        }
    } else {
        None
    };
    let main = main(&ctx, &query, results.as_deref());
    Page::new(StatusCode::OK, ctx.t("home-title"), main).render(&ctx)
}

fn main(ctx: &Ctx, query: &str, results: Option<&[Found]>) -> Markup {
    html! {
        h1 { (ctx.t("home-title")) }
        p { (ctx.t("home-intro")) }
        form.search role="search" method="get" action="/" {
            div {
                label for="q" { (ctx.t("search-label")) }
                span.hint #q-hint { (ctx.t("search-hint")) }
                input #q type="search" name="q" value=(query) maxlength=(MAX_QUERY_CHARS) autocomplete="off"
                    aria-describedby="q-hint";
            }
            // A language the reader chose goes with the search, even where cookies are off.
            @if ctx.lang_was_chosen() {
                input type="hidden" name="lang" value=(ctx.tr.lang.code);
            }
            button type="submit" { (ctx.t("search-button")) }
        }
        @if !query.is_empty() && results.is_none() {
            p #too-short { (ctx.t("search-too-short")) }
        }
        @if let Some(found) = results {
            // The query, in whatever script, keeps its own direction inside the sentence (first
            // strong isolate … pop directional isolate).
            @let isolated = format!("\u{2068}{query}\u{2069}");
            @if found.is_empty() {
                p #no-results { (ctx.tr.t1("search-none", "query", isolated)) }
            } @else {
                h2 { (ctx.tr.t1("search-results", "query", isolated)) }
                ul #results {
                    @for agency in found.iter().take(SHOWN) {
                        li {
                            a href={ "/agencies/" (agency.id) } { bdi { (agency.legal_name) } }
                            " "
                            (status_badge(ctx, agency.status))
                            br;
                            span.hint { (ctx.t("card-licence-number")) ": " bdi { (agency.licence_number) } }
                        }
                    }
                }
                @if found.len() > SHOWN {
                    p { (ctx.t("search-more")) }
                }
            }
        }
        h2 { (ctx.t("what-title")) }
        p { (ctx.t("what-certified")) }
        ul {
            li { (ctx.t("what-fees")) }
            li { (ctx.t("what-passport")) }
            li { (ctx.t("what-contract")) }
            li { (ctx.t("what-change")) }
        }
        p.note { (ctx.t("report-invite")) " " a href="/report" { (ctx.t("nav-report")) } }
    }
}
