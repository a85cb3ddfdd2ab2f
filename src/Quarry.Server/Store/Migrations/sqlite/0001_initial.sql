-- Quarry store, version 1 (SQLite). Names are unique case-insensitively through name_key = lower(name).
CREATE TABLE settings (
    key TEXT NOT NULL PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    email TEXT NULL,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT NULL
);
CREATE INDEX ix_api_tokens_user_id ON api_tokens(user_id);

CREATE TABLE teams (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    is_builtin INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE team_members (
    team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    permission TEXT NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
CREATE INDEX ix_team_members_user_id ON team_members(user_id);

CREATE TABLE connections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    host TEXT NULL,
    port INTEGER NULL,
    username TEXT NULL,
    password_secret TEXT NULL,
    database TEXT NULL,
    path TEXT NULL,
    parameters_json TEXT NOT NULL DEFAULT '{}',
    secret_parameters TEXT NULL,
    config_namespace TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE datastore_groups (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    description TEXT NULL,
    config_namespace TEXT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE datastores (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    connection_id INTEGER NOT NULL REFERENCES connections(id) ON DELETE RESTRICT,
    database TEXT NULL,
    schema TEXT NULL,
    description TEXT NULL,
    group_id INTEGER NULL REFERENCES datastore_groups(id) ON DELETE SET NULL,
    enrichment_only INTEGER NOT NULL DEFAULT 0,
    enrichment_datastore_id INTEGER NULL REFERENCES datastores(id) ON DELETE SET NULL,
    enrichment_prefix TEXT NULL,
    config_namespace TEXT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX ix_datastores_connection_id ON datastores(connection_id);
CREATE INDEX ix_datastores_group_id ON datastores(group_id);
CREATE INDEX ix_datastores_enrichment_datastore_id ON datastores(enrichment_datastore_id);

CREATE TABLE datastore_teams (
    datastore_id INTEGER NOT NULL REFERENCES datastores(id) ON DELETE CASCADE,
    team_id INTEGER NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    PRIMARY KEY (datastore_id, team_id)
);
CREATE INDEX ix_datastore_teams_team_id ON datastore_teams(team_id);

CREATE TABLE datastore_tags (
    datastore_id INTEGER NOT NULL REFERENCES datastores(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    PRIMARY KEY (datastore_id, name)
);
CREATE INDEX ix_datastore_tags_name ON datastore_tags(name);

CREATE TABLE operations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    type TEXT NOT NULL,
    datastore_id INTEGER NOT NULL REFERENCES datastores(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    result TEXT NULL,
    message TEXT NULL,
    prune INTEGER NOT NULL DEFAULT 0,
    abort_requested INTEGER NOT NULL DEFAULT 0,
    total_containers INTEGER NULL,
    containers_analyzed INTEGER NULL,
    worker_id TEXT NULL,
    heartbeat_at TEXT NULL,
    created_by_user_id INTEGER NULL REFERENCES users(id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    start_time TEXT NULL,
    end_time TEXT NULL
);
CREATE INDEX ix_operations_state ON operations(state, id);
CREATE INDEX ix_operations_datastore_id ON operations(datastore_id, id);

CREATE TABLE containers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    datastore_id INTEGER NOT NULL REFERENCES datastores(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    container_type TEXT NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (datastore_id, name)
);

CREATE TABLE fields (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    container_id INTEGER NOT NULL REFERENCES containers(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    data_type TEXT NOT NULL,
    nullable INTEGER NOT NULL,
    removed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (container_id, name)
);
