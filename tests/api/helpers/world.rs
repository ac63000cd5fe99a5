//! The usual cast of a test, built through the HTTP API: registered agencies and bodies, staff
//! who log in as real clients, applications, standards and finalized audits.

use fairhire::clock::FixedClock;
use fairhire::domain::roles::Role;
use jsonwebtoken::jwk::JwkSet;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

use super::{TEST_STANDARD, TestApp, agency_body, certification_body, id, start, test_standard};

/// The usual cast, on a fixed clock standing at [`start`]: an admin, an accredited body with its
/// staff, a registered agency that has applied nowhere yet, and an integrator.
pub struct World {
    pub app: TestApp,
    pub clock: FixedClock,
    pub admin: String,
    pub body: Body,
    pub agency: Agency,
    pub integrator: String,
}

/// An accredited certification body and its staff: an auditor and a certifier, two people.
pub struct Body {
    pub id: String,
    /// A token of the body's auditor, a client with the person reference [`Body::auditor_ref`].
    pub auditor: String,
    pub auditor_ref: String,
    /// A token of the body's certifier, another person than the auditor.
    pub certifier: String,
    /// A token of a second certifier of the body (`B{n}-REVIEWER`), who records technical
    /// reviews: a third person, as the default policy wants before a certification.
    pub reviewer: String,
}

/// A registered agency and a token of its own.
pub struct Agency {
    pub id: String,
    pub token: String,
}

// ---------------------------------------------------------------------------------------------
// Clients and tokens

impl TestApp {
    /// A token of a new admin client.
    pub async fn admin(&self) -> String {
        self.token_for(Role::Admin, None, None).await
    }

    /// Creates a client through the API, as `admin`; returns its id and secret.
    pub async fn create_client(&self, admin: &str, body: &Value) -> (String, String) {
        let created = self.post_created("/v1/clients", admin, body).await;
        (created["client_id"].as_str().unwrap().to_owned(), created["client_secret"].as_str().unwrap().to_owned())
    }

    /// Asks the token endpoint for a token, with a client's id and secret (HTTP Basic).
    pub async fn request_token(&self, client_id: &str, secret: &str) -> Response {
        self.http
            .post(self.url("/v1/oauth/token"))
            .basic_auth(client_id, Some(secret))
            .form(&[("grant_type", "client_credentials")])
            .send()
            .await
            .unwrap()
    }

    /// Posts `form` to the token endpoint, as it is.
    pub async fn post_token_form(&self, form: &[(&str, &str)]) -> Response {
        self.http.post(self.url("/v1/oauth/token")).form(form).send().await.unwrap()
    }

    /// An access token from [`request_token`](Self::request_token), which must succeed.
    pub async fn client_credentials_token(&self, client_id: &str, secret: &str) -> String {
        let res = self.request_token(client_id, secret).await;
        assert_eq!(res.status(), StatusCode::OK);
        res.json::<Value>().await.unwrap()["access_token"].as_str().unwrap().to_owned()
    }

    /// A token of a new auditor or certifier client of `body_id`, used by the person `person_ref`.
    pub async fn staff_token(&self, admin: &str, role: Role, body_id: &str, person_ref: &str) -> String {
        let body = json!({"name": format!("{} {person_ref}", role.as_str()), "role": role.as_str(),
            "certification_body_id": body_id, "person_ref": person_ref});
        let (client_id, secret) = self.create_client(admin, &body).await;
        self.client_credentials_token(&client_id, &secret).await
    }

    /// A token for each role but admin: auditor and certifier of `body_id`, the agency
    /// `agency_id`, and an integrator.
    pub async fn non_admin_tokens(&self, body_id: &str, agency_id: &str) -> Vec<(Role, String)> {
        vec![
            (Role::Auditor, self.token_for(Role::Auditor, Some(body_id), None).await),
            (Role::Certifier, self.token_for(Role::Certifier, Some(body_id), None).await),
            (Role::Agency, self.token_for(Role::Agency, None, Some(agency_id)).await),
            (Role::Integrator, self.token_for(Role::Integrator, None, None).await),
        ]
    }

    /// The published JSON Web Key Set.
    pub async fn jwks(&self) -> JwkSet {
        self.http.get(self.url("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap()
    }
}

// ---------------------------------------------------------------------------------------------
// Agencies, bodies and applications

impl TestApp {
    /// Registers an agency as an admin and returns its JSON.
    pub async fn create_agency(&self, admin: &str, body: &Value) -> Value {
        self.post_created("/v1/agencies", admin, body).await
    }

    /// Registers a certification body as an admin and returns its JSON.
    pub async fn create_body(&self, admin: &str, body: &Value) -> Value {
        self.post_created("/v1/certification-bodies", admin, body).await
    }

    /// The agency [`agency_body`]`(n)`, registered, with a token of its own.
    pub async fn agency(&self, admin: &str, n: u32) -> Agency {
        let created = self.create_agency(admin, &agency_body(n)).await;
        let id = id(&created).to_owned();
        Agency { token: self.token_for(Role::Agency, None, Some(&id)).await, id }
    }

    /// The accredited body [`certification_body`]`(n)`, with an auditor and a certifier who log
    /// in as real clients, with the person references `B{n}-AUDITOR` and `B{n}-CERTIFIER`.
    pub async fn body_with_staff(&self, admin: &str, n: u32) -> Body {
        let created = self.create_body(admin, &certification_body(n, "accredited")).await;
        let id = id(&created).to_owned();
        let auditor_ref = format!("B{n}-AUDITOR");
        Body {
            auditor: self.staff_token(admin, Role::Auditor, &id, &auditor_ref).await,
            certifier: self.staff_token(admin, Role::Certifier, &id, &format!("B{n}-CERTIFIER")).await,
            reviewer: self.staff_token(admin, Role::Certifier, &id, &format!("B{n}-REVIEWER")).await,
            auditor_ref,
            id,
        }
    }

    /// Applies for the agency to the body; `None` sends no token.
    pub async fn apply(&self, token: Option<&str>, agency_id: &str, body_id: &str) -> Response {
        self.request(Method::POST, &format!("/v1/agencies/{agency_id}/applications"), token)
            .json(&json!({"certification_body_id": body_id}))
            .send()
            .await
            .unwrap()
    }

    /// The agency's `certification_status`, as `token` reads it.
    pub async fn certification_status(&self, token: &str, agency_id: &str) -> Value {
        self.get_json(&format!("/v1/agencies/{agency_id}"), Some(token)).await["certification_status"].clone()
    }

    /// The admin assigns the agency to the body: an application accepted at once.
    pub async fn assign(&self, admin: &str, agency: &Agency, body: &Body) {
        let res = self.apply(Some(admin), &agency.id, &body.id).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(res.json::<Value>().await.unwrap()["status"], "accepted");
    }

    /// The agency `n`, [assigned](Self::assign) by the admin to `body`.
    pub async fn agency_that_applied(&self, admin: &str, n: u32, body: &Body) -> Agency {
        let agency = self.agency(admin, n).await;
        self.assign(admin, &agency, body).await;
        agency
    }
}

// ---------------------------------------------------------------------------------------------
// Standards and assessments

impl TestApp {
    /// Posts a standard (a draft) with `token`.
    pub async fn create_standard(&self, token: &str, body: &Value) -> Response {
        self.request(Method::POST, "/v1/standards", Some(token)).json(body).send().await.unwrap()
    }

    /// Moves a standard `to` "publish" or "retire"; `None` sends no token.
    pub async fn standard_transition(&self, token: Option<&str>, version: &str, to: &str) -> Response {
        self.request(Method::POST, &format!("/v1/standards/{version}/{to}"), token).send().await.unwrap()
    }

    /// Creates and publishes [`test_standard`]; published last, it is the one audits use unless
    /// they name another.
    pub async fn publish_test_standard(&self, admin: &str) {
        let res = self.create_standard(admin, &test_standard()).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        assert_eq!(res.json::<Value>().await.unwrap()["status"], "draft");
        let res = self.standard_transition(Some(admin), TEST_STANDARD, "publish").await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.json::<Value>().await.unwrap()["status"], "published");
    }

    /// Opens an assessment with `token`; returns its id.
    pub async fn open_assessment(&self, token: &str, body: &Value) -> String {
        id(&self.post_created("/v1/assessments", token, body).await).to_owned()
    }

    /// Records a finding of `severity` on `code`; returns the assessment.
    pub async fn record_finding(&self, token: &str, assessment_id: &str, code: &str, severity: &str) -> Value {
        let path = format!("/v1/assessments/{assessment_id}/findings/{code}");
        self.ok(Method::PUT, &path, token, Some(json!({"severity": severity, "evidence": "seen"}))).await
    }

    /// An audit of `kind` of the agency by the body's auditor, against the latest published
    /// standard: `findings` as given, conformant elsewhere; submitted and finalized. Returns its id.
    pub async fn finalized_audit(&self, agency: &Agency, body: &Body, kind: &str, findings: &[(&str, &str)]) -> String {
        self.finalized_assessment(&body.auditor, &agency.id, kind, findings).await
    }

    /// The agency's own self-assessment, as [`finalized_audit`](Self::finalized_audit) files an audit.
    pub async fn finalized_self_assessment(&self, agency: &Agency, findings: &[(&str, &str)]) -> String {
        self.finalized_assessment(&agency.token, &agency.id, "self_assessment", findings).await
    }

    async fn finalized_assessment(
        &self,
        token: &str,
        agency_id: &str,
        kind: &str,
        findings: &[(&str, &str)],
    ) -> String {
        let mut opening = json!({"agency_id": agency_id, "kind": kind});
        if kind != "self_assessment" {
            opening["methods"] = json!({"documents_reviewed": true, "worker_interviews": 20});
        }
        let opened = self.post_created("/v1/assessments", token, &opening).await;
        let id = id(&opened).to_owned();
        let version = opened["standard_version"].as_str().unwrap();
        let standard = self.get_json(&format!("/v1/standards/{version}"), Some(token)).await;
        let criteria: Vec<&str> =
            standard["criteria"].as_array().unwrap().iter().map(|c| c["code"].as_str().unwrap()).collect();
        for (code, _) in findings {
            assert!(criteria.contains(code), "{code} is no criterion of {version}");
        }
        for code in criteria {
            let severity = findings.iter().find(|(c, _)| *c == code).map_or("conformant", |(_, s)| *s);
            self.record_finding(token, &id, code, severity).await;
        }
        self.ok(Method::POST, &format!("/v1/assessments/{id}/submit"), token, None).await;
        let finalized = self.ok(Method::POST, &format!("/v1/assessments/{id}/finalize"), token, None).await;
        assert_eq!(finalized["status"], "finalized");
        id
    }
}

// ---------------------------------------------------------------------------------------------
// The world

impl World {
    pub async fn at_start() -> World {
        let (app, clock) = TestApp::spawn_at(start()).await;
        let admin = app.admin().await;
        let body = app.body_with_staff(&admin, 1).await;
        let agency = app.agency(&admin, 1).await;
        World { integrator: app.token_for(Role::Integrator, None, None).await, app, clock, admin, body, agency }
    }

    /// The agency applies; the body's certifier accepts.
    pub async fn apply_and_accept(&self) {
        let res = self.app.apply(Some(&self.agency.token), &self.agency.id, &self.body.id).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let application: Value = res.json().await.unwrap();
        assert_eq!(application["status"], "pending");
        let decision = format!("/v1/applications/{}/decision", id(&application));
        let accepted =
            self.app.ok(Method::POST, &decision, &self.body.certifier, Some(json!({"decision": "accept"}))).await;
        assert_eq!(accepted["status"], "accepted");
    }

    /// An audit of the agency by the body, of `kind`, with the given findings (conformant
    /// elsewhere), finalized: see [`TestApp::finalized_audit`].
    pub async fn audit(&self, kind: &str, findings: &[(&str, &str)]) -> String {
        self.app.finalized_audit(&self.agency, &self.body, kind, findings).await
    }

    /// Asks for a certification transition of the agency with `token`.
    pub async fn decide(&self, token: &str, transition: Value) -> Response {
        let path = format!("/v1/agencies/{}/certification/transitions", self.agency.id);
        self.app.send(Method::POST, &path, token, Some(transition)).await
    }

    /// Records a technical review of `audit` with `token`: `outcome` `agree` or `returned`.
    pub async fn review_audit(&self, token: &str, audit: &str, outcome: &str) -> Response {
        let body = json!({"outcome": outcome, "reasons": format!("reviewed: {outcome}")});
        self.app.send(Method::POST, &format!("/v1/assessments/{audit}/reviews"), token, Some(body)).await
    }

    /// The body's reviewer agrees that `audit` supports certification.
    pub async fn agree_audit(&self, audit: &str) {
        let res = self.review_audit(&self.body.reviewer, audit, "agree").await;
        assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    }

    /// Records a technical review of a `reinstate` or `withdraw` of the agency's certificate.
    pub async fn review_certificate(&self, token: &str, decision: &str, outcome: &str) -> Response {
        let body = json!({"decision": decision, "outcome": outcome, "reasons": format!("reviewed: {outcome}")});
        let path = format!("/v1/agencies/{}/certification/reviews", self.agency.id);
        self.app.send(Method::POST, &path, token, Some(body)).await
    }

    /// The body's reviewer agrees to a `reinstate` or `withdraw` of the agency's certificate.
    pub async fn agree_certificate(&self, decision: &str) {
        let res = self.review_certificate(&self.body.reviewer, decision, "agree").await;
        assert_eq!(res.status(), StatusCode::CREATED, "{}", res.text().await.unwrap());
    }

    /// The agency's certification, as the integrator reads it.
    pub async fn certification(&self) -> Value {
        let path = format!("/v1/agencies/{}/certification", self.agency.id);
        self.app.ok(Method::GET, &path, &self.integrator, None).await
    }

    /// Applied, accepted, audited clean (stage 2), reviewed by the body's reviewer and certified
    /// by its certifier.
    pub async fn certified(&self) -> Value {
        self.apply_and_accept().await;
        let audit = self.audit("stage2", &[]).await;
        self.agree_audit(&audit).await;
        let certify = json!({"action": "certify", "assessment_id": audit, "reason": "clean stage 2"});
        let res = self.decide(&self.body.certifier, certify).await;
        assert_eq!(res.status(), StatusCode::OK, "{}", res.text().await.unwrap());
        self.certification().await
    }
}
