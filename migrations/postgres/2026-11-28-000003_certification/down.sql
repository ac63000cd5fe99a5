DROP TABLE certification_events;
DROP TABLE certificates;
ALTER TABLE applications DROP COLUMN deferred_until;
ALTER TABLE api_clients DROP COLUMN person_ref;
