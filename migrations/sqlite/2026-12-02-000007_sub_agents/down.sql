ALTER TABLE findings DROP COLUMN sub_agent_ids;
DROP TABLE sub_agent_links;
