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
