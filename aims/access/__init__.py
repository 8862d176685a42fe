"""Who may do what. `identity` holds who is acting (a signed-in person, or the one local user
when no sign-in is configured); `rules` says what each workspace role allows (pure); `members`
stores the roles and holds `require`, the check every write function makes inside its own
transaction; `settings` reads the team configuration (sign-in, administrators, network).

Sits just above aims.store.db: it reads the member table through it, and everything that
writes (aims.store.workspaces included) calls it."""
