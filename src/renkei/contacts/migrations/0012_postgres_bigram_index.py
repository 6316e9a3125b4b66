"""On PostgreSQL, a GIN index over the two-character pieces in search_grams, so a search
for 高橋 or 佐藤 (too short for the trigram index of 0002) is an index lookup."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS contact_search_grams_gin ON contacts_contact "
            "USING gin ((string_to_array(search_grams, ' ')))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS contact_search_grams_gin")


class Migration(migrations.Migration):
    dependencies = [("contacts", "0011_stage_kana_index")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
