-- The audit cycle (9.2 internal audit, 9.3 management review, 10.2 nonconformity and corrective
-- action, certification audits) and evidence files. IDs are local to the workspace ('AU-001').
-- Lists of IDs are link tables; free text is '' when empty.

-- Internal audits of the programme and the certification body's audits, one table.
-- kind: internal, stage 1, stage 2, surveillance, recertification.
-- status: planned, in progress, completed (an audit is completed with its report written).
CREATE TABLE audit (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    objectives VARCHAR NOT NULL DEFAULT '',
    criteria VARCHAR NOT NULL DEFAULT '',
    processes VARCHAR NOT NULL DEFAULT '',
    systems VARCHAR NOT NULL DEFAULT '',
    sites VARCHAR NOT NULL DEFAULT '',
    start DATE,
    finish DATE,
    lead_auditor VARCHAR NOT NULL DEFAULT '',
    team VARCHAR NOT NULL DEFAULT '',
    certification_body VARCHAR NOT NULL DEFAULT '',
    status VARCHAR NOT NULL DEFAULT 'planned',
    summary VARCHAR NOT NULL DEFAULT '',
    conclusion VARCHAR NOT NULL DEFAULT '',
    outcome VARCHAR NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
-- The clauses and Annex A controls an audit covers (its checklist is drawn from these).
CREATE TABLE audit_scope (
    workspace_id INTEGER NOT NULL,
    audit_id VARCHAR NOT NULL,
    req_id VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, audit_id, req_id)
);
-- One checklist item per requirement in scope; result '' = not audited yet, else conforming,
-- major nonconformity, minor nonconformity, observation, opportunity for improvement.
-- override_reason: why an auditor audits something they own (impartiality, 9.2).
CREATE TABLE audit_item (
    workspace_id INTEGER NOT NULL,
    audit_id VARCHAR NOT NULL,
    req_id VARCHAR NOT NULL,
    auditor VARCHAR NOT NULL DEFAULT '',
    result VARCHAR NOT NULL DEFAULT '',
    evidence_sampled VARCHAR NOT NULL DEFAULT '',
    notes VARCHAR NOT NULL DEFAULT '',
    override_reason VARCHAR NOT NULL DEFAULT '',
    updated_at TIMESTAMP,
    updated_by VARCHAR,
    PRIMARY KEY (workspace_id, audit_id, req_id)
);
-- The one register of findings. source: internal audit, certification audit, management review,
-- incident (audit_id / review_id say which, when any). grade: major nonconformity, minor
-- nonconformity, observation, opportunity for improvement. status: open, closed.
-- Nonconformities carry correction, root cause (five_whys: optional, one 'why' per line),
-- the corrective action (a roadmap action's ID), the verification of effectiveness and closure.
CREATE TABLE finding (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    audit_id VARCHAR NOT NULL DEFAULT '',
    review_id VARCHAR NOT NULL DEFAULT '',
    grade VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    evidence VARCHAR NOT NULL DEFAULT '',
    owner VARCHAR NOT NULL DEFAULT '',
    due DATE,
    status VARCHAR NOT NULL DEFAULT 'open',
    raised_on DATE NOT NULL,
    correction VARCHAR NOT NULL DEFAULT '',
    root_cause VARCHAR NOT NULL DEFAULT '',
    five_whys VARCHAR NOT NULL DEFAULT '',
    action_id VARCHAR NOT NULL DEFAULT '',
    verified_by VARCHAR NOT NULL DEFAULT '',
    verified_on DATE,
    verification VARCHAR NOT NULL DEFAULT '',
    closed_by VARCHAR NOT NULL DEFAULT '',
    closed_on DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE TABLE finding_requirement (
    workspace_id INTEGER NOT NULL,
    finding_id VARCHAR NOT NULL,
    req_id VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, finding_id, req_id)
);
-- Management reviews (9.3). status: planned, held. Inputs: one row per input the standard
-- expects (input key from the catalogue), compiled by the app and editable, with a comment.
CREATE TABLE review (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    held_on DATE,
    status VARCHAR NOT NULL DEFAULT 'planned',
    attendees VARCHAR NOT NULL DEFAULT '',
    top_management_present BOOLEAN NOT NULL DEFAULT FALSE,
    decisions VARCHAR NOT NULL DEFAULT '',
    improvements VARCHAR NOT NULL DEFAULT '',
    changes VARCHAR NOT NULL DEFAULT '',
    resources VARCHAR NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE TABLE review_input (
    workspace_id INTEGER NOT NULL,
    review_id VARCHAR NOT NULL,
    input_key VARCHAR NOT NULL,
    content VARCHAR NOT NULL DEFAULT '',
    comment VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (workspace_id, review_id, input_key)
);
-- Roadmap actions a review decided (its outputs).
CREATE TABLE review_action (
    workspace_id INTEGER NOT NULL,
    review_id VARCHAR NOT NULL,
    action_id VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, review_id, action_id)
);
-- Evidence files: the content lives outside the database, in a folder beside it, named by its
-- SHA-256 (the same content uploaded twice is stored once). A new version of a file keeps its
-- ID's name and gets the next version number (one row per version).
CREATE TABLE evidence_file (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    size BIGINT NOT NULL,
    media_type VARCHAR NOT NULL DEFAULT '',
    description VARCHAR NOT NULL DEFAULT '',
    expires_on DATE,
    uploaded_at TIMESTAMP NOT NULL,
    uploaded_by VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, id, version)
);
-- What a file is evidence for. kind: requirement (a clause or control), audit_item
-- ('AU-001/5.2'), finding, document (the register's ID).
CREATE TABLE evidence_link (
    workspace_id INTEGER NOT NULL,
    evidence_id VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    target VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, evidence_id, kind, target)
);
