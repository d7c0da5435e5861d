"""The vendor-specific full-text index over SearchDoc (tanggap/knowledge/search.py):
an FTS5 table on SQLite, a generated tsvector column with a GIN index on PostgreSQL."""

from django.db import migrations


def forwards(apps, schema_editor):
    from tanggap.knowledge.search import create_index

    create_index(schema_editor)


def backwards(apps, schema_editor):
    from tanggap.knowledge.search import drop_index

    drop_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
