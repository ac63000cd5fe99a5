-- The event log. Every change made through the services appends one row in the change's own
-- transaction. `sequence` is gap-free and follows commit order (appends take the chain head
-- below, which the next append waits for), so a feed reader paging by sequence never skips a
-- row that commits late. Each row carries the SHA-256 of the row before it (`previous_hash`)
-- and its own (`hash`, over a canonical serialization that includes `previous_hash`).
CREATE TABLE events (
    sequence BIGINT PRIMARY KEY NOT NULL,
    id TEXT NOT NULL UNIQUE,
    event_type TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    agency_id TEXT,
    certification_body_id TEXT,
    -- Public-level events (status, grade, licence validity, certificate) are the ones every
    -- integrator may read.
    public BOOLEAN NOT NULL,
    actor TEXT NOT NULL,
    occurred_at TIMESTAMP NOT NULL,
    previous_values TEXT,
    current_values TEXT,
    previous_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX events_agency ON events (agency_id, sequence);
CREATE INDEX events_body ON events (certification_body_id, sequence);
CREATE INDEX events_subject ON events (subject_id, sequence);
CREATE INDEX events_public ON events (public, sequence);
CREATE INDEX events_type ON events (event_type, sequence);

-- The last link of the chain. One row; an append locks it until its transaction ends.
CREATE TABLE event_chain_head (
    id INTEGER PRIMARY KEY NOT NULL,
    last_sequence BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO event_chain_head (id, last_sequence, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The agencies an integrator works with; the feed and webhooks can be narrowed to them.
CREATE TABLE watchlist_entries (
    client_id TEXT NOT NULL REFERENCES api_clients (id),
    agency_id TEXT NOT NULL REFERENCES agencies (id),
    added_at TIMESTAMP NOT NULL,
    PRIMARY KEY (client_id, agency_id)
);
CREATE INDEX watchlist_entries_agency ON watchlist_entries (agency_id);

CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    owner_client_id TEXT NOT NULL REFERENCES api_clients (id),
    url TEXT NOT NULL,
    description TEXT,
    -- JSON array of event types; empty means every type the owner may read.
    event_types TEXT NOT NULL,
    agency_id TEXT,
    country TEXT,
    corridor TEXT,
    watchlist_only BOOLEAN NOT NULL,
    -- The signing secret, encrypted with the service's data key; never stored in clear.
    secret_sealed TEXT NOT NULL,
    -- After a rotation, the old secret also signs until this time.
    previous_secret_sealed TEXT,
    previous_secret_until TIMESTAMP,
    enabled BOOLEAN NOT NULL,
    disabled_at TIMESTAMP,
    disabled_reason TEXT,
    -- The first failure of the current run of failures; cleared by a success.
    failing_since TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP,
    version BIGINT NOT NULL
);
CREATE INDEX webhook_subscriptions_owner ON webhook_subscriptions (owner_client_id);

-- The outbox: one row per event and matching subscription, written in the event's
-- transaction. A dispatcher claims a due row (`claimed_by`, `claim_expires_at`), sends it and
-- records the outcome; a claim left by a process that died expires and is taken again. The
-- row's `id` is the `webhook-id` of every attempt, so receivers can drop duplicates.
CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    event_sequence BIGINT NOT NULL REFERENCES events (sequence),
    -- `pending`, `succeeded` or `failed` (given up: the subscription was disabled).
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_by TEXT,
    claim_expires_at TIMESTAMP,
    last_attempt_at TIMESTAMP,
    last_status_code INTEGER,
    last_error TEXT,
    delivered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (subscription_id, event_sequence)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);

-- Every attempt, kept for the subscription's owner to read.
CREATE TABLE webhook_attempts (
    id TEXT PRIMARY KEY NOT NULL,
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id),
    attempted_at TIMESTAMP NOT NULL,
    instance TEXT NOT NULL,
    status_code INTEGER,
    latency_ms BIGINT NOT NULL,
    error TEXT,
    retry_after_seconds BIGINT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, attempted_at);

-- Events are never changed or removed.
CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: UPDATE refused');
END;
CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'the event log is append-only: DELETE refused');
END;
