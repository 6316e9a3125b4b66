"""SQLite's search indexes for contacts: FTS5 tables over search_text (trigrams) and
search_grams (two-character pieces), kept in step with contacts_contact by triggers.

SQLite rebuilds a table for most schema changes, and the rebuild drops the table's
triggers; so after every `migrate` the triggers are put back and, if any were missing,
the indexes are rebuilt from the table (see ContactsConfig.ready).
"""

from __future__ import annotations

from django.db import connections

INDEXES = {
    # FTS table: (indexed column, tokenizer)
    "contact_fts": ("search_text", "trigram"),
    "contact_gram_fts": ("search_grams", "unicode61"),
}


def _triggers(table: str, column: str) -> dict[str, str]:
    return {
        f"{table}_insert": (
            f"CREATE TRIGGER IF NOT EXISTS {table}_insert AFTER INSERT ON contacts_contact "
            f"BEGIN INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column}); END"
        ),
        f"{table}_delete": (
            f"CREATE TRIGGER IF NOT EXISTS {table}_delete AFTER DELETE ON contacts_contact "
            f"BEGIN INSERT INTO {table}({table}, rowid, {column}) "
            f"VALUES ('delete', old.id, old.{column}); END"
        ),
        f"{table}_update": (
            f"CREATE TRIGGER IF NOT EXISTS {table}_update AFTER UPDATE OF {column} "
            f"ON contacts_contact BEGIN "
            f"INSERT INTO {table}({table}, rowid, {column}) "
            f"VALUES ('delete', old.id, old.{column}); "
            f"INSERT INTO {table}(rowid, {column}) VALUES (new.id, new.{column}); END"
        ),
    }


def ensure_search_indexes(using: str = "default") -> list[str]:
    """Create missing FTS tables and triggers on SQLite; rebuild an index whose triggers
    were missing. Returns the names of the indexes rebuilt."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    rebuilt = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        existing = {row[0] for row in cursor.fetchall()}
        if "contacts_contact" not in existing:
            return []
        for table, (column, tokenizer) in INDEXES.items():
            triggers = _triggers(table, column)
            if table in existing and all(name in existing for name in triggers):
                continue
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5({column}, "
                f"content='contacts_contact', content_rowid='id', tokenize='{tokenizer}')"
            )
            for statement in triggers.values():
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
            rebuilt.append(table)
    return rebuilt
