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

diesel::joinable!(api_clients -> agencies (agency_id));
diesel::allow_tables_to_appear_in_same_query!(agencies, api_clients, idempotency_keys);
