-- AI risk register (ISO/IEC 42001 6.1.2, 6.1.3, 8.2, 8.3): risks, their links to AI systems and
-- to Annex A controls, and the per-workspace risk criteria (scale labels, level bands, appetite).
-- Workspace-owned rows keyed by (workspace_id, local ID); links use those local IDs.
-- Scores, levels and "above appetite" are computed when read, from the workspace's criteria,
-- so changing the criteria re-bands every risk at once.
-- residual_likelihood/residual_impact NULL = residual risk not rated yet.
-- treatment '' = not decided yet. library_id: the risk library entry it was created from.
-- source_assessment_id/source_question_id: the impact assessment answer it was accepted from.
CREATE TABLE risk (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    description VARCHAR NOT NULL DEFAULT '',
    lifecycle_stage VARCHAR NOT NULL DEFAULT 'deployed',
    risk_source VARCHAR NOT NULL DEFAULT '',
    objective VARCHAR NOT NULL DEFAULT '',
    stakeholders VARCHAR NOT NULL DEFAULT '',
    inherent_likelihood INTEGER NOT NULL,
    inherent_impact INTEGER NOT NULL,
    existing_controls VARCHAR NOT NULL DEFAULT '',
    treatment VARCHAR NOT NULL DEFAULT '',
    residual_likelihood INTEGER,
    residual_impact INTEGER,
    owner VARCHAR NOT NULL DEFAULT '',
    due DATE,
    status VARCHAR NOT NULL DEFAULT 'open',
    accepted_by VARCHAR NOT NULL DEFAULT '',
    accepted_on DATE,
    acceptance_expiry DATE,
    next_review DATE,
    library_id VARCHAR NOT NULL DEFAULT '',
    source_assessment_id VARCHAR NOT NULL DEFAULT '',
    source_question_id VARCHAR NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    updated_by VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (workspace_id, id)
);
CREATE TABLE risk_system (
    workspace_id INTEGER NOT NULL,
    risk_id VARCHAR NOT NULL,
    system_id VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, risk_id, system_id)
);
CREATE TABLE risk_control (
    workspace_id INTEGER NOT NULL,
    risk_id VARCHAR NOT NULL,
    control_id VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, risk_id, control_id)
);
-- One row per workspace once its criteria are edited; no row = the defaults in
-- data/catalog/risk_criteria.json. Labels and descriptions are JSON lists of five strings
-- (level 1 first). Bands: score <= low_max is low, <= medium_max medium, <= high_max high,
-- above that critical. appetite: the highest score accepted without a formal acceptance.
CREATE TABLE risk_criteria (
    workspace_id INTEGER PRIMARY KEY,
    likelihood_labels VARCHAR NOT NULL,
    likelihood_descriptions VARCHAR NOT NULL,
    impact_labels VARCHAR NOT NULL,
    impact_descriptions VARCHAR NOT NULL,
    low_max INTEGER NOT NULL,
    medium_max INTEGER NOT NULL,
    high_max INTEGER NOT NULL,
    appetite INTEGER NOT NULL,
    review_months INTEGER NOT NULL DEFAULT 12,
    updated_at TIMESTAMP NOT NULL
);
