//! The frame of every page: landmarks (header with the language switcher, main, footer), one
//! stylesheet, no script, no font, nothing from another site.

use maud::{DOCTYPE, Markup, html};

use super::Ctx;
use super::assets::css_path;
use super::i18n::LANGS;

pub fn page(ctx: &Ctx, title: &str, main: Markup) -> Markup {
    let lang = ctx.tr.lang;
    html! {
        (DOCTYPE)
        html lang=(lang.code) dir=(lang.dir()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · " (ctx.t("site-name")) }
                link rel="stylesheet" href=(css_path());
                // No favicon request.
                link rel="icon" href="data:,";
            }
            body {
                header {
                    a.skip href="#main" { (ctx.t("skip-link")) }
                    p.brand { a href="/" { (ctx.t("site-name")) } }
                    nav #languages aria-label=(ctx.t("languages-label")) {
                        ul {
                            @for other in &LANGS {
                                li {
                                    a href=(ctx.lang_href(other)) lang=(other.code) hreflang=(other.code)
                                        dir=(other.dir())
                                        aria-current=[(other.code == lang.code).then_some("true")] { (other.name) }
                                }
                            }
                        }
                    }
                }
                main #main tabindex="-1" { (main) }
                footer {
                    nav aria-label=(ctx.t("footer-nav-label")) {
                        ul {
                            li { a href="/" { (ctx.t("nav-search")) } }
                            li { a href="/report" { (ctx.t("nav-report")) } }
                        }
                    }
                    p { (ctx.t("footer-text")) }
                }
            }
        }
    }
}

/// The main part of an error page.
pub fn error_main(ctx: &Ctx, title: &str, text: &str) -> Markup {
    html! {
        h1 { (title) }
        p #error-text { (text) }
        p { a href="/" { (ctx.t("error-back-home")) } }
    }
}
