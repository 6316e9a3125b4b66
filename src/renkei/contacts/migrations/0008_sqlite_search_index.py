"""On SQLite, an FTS5 trigram index over the contacts' search text, kept in step by
triggers, so substring search of three or more characters does not scan every contact.
Shorter words scan the (smaller) plain index on search_text. PostgreSQL uses the trigram
GIN index from 0002 instead."""

from django.db import migrations

SQLITE_CREATE = [
    "CREATE INDEX IF NOT EXISTS contact_search_text ON contacts_contact (search_text)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS contact_fts USING fts5("
    "search_text, content='contacts_contact', content_rowid='id', tokenize='trigram')",
    "INSERT INTO contact_fts(contact_fts) VALUES ('rebuild')",
    "CREATE TRIGGER IF NOT EXISTS contact_fts_insert AFTER INSERT ON contacts_contact BEGIN "
    "INSERT INTO contact_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS contact_fts_delete AFTER DELETE ON contacts_contact BEGIN "
    "INSERT INTO contact_fts(contact_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS contact_fts_update AFTER UPDATE OF search_text "
    "ON contacts_contact BEGIN "
    "INSERT INTO contact_fts(contact_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO contact_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS contact_fts_update",
    "DROP TRIGGER IF EXISTS contact_fts_delete",
    "DROP TRIGGER IF EXISTS contact_fts_insert",
    "DROP TABLE IF EXISTS contact_fts",
    "DROP INDEX IF EXISTS contact_search_text",
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0007_duplicate_candidates")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
