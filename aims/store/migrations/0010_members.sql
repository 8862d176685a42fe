-- Who may open a workspace and what they may do there (see aims.access). With no sign-in
-- configured the app runs as one local user and this table is not consulted.
CREATE TABLE workspace_member (
    workspace_id INTEGER NOT NULL,
    email VARCHAR NOT NULL,             -- the signed-in identity, lower case
    name VARCHAR NOT NULL DEFAULT '',   -- how the person appears as an owner in the records
    role VARCHAR NOT NULL,              -- owner, editor, contributor or viewer
    added_at TIMESTAMP NOT NULL,
    added_by VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, email)
);
