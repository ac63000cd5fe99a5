-- Evidence files attached to an assessment, one of its findings, or a corrective action. The
-- contents live in the object store under `sha256/<sha256>`, shared by identical files; a row is
-- written only once its contents are stored. Erasing a file (retention) keeps the row as proof
-- that a file of this hash, size and type was there, without its name or its contents.
CREATE TABLE evidence_files (
    id TEXT PRIMARY KEY NOT NULL,
    -- `assessment`, `finding` or `corrective_action`.
    parent_kind TEXT NOT NULL,
    -- The assessment (for an assessment or a finding) or the corrective action.
    parent_id TEXT NOT NULL,
    -- The finding's criterion, for a finding only.
    criterion_code TEXT,
    -- Copied from the parent, so that events about the file reach the parent's readers.
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    certification_body_id TEXT,
    -- Null once erased.
    name TEXT,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    -- The uploader declared that the file names workers (interview notes): kept only as long
    -- as the retention policy allows.
    names_workers BOOLEAN NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    erased_at TIMESTAMP
);
CREATE INDEX evidence_files_parent ON evidence_files (parent_id, id);
CREATE INDEX evidence_files_sha256 ON evidence_files (sha256);
CREATE INDEX evidence_files_retention ON evidence_files (names_workers, uploaded_at);
