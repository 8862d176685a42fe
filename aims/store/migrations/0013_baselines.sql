-- Progress over time: named baselines (frozen copies of a workspace's assessment) and the
-- workspace's branding for the client report.

-- A baseline freezes the whole assessment at one moment (kind: manual, before import). The
-- frozen state is `payload` (zlib-compressed JSON, see aims.progress.snapshot); the headline
-- figures are columns too, so a trend over many baselines reads without unpacking any payload.
-- Baselines are read-only once taken: only their name and note can change.
CREATE TABLE baseline (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    kind VARCHAR NOT NULL DEFAULT 'manual',
    note VARCHAR NOT NULL DEFAULT '',
    taken_at TIMESTAMP NOT NULL,
    taken_by VARCHAR NOT NULL,
    readiness_pct DOUBLE,
    stage1_pct DOUBLE,
    stage2_pct DOUBLE,
    assessed_pct DOUBLE,
    open_gaps INTEGER,
    risks_above INTEGER,
    roadmap_pct DOUBLE,
    size_bytes INTEGER NOT NULL,
    payload BLOB NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

-- The client report's look for one workspace: an accent colour ('#RRGGBB', '' for the default)
-- and a logo (PNG or JPEG bytes, NULL for none).
CREATE TABLE workspace_brand (
    workspace_id INTEGER NOT NULL PRIMARY KEY,
    colour VARCHAR NOT NULL DEFAULT '',
    logo BLOB,
    logo_type VARCHAR NOT NULL DEFAULT '',
    updated_at TIMESTAMP NOT NULL
);
