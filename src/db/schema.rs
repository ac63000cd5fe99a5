//! Table definitions shared by both backends. Only portable column types are used (see
//! architecture.md): UUIDs and JSON as Text, times as Timestamp (UTC).

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    agencies (id) {
        id -> Text,
        legal_name -> Text,
        /// JSON array of strings.
        trading_names -> Text,
        /// Lower-case ASCII fold of the legal and trading names, one per line, for search.
        licence_number -> Text,
        /// The licence number folded for comparison and uniqueness.
        licence_key -> Text,
        licence_authority -> Text,
        licence_country -> Text,
        licence_valid_from -> Nullable<Date>,
        licence_valid_until -> Nullable<Date>,
        /// JSON arrays of ISO 3166-1 alpha-2 codes, stored as `["NP","BD"]`.
        origin_countries -> Text,
        destination_countries -> Text,
        /// JSON array of sector names.
        sectors -> Text,
        /// JSON object, or NULL.
        address -> Nullable<Text>,
        website -> Nullable<Text>,
        contact_email -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        certification_status -> Text,
        grade -> Nullable<Text>,
        latest_score -> Nullable<Double>,
        version -> BigInt,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
        /// Who checked the licence against the issuing authority's register, when, and where.
        licence_verified_at -> Nullable<UtcTimestamp>,
        licence_verified_by -> Nullable<Text>,
        licence_source -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    api_clients (id) {
        id -> Text,
        name -> Text,
        role -> Text,
        certification_body_id -> Nullable<Text>,
        agency_id -> Nullable<Text>,
        secret_hash -> Text,
        created_by -> Nullable<Text>,
        created_at -> UtcTimestamp,
        revoked_at -> Nullable<UtcTimestamp>,
        /// A staff reference for the person using the client (not a name or email).
        person_ref -> Nullable<Text>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    idempotency_keys (client_id, idempotency_key) {
        client_id -> Text,
        idempotency_key -> Text,
        /// `METHOD path` the key was first used on.
        scope -> Text,
        /// SHA-256 of the first request body, to refuse a key reused for another request.
        request_hash -> Text,
        response_status -> Integer,
        response_body -> Text,
        response_location -> Nullable<Text>,
        response_etag -> Nullable<Text>,
        created_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    standards (version) {
        version -> Text,
        title -> Text,
        /// `draft`, `published` or `retired`.
        status -> Text,
        /// The whole `StandardContent` as JSON.
        content -> Text,
        created_at -> UtcTimestamp,
        published_at -> Nullable<UtcTimestamp>,
        retired_at -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    certification_bodies (id) {
        id -> Text,
        name -> Text,
        country -> Text,
        website -> Nullable<Text>,
        accreditation_status -> Text,
        accredited_until -> Nullable<Date>,
        version -> BigInt,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    applications (id) {
        id -> Text,
        agency_id -> Text,
        certification_body_id -> Text,
        /// `pending`, `accepted`, `deferred` or `rejected`.
        status -> Text,
        reason -> Nullable<Text>,
        created_by -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<UtcTimestamp>,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
        deferred_until -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    assessments (id) {
        id -> Text,
        agency_id -> Text,
        /// NULL for a self-assessment.
        certification_body_id -> Nullable<Text>,
        standard_version -> Text,
        kind -> Text,
        status -> Text,
        /// The API client (auditor or agency) that opened the assessment.
        lead_client_id -> Text,
        /// JSON `AuditMethods`.
        methods -> Text,
        overall_score -> Nullable<Double>,
        grade -> Nullable<Text>,
        /// JSON `ScoreResult`, fixed at finalization.
        score -> Nullable<Text>,
        version -> BigInt,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
        submitted_at -> Nullable<UtcTimestamp>,
        finalized_at -> Nullable<UtcTimestamp>,
        cancelled_at -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    findings (assessment_id, criterion_code) {
        assessment_id -> Text,
        criterion_code -> Text,
        severity -> Text,
        evidence -> Text,
        workers_interviewed -> Integer,
        /// JSON array of `FeeAmount`.
        fees -> Text,
        recorded_by -> Text,
        updated_at -> UtcTimestamp,
        /// JSON array of the sub-agent link ids the finding names (the sub-agent criterion only).
        sub_agent_ids -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    corrective_actions (id) {
        id -> Text,
        assessment_id -> Text,
        agency_id -> Text,
        certification_body_id -> Text,
        criterion_code -> Text,
        severity -> Text,
        /// `open`, `plan_submitted`, `evidence_submitted` or `verified`.
        status -> Text,
        plan -> Nullable<Text>,
        plan_submitted_at -> Nullable<UtcTimestamp>,
        evidence -> Nullable<Text>,
        evidence_submitted_at -> Nullable<UtcTimestamp>,
        verified_by -> Nullable<Text>,
        verified_at -> Nullable<UtcTimestamp>,
        rejection_reason -> Nullable<Text>,
        plan_due -> UtcTimestamp,
        closure_due -> UtcTimestamp,
        version -> BigInt,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    certificates (agency_id) {
        agency_id -> Text,
        number -> Text,
        certification_body_id -> Text,
        /// The audit the certification decision rests on.
        assessment_id -> Text,
        decided_by -> Text,
        valid_from -> UtcTimestamp,
        valid_until -> UtcTimestamp,
        next_surveillance_due -> UtcTimestamp,
        suspended_at -> Nullable<UtcTimestamp>,
        suspension_reason -> Nullable<Text>,
        updated_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    certification_events (id) {
        id -> Text,
        agency_id -> Text,
        from_status -> Text,
        to_status -> Text,
        /// An API client id, or `system` for the sweeper.
        actor -> Text,
        /// The automatic rule that fired, when the sweeper acted.
        rule -> Nullable<Text>,
        reason -> Text,
        certificate_number -> Nullable<Text>,
        occurred_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    /// One row per certification decision: an audit supports at most one.
    certification_decisions (assessment_id) {
        assessment_id -> Text,
        agency_id -> Text,
        certificate_number -> Text,
        decided_by -> Text,
        decided_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    /// The append-only, hash-chained event log (see the migration for the rules).
    events (sequence) {
        sequence -> BigInt,
        id -> Text,
        event_type -> Text,
        subject_type -> Text,
        subject_id -> Text,
        agency_id -> Nullable<Text>,
        certification_body_id -> Nullable<Text>,
        public -> Bool,
        actor -> Text,
        occurred_at -> UtcTimestamp,
        /// JSON, or NULL for a creation.
        previous_values -> Nullable<Text>,
        /// JSON, or NULL for a removal.
        current_values -> Nullable<Text>,
        previous_hash -> Text,
        hash -> Text,
        /// The event's personal fields, apart from the hashed values so that they can be erased:
        /// JSON `{"nonce", "previous", "current"}`, or NULL (none, or erased).
        personal_values -> Nullable<Text>,
        /// Hex SHA-256 of `personal_values` as written; the hash covers it, so it outlives an
        /// erasure.
        personal_digest -> Nullable<Text>,
        personal_erased_at -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    /// One row: the last link of the event chain.
    event_chain_head (id) {
        id -> Integer,
        last_sequence -> BigInt,
        last_hash -> Text,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    watchlist_entries (client_id, agency_id) {
        client_id -> Text,
        agency_id -> Text,
        added_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    webhook_subscriptions (id) {
        id -> Text,
        owner_client_id -> Text,
        url -> Text,
        description -> Nullable<Text>,
        /// JSON array of event types; empty: every type the owner may read.
        event_types -> Text,
        agency_id -> Nullable<Text>,
        country -> Nullable<Text>,
        corridor -> Nullable<Text>,
        watchlist_only -> Bool,
        secret_sealed -> Text,
        previous_secret_sealed -> Nullable<Text>,
        previous_secret_until -> Nullable<UtcTimestamp>,
        enabled -> Bool,
        disabled_at -> Nullable<UtcTimestamp>,
        disabled_reason -> Nullable<Text>,
        failing_since -> Nullable<UtcTimestamp>,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
        deleted_at -> Nullable<UtcTimestamp>,
        version -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    /// The webhook outbox.
    webhook_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        event_sequence -> BigInt,
        /// `pending`, `succeeded` or `failed`.
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> UtcTimestamp,
        claimed_by -> Nullable<Text>,
        claim_expires_at -> Nullable<UtcTimestamp>,
        last_attempt_at -> Nullable<UtcTimestamp>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<UtcTimestamp>,
        created_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    webhook_attempts (id) {
        id -> Text,
        delivery_id -> Text,
        attempted_at -> UtcTimestamp,
        instance -> Text,
        status_code -> Nullable<Integer>,
        latency_ms -> BigInt,
        error -> Nullable<Text>,
        retry_after_seconds -> Nullable<BigInt>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    worker_reports (id) {
        id -> Text,
        reference -> Text,
        follow_up_hash -> Text,
        agency_id -> Nullable<Text>,
        agency_name -> Nullable<Text>,
        category -> Text,
        /// JSON array of fee amounts.
        fees -> Text,
        country -> Nullable<Text>,
        occurred_on -> Nullable<Date>,
        description -> Text,
        contact_sealed -> Nullable<Text>,
        language -> Nullable<Text>,
        state -> Text,
        reason -> Nullable<Text>,
        reason_shareable -> Bool,
        moderated_by -> Nullable<Text>,
        received_at -> UtcTimestamp,
        decided_at -> Nullable<UtcTimestamp>,
        updated_at -> UtcTimestamp,
        version -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    sub_agent_links (id) {
        id -> Text,
        /// The agency the sub-agent or branch recruits for.
        agency_id -> Text,
        kind -> Text,
        /// The sub-agent when it is registered; null for one outside the registry.
        sub_agency_id -> Nullable<Text>,
        name -> Nullable<Text>,
        country -> Nullable<Text>,
        licence_number -> Nullable<Text>,
        created_by -> Text,
        created_at -> UtcTimestamp,
        removed_by -> Nullable<Text>,
        removed_at -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    sharing_grants (id) {
        id -> Text,
        agency_id -> Text,
        /// The integrator's API client.
        client_id -> Text,
        /// The last day (UTC) the grant gives access.
        valid_until -> Date,
        created_by -> Text,
        created_at -> UtcTimestamp,
        revoked_by -> Nullable<Text>,
        revoked_at -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    grant_reads (id) {
        id -> Text,
        grant_id -> Text,
        client_id -> Text,
        assessment_id -> Text,
        /// `findings` or `score_explanation`.
        what -> Text,
        read_at -> UtcTimestamp,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    evidence_files (id) {
        id -> Text,
        /// `assessment`, `finding` or `corrective_action`.
        parent_kind -> Text,
        /// The assessment (of an assessment or a finding) or the corrective action.
        parent_id -> Text,
        /// The finding's criterion, for a finding only.
        criterion_code -> Nullable<Text>,
        agency_id -> Text,
        certification_body_id -> Nullable<Text>,
        /// Null once erased.
        name -> Nullable<Text>,
        media_type -> Text,
        size_bytes -> BigInt,
        sha256 -> Text,
        names_workers -> Bool,
        uploaded_by -> Text,
        uploaded_at -> UtcTimestamp,
        erased_at -> Nullable<UtcTimestamp>,
    }
}

diesel::joinable!(api_clients -> agencies (agency_id));
diesel::joinable!(grant_reads -> sharing_grants (grant_id));
diesel::joinable!(webhook_deliveries -> webhook_subscriptions (subscription_id));
diesel::joinable!(webhook_deliveries -> events (event_sequence));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::joinable!(watchlist_entries -> agencies (agency_id));
diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    /// Technical reviews before certify, reinstate and withdraw decisions.
    technical_reviews (id) {
        id -> Text,
        agency_id -> Text,
        certification_body_id -> Text,
        /// `certify`, `reinstate` or `withdraw`.
        decision -> Text,
        assessment_id -> Nullable<Text>,
        certificate_number -> Nullable<Text>,
        /// `agree` or `returned`.
        outcome -> Text,
        reasons -> Nullable<Text>,
        reviewer -> Text,
        reviewer_person_ref -> Nullable<Text>,
        reviewed_at -> UtcTimestamp,
        used_at -> Nullable<UtcTimestamp>,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    /// Appeals of a refusal, suspension or withdrawal.
    appeals (id) {
        id -> Text,
        agency_id -> Text,
        certification_body_id -> Nullable<Text>,
        /// `refusal`, `suspension` or `withdrawal`.
        decision -> Text,
        decision_ref -> Text,
        decided_by -> Text,
        decided_at -> UtcTimestamp,
        grounds -> Text,
        /// `received`, `under_review`, `upheld` or `rejected`.
        state -> Text,
        outcome_reason -> Nullable<Text>,
        handled_by -> Nullable<Text>,
        filed_by -> Text,
        filed_at -> UtcTimestamp,
        closed_at -> Nullable<UtcTimestamp>,
        updated_at -> UtcTimestamp,
        version -> BigInt,
    }
}

diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    /// Complaints about a certification body or one of its auditors.
    complaints (id) {
        id -> Text,
        certification_body_id -> Text,
        subject_client_id -> Nullable<Text>,
        subject_person_ref -> Nullable<Text>,
        body_text -> Text,
        complainant -> Text,
        state -> Text,
        outcome_reason -> Nullable<Text>,
        handled_by -> Nullable<Text>,
        filed_at -> UtcTimestamp,
        closed_at -> Nullable<UtcTimestamp>,
        updated_at -> UtcTimestamp,
        version -> BigInt,
    }
}

diesel::joinable!(worker_reports -> agencies (agency_id));
diesel::joinable!(applications -> agencies (agency_id));
diesel::joinable!(applications -> certification_bodies (certification_body_id));
diesel::joinable!(assessments -> agencies (agency_id));
diesel::joinable!(findings -> assessments (assessment_id));
diesel::joinable!(corrective_actions -> assessments (assessment_id));
diesel::table! {
    use diesel::sql_types::*;
    use crate::db::types::UtcTimestamp;

    standard_translations (standard_version, language) {
        standard_version -> Text,
        /// A canonical BCP 47 tag.
        language -> Text,
        /// `draft` or `published`.
        status -> Text,
        /// The whole `TranslationContent` as JSON.
        content -> Text,
        version -> BigInt,
        created_at -> UtcTimestamp,
        updated_at -> UtcTimestamp,
        published_at -> Nullable<UtcTimestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    agencies,
    api_clients,
    idempotency_keys,
    standards,
    certification_bodies,
    applications,
    assessments,
    findings,
    corrective_actions,
    certificates,
    certification_events,
    certification_decisions,
    events,
    event_chain_head,
    watchlist_entries,
    webhook_subscriptions,
    webhook_deliveries,
    webhook_attempts,
    worker_reports,
    sub_agent_links,
    sharing_grants,
    grant_reads,
    evidence_files,
    standard_translations,
    technical_reviews,
    appeals,
    complaints,
);
