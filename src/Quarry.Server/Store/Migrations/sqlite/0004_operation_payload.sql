-- Quarry store, version 4 (SQLite): an operation's own parameters and result, whatever its type.
-- Each type's runner reads and writes them as JSON, so a new operation type needs no new columns. A sync's
-- parameter 'prune' moves here; the old column stays (with its data) but is no longer written.
ALTER TABLE operations ADD COLUMN parameters_json TEXT NULL;
ALTER TABLE operations ADD COLUMN result_json TEXT NULL;
UPDATE operations SET parameters_json = CASE WHEN prune <> 0 THEN '{"prune":true}' ELSE '{"prune":false}' END WHERE type = 'sync';
