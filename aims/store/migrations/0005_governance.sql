-- Governance records: AI policy versions, people, roles and RACI, training and awareness, and the
-- documented-information register. Workspace-owned rows are keyed by (workspace_id, id) with IDs
-- local to the workspace; links between rows use those IDs.
CREATE TABLE policy_version (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    version VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'draft',
    endorsed_by VARCHAR NOT NULL DEFAULT '',
    endorser_role VARCHAR NOT NULL DEFAULT '',
    approved_on DATE,
    next_review DATE,
    location VARCHAR NOT NULL DEFAULT '',
    principles VARCHAR NOT NULL DEFAULT '',
    change_summary VARCHAR NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE TABLE gov_person (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    job_title VARCHAR NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE TABLE gov_role (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    responsibilities VARCHAR NOT NULL DEFAULT '',
    standard BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
-- Who holds a role: a role can have several holders (six model owners) and a person several roles.
CREATE TABLE gov_role_holder (
    workspace_id INTEGER NOT NULL,
    role_id VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, role_id, person_id)
);
-- One RACI letter per activity x role; a missing row means no involvement.
CREATE TABLE gov_raci (
    workspace_id INTEGER NOT NULL,
    activity_id VARCHAR NOT NULL,
    role_id VARCHAR NOT NULL,
    letter VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, activity_id, role_id)
);
CREATE TABLE training_session (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    topic VARCHAR NOT NULL,
    kind VARCHAR NOT NULL DEFAULT 'competence',
    audience VARCHAR NOT NULL DEFAULT '',
    held_on DATE,
    trainer VARCHAR NOT NULL DEFAULT '',
    notes VARCHAR NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE TABLE training_attendance (
    workspace_id INTEGER NOT NULL,
    session_id VARCHAR NOT NULL,
    person_id VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, session_id, person_id)
);
-- The documented-information register. Rows for documents the catalogue requires are keyed by the
-- catalogue's document name and created on first edit (no row reads as "missing"); documents the
-- organisation adds are custom rows with IDs like 'D-001'.
CREATE TABLE document_register (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    custom BOOLEAN NOT NULL DEFAULT FALSE,
    requirements VARCHAR NOT NULL DEFAULT '',
    status VARCHAR NOT NULL DEFAULT 'missing',
    owner VARCHAR NOT NULL DEFAULT '',
    version VARCHAR NOT NULL DEFAULT '',
    location VARCHAR NOT NULL DEFAULT '',
    last_review DATE,
    next_review DATE,
    due DATE,
    notes VARCHAR NOT NULL DEFAULT '',
    updated_at TIMESTAMP,
    updated_by VARCHAR,
    PRIMARY KEY (workspace_id, id)
);
