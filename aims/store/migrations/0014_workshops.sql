-- Workshop mode: client workshops run from the app (sessions, their agenda of requirements,
-- attendees and their votes) and the parking lot of open questions. IDs are local to the
-- workspace ('WS-001', 'PL-001'); free text is '' when empty.

-- A workshop session. status: planned, running, paused, closed. The baselines taken when it
-- started and when it closed are named by ID ('' until taken). time_box_minutes: the time box
-- per agenda item (NULL: none). presenter_safe: hide other clients' names and internal notes.
CREATE TABLE workshop (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    title VARCHAR NOT NULL,
    day DATE NOT NULL,
    facilitator VARCHAR NOT NULL DEFAULT '',
    status VARCHAR NOT NULL DEFAULT 'planned',
    presenter_safe BOOLEAN NOT NULL DEFAULT FALSE,
    time_box_minutes INTEGER,
    current_position INTEGER NOT NULL DEFAULT 0,
    started_at TIMESTAMP,
    closed_at TIMESTAMP,
    baseline_start VARCHAR NOT NULL DEFAULT '',
    baseline_close VARCHAR NOT NULL DEFAULT '',
    notes VARCHAR NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
-- Who attended (a name from the people register or typed).
CREATE TABLE workshop_attendee (
    workspace_id INTEGER NOT NULL,
    workshop_id VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    PRIMARY KEY (workspace_id, workshop_id, name)
);
-- The agenda: one requirement per position, in order. state: pending, done, skipped, come back.
-- seconds: time spent so far (the clock runs from opened_at while the item is on screen in a
-- running session). The rating agreed in the workshop is written to the assessment; *_before keep
-- what it was when the item was first opened, for the minutes.
CREATE TABLE workshop_item (
    workspace_id INTEGER NOT NULL,
    workshop_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    req_id VARCHAR NOT NULL,
    state VARCHAR NOT NULL DEFAULT 'pending',
    seconds INTEGER NOT NULL DEFAULT 0,
    opened_at TIMESTAMP,
    maturity_before INTEGER,
    evidence_before VARCHAR NOT NULL DEFAULT '',
    maturity_agreed INTEGER,
    evidence_agreed VARCHAR NOT NULL DEFAULT '',
    decision VARCHAR NOT NULL DEFAULT '',
    notes VARCHAR NOT NULL DEFAULT '',
    PRIMARY KEY (workspace_id, workshop_id, position)
);
-- Individual votes: each attendee's maturity rating of one agenda item.
CREATE TABLE workshop_vote (
    workspace_id INTEGER NOT NULL,
    workshop_id VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    attendee VARCHAR NOT NULL,
    maturity INTEGER NOT NULL,
    PRIMARY KEY (workspace_id, workshop_id, position, attendee)
);
-- Open questions parked for later; they stay open in the workspace until resolved.
-- status: open, resolved.
CREATE TABLE parking_lot (
    workspace_id INTEGER NOT NULL,
    id VARCHAR NOT NULL,
    workshop_id VARCHAR NOT NULL DEFAULT '',
    req_id VARCHAR NOT NULL DEFAULT '',
    question VARCHAR NOT NULL,
    owner VARCHAR NOT NULL DEFAULT '',
    status VARCHAR NOT NULL DEFAULT 'open',
    raised_on DATE NOT NULL,
    resolved_on DATE,
    resolution VARCHAR NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (workspace_id, id)
);
