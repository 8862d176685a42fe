-- Implementation roadmap: phases, actions, their links to requirements and risks, and the
-- per-workspace roadmap settings (effort scale). Workspace-owned rows keyed by local IDs.
-- template: the key of the default phase this row was created from ('' for a phase a user added);
-- it chooses where generated actions go, whatever the phase is renamed to.
CREATE TABLE phase (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    template VARCHAR NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    start DATE NOT NULL,
    finish DATE NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
-- priority_override NULL = the derived priority applies (computed when read, from the linked
-- requirements' gaps and mandatory documentation and the linked risks' levels).
-- source: gap, risk or manual; source_ref: the requirement or risk it was generated from.
-- done_at: the day the work was finished (the user may backdate it); done_logged_at: when the
-- action was recorded as done, compared with the requirement's last rating to invite a re-rating.
CREATE TABLE action (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    phase_id VARCHAR NOT NULL,
    owner VARCHAR NOT NULL DEFAULT '',
    effort VARCHAR NOT NULL DEFAULT 'M',
    priority_override VARCHAR,
    start DATE,
    due DATE,
    status VARCHAR NOT NULL DEFAULT 'to do',
    percent INTEGER NOT NULL DEFAULT 0,
    notes VARCHAR NOT NULL DEFAULT '',
    done_at DATE,
    done_logged_at TIMESTAMP,
    source VARCHAR NOT NULL DEFAULT 'manual',
    source_ref VARCHAR NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
CREATE TABLE action_requirement (
    workspace_id INTEGER NOT NULL,
    action_id VARCHAR NOT NULL,
    req_id VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, action_id, req_id)
);
CREATE TABLE action_risk (
    workspace_id INTEGER NOT NULL,
    action_id VARCHAR NOT NULL,
    risk_id VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, action_id, risk_id)
);
-- One row per workspace once its roadmap exists: the effort scale in person-days and when the
-- default phases were first planned (so dropping every phase does not bring them back).
CREATE TABLE roadmap_setting (
    workspace_id INTEGER PRIMARY KEY,
    effort_s INTEGER NOT NULL,
    effort_m INTEGER NOT NULL,
    effort_l INTEGER NOT NULL,
    effort_xl INTEGER NOT NULL,
    phases_planned_at TIMESTAMP,
    updated_at TIMESTAMP NOT NULL
);
