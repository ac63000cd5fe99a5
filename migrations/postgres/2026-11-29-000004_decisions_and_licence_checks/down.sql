ALTER TABLE agencies DROP COLUMN licence_source;
ALTER TABLE agencies DROP COLUMN licence_verified_by;
ALTER TABLE agencies DROP COLUMN licence_verified_at;
DROP TABLE certification_decisions;
