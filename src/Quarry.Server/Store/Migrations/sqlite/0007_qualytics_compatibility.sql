-- Quarry store, version 7 (SQLite): what Qualytics clients expect of tokens and tags.
-- A token may expire: requests with it are refused from then on (checked against the store on every request).
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT NULL;
