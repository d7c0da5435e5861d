"""SQLite: bm25 with the title weighted as the FTS5 table's rank; re-index the FTS5 table with copy- and language-prefixed tokens (search._scoped)."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from tanggap.knowledge.search import FTS_TABLE, doc_index, set_rank

    set_rank(schema_editor)
    schema_editor.execute(f"DELETE FROM {FTS_TABLE}")
    SearchDoc = apps.get_model("knowledge", "SearchDoc")
    batch = []
    for doc in SearchDoc.objects.order_by("pk").iterator(chunk_size=2000):
        batch.append(doc)
        if len(batch) == 2000:
            doc_index(batch)
            batch = []
    doc_index(batch)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
