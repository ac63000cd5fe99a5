//! The forgiving registry search (`q` on `/v1/agencies` and `/v1/public/agencies`): typos, word
//! order, punctuation and legal forms, ranking, filters, paging, and that a search sees every
//! change committed before it.

use fairhire::domain::roles::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{TestApp, agency_body, id, ids};

fn named(n: u32, legal_name: &str, licence: &str, origin: &str) -> Value {
    let mut body = agency_body(n);
    body["legal_name"] = json!(legal_name);
    body["trading_names"] = json!([]);
    body["licence"]["number"] = json!(licence);
    body["licence"]["country"] = json!(origin);
    body["origin_countries"] = json!([origin]);
    body
}

#[tokio::test]
async fn misspelt_reordered_and_noisy_names_still_find_the_agency_best_first() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let himalayan =
        app.create_agency(&admin, &named(1, "Himalayan Overseas Manpower Pvt. Ltd.", "DoFE-11/2075", "NP")).await;
    let tours = app.create_agency(&admin, &named(2, "Himalayan Tours", "DoFE-12/2075", "NP")).await;
    let everest = app.create_agency(&admin, &named(3, "Everest Overseas", "DoFE-13/2075", "NP")).await;
    let noor = app.create_agency(&admin, &named(4, "Al-Noor Manpower W.L.L.", "RL-77", "BD")).await;
    // An agency whose licence number reads like a word of the others' names.
    let licence_word = app.create_agency(&admin, &named(5, "Sagarmatha Jobs", "OVERSEAS", "NP")).await;

    let search = |q: &str| {
        let (app, admin) = (&app, &admin);
        let path = format!("/v1/agencies?q={}", urlencode(q));
        async move { ids(&app.get_json(&path, Some(admin)).await) }
    };
    for q in ["himalyan oversaes", "overseas himalayan", "HIMALAYAN-OVERSEAS pvt ltd", "himlayan overseas manpower"] {
        assert_eq!(search(q).await, vec![id(&himalayan)], "{q}");
    }
    // One word: both Himalayan agencies, the name with fewer other words first.
    assert_eq!(search("himalyan").await, vec![id(&tours), id(&himalayan)]);
    // The licence number first, then names by similarity.
    assert_eq!(search("overseas").await, vec![id(&licence_word), id(&everest), id(&himalayan)]);
    assert_eq!(search("alnoor").await, vec![id(&noor)]);
    assert_eq!(search("al noor llc").await, vec![id(&noor)]);
    assert!(search("kathmandu").await.is_empty());
    assert!(search("himalayan overseas 2").await.is_empty(), "numbers are never guessed");

    // Filters still apply with `q`, and the public search ranks the same way.
    let page = app.get_json("/v1/agencies?q=manpower&origin=BD", Some(&admin)).await;
    assert_eq!(ids(&page), vec![id(&noor)]);
    assert!(ids(&app.get_json("/v1/agencies?q=himalayan&status=certified", Some(&admin)).await).is_empty());
    let public = app.get_json("/v1/public/agencies?q=himalyan", None).await;
    assert_eq!(ids(&public), vec![id(&tours), id(&himalayan)]);

    // Pages follow the ranking.
    let first = app.get_json("/v1/agencies?q=overseas&limit=2", Some(&admin)).await;
    assert_eq!(ids(&first), vec![id(&licence_word), id(&everest)]);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let rest = app.get_json(&format!("/v1/agencies?q=overseas&limit=2&cursor={cursor}"), Some(&admin)).await;
    assert_eq!(ids(&rest), vec![id(&himalayan)]);
    assert!(rest["next_cursor"].is_null());

    // An agency still sees only itself.
    let own = app.token_for(Role::Agency, None, Some(id(&tours))).await;
    assert_eq!(ids(&app.get_json("/v1/agencies?q=himalayan", Some(&own)).await), vec![id(&tours)]);
}

#[tokio::test]
async fn a_search_sees_every_change_committed_before_it() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &named(1, "Gorkha Manpower", "DoFE-21/2075", "NP")).await;
    assert_eq!(ids(&app.get_json("/v1/agencies?q=gorkha", Some(&admin)).await), vec![id(&agency)]);

    let path = format!("/v1/agencies/{}", id(&agency));
    let renamed = json!({"legal_name": "Annapurna Placement", "trading_names": ["Gorkali Jobs"]});
    assert_eq!(app.status(Method::PATCH, &path, &admin, Some(renamed)).await, 200);
    assert!(ids(&app.get_json("/v1/agencies?q=gorkha+manpower", Some(&admin)).await).is_empty());
    assert_eq!(ids(&app.get_json("/v1/agencies?q=anapurna", Some(&admin)).await), vec![id(&agency)]);
    assert_eq!(ids(&app.get_json("/v1/public/agencies?q=gorkali", None).await), vec![id(&agency)]);
}

fn urlencode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
