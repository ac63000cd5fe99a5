-- Technical reviews before certification decisions (ISO/IEC 17021-1 §9.5). A review is about
-- one decision on one subject: `certify` on an audit (assessment_id), `reinstate` and
-- `withdraw` on the agency's certificate (certificate_number, and the audit the decision rests
-- on when there is one). The latest review of a subject is the one a decision may rest on;
-- used_at marks it spent.
CREATE TABLE technical_reviews (
    id TEXT PRIMARY KEY NOT NULL,
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    certification_body_id TEXT NOT NULL REFERENCES certification_bodies (id),
    decision TEXT NOT NULL,
    assessment_id TEXT REFERENCES assessments (id),
    certificate_number TEXT,
    outcome TEXT NOT NULL,
    reasons TEXT,
    reviewer TEXT NOT NULL,
    reviewer_person_ref TEXT,
    reviewed_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
CREATE INDEX technical_reviews_agency ON technical_reviews (agency_id, decision, reviewed_at);

-- Appeals of decisions about an agency (§9.7): a refused application, a suspension or a
-- withdrawal. decision_ref names the decision: the application's id for a refusal, the
-- certification transition's id otherwise. At most one open appeal per decision.
CREATE TABLE appeals (
    id TEXT PRIMARY KEY NOT NULL,
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    certification_body_id TEXT REFERENCES certification_bodies (id),
    decision TEXT NOT NULL,
    decision_ref TEXT NOT NULL,
    -- Who took the decision appealed (a client id, or `system`), and when.
    decided_by TEXT NOT NULL,
    decided_at TIMESTAMP NOT NULL,
    grounds TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome_reason TEXT,
    handled_by TEXT,
    filed_by TEXT NOT NULL,
    filed_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE UNIQUE INDEX appeals_one_open ON appeals (decision_ref) WHERE state IN ('received', 'under_review');
CREATE INDEX appeals_agency ON appeals (agency_id, state);

-- Complaints about a certification body or one of its auditors (§9.8), by any client. Who
-- complained is kept here, for the complainant and the scheme's admins only.
CREATE TABLE complaints (
    id TEXT PRIMARY KEY NOT NULL,
    certification_body_id TEXT NOT NULL REFERENCES certification_bodies (id),
    subject_client_id TEXT,
    subject_person_ref TEXT,
    body_text TEXT NOT NULL,
    complainant TEXT NOT NULL,
    state TEXT NOT NULL,
    outcome_reason TEXT,
    handled_by TEXT,
    filed_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL
);
CREATE INDEX complaints_complainant ON complaints (complainant);
