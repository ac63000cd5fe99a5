//! Rows are typed: a stored value that cannot be read is an internal error naming its table
//! and column (never a silent default), and a lost update is refused.

use fairhire::error::AppError;
use reqwest::Method;

use crate::helpers::*;

#[tokio::test]
async fn an_unreadable_stored_value_names_its_table_and_column_and_answers_500() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let agency_id = id(&agency);
    assert_eq!(app.stored_agency_error(agency_id).await, None);

    app.corrupt("agencies", "certification_status", agency_id, "half_certified").await;
    let error = app.stored_agency_error(agency_id).await.expect("the row cannot be read");
    assert!(error.contains("agencies.certification_status"), "{error}");
    assert!(error.contains("half_certified"), "{error}");
    let res = app.send(Method::GET, &format!("/v1/agencies/{agency_id}"), &admin, None).await;
    let problem = assert_problem(res, 500, "internal").await;
    assert!(!problem.to_string().contains("half_certified"), "the cause is logged, never sent: {problem}");

    // A JSON column is read the same way.
    app.corrupt("agencies", "certification_status", agency_id, "certified").await;
    app.corrupt("agencies", "origin_countries", agency_id, "NP,BD").await;
    let error = app.stored_agency_error(agency_id).await.expect("the row cannot be read");
    assert!(error.contains("agencies.origin_countries"), "{error}");
}

#[tokio::test]
async fn a_save_based_on_a_stale_read_is_refused_as_a_conflict() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let (first, second) = app.save_agency_twice_from_one_read(id(&agency)).await;
    assert!(first.is_ok(), "{first:?}");
    assert!(matches!(second, Err(AppError::Conflict(ref d)) if d.contains("agency changed")), "{second:?}");
}
