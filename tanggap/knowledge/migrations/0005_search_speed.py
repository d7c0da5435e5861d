"""Faster search on a large help center (docs/knowledge.md, "Search design").

- SQLite: every document indexed again, its title stems also as title tokens (``id1tkembali``,
  search._scoped_title): about 1-2 minutes per 100,000 articles.
- PostgreSQL: the ``tsvector`` kept in the row and GIN indexes without a pending list
  (search.pg_tune); existing rows rewritten once (an UPDATE of every SearchDoc row: about 4
  minutes for 200,000 rows on the bench machine under load)."""

from django.db import migrations


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        from tanggap.knowledge.search import pg_tune

        pg_tune(schema_editor, rewrite=True)
    elif vendor == "sqlite":
        from tanggap.knowledge.search import FTS_TABLE, doc_index

        schema_editor.execute(f"DELETE FROM {FTS_TABLE}")
        SearchDoc = apps.get_model("knowledge", "SearchDoc")
        batch = []
        for doc in SearchDoc.objects.order_by("pk").iterator(chunk_size=2000):
            batch.append(doc)
            if len(batch) == 2000:
                doc_index(batch)
                batch = []
        doc_index(batch)
        schema_editor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")  # one segment


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0004_pg_scoped_tsvector")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
