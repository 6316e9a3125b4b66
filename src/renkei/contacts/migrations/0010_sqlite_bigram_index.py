"""Fill search_grams for existing contacts, and on SQLite index them in an FTS5 table kept
in step by triggers, so a two-character search (高橋) is a lookup instead of a scan."""

import re

from django.db import migrations

_RUN = re.compile(r"[^\x00-\x7f\s]{2,}")

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS contact_gram_fts USING fts5("
    "search_grams, content='contacts_contact', content_rowid='id', tokenize='unicode61')",
    "INSERT INTO contact_gram_fts(contact_gram_fts) VALUES ('rebuild')",
    "CREATE TRIGGER IF NOT EXISTS contact_gram_fts_insert AFTER INSERT ON contacts_contact "
    "BEGIN INSERT INTO contact_gram_fts(rowid, search_grams) "
    "VALUES (new.id, new.search_grams); END",
    "CREATE TRIGGER IF NOT EXISTS contact_gram_fts_delete AFTER DELETE ON contacts_contact "
    "BEGIN INSERT INTO contact_gram_fts(contact_gram_fts, rowid, search_grams) "
    "VALUES ('delete', old.id, old.search_grams); END",
    "CREATE TRIGGER IF NOT EXISTS contact_gram_fts_update AFTER UPDATE OF search_grams "
    "ON contacts_contact BEGIN "
    "INSERT INTO contact_gram_fts(contact_gram_fts, rowid, search_grams) "
    "VALUES ('delete', old.id, old.search_grams); "
    "INSERT INTO contact_gram_fts(rowid, search_grams) VALUES (new.id, new.search_grams); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS contact_gram_fts_update",
    "DROP TRIGGER IF EXISTS contact_gram_fts_delete",
    "DROP TRIGGER IF EXISTS contact_gram_fts_insert",
    "DROP TABLE IF EXISTS contact_gram_fts",
]


def _grams(text):
    grams = {}
    for run in _RUN.findall(text):
        for i in range(len(run) - 1):
            grams[run[i : i + 2]] = None
    return " ".join(grams)


def fill(apps, schema_editor):
    Contact = apps.get_model("contacts", "Contact")
    batch = []
    for pk, text in Contact.objects.values_list("pk", "search_text").iterator(chunk_size=2000):
        batch.append(Contact(pk=pk, search_grams=_grams(text)))
        if len(batch) == 2000:
            Contact.objects.bulk_update(batch, ["search_grams"])
            batch = []
    if batch:
        Contact.objects.bulk_update(batch, ["search_grams"])
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("contacts", "0009_search_grams")]
    operations = [migrations.RunPython(fill, drop, elidable=False)]
