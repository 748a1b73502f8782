"""The database schema as ordered migrations: migration N brings ``user_version`` from N-1 to N.

Never edit a released migration; append a new one.
"""

from __future__ import annotations

APPLICATION_ID = 0x62726B72  # "brkr": tells a breaker database from other SQLite files

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE bouts (
            id INTEGER PRIMARY KEY,
            start REAL NOT NULL,
            end REAL NOT NULL CHECK (end > start)
        )""",
        "CREATE INDEX bouts_by_start ON bouts(start)",
        """CREATE TABLE away (
            id INTEGER PRIMARY KEY,
            start REAL NOT NULL,
            end REAL NOT NULL CHECK (end > start),
            cause TEXT NOT NULL CHECK (cause IN ('idle', 'lock', 'suspend'))
        )""",
        "CREATE INDEX away_by_start ON away(start)",
        """CREATE TABLE prompts (
            id INTEGER PRIMARY KEY,
            at REAL NOT NULL,
            bout_start REAL NOT NULL,
            exercise TEXT NOT NULL,
            level INTEGER,
            outcome TEXT CHECK (outcome IN
                ('completed', 'abandoned', 'snoozed', 'skipped', 'dismissed', 'ignored')),
            answered_at REAL,
            closed_at REAL
        )""",
        "CREATE INDEX prompts_by_at ON prompts(at)",
        """CREATE TABLE breaks (
            id INTEGER PRIMARY KEY,
            prompt_id INTEGER REFERENCES prompts(id),
            exercise TEXT NOT NULL,
            level INTEGER,
            started REAL NOT NULL,
            ended REAL,
            result TEXT CHECK (result IN ('completed', 'abandoned')),
            answers TEXT
        )""",
        "CREATE INDEX breaks_by_started ON breaks(started)",
        "CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
    (  # 2: the rules in effect with each bout, so changing sit_limit later does not rewrite history
        "ALTER TABLE bouts ADD COLUMN sit_limit_s REAL CHECK (sit_limit_s IS NULL OR sit_limit_s > 0)",
    ),
)
