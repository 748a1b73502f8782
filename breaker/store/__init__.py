"""Persistence: SQLite storage, migrations, the session that turns engine effects into rows, report queries."""
