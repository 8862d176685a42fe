-- The context of an impact assessment version (ISO/IEC 42005 clause 6): the assessment's own scope,
-- the deployment environment, the model and algorithm, interested parties including those affected
-- indirectly, failure modes and fallback, and the facts a fundamental-rights impact assessment
-- needs. One row per version and field (the fields are listed in the impact questionnaire file);
-- a missing row reads as empty.
CREATE TABLE impact_context (
    workspace_id INTEGER NOT NULL,
    assessment_id VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    value VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (workspace_id, assessment_id, field)
);
