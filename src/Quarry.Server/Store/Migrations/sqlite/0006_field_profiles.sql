-- Quarry store, version 6 (SQLite): what a profile found in each field.
-- One row per field per profile operation, so a field's history stays visible. min and max are stored as
-- text, so a date reads as a date; mean, deviation and quartiles of numeric fields as numbers.
-- `distinct_approximate` says when the distinct count was estimated from a sample rather than counted.
CREATE TABLE field_profiles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
    datastore_id INTEGER NOT NULL REFERENCES datastores(id) ON DELETE CASCADE,
    container_id INTEGER NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
    field_id INTEGER NOT NULL REFERENCES fields(id) ON DELETE CASCADE,
    field_name TEXT NOT NULL,
    declared_type TEXT NOT NULL,
    inferred_type TEXT NOT NULL,
    sampled INTEGER NOT NULL DEFAULT 0,
    record_count INTEGER NOT NULL,
    null_count INTEGER NOT NULL,
    distinct_count INTEGER NULL,
    distinct_approximate INTEGER NOT NULL DEFAULT 0,
    min_value TEXT NULL,
    max_value TEXT NULL,
    mean REAL NULL,
    std_dev REAL NULL,
    q1 REAL NULL,
    median REAL NULL,
    q3 REAL NULL,
    min_length INTEGER NULL,
    max_length INTEGER NULL,
    mean_length REAL NULL,
    top_values_json TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    UNIQUE (operation_id, field_id)
);
CREATE INDEX ix_field_profiles_field ON field_profiles(field_id, id);
CREATE INDEX ix_field_profiles_container ON field_profiles(container_id, operation_id);
