"""The full-text index, one design on two backends.

Both backends index the same tokens: the stems ``text.stems`` wrote into ``SearchDoc`` (stop words
out, Sastrawi for id/ms, Snowball for en). The database only tokenizes on spaces and ranks.

- SQLite (the embedded default): an FTS5 table ``knowledge_fts(title, body, scope)`` whose rowid
  is the SearchDoc's id, written by ``doc_index`` in the same transaction as the SearchDoc row.
  Each stem is stored with its copy and language as a prefix (``id1xkembali``: Indonesian, published
  copy), so a query's posting lists hold only the documents it may return. Ranked by ``bm25`` with
  the title weighted 4:1.
- PostgreSQL (at scale): a stored generated ``tsvector`` column on ``knowledge_searchdoc``
  (title weight A, body weight B, the ``simple`` configuration, so PostgreSQL does no stemming of
  its own) with a GIN index; ranked by ``ts_rank`` (normalization 1: divided by 1 + log(length)).

A query is the OR of its terms: a customer's sentence rarely has every word of an article.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

FTS_TABLE = "knowledge_fts"
TITLE_WEIGHT = 4.0


@dataclass(frozen=True)
class Hit:
    doc_id: int
    article_id: int
    language: str
    score: float


def _scope(published: bool, language: str) -> str:
    return f"p{int(published)} l{language}"


def _scoped(text: str, published: bool, language: str) -> str:
    """Stems as FTS5 tokens carrying their copy and language ("id1xkembali"): a query's posting
    lists then hold only the documents it may return. (A filter term instead, ``scope : p1``, is a
    posting list of every published document to intersect: 4 s at p95 for 100,000 articles.)"""
    prefix = f"{language}{int(published)}x"
    return " ".join(prefix + t for t in text.split())


# ---------------------------------------------------------------------------------------------
# Schema (migration 0002)


def create_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                              "title, body, scope, tokenize = 'unicode61 remove_diacritics 2')")
        set_rank(schema_editor)
    elif vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE knowledge_searchdoc ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
            "setweight(to_tsvector('simple', title_stems), 'A') || "
            "setweight(to_tsvector('simple', body_stems), 'B')) STORED")
        schema_editor.execute("CREATE INDEX kb_searchdoc_tsv ON knowledge_searchdoc USING gin (tsv)")


def set_rank(schema_editor) -> None:
    """FTS5's built-in ``rank`` = bm25 with the title weighted: ``ORDER BY rank LIMIT n`` is then
    sorted inside FTS5 (no SQL sort over every matching row)."""
    schema_editor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('rank', 'bm25({TITLE_WEIGHT}, 1.0, 0.0)')")


def drop_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS kb_searchdoc_tsv")
        schema_editor.execute("ALTER TABLE knowledge_searchdoc DROP COLUMN IF EXISTS tsv")


# ---------------------------------------------------------------------------------------------
# Writes: called by services inside their transaction


def doc_index(docs) -> None:
    """Bring the vendor index in step with these SearchDoc rows (already saved)."""
    if connection.vendor != "sqlite" or not docs:
        return  # PostgreSQL: the generated column follows the row
    with connection.cursor() as cur:
        cur.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(d.pk,) for d in docs])
        cur.executemany(f"INSERT INTO {FTS_TABLE}(rowid, title, body, scope) VALUES (%s, %s, %s, %s)",
                        [(d.pk, _scoped(d.title_stems, d.published, d.language),
                          _scoped(d.body_stems, d.published, d.language), _scope(d.published, d.language))
                         for d in docs])


def doc_unindex(doc_ids) -> None:
    if connection.vendor != "sqlite" or not doc_ids:
        return
    with connection.cursor() as cur:
        cur.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(i,) for i in doc_ids])


# ---------------------------------------------------------------------------------------------
# Reads


def run_query(terms: list[str], *, published: bool, language: str | None, limit: int) -> list[Hit]:
    """Best-first hits (one per SearchDoc) for the OR of ``terms`` (stems, ``[a-z0-9]+``)."""
    if not terms:
        return []
    if connection.vendor == "postgresql":
        return _postgres(terms, published=published, language=language, limit=limit)
    return _sqlite(terms, published=published, language=language, limit=limit)


def _sqlite(terms, *, published, language, limit):
    languages = (language,) if language else ("id", "ms", "en")
    either = " OR ".join(f'"{lang}{int(published)}x{t}"' for lang in languages for t in terms)
    match = f"{{title body}} : ({either})"
    # The best rows first (sorted inside FTS5), then their SearchDoc rows: joining before the LIMIT
    # would look up every matching document.
    sql = (f"SELECT d.id, d.article_id, d.language, m.r FROM (SELECT rowid AS id, rank AS r FROM {FTS_TABLE} "
           f"WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT %s) m JOIN knowledge_searchdoc d ON d.id = m.id "
           "ORDER BY m.r, d.id")
    with connection.cursor() as cur:
        cur.execute(sql, [match, limit])
        return [Hit(row[0], row[1], row[2], -float(row[3])) for row in cur.fetchall()]


def _postgres(terms, *, published, language, limit):
    tsquery = " | ".join(f"'{t}'" for t in terms)
    where, params = "d.published = %s AND d.tsv @@ q", [tsquery, published]
    if language:
        where += " AND d.language = %s"
        params.append(language)
    sql = ("SELECT d.id, d.article_id, d.language, ts_rank(d.tsv, q, 1) AS r "
           "FROM knowledge_searchdoc d, to_tsquery('simple', %s) q "
           f"WHERE {where} ORDER BY r DESC, d.id LIMIT %s")
    with connection.cursor() as cur:
        cur.execute(sql, [*params, limit])
        return [Hit(row[0], row[1], row[2], float(row[3])) for row in cur.fetchall()]
