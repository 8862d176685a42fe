-- Settings of this installation (not of a workspace), such as the name changes are recorded
-- under when the app runs without sign-in.
CREATE TABLE app_setting (
    key VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
