-- AI system inventory, EU AI Act classifications (history kept) and impact assessments.
-- Workspace-owned rows are keyed by (workspace_id, id) with IDs local to the workspace.
CREATE TABLE ai_system (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    business_owner VARCHAR NOT NULL DEFAULT '',
    technical_owner VARCHAR NOT NULL DEFAULT '',
    business_unit VARCHAR NOT NULL DEFAULT '',
    purpose VARCHAR NOT NULL DEFAULT '',
    intended_use VARCHAR NOT NULL DEFAULT '',
    foreseeable_misuse VARCHAR NOT NULL DEFAULT '',
    lifecycle_stage VARCHAR NOT NULL DEFAULT 'idea',
    sourcing VARCHAR NOT NULL DEFAULT 'built in-house',
    vendor VARCHAR NOT NULL DEFAULT '',
    model VARCHAR NOT NULL DEFAULT '',
    model_type VARCHAR NOT NULL DEFAULT '',
    data_sources VARCHAR NOT NULL DEFAULT '',
    personal_data BOOLEAN NOT NULL DEFAULT FALSE,
    special_categories BOOLEAN NOT NULL DEFAULT FALSE,
    affected_persons VARCHAR NOT NULL DEFAULT '',
    automation VARCHAR NOT NULL DEFAULT 'advisory',
    oversight VARCHAR NOT NULL DEFAULT '',
    org_role VARCHAR NOT NULL DEFAULT 'deployer',
    eu_market BOOLEAN NOT NULL DEFAULT TRUE,
    gpai BOOLEAN NOT NULL DEFAULT FALSE,
    ai_act_category VARCHAR NOT NULL DEFAULT 'not classified',
    status VARCHAR NOT NULL DEFAULT 'active',
    last_review DATE,
    next_review DATE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE TABLE ai_act_classification (
    workspace_id INTEGER NOT NULL,
    system_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    role VARCHAR NOT NULL,
    answers VARCHAR NOT NULL,
    category VARCHAR NOT NULL,
    basis VARCHAR NOT NULL DEFAULT '',
    gpai VARCHAR NOT NULL DEFAULT '',
    reasoning VARCHAR NOT NULL,
    classified_at TIMESTAMP NOT NULL,
    classified_by VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, system_id, version)
);
-- The dated, editable table of EU AI Act application dates (not per workspace: the law is shared).
CREATE TABLE ai_act_date (
    key VARCHAR PRIMARY KEY,
    applies_from DATE NOT NULL,
    original_date DATE,
    what VARCHAR NOT NULL,
    source VARCHAR NOT NULL DEFAULT '',
    checked_on DATE NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE impact_assessment (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    system_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    status VARCHAR NOT NULL DEFAULT 'draft',
    assessor VARCHAR NOT NULL DEFAULT '',
    approver VARCHAR NOT NULL DEFAULT '',
    approved_on DATE,
    next_review DATE,
    overall_level VARCHAR NOT NULL DEFAULT '',
    summary VARCHAR NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE TABLE impact_answer (
    workspace_id INTEGER NOT NULL,
    assessment_id VARCHAR NOT NULL,
    question_id VARCHAR NOT NULL,
    option_value VARCHAR,
    note VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (workspace_id, assessment_id, question_id)
);
