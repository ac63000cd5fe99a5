-- A staff reference for the person behind a client, so the four-eyes rule can tell people apart.
ALTER TABLE api_clients ADD COLUMN person_ref TEXT;
-- When a deferred application lapses.
ALTER TABLE applications ADD COLUMN deferred_until TIMESTAMP;

-- The current (or last) certificate of each agency.
CREATE TABLE certificates (
    agency_id TEXT PRIMARY KEY NOT NULL REFERENCES agencies (id),
    number TEXT NOT NULL,
    certification_body_id TEXT NOT NULL REFERENCES certification_bodies (id),
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    decided_by TEXT NOT NULL,
    valid_from TIMESTAMP NOT NULL,
    valid_until TIMESTAMP NOT NULL,
    next_surveillance_due TIMESTAMP NOT NULL,
    suspended_at TIMESTAMP,
    suspension_reason TEXT,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX certificates_number ON certificates (number);

-- Every change of certification status: from, to, who, why, when.
CREATE TABLE certification_events (
    id TEXT PRIMARY KEY NOT NULL,
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    rule TEXT,
    reason TEXT NOT NULL,
    certificate_number TEXT,
    occurred_at TIMESTAMP NOT NULL
);
CREATE INDEX certification_events_agency ON certification_events (agency_id, occurred_at);
