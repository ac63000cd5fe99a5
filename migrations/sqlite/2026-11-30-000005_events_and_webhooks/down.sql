DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhook_subscriptions;
DROP TABLE watchlist_entries;
DROP TABLE event_chain_head;
DROP TRIGGER events_refuse_delete;
DROP TRIGGER events_refuse_update;
DROP TABLE events;
