CREATE TABLE standards (
    version TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    content TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    published_at TIMESTAMP,
    retired_at TIMESTAMP
);

CREATE TABLE certification_bodies (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    website TEXT,
    accreditation_status TEXT NOT NULL,
    accredited_until DATE,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE applications (
    id TEXT PRIMARY KEY NOT NULL,
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    certification_body_id TEXT NOT NULL REFERENCES certification_bodies (id),
    status TEXT NOT NULL,
    reason TEXT,
    created_by TEXT NOT NULL,
    decided_by TEXT,
    decided_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX applications_agency ON applications (agency_id, certification_body_id);

CREATE TABLE assessments (
    id TEXT PRIMARY KEY NOT NULL,
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    certification_body_id TEXT REFERENCES certification_bodies (id),
    standard_version TEXT NOT NULL REFERENCES standards (version),
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    lead_client_id TEXT NOT NULL,
    methods TEXT NOT NULL,
    overall_score REAL,
    grade TEXT,
    score TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    finalized_at TIMESTAMP,
    cancelled_at TIMESTAMP
);
CREATE INDEX assessments_agency ON assessments (agency_id);
CREATE INDEX assessments_body ON assessments (certification_body_id);

CREATE TABLE findings (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    criterion_code TEXT NOT NULL,
    severity TEXT NOT NULL,
    evidence TEXT NOT NULL,
    workers_interviewed INTEGER NOT NULL,
    fees TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (assessment_id, criterion_code)
);

CREATE TABLE corrective_actions (
    id TEXT PRIMARY KEY NOT NULL,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    certification_body_id TEXT NOT NULL REFERENCES certification_bodies (id),
    criterion_code TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    plan TEXT,
    plan_submitted_at TIMESTAMP,
    evidence TEXT,
    evidence_submitted_at TIMESTAMP,
    verified_by TEXT,
    verified_at TIMESTAMP,
    rejection_reason TEXT,
    plan_due TIMESTAMP NOT NULL,
    closure_due TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX corrective_actions_agency ON corrective_actions (agency_id);
CREATE INDEX corrective_actions_assessment ON corrective_actions (assessment_id);
