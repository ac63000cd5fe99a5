//! HTTP semantics every route shares: `HEAD` wherever `GET` is answered, and CORS on the public
//! paths only.

use reqwest::header::HeaderMap;
use reqwest::{Method, Response, StatusCode};

use crate::helpers::{MISSING, TestApp, agency_body, assert_problem, id};

/// The headers of an answer that must be the same for a `GET` and a `HEAD` of one resource:
/// all but the ones that name this request or this moment (what is left of the rate limit).
fn stable_headers(headers: &HeaderMap) -> Vec<(String, String)> {
    let mut stable: Vec<(String, String)> = headers
        .iter()
        .filter(|(name, _)| !["x-request-id", "date", "ratelimit"].contains(&name.as_str()))
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    stable.sort();
    stable
}

#[tokio::test]
async fn head_is_answered_wherever_get_is_with_the_same_status_and_headers_and_no_body() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let agency_id = id(&agency).to_owned();
    let paths = [
        "/healthz".to_owned(),
        "/readyz".to_owned(),
        "/.well-known/jwks.json".to_owned(),
        "/openapi.json".to_owned(),
        "/docs/".to_owned(),
        "/docs".to_owned(),
        "/v1/public/agencies".to_owned(),
        format!("/v1/public/agencies/{agency_id}"),
        format!("/v1/agencies/{agency_id}"),
        "/v1/agencies?limit=1".to_owned(),
        "/v1/standards".to_owned(),
        // Errors too: a HEAD is refused exactly like the GET.
        format!("/v1/public/agencies/{MISSING}"),
        "/v1/public/agencies?limit=0".to_owned(),
        "/v1/nothing-here".to_owned(),
    ];
    let no_redirects = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for path in &paths {
        let get = no_redirects.get(app.url(path)).bearer_auth(&admin).send().await.unwrap();
        let head = no_redirects.head(app.url(path)).bearer_auth(&admin).send().await.unwrap();
        assert_eq!(head.status(), get.status(), "HEAD {path}");
        assert_ne!(head.status(), StatusCode::METHOD_NOT_ALLOWED, "HEAD {path}");
        assert!(head.headers().contains_key("x-request-id"), "HEAD {path}");
        assert_eq!(stable_headers(head.headers()), stable_headers(get.headers()), "HEAD {path}");
        // Content-Length announces the body a GET gets (and is equal for both, checked above).
        let announced = get.headers().get("content-length").map(|v| v.to_str().unwrap().parse::<usize>().unwrap());
        let get_body = get.bytes().await.unwrap();
        assert_eq!(announced, Some(get_body.len()), "GET {path}");
        assert_eq!(head.bytes().await.unwrap().len(), 0, "HEAD {path} sends no body");
    }

    // A token is still required for HEAD where it is for GET.
    let res = app.http.head(app.url("/v1/agencies")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers()["content-type"], "application/problem+json");

    // The attestation: the same media type and cache rule, no body.
    let res = app.http.head(app.url(&format!("/v1/public/agencies/{agency_id}/attestation"))).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/jose");
    assert_eq!(res.headers()["cache-control"], "public, no-cache");
    assert!(res.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn allow_names_head_for_get_routes_and_head_is_refused_where_get_is() {
    let app = TestApp::spawn().await;
    for (method, path, allow) in [
        (Method::DELETE, format!("/v1/agencies/{MISSING}"), "GET, HEAD, PATCH"),
        (Method::PUT, "/v1/agencies".to_owned(), "GET, HEAD, POST"),
        (Method::POST, "/healthz".to_owned(), "GET, HEAD"),
        (Method::OPTIONS, "/v1/agencies".to_owned(), "GET, HEAD, POST"),
        (Method::POST, "/v1/public/agencies".to_owned(), "GET, HEAD, OPTIONS"),
        (Method::DELETE, "/.well-known/jwks.json".to_owned(), "GET, HEAD, OPTIONS"),
        (Method::GET, "/v1/oauth/token".to_owned(), "POST"),
        (Method::HEAD, "/v1/oauth/token".to_owned(), "POST"),
        (Method::HEAD, format!("/v1/assessments/{MISSING}/submit"), "POST"),
    ] {
        let res = app.send_anonymous(method.clone(), &path, None).await;
        assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert_eq!(res.headers()["allow"], allow, "{method} {path}");
        if method != Method::HEAD {
            assert_problem(res, 405, "method-not-allowed").await;
        }
    }
}

/// The CORS headers of an answer.
fn cors_headers(res: &Response) -> Vec<(String, String)> {
    let mut cors: Vec<(String, String)> = res
        .headers()
        .iter()
        .filter(|(name, _)| name.as_str().starts_with("access-control-"))
        .map(|(name, value)| (name.to_string(), value.to_str().unwrap().to_owned()))
        .collect();
    cors.sort();
    cors
}

fn answer_headers() -> Vec<(String, String)> {
    vec![
        ("access-control-allow-origin".into(), "*".into()),
        ("access-control-expose-headers".into(), "X-Request-Id, Retry-After, RateLimit, RateLimit-Policy".into()),
    ]
}

#[tokio::test]
async fn the_public_paths_may_be_read_from_any_origin_and_nothing_else_may() {
    let (app, admin) = TestApp::spawn_as_admin().await;
    let agency = app.create_agency(&admin, &agency_body(1)).await;
    let agency_id = id(&agency).to_owned();
    let origin = "https://ngo.example.org";

    // Answers, errors included, carry the wildcard, with or without an Origin header.
    for (method, path, status) in [
        (Method::GET, "/v1/public/agencies".to_owned(), 200),
        (Method::GET, format!("/v1/public/agencies/{agency_id}"), 200),
        (Method::GET, format!("/v1/public/agencies/{agency_id}/attestation"), 200),
        (Method::HEAD, format!("/v1/public/agencies/{agency_id}/attestation"), 200),
        (Method::GET, "/.well-known/jwks.json".to_owned(), 200),
        (Method::HEAD, "/.well-known/jwks.json".to_owned(), 200),
        (Method::GET, format!("/v1/public/agencies/{MISSING}"), 404),
        (Method::GET, "/v1/public/agencies?limit=0".to_owned(), 422),
        (Method::GET, "/v1/public/agencies?limit=abc".to_owned(), 400),
        (Method::GET, "/v1/public/agencies/x?%00".to_owned(), 400),
        (Method::POST, "/v1/public/agencies".to_owned(), 405),
    ] {
        for with_origin in [true, false] {
            let mut request = app.http.request(method.clone(), app.url(&path));
            if with_origin {
                request = request.header("origin", origin);
            }
            let res = request.send().await.unwrap();
            assert_eq!(res.status().as_u16(), status, "{method} {path}");
            assert_eq!(cors_headers(&res), answer_headers(), "{method} {path}");
            assert!(!res.headers().contains_key("access-control-allow-credentials"));
        }
    }

    // A preflight: 204, the methods of the path, the headers a page may send, how long to keep it.
    for path in [
        "/v1/public/agencies".to_owned(),
        format!("/v1/public/agencies/{agency_id}"),
        format!("/v1/public/agencies/{agency_id}/attestation"),
        "/.well-known/jwks.json".to_owned(),
    ] {
        let res = app
            .http
            .request(Method::OPTIONS, app.url(&path))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", "x-request-id")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::NO_CONTENT, "{path}");
        assert_eq!(res.headers()["allow"], "GET, HEAD, OPTIONS");
        assert!(res.headers().contains_key("x-request-id"), "a preflight is logged like any request");
        assert_eq!(
            cors_headers(&res),
            vec![
                ("access-control-allow-headers".into(), "Accept, Content-Type, X-Request-Id".into()),
                ("access-control-allow-methods".into(), "GET, HEAD, OPTIONS".into()),
                ("access-control-allow-origin".into(), "*".into()),
                ("access-control-max-age".into(), "7200".into()),
            ],
            "{path}"
        );
        assert!(res.bytes().await.unwrap().is_empty());
    }
    // A path that does not exist is still a 404, readable by the page.
    let res = app.http.request(Method::OPTIONS, app.url("/v1/public/nothing")).header("origin", origin).send().await;
    let res = res.unwrap();
    assert_eq!(cors_headers(&res), answer_headers());
    assert_problem(res, 404, "not-found").await;

    // Every other route sends no CORS header, and refuses OPTIONS as before.
    for (method, path) in [
        (Method::GET, "/healthz".to_owned()),
        (Method::GET, "/openapi.json".to_owned()),
        (Method::GET, "/v1/agencies".to_owned()),
        (Method::GET, format!("/v1/agencies/{agency_id}")),
        (Method::POST, "/v1/oauth/token".to_owned()),
        (Method::OPTIONS, "/v1/agencies".to_owned()),
        (Method::OPTIONS, "/v1/oauth/token".to_owned()),
        (Method::GET, "/v1/publicity".to_owned()),
    ] {
        let res = app
            .http
            .request(method.clone(), app.url(&path))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
            .await
            .unwrap();
        assert_eq!(cors_headers(&res), Vec::<(String, String)>::new(), "{method} {path}");
        if method == Method::OPTIONS {
            assert_eq!(res.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        }
    }
}

#[tokio::test]
async fn a_rate_limited_public_answer_is_readable_cross_origin() {
    let app = TestApp::spawn_with(|c| {
        c.limits.api_per_second = 1;
        c.limits.api_burst = 1;
    })
    .await;
    let mut last = None;
    for _ in 0..3 {
        last =
            Some(app.http.get(app.url("/v1/public/agencies")).header("origin", "https://ngo.example.org").send().await);
    }
    let res = last.unwrap().unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(cors_headers(&res), answer_headers());
    assert!(res.headers().contains_key("retry-after"));
}
