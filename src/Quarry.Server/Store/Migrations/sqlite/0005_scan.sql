-- Quarry store, version 5 (SQLite): what a scan finds.
-- A check has a status: only Active checks are scanned; Draft checks (proposed by a profile, `inferred`) wait
-- to be activated; Archived checks are kept for their history. `additional_metadata_json` is a free JSON
-- object that clients store with a check.
ALTER TABLE quality_checks ADD COLUMN status TEXT NOT NULL DEFAULT 'Active';
ALTER TABLE quality_checks ADD COLUMN inferred INTEGER NOT NULL DEFAULT 0;
ALTER TABLE quality_checks ADD COLUMN additional_metadata_json TEXT NULL;
CREATE INDEX ix_quality_checks_container_status ON quality_checks(container_id, status);

-- How many failing rows a scan keeps per failed check, as the anomaly's source records.
ALTER TABLE datastores ADD COLUMN source_record_limit INTEGER NOT NULL DEFAULT 10;

-- One row per container per scan: how many rows it held and how its checks went.
CREATE TABLE container_scans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
    datastore_id INTEGER NOT NULL REFERENCES datastores(id) ON DELETE CASCADE,
    container_id INTEGER NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
    record_count INTEGER NULL,
    checks_passed INTEGER NOT NULL DEFAULT 0,
    checks_failed INTEGER NOT NULL DEFAULT 0,
    checks_unasserted INTEGER NOT NULL DEFAULT 0,
    message TEXT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (operation_id, container_id)
);
CREATE INDEX ix_container_scans_container ON container_scans(container_id, id);

-- An anomaly: a check that failed. A later scan that finds the same check failing again updates the open
-- one (status Active or Acknowledged) instead of adding another.
CREATE TABLE anomalies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    uuid TEXT NOT NULL UNIQUE,
    datastore_id INTEGER NOT NULL REFERENCES datastores(id) ON DELETE CASCADE,
    container_id INTEGER NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
    check_id INTEGER NULL REFERENCES quality_checks(id) ON DELETE SET NULL,
    operation_id INTEGER NULL REFERENCES operations(id) ON DELETE SET NULL,
    last_operation_id INTEGER NULL REFERENCES operations(id) ON DELETE SET NULL,
    anomaly_type TEXT NOT NULL DEFAULT 'record',
    status TEXT NOT NULL DEFAULT 'Active',
    rule TEXT NOT NULL,
    fields_json TEXT NOT NULL DEFAULT '[]',
    asserted_records INTEGER NULL,
    anomalous_records INTEGER NULL,
    message TEXT NULL,
    description TEXT NULL,
    source_records_json TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    status_changed_at TEXT NULL
);
CREATE INDEX ix_anomalies_datastore_status ON anomalies(datastore_id, status, id);
CREATE INDEX ix_anomalies_check_status ON anomalies(check_id, status);
CREATE INDEX ix_anomalies_container ON anomalies(container_id, id);
CREATE INDEX ix_anomalies_operation ON anomalies(operation_id);

-- One row per check per scan: the rows asserted, the rows that failed, and the result.
CREATE TABLE check_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    operation_id INTEGER NOT NULL REFERENCES operations(id) ON DELETE CASCADE,
    datastore_id INTEGER NOT NULL REFERENCES datastores(id) ON DELETE CASCADE,
    container_id INTEGER NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
    check_id INTEGER NOT NULL REFERENCES quality_checks(id) ON DELETE CASCADE,
    result TEXT NOT NULL,
    asserted_records INTEGER NULL,
    anomalous_records INTEGER NULL,
    message TEXT NULL,
    anomaly_id INTEGER NULL REFERENCES anomalies(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    UNIQUE (operation_id, check_id)
);
CREATE INDEX ix_check_results_check ON check_results(check_id, id);
CREATE INDEX ix_check_results_anomaly ON check_results(anomaly_id);
