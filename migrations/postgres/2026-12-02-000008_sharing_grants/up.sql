-- Sharing grants (domain.md §9): an agency lets one integrator read its full findings until a
-- date (inclusive, UTC), or until it revokes the grant. Every read under a grant is kept.
CREATE TABLE sharing_grants (
    id TEXT PRIMARY KEY NOT NULL,
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    -- The integrator's API client.
    client_id TEXT NOT NULL REFERENCES api_clients (id),
    valid_until DATE NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_by TEXT,
    revoked_at TIMESTAMP
);
CREATE INDEX sharing_grants_agency ON sharing_grants (agency_id, client_id);

-- Who read what under a grant, and when. Written before the answer is sent.
CREATE TABLE grant_reads (
    id TEXT PRIMARY KEY NOT NULL,
    grant_id TEXT NOT NULL REFERENCES sharing_grants (id),
    client_id TEXT NOT NULL,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    -- `findings` (the assessment with its findings) or `score_explanation`.
    what TEXT NOT NULL,
    read_at TIMESTAMP NOT NULL
);
CREATE INDEX grant_reads_grant ON grant_reads (grant_id, id);
