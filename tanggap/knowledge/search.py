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
  its own; the same copy- and language-prefixed tokens as on SQLite) with a GIN index, and a
  title-only one (``title_tsv``, its own GIN index); ranked by ``ts_rank`` (normalization 1:
  divided by 1 + log(length)).

A query is the OR of its terms: a customer's sentence rarely has every word of an article. On a
large help center the documents ranked are narrowed first (``CANDIDATES`` below, and the same idea
on PostgreSQL from its column statistics).
"""

from __future__ import annotations

import time
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
    prefix = _prefix(language, published)
    return " ".join(prefix + t for t in text.split())


def _prefix(language: str, published: bool) -> str:
    return f"{language}{int(published)}x"


# ---------------------------------------------------------------------------------------------
# Schema (migration 0002)


def create_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
                              "title, body, scope, tokenize = 'unicode61 remove_diacritics 2')")
        set_rank(schema_editor)
    elif vendor == "postgresql":
        scoped = ("regexp_replace({col}, '(\\S+)', language || CASE WHEN published THEN '1' ELSE '0' END || "
                  "'x\\1', 'g')")
        title, body = scoped.format(col="title_stems"), scoped.format(col="body_stems")
        schema_editor.execute(
            "ALTER TABLE knowledge_searchdoc ADD COLUMN tsv tsvector GENERATED ALWAYS AS ("
            f"setweight(to_tsvector('simple', {title}), 'A') || "
            f"setweight(to_tsvector('simple', {body}), 'B')) STORED")
        schema_editor.execute("CREATE INDEX kb_searchdoc_tsv ON knowledge_searchdoc USING gin (tsv)")
        schema_editor.execute("ALTER TABLE knowledge_searchdoc ADD COLUMN title_tsv tsvector GENERATED ALWAYS AS ("
                              f"to_tsvector('simple', {title})) STORED")
        schema_editor.execute("CREATE INDEX kb_searchdoc_title_tsv ON knowledge_searchdoc USING gin (title_tsv)")


def set_rank(schema_editor) -> None:
    """FTS5's built-in ``rank`` = bm25 with the title weighted: ``ORDER BY rank LIMIT n`` is then
    sorted inside FTS5 (no SQL sort over every matching row)."""
    schema_editor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('rank', 'bm25({TITLE_WEIGHT}, 1.0, 0.0)')")


def drop_index(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
    elif vendor == "postgresql":
        for index, column in (("kb_searchdoc_title_tsv", "title_tsv"), ("kb_searchdoc_tsv", "tsv")):
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
            schema_editor.execute(f"ALTER TABLE knowledge_searchdoc DROP COLUMN IF EXISTS {column}")


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


# Retrieval budget. A query is the OR of its stems, and ranking computes bm25 for every document
# that matches: over a large help center a common stem ("pesan", "order") matches tens of
# thousands (p95 147 ms at 100,000 articles). So when the postings of a query's stems add up to
# more than CANDIDATES documents, documents are *retrieved* only by
#   - its rarer stems (rarest first, while their postings fit the budget),
#   - all of its common stems together (AND), when that is at most ALL_COMMON_CANDIDATES, and
#   - a common stem in the title (the title weighs 4 times the body in the ranking);
# every stem still *ranks* them (FTS5's bm25 also counts the retrieving stems once more, which
# favours rare stems and all-common-stems matches a little). A small help center always fits the
# budget: there the search is the plain OR.
CANDIDATES = 3000
ALL_COMMON_CANDIDATES = 5000  # ranking costs about 3 µs per document here: 5,000 is ~15 ms


def _sqlite(terms, *, published, language, limit):
    tokens = _query_tokens(terms, published=published, language=language)
    df = _doc_freqs(tokens)
    tokens = sorted((t for t in tokens if df.get(t)), key=lambda t: (df[t], t))
    if not tokens:
        return []
    rare, common = _split(tokens, df)

    def quoted(ts):
        return [f'"{t}"' for t in ts]

    either = " OR ".join(quoted(tokens))
    if not common:
        match = f"{{title body}} : ({either})"
    else:
        retrieve = quoted(rare)
        if len(common) > 1:
            every = "(" + " AND ".join(quoted(common)) + ")"
            with connection.cursor() as cur:  # counting is cheap (no ranking): about 1 ms
                cur.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [every])
                if cur.fetchone()[0] <= ALL_COMMON_CANDIDATES:
                    retrieve.append(every)
        retrieve.append("({title} : (" + " OR ".join(quoted(common)) + "))")
        match = f"({{title body}} : ({either})) AND ({' OR '.join(retrieve)})"
    # The best rows first (sorted inside FTS5), then their SearchDoc rows: joining before the LIMIT
    # would look up every matching document.
    sql = (f"SELECT d.id, d.article_id, d.language, m.r FROM (SELECT rowid AS id, rank AS r FROM {FTS_TABLE} "
           f"WHERE {FTS_TABLE} MATCH %s ORDER BY rank LIMIT %s) m JOIN knowledge_searchdoc d ON d.id = m.id "
           "ORDER BY m.r, d.id")
    with connection.cursor() as cur:
        cur.execute(sql, [match, limit])
        return [Hit(row[0], row[1], row[2], -float(row[3])) for row in cur.fetchall()]


def _query_tokens(terms: list[str], *, published: bool, language: str | None) -> list[str]:
    """The index's tokens for these stems (``_scoped``'s prefix), in one language or all three."""
    languages = (language,) if language else ("id", "ms", "en")
    return list(dict.fromkeys(_prefix(lang, published) + t for lang in languages for t in terms))


def _split(tokens: list[str], df: dict[str, float]) -> tuple[list[str], list[str]]:
    """Tokens (sorted rarest first) into the rare ones whose postings fit CANDIDATES, and the rest."""
    rare, total = [], 0.0
    for t in tokens:
        if total + df[t] > CANDIDATES:
            break
        rare.append(t)
        total += df[t]
    return rare, tokens[len(rare):]


def _doc_freqs(tokens: list[str]) -> dict[str, int]:
    """Documents containing each token, from FTS5's own vocabulary (a per-connection temp
    ``fts5vocab`` table over the index: nothing to keep in step)."""
    with connection.cursor() as cur:
        cur.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{FTS_TABLE}_vocab USING fts5vocab(main, {FTS_TABLE}, 'row')")
        marks = ", ".join(["%s"] * len(tokens))
        cur.execute(f"SELECT term, doc FROM temp.{FTS_TABLE}_vocab WHERE term IN ({marks})", tokens)
        return dict(cur.fetchall())


def _postgres(terms, *, published, language, limit):
    """The same retrieval budget as on SQLite, with the same copy- and language-prefixed tokens;
    the title clause has its own index (``title_tsv``: a GIN index cannot apply a weight)."""
    tokens = _query_tokens(terms, published=published, language=language)
    df, rows = _pg_doc_freqs(tokens)
    tokens = sorted(tokens, key=lambda t: (df[t], t))
    rare, common = _split(tokens, df)
    either = " | ".join(f"'{t}'" for t in tokens)
    if not common:
        where, queries = "d.tsv @@ qr", [either, either, either]
    else:
        main = [f"'{t}'" for t in rare]
        if len(common) > 1 and rows:  # all common stems together, if few enough (independence estimate)
            share = 1.0
            for t in common:
                share *= df[t] / rows
            if share * rows <= ALL_COMMON_CANDIDATES:
                main.append("(" + " & ".join(f"'{t}'" for t in common) + ")")
        title = " | ".join(f"'{t}'" for t in common)
        if main:
            where, queries = "(d.tsv @@ qm OR d.title_tsv @@ qt)", [either, " | ".join(main), title]
        else:
            where, queries = "d.title_tsv @@ qt", [either, either, title]
    sql = ("SELECT d.id, d.article_id, d.language, ts_rank(d.tsv, qr, 1) AS r FROM knowledge_searchdoc d, "
           "to_tsquery('simple', %s) qr, to_tsquery('simple', %s) qm, to_tsquery('simple', %s) qt "
           f"WHERE {where} ORDER BY r DESC, d.id LIMIT %s")
    with connection.cursor() as cur:
        cur.execute(sql, [*queries, limit])
        return [Hit(row[0], row[1], row[2], float(row[3])) for row in cur.fetchall()]


_PG_STATS: tuple[float, float, dict[str, float], float] = (-1e9, 0.0, {}, 0.0)
PG_STATS_TTL = 300.0


def forget_stats() -> None:
    """Read PostgreSQL's statistics again on the next search (after a bulk load and ANALYZE)."""
    global _PG_STATS
    _PG_STATS = (-1e9, 0.0, {}, 0.0)


def _pg_doc_freqs(tokens: list[str]) -> tuple[dict[str, float], float]:
    """Estimated documents per token, and the table's estimated rows, from PostgreSQL's statistics of the ``tsv`` column: the most
    common lexemes and their frequencies (``pg_stats.most_common_elems``, kept by ANALYZE and
    autovacuum) times the table's estimated rows; a token not listed counts as the rarest listed.
    Read at most every 5 minutes per process. Before the first ANALYZE: all zero, the plain OR."""
    global _PG_STATS
    at, floor, freqs, rows = _PG_STATS
    if time.monotonic() - at > PG_STATS_TTL:
        with connection.cursor() as cur:
            cur.execute("SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
                        "FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename "
                        "WHERE s.tablename = 'knowledge_searchdoc' AND s.attname = 'tsv' "
                        "AND s.schemaname = current_schema()")
            row = cur.fetchone()
        freqs, floor, rows = {}, 0.0, 0.0
        if row and row[0]:
            rows = max(float(row[2] or 0), 0.0)
            freqs = {t: f * rows for t, f in zip(row[0], row[1])}
            floor = min(row[1][:len(row[0])]) * rows  # the array ends with min, max, null share
        _PG_STATS = (time.monotonic(), floor, freqs, rows)
    return {t: freqs.get(t, floor) for t in tokens}, rows
