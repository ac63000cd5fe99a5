DROP TABLE idempotency_keys;
DROP TABLE api_clients;
DROP TABLE agencies;
