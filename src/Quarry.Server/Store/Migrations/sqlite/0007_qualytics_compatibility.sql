-- Quarry store, version 7 (SQLite): what Qualytics clients expect of tokens and tags.
-- A token may expire: requests with it are refused from then on (checked against the store on every request).
ALTER TABLE api_tokens ADD COLUMN expires_at TEXT NULL;

-- Tags are one shared set: a tag is created on first use on a datastore or a check, and may be given a colour
-- and a description here. A tag in use needs no row; a row keeps a tag's colour and description.
CREATE TABLE global_tags (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    color TEXT NULL,
    description TEXT NULL,
    created_at TEXT NOT NULL
);

-- A quality check not bound to a container: checks are created from it by naming it (template_id).
CREATE TABLE quality_check_templates (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rule TEXT NOT NULL,
    fields_json TEXT NOT NULL DEFAULT '[]',
    properties_json TEXT NOT NULL DEFAULT '{}',
    filter TEXT NULL,
    coverage REAL NOT NULL DEFAULT 1,
    description TEXT NULL,
    tags_json TEXT NOT NULL DEFAULT '[]',
    additional_metadata_json TEXT NULL,
    created_by_user_id INTEGER NULL REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
