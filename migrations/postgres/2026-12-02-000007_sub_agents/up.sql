-- The sub-agents and branches that recruit for an agency (domain.md §9): a registered agency
-- (sub_agency_id) or one outside the registry, named by the agency (name, country, licence
-- number if any). A removed link is kept, marked removed: an auditor's finding may name it.
CREATE TABLE sub_agent_links (
    id TEXT PRIMARY KEY NOT NULL,
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    -- `sub_agent` or `branch`.
    kind TEXT NOT NULL,
    sub_agency_id TEXT REFERENCES agencies (id),
    name TEXT,
    country TEXT,
    licence_number TEXT,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    removed_by TEXT,
    removed_at TIMESTAMP
);
-- One standing link to a registered agency; two writers racing are settled here (409).
CREATE UNIQUE INDEX sub_agent_links_registered ON sub_agent_links (agency_id, sub_agency_id)
    WHERE removed_at IS NULL AND sub_agency_id IS NOT NULL;
CREATE INDEX sub_agent_links_agency ON sub_agent_links (agency_id, removed_at);

-- The sub-agent links a finding on the sub-agent criterion names (JSON array of link ids).
ALTER TABLE findings ADD COLUMN sub_agent_ids TEXT NOT NULL DEFAULT '[]';
