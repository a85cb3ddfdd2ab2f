-- Quarry store, version 2 (SQLite): computed containers, computed fields and quality checks.
-- A computed container is a row of `containers` (container_type computed_table or computed_join, so checks
-- address it like any table) plus its definition here; syncs leave those rows alone. A join reads two
-- containers of its own datastore, so deleting the datastore removes all three together.
CREATE TABLE computed_containers (
    container_id INTEGER NOT NULL PRIMARY KEY REFERENCES containers(id) ON DELETE CASCADE,
    query TEXT NULL,
    left_container_id INTEGER NULL REFERENCES containers(id) ON DELETE CASCADE,
    right_container_id INTEGER NULL REFERENCES containers(id) ON DELETE CASCADE,
    join_type TEXT NULL,
    left_field TEXT NULL,
    right_field TEXT NULL,
    left_select_json TEXT NOT NULL DEFAULT '[]',
    right_select_json TEXT NOT NULL DEFAULT '[]',
    description TEXT NULL,
    config_namespace TEXT NULL,
    created_by_user_id INTEGER NULL REFERENCES users(id) ON DELETE SET NULL
);
CREATE INDEX ix_computed_containers_left ON computed_containers(left_container_id);
CREATE INDEX ix_computed_containers_right ON computed_containers(right_container_id);

CREATE TABLE computed_fields (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    container_id INTEGER NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    transformation TEXT NOT NULL,
    source_fields_json TEXT NOT NULL DEFAULT '[]',
    properties_json TEXT NOT NULL DEFAULT '{}',
    description TEXT NULL,
    config_namespace TEXT NULL,
    created_by_user_id INTEGER NULL REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (container_id, name_key)
);

-- identity_key is what config-as-code matches a check by: 'uid:<uid>' or '<rule>:<sorted fields>'.
CREATE TABLE quality_checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    container_id INTEGER NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    fields_json TEXT NOT NULL DEFAULT '[]',
    uid TEXT NULL,
    identity_key TEXT NOT NULL,
    properties_json TEXT NOT NULL DEFAULT '{}',
    filter TEXT NULL,
    coverage REAL NOT NULL DEFAULT 1,
    description TEXT NULL,
    tags_json TEXT NOT NULL DEFAULT '[]',
    config_namespace TEXT NULL,
    created_by_user_id INTEGER NULL REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (container_id, identity_key)
);
CREATE INDEX ix_quality_checks_rule ON quality_checks(rule);
