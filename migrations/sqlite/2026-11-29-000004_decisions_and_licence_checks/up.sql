-- An audit supports at most one certification decision: the primary key refuses a second one,
-- also when two decisions race on different connections.
CREATE TABLE certification_decisions (
    assessment_id TEXT PRIMARY KEY NOT NULL REFERENCES assessments (id),
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    certificate_number TEXT NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TIMESTAMP NOT NULL
);
CREATE INDEX certification_decisions_agency ON certification_decisions (agency_id);

-- The decisions already taken: each stored certificate names the audit it rests on.
INSERT INTO certification_decisions (assessment_id, agency_id, certificate_number, decided_by, decided_at)
SELECT assessment_id, agency_id, number, decided_by, valid_from FROM certificates;

-- Who checked the licence against the issuing authority's register, when, and where.
ALTER TABLE agencies ADD COLUMN licence_verified_at TIMESTAMP;
ALTER TABLE agencies ADD COLUMN licence_verified_by TEXT;
ALTER TABLE agencies ADD COLUMN licence_source TEXT;
