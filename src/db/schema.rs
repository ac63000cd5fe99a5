//! Table definitions shared by both backends. Only portable column types are used (see
//! architecture.md): UUIDs and JSON as Text, times as Timestamp (UTC).

diesel::table! {
    agencies (id) {
        id -> Text,
        legal_name -> Text,
        /// JSON array of strings.
        trading_names -> Text,
        /// Lower-case ASCII fold of the legal and trading names, one per line, for search.
        search_text -> Text,
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
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        name -> Text,
        role -> Text,
        certification_body_id -> Nullable<Text>,
        agency_id -> Nullable<Text>,
        secret_hash -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        /// A staff reference for the person using the client (not a name or email).
        person_ref -> Nullable<Text>,
    }
}

diesel::table! {
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
        created_at -> Timestamp,
    }
}

diesel::table! {
    standards (version) {
        version -> Text,
        title -> Text,
        /// `draft`, `published` or `retired`.
        status -> Text,
        /// The whole `StandardContent` as JSON.
        content -> Text,
        created_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
        retired_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    certification_bodies (id) {
        id -> Text,
        name -> Text,
        country -> Text,
        website -> Nullable<Text>,
        accreditation_status -> Text,
        accredited_until -> Nullable<Date>,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    applications (id) {
        id -> Text,
        agency_id -> Text,
        certification_body_id -> Text,
        /// `pending`, `accepted`, `deferred` or `rejected`.
        status -> Text,
        reason -> Nullable<Text>,
        created_by -> Text,
        decided_by -> Nullable<Text>,
        decided_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        deferred_until -> Nullable<Timestamp>,
    }
}

diesel::table! {
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
        created_at -> Timestamp,
        updated_at -> Timestamp,
        submitted_at -> Nullable<Timestamp>,
        finalized_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    findings (assessment_id, criterion_code) {
        assessment_id -> Text,
        criterion_code -> Text,
        severity -> Text,
        evidence -> Text,
        workers_interviewed -> Integer,
        /// JSON array of `FeeAmount`.
        fees -> Text,
        recorded_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
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
        plan_submitted_at -> Nullable<Timestamp>,
        evidence -> Nullable<Text>,
        evidence_submitted_at -> Nullable<Timestamp>,
        verified_by -> Nullable<Text>,
        verified_at -> Nullable<Timestamp>,
        rejection_reason -> Nullable<Text>,
        plan_due -> Timestamp,
        closure_due -> Timestamp,
        version -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    certificates (agency_id) {
        agency_id -> Text,
        number -> Text,
        certification_body_id -> Text,
        /// The audit the certification decision rests on.
        assessment_id -> Text,
        decided_by -> Text,
        valid_from -> Timestamp,
        valid_until -> Timestamp,
        next_surveillance_due -> Timestamp,
        suspended_at -> Nullable<Timestamp>,
        suspension_reason -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
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
        occurred_at -> Timestamp,
    }
}

diesel::joinable!(api_clients -> agencies (agency_id));
diesel::joinable!(applications -> agencies (agency_id));
diesel::joinable!(applications -> certification_bodies (certification_body_id));
diesel::joinable!(assessments -> agencies (agency_id));
diesel::joinable!(findings -> assessments (assessment_id));
diesel::joinable!(corrective_actions -> assessments (assessment_id));
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
);
