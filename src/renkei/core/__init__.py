"""Organisation, users, teams, roles, business calendar, audit log, API tokens."""
