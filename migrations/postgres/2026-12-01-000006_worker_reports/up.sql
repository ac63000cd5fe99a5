-- Worker reports (domain.md §8). Nothing here identifies the reporter's device: no address, no
-- user agent. The follow-up code is stored hashed (argon2) and the contact sealed with the
-- service's data key, so a copy of the database alone gives neither.
CREATE TABLE worker_reports (
    id TEXT PRIMARY KEY NOT NULL,
    -- What the reporter quotes: short, unique, not guessable from other reports.
    reference TEXT NOT NULL UNIQUE,
    follow_up_hash TEXT NOT NULL,
    -- The agency, when it is in the registry; otherwise the name the reporter gave.
    agency_id TEXT REFERENCES agencies (id),
    agency_name TEXT,
    category TEXT NOT NULL,
    -- JSON array of fee amounts (category, amount_minor, currency).
    fees TEXT NOT NULL,
    country TEXT,
    occurred_on DATE,
    description TEXT NOT NULL,
    contact_sealed TEXT,
    -- The language the reporter wrote in, when the form knew it.
    language TEXT,
    state TEXT NOT NULL,
    -- The moderator's reason for the current state; shown to the reporter only when shareable.
    reason TEXT,
    reason_shareable BOOLEAN NOT NULL,
    moderated_by TEXT,
    received_at TIMESTAMP NOT NULL,
    -- When the report was substantiated, unsubstantiated or referred.
    decided_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX worker_reports_agency ON worker_reports (agency_id, state, decided_at);
CREATE INDEX worker_reports_state ON worker_reports (state, received_at);
