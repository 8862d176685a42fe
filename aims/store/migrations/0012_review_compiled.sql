-- Management review inputs (9.3.2): the text the app last compiled from its own records, and when.
-- An input's content is the user's own once it differs from `compiled`; re-compiling a planned
-- review refreshes `compiled` always and the content only where the user has not edited it.
ALTER TABLE review_input ADD COLUMN compiled VARCHAR NOT NULL DEFAULT '';
ALTER TABLE review_input ADD COLUMN compiled_at TIMESTAMP;
