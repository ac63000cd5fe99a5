//! HTTP: parse, authorize, call one service operation, shape the answer. Changes go through
//! `services`; reads may use `store` directly.

pub(crate) mod agencies;
pub(crate) mod agency_model;
pub(crate) mod answers;
pub(crate) mod appeals;
pub(crate) mod applications;
pub(crate) mod assessment_model;
pub(crate) mod assessments;
pub(crate) mod certification;
pub(crate) mod certification_bodies;
pub(crate) mod clients;
pub(crate) mod conditional;
pub(crate) mod corrective_actions;
pub(crate) mod erasures;
pub(crate) mod event_model;
pub(crate) mod events;
pub(crate) mod evidence_files;
pub(crate) mod exports;
pub(crate) mod extract;
pub(crate) mod fallback;
pub(crate) mod fee_evidence;
pub(crate) mod forwarded;
pub(crate) mod grants;
pub(crate) mod health;
pub(crate) mod idempotency;
pub(crate) mod metrics;
pub(crate) mod middleware;
pub(crate) mod oauth;
pub(crate) mod openapi;
pub(crate) mod pagination;
pub(crate) mod problems;
pub(crate) mod public;
pub(crate) mod reports;
pub(crate) mod reviews;
pub(crate) mod standards;
pub(crate) mod sub_agents;
pub(crate) mod translations;
pub(crate) mod verification_csv;
pub(crate) mod verification_model;
pub(crate) mod verifications;
pub(crate) mod watchlist;
pub(crate) mod webhooks;

use utoipa_actix_web::scope;
use utoipa_actix_web::service_config::ServiceConfig;

/// Registers every documented route. Routes registered here appear in the OpenAPI document;
/// there is no other way to add one.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(health::healthz).service(health::readyz).service(metrics::metrics).service(oauth::jwks).service(
        scope("/v1")
            .service(oauth::create_token)
            .service(clients::list_clients)
            .service(clients::create_client_route)
            .service(clients::revoke_client)
            .service(agencies::list_agencies)
            .service(agencies::create_agency)
            .service(agencies::get_agency)
            .service(agencies::update_agency)
            .service(public::list_public_agencies)
            .service(public::get_public_agency)
            .service(public::get_attestation)
            .service(reports::create_report)
            .service(reports::get_report_follow_up)
            .service(reports::list_reports)
            .service(reports::get_report)
            .service(reports::moderate_report)
            .service(erasures::erase_personal_data)
            .service(applications::create_application)
            .service(applications::list_applications)
            .service(applications::get_application)
            .service(applications::decide_application)
            .service(certification::get_certification)
            .service(certification::create_transition)
            .service(certification::get_due_diligence)
            .service(reviews::create_audit_review)
            .service(reviews::list_audit_reviews)
            .service(reviews::create_certificate_review)
            .service(reviews::list_certification_reviews)
            .service(appeals::create_appeal)
            .service(appeals::list_appeals)
            .service(appeals::get_appeal)
            .service(appeals::move_appeal)
            .service(appeals::create_complaint)
            .service(appeals::list_complaints)
            .service(appeals::get_complaint)
            .service(appeals::move_complaint)
            .service(sub_agents::list_sub_agents)
            .service(sub_agents::create_sub_agent)
            .service(sub_agents::delete_sub_agent)
            .service(grants::create_grant)
            .service(grants::list_grants)
            .service(grants::revoke_grant)
            .service(grants::list_grant_reads)
            .service(standards::list_standards)
            .service(standards::create_standard)
            .service(standards::get_standard)
            .service(standards::publish_standard)
            .service(standards::retire_standard)
            .service(translations::list_translations)
            .service(translations::get_translation)
            .service(translations::save_translation)
            .service(translations::publish_translation)
            .service(certification_bodies::list_certification_bodies)
            .service(certification_bodies::create_certification_body)
            .service(certification_bodies::get_certification_body)
            .service(certification_bodies::update_certification_body)
            .service(assessments::list_assessments)
            .service(assessments::create_assessment)
            .service(assessments::get_assessment)
            .service(assessments::put_finding)
            .service(assessments::submit_assessment)
            .service(assessments::finalize_assessment)
            .service(assessments::cancel_assessment)
            .service(assessments::get_assessment_score)
            .service(corrective_actions::list_corrective_actions)
            .service(corrective_actions::get_corrective_action)
            .service(corrective_actions::submit_plan)
            .service(corrective_actions::submit_evidence)
            .service(corrective_actions::verify)
            .service(corrective_actions::reject)
            .service(evidence_files::upload_assessment_file)
            .service(evidence_files::list_assessment_files)
            .service(evidence_files::upload_finding_file)
            .service(evidence_files::upload_corrective_action_file)
            .service(evidence_files::list_corrective_action_files)
            .service(evidence_files::get_file)
            .service(evidence_files::download_file)
            .service(evidence_files::delete_file)
            .service(events::list_events)
            .service(events::verify_event_log)
            .service(events::list_assessment_events)
            .service(watchlist::list_watchlist)
            .service(watchlist::add_to_watchlist)
            .service(watchlist::remove_from_watchlist)
            .service(verifications::verify_agencies)
            .service(webhooks::list_webhooks)
            .service(webhooks::create_webhook)
            .service(webhooks::get_webhook)
            .service(webhooks::delete_webhook)
            .service(webhooks::rotate_webhook_secret)
            .service(webhooks::enable_webhook)
            .service(webhooks::list_webhook_deliveries)
            .service(webhooks::redeliver_webhook_delivery)
            .service(fee_evidence::list_fee_evidence)
            .service(exports::export_registry_csv)
            .service(exports::export_registry_json)
            .service(exports::export_fee_evidence_csv)
            .service(exports::export_fee_evidence_json),
    );
}

/// The OpenAPI document, as generated from the routes.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) =
        actix_web::App::new().into_utoipa_app().openapi(openapi::base()).configure(routes).split_for_parts();
    openapi::add_common_responses(&mut doc);
    doc
}

use utoipa_actix_web::AppExt;
