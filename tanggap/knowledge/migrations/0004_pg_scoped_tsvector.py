"""PostgreSQL: the search columns with copy- and language-prefixed tokens (as FTS5 on SQLite,
``search._scoped``), and a title-only tsvector with its own GIN index (the budgeted search's title
clause: a GIN index cannot apply a weight). Both generated, so existing rows are rewritten."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from tanggap.knowledge.search import create_index, drop_index

    drop_index(schema_editor)
    create_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_fts_scoped_tokens")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
