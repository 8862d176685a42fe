-- Workspaces (client engagements), the per-requirement assessment, SoA approval and the change log.
CREATE SEQUENCE workspace_id_seq START 1;
CREATE TABLE workspace (
    id INTEGER PRIMARY KEY DEFAULT nextval('workspace_id_seq'),
    name VARCHAR NOT NULL UNIQUE,
    organisation VARCHAR NOT NULL DEFAULT '',
    sector VARCHAR NOT NULL DEFAULT '',
    size VARCHAR NOT NULL DEFAULT '',
    scope VARCHAR NOT NULL DEFAULT '',
    ai_roles VARCHAR NOT NULL DEFAULT '',
    target_date DATE,
    default_target INTEGER NOT NULL DEFAULT 3,
    archived BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- One row per workspace x requirement, created lazily: a missing row means "not assessed".
-- maturity NULL = not assessed; target NULL = the workspace default.
CREATE TABLE assessment (
    workspace_id INTEGER NOT NULL,
    req_id VARCHAR NOT NULL,
    maturity INTEGER,
    target INTEGER,
    applicable BOOLEAN NOT NULL DEFAULT TRUE,
    inclusion_reasons VARCHAR NOT NULL DEFAULT '',
    exclusion_reason VARCHAR NOT NULL DEFAULT '',
    implementation VARCHAR NOT NULL DEFAULT 'not started',
    evidence_strength VARCHAR NOT NULL DEFAULT 'none',
    evidence VARCHAR NOT NULL DEFAULT '',
    evidence_ref VARCHAR NOT NULL DEFAULT '',
    owner VARCHAR NOT NULL DEFAULT '',
    due DATE,
    notes VARCHAR NOT NULL DEFAULT '',
    updated_at TIMESTAMP,
    updated_by VARCHAR,
    PRIMARY KEY (workspace_id, req_id)
);
CREATE TABLE soa_approval (
    workspace_id INTEGER PRIMARY KEY,
    version VARCHAR NOT NULL DEFAULT '',
    approved_by VARCHAR NOT NULL DEFAULT '',
    approved_on DATE,
    updated_at TIMESTAMP
);
CREATE SEQUENCE change_log_id_seq START 1;
CREATE TABLE change_log (
    id BIGINT PRIMARY KEY DEFAULT nextval('change_log_id_seq'),
    workspace_id INTEGER,
    entity VARCHAR NOT NULL,
    entity_id VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    old_value VARCHAR,
    new_value VARCHAR,
    changed_at TIMESTAMP NOT NULL,
    changed_by VARCHAR NOT NULL
);
CREATE INDEX change_log_ws ON change_log (workspace_id, changed_at);
