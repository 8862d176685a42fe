"""Storage: the one place that opens connections (db), the numbered migrations, transactions and
the change log; workspaces (the client engagements every record belongs to); backup. Imports
aims.common only, except workspaces, whose writes check permissions through aims.access
(which reads the member table through db)."""
