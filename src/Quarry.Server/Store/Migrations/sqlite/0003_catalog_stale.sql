-- Quarry store, version 3 (SQLite): a datastore's catalog belongs to the source it was read from.
-- Moving a datastore to another connection, database or schema sets catalog_stale; the next successful sync
-- of the new source clears it. Until then checks and computed fields are refused on the old catalog.
ALTER TABLE datastores ADD COLUMN catalog_stale INTEGER NOT NULL DEFAULT 0;
