"""The full-text index, one design on two backends.

Both backends index the same tokens: the stems ``text.stems`` wrote into ``SearchDoc`` (stop words
out, Sastrawi for id/ms, Snowball for en). The database only tokenizes on spaces and ranks.

- SQLite (the embedded default): an FTS5 table ``knowledge_fts(title, body, scope)`` whose rowid
  is the SearchDoc's id, written by ``doc_index`` in the same transaction as the SearchDoc row.
  Each stem is stored with its copy and language as a prefix (``id1xkembali``: Indonesian, published
  copy), so a query's posting lists hold only the documents it may return, and a title's stems
  once more as title tokens (``id1tkembali``). Ranked by ``bm25`` with the title weighted 4:1,
  named in the ``ORDER BY ... LIMIT``; merged into one segment by ``index_optimize`` (daily).
- PostgreSQL (at scale): a stored generated ``tsvector`` column on ``knowledge_searchdoc``
  (title weight A, body weight B, the ``simple`` configuration, so PostgreSQL does no stemming of
  its own; the same copy- and language-prefixed tokens as on SQLite) with a GIN index, and a
  title-only one (``title_tsv``, its own GIN index); ranked by ``ts_rank`` (normalization 1:
  divided by 1 + log(length)). The ``tsvector`` is kept in the row, the GIN indexes have no
  pending list (``pg_tune``).

A query is the OR of its terms: a customer's sentence rarely has every word of an article. On a
large help center the documents ranked are narrowed first (``CANDIDATES`` below, and the same idea
on PostgreSQL from its column statistics).
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass

from django.db import connection

FTS_TABLE = "knowledge_fts"
TITLE_WEIGHT = 4.0
BM25 = f"bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0, 0.0)"  # title 4, body 1, scope 0


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


def _prefix(language: str, published: bool, marker: str = "x") -> str:
    return f"{language}{int(published)}{marker}"


def _scoped_title(text: str, published: bool, language: str) -> str:
    """The title column: its stems as every column has them, and once more as title tokens
    (``id1tkembali``), so "this stem in a title" is a posting list of its own. (A column filter,
    ``{title} : id1xkembali``, reads every posting of the stem to check its column: for a common
    stem that was most of a query's time.) Both in the title column, so bm25 scores a title token
    as it scored the filtered stem (title weight, its own document frequency)."""
    own = _scoped(text, published, language)
    prefix = _prefix(language, published, "t")
    return f"{own} {' '.join(prefix + t for t in text.split())}".strip()


def _title_token(token: str) -> str:
    """``id1xkembali`` -> ``id1tkembali``."""
    return token[:3] + "t" + token[4:]


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
        pg_tune(schema_editor)


PG_GIN_INDEXES = ("kb_searchdoc_tsv", "kb_searchdoc_title_tsv")


def pg_tune(schema_editor, *, rewrite: bool = False) -> None:
    """PostgreSQL storage for a search that reads every candidate's ``tsv`` (migration 0005).

    - ``tsv`` kept in the row (``STORAGE MAIN``, compressed with lz4 where the server has it): a
      body's ``tsvector`` is 1.5-2 kB, so by default PostgreSQL moved it to the TOAST table, and
      ``ts_rank`` fetched it from there for every candidate (4-5 buffers per row instead of 1;
      at 100,000 articles the ranking query went from 46 to 12 ms once rows were rewritten).
    - GIN indexes without the pending list (``fastupdate = off``): a help center writes rarely and
      searches often, and a search scans the whole unmerged list until a VACUUM merges it.
    ``rewrite`` rewrites existing rows (an UPDATE: the generated columns are computed again and
    stored the new way) and merges what the pending lists hold."""
    ex = schema_editor.execute
    ex("ALTER TABLE knowledge_searchdoc ALTER COLUMN tsv SET STORAGE MAIN")
    with schema_editor.connection.cursor() as cur:
        cur.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        row = cur.fetchone()
    if row and row[0]:
        ex("ALTER TABLE knowledge_searchdoc ALTER COLUMN tsv SET COMPRESSION lz4")
    if rewrite:
        ex("UPDATE knowledge_searchdoc SET title_stems = title_stems")
    for index in PG_GIN_INDEXES:
        ex(f"ALTER INDEX {index} SET (fastupdate = off)")
        ex(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def set_rank(schema_editor) -> None:
    """FTS5's built-in ``rank`` = bm25 with the title weighted (the same score as ``BM25``, for
    queries by hand; the search names ``BM25`` in its ORDER BY, see ``_sqlite``)."""
    schema_editor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('rank', 'bm25({TITLE_WEIGHT}, 1.0, 0.0)')")


def index_optimize() -> None:
    """SQLite: merge the FTS5 index's segments into one (FTS5's ``optimize``). Writes add segments
    and FTS5 merges them only a few at a time, so after a bulk load or a reindex a query reads a
    posting list in many pieces: on 100,000 articles, 11 segments took twice the time of one.
    Seconds of work; run after the migration that reindexes and by the daily ``search_optimize``
    task. PostgreSQL: nothing (its GIN indexes have no pending list, ``pg_tune``)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


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
                        [(d.pk, _scoped_title(d.title_stems, d.published, d.language),
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
#   - all of its common stems together, when at most ALL_COMMON_CANDIDATES documents have them: on
#     SQLite within NEAR_WINDOW words of each other (FTS5's NEAR, counted), on PostgreSQL anywhere
#     in the document (estimated), and
#   - a common stem in the title (the title weighs 4 times the body in the ranking); when the query
#     has several and the clauses above retrieve something, two of them together in the title
#     (``_title_clause``);
# every stem still *ranks* them (FTS5's bm25 also counts the retrieving stems once more, which
# favours rare stems and all-common-stems matches a little). A small help center always fits the
# budget: there the search is the plain OR.
CANDIDATES = 3000
ALL_COMMON_CANDIDATES = 1500  # ranking costs 3-5 µs per document here: 1,500 is 5-8 ms
# "Anywhere in the same document" is weak evidence in a long article: two shop words each in a third
# of 100,000 articles were together in 4,000 of one language's 33,000, and within 10 words of each
# other in 1,000, with the same MRR@10 (bench/kb_search). PostgreSQL has no "within n words"
# operator its GIN index can answer, so there the rule stays AND, within the same budget (on the
# bench its 4,000-document groups cost a third of the slowest queries' time and no MRR@10).
NEAR_WINDOW = 10
# With several common stems, one of them in a title is weak evidence too (each shop word was in the
# titles of 700-1,100 articles of a language: 1,500-2,300 candidates per query); two of them
# together in a title are not (about 100). Pairs among the rarest TITLE_PAIR_STEMS common stems.
# When nothing else retrieves (no rare stem, the common ones not close together), one is enough:
# a query of common words then still finds the articles with one of them in the title.
TITLE_PAIR_STEMS = 4


def _title_clause(common: list[str], either: str, both: str, *, pairs: bool) -> str:
    """Any common stem, or (``pairs``, several stems) any two of the rarest TITLE_PAIR_STEMS,
    joined with the backend's OR / AND operators."""
    if len(common) == 1 or not pairs:
        return either.join(common)
    return either.join(f"({a}{both}{b})" for a, b in itertools.combinations(common[:TITLE_PAIR_STEMS], 2))


def _sqlite(terms, *, published, language, limit):
    tokens = _query_tokens(terms, published=published, language=language)
    df = _doc_freqs(tokens)
    tokens = sorted((t for t in tokens if df.get(t)), key=lambda t: (df[t], t))
    if not tokens:
        return []
    rare, common = _split(tokens, df)

    def quoted(ts):
        return [f'"{t}"' for t in ts]

    # No column filter: stems are in title and body only (the scope column holds "p1 lid"), and a
    # filter made FTS5 check the column of every posting.
    either = " OR ".join(quoted(tokens))
    if not common:
        match = either
    else:
        retrieve = quoted(rare)
        if len(common) > 1:
            near = "NEAR(" + " ".join(quoted(common)) + f", {NEAR_WINDOW})"
            with connection.cursor() as cur:  # counting is cheap (no ranking): 1-3 ms
                cur.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [near])
                if 0 < cur.fetchone()[0] <= ALL_COMMON_CANDIDATES:
                    retrieve.append(near)
        retrieve.append("(" + _title_clause(quoted(_title_token(t) for t in common), " OR ", " AND ",
                                            pairs=bool(retrieve)) + ")")
        match = f"({either}) AND ({' OR '.join(retrieve)})"
    # The best rows first, then their SearchDoc rows: joining before the LIMIT would look up every
    # matching document. bm25() named in the ORDER BY, not FTS5's ``rank`` column (the same score):
    # ``ORDER BY rank`` makes FTS5 sort every match in a statement of its own before the first row,
    # while with bm25() SQLite keeps only the best ``limit`` rows as it goes (25-40 % less time on
    # thousands of matches here).
    sql = (f"SELECT d.id, d.article_id, d.language, m.r FROM (SELECT rowid AS id, {BM25} AS r FROM {FTS_TABLE} "
           f"WHERE {FTS_TABLE} MATCH %s ORDER BY r LIMIT %s) m JOIN knowledge_searchdoc d ON d.id = m.id "
           "ORDER BY m.r, d.id")
    with connection.cursor() as cur:
        cur.execute(sql, [match, limit])
        return [Hit(row[0], row[1], row[2], -float(row[3])) for row in cur.fetchall()]


def _query_tokens(terms: list[str], *, published: bool, language: str | None) -> list[str]:
    """The index's tokens for these stems (``_scoped``'s prefix), in one language or all three."""
    languages = (language,) if language else ("id", "ms", "en")
    return list(dict.fromkeys(_prefix(lang, published) + t for lang in languages for t in terms))


def _split(tokens: list[str], df: dict[str, float], *, used: float = 0.0) -> tuple[list[str], list[str]]:
    """Tokens (sorted rarest first) into the rare ones whose postings fit CANDIDATES (less what is
    ``used`` already), and the rest."""
    rare, total = [], used
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
    df, rows, listed = _pg_doc_freqs(tokens, language=language, published=published)
    tokens = sorted(tokens, key=lambda t: (df[t], t))
    # A stem the statistics do not list is rarer than every listed one: always retrieving (its
    # estimate only uses up the budget); otherwise five such words (1,000 each, estimated) made the
    # last ones "common", and one of them the only word the article had ("status").
    unlisted = [t for t in tokens if t not in listed]
    rare, common = _split([t for t in tokens if t in listed], df, used=sum(df[t] for t in unlisted))
    rare = unlisted + rare
    either = " | ".join(f"'{t}'" for t in tokens)
    if not common:
        where, queries = "d.tsv @@ qr", [either, either, either]
    else:
        main, together = [f"'{t}'" for t in rare], False
        if len(common) > 1 and rows:  # all common stems together, if few enough (independent, within the scope)
            share = 1.0
            for t in common:
                share *= df[t] / rows
            if share * rows <= ALL_COMMON_CANDIDATES:
                main.append("(" + " & ".join(f"'{t}'" for t in common) + ")")
                together = listed.issuperset(common)
        # Pairs in the title only beside an all-together clause of listed stems: the others are
        # estimates (a stem the statistics do not list may be in no document, and the clause with it
        # retrieve nothing).
        title = _title_clause([f"'{t}'" for t in common], " | ", " & ", pairs=together)
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


_PG_STATS: tuple[float, float, dict[str, float], float, dict[tuple[str, str], float]] = (-1e9, 0.0, {}, 0.0, {})
PG_STATS_TTL = 300.0


def forget_stats() -> None:
    """Read PostgreSQL's statistics again on the next search (after a bulk load and ANALYZE)."""
    global _PG_STATS
    _PG_STATS = (-1e9, 0.0, {}, 0.0, {})


def _pg_doc_freqs(tokens: list[str], *, language: str | None = None,
                  published: bool | None = None) -> tuple[dict[str, float], float, set[str]]:
    """Estimated documents per token, and the estimated documents of the query's scope (its copy and
    language: the rows its tokens can be in), from PostgreSQL's statistics: the ``tsv`` column's most
    common lexemes and their frequencies (``pg_stats.most_common_elems``, kept by ANALYZE and
    autovacuum) times the table's estimated rows (a token not listed counts as the rarest listed),
    and the shares of ``language`` and ``published`` values. Read at most every 5 minutes per
    process. Before the first ANALYZE: all zero, the plain OR. Also: the tokens the statistics list
    (known to be in documents; an unlisted one may be in none)."""
    global _PG_STATS
    at, floor, freqs, rows, shares = _PG_STATS
    if time.monotonic() - at > PG_STATS_TTL:
        with connection.cursor() as cur:
            cur.execute("SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
                        "FROM pg_stats s JOIN pg_class c ON c.relname = s.tablename "
                        "WHERE s.tablename = 'knowledge_searchdoc' AND s.attname = 'tsv' "
                        "AND s.schemaname = current_schema()")
            row = cur.fetchone()
            cur.execute("SELECT attname, most_common_vals::text::text[], most_common_freqs FROM pg_stats "
                        "WHERE tablename = 'knowledge_searchdoc' AND attname IN ('language', 'published') "
                        "AND schemaname = current_schema()")
            shares = {(name, v): f for name, values, fs in cur.fetchall() if values for v, f in zip(values, fs)}
        freqs, floor, rows = {}, 0.0, 0.0
        if row and row[0]:
            rows = max(float(row[2] or 0), 0.0)
            freqs = {t: f * rows for t, f in zip(row[0], row[1])}
            # A lexeme the list leaves out is rarer than its cutoff: estimated as PostgreSQL's planner
            # does (ts_selfuncs.c: half the least listed frequency, at most 0.5 %). Counting it as
            # the least listed (10,700 of 200,000 rows here) made rare words "common".
            floor = min(0.005, min(row[1][:len(row[0])]) / 2) * rows  # the array ends with min, max, null share
        _PG_STATS = (time.monotonic(), floor, freqs, rows, shares)
    scope = rows
    if language:
        scope *= shares.get(("language", language), 1.0)
    if published is not None:
        scope *= shares.get(("published", "t" if published else "f"), 1.0)
    return {t: freqs.get(t, floor) for t in tokens}, scope, {t for t in tokens if t in freqs}
