CREATE TABLE agencies (
    id TEXT PRIMARY KEY NOT NULL,
    legal_name TEXT NOT NULL,
    trading_names TEXT NOT NULL,
    search_text TEXT NOT NULL,
    licence_number TEXT NOT NULL,
    licence_key TEXT NOT NULL,
    licence_authority TEXT NOT NULL,
    licence_country TEXT NOT NULL,
    licence_valid_from DATE,
    licence_valid_until DATE,
    origin_countries TEXT NOT NULL,
    destination_countries TEXT NOT NULL,
    sectors TEXT NOT NULL,
    address TEXT,
    website TEXT,
    contact_email TEXT,
    contact_phone TEXT,
    certification_status TEXT NOT NULL,
    grade TEXT,
    latest_score REAL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX agencies_licence_unique ON agencies (licence_country, licence_key);
CREATE INDEX agencies_status ON agencies (certification_status);

CREATE TABLE api_clients (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    certification_body_id TEXT,
    agency_id TEXT REFERENCES agencies (id),
    secret_hash TEXT NOT NULL,
    created_by TEXT,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

CREATE TABLE idempotency_keys (
    client_id TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    scope TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    response_status INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    response_location TEXT,
    response_etag TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (client_id, idempotency_key)
);
