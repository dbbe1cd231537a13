"""The embedded search index: SQLite FTS5 over Swedish Snowball stems, in its own file (settings.index_path).

Stemming happens in Python (PyStemmer), so FTS5 only splits the pre-stemmed text on spaces with
'unicode61 remove_diacritics 0', which keeps å, ä and ö apart from a and o. Tables: see sqlite_schema.

Facets are counted with GROUP BY over the hit set (integer value ids, so the grouping stays cheap);
the unfiltered set's facets are kept as running counts. Totals and facets of recent queries are cached
until the index changes (this connection's writes, or another process's, seen through data_version).
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from tenders.index.base import FACET_FIELDS, FacetCount, IndexDocument, SearchHit, SearchQuery, SearchResult
from tenders.index.sqlite_query import HitsSql, hits_sql, order_by
from tenders.index.sqlite_schema import (
    DELETE_DOC,
    DROP,
    INSERT_DOC,
    INSERT_FTS,
    SCHEMA,
    doc_row,
    fts_row,
    is_facet,
    term_rows,
)

FACET_SIZE = 20  # values per facet: most frequent first, ties by value (as OpenSearch's terms aggregation)
CACHE_SIZE = 256
PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000", "cache_size=-65536", "temp_store=MEMORY")
Facets = dict[str, list[FacetCount]]


def _top(counts: Iterable[tuple[str, str, int]]) -> Facets:
    grouped: dict[str, list[FacetCount]] = {name: [] for name in FACET_FIELDS}
    for field_name, value, count in counts:
        grouped[field_name].append(FacetCount(value=value, count=count))
    return {name: sorted(values, key=lambda c: (-c.count, c.value))[:FACET_SIZE] for name, values in grouped.items()}


class SqliteIndex:
    """:class:`tenders.index.base.TenderIndex` on SQLite FTS5; one connection, guarded by a lock."""

    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        for pragma in PRAGMAS:
            self._db.execute(f"PRAGMA {pragma}")
        self._db.executescript(SCHEMA)
        self._cache: OrderedDict[tuple[Any, ...], tuple[int, Facets]] = OrderedDict()
        self._cache_version: tuple[int, int] = (-1, -1)
        self._writes = 0

    # -- writing --------------------------------------------------------------------------------

    def index(self, documents: Iterable[IndexDocument]) -> int:
        written = 0
        with self._lock, self._transaction():
            vids: dict[tuple[str, str], int] = {}  # valid inside this write transaction only
            for doc in documents:
                self._delete_one(doc.tender_id)
                self._insert_one(doc, vids)
                written += 1
        return written

    def _transaction(self) -> _Transaction:
        self._writes += 1
        return _Transaction(self._db)

    def _value_id(self, key: tuple[str, str], vids: dict[tuple[str, str], int]) -> int:
        if key not in vids:
            self._db.execute("INSERT OR IGNORE INTO vals (field, value) VALUES (?, ?)", key)
            vids[key] = self._db.execute("SELECT id FROM vals WHERE field = ? AND value = ?", key).fetchone()[0]
        return vids[key]

    def _insert_one(self, doc: IndexDocument, vids: dict[tuple[str, str], int]) -> None:
        doc_id = self._db.execute(INSERT_DOC, doc_row(doc)).lastrowid
        self._db.execute(INSERT_FTS, (doc_id, *fts_row(doc)))
        rows = [(self._value_id(key, vids), key[0]) for key in term_rows(doc)]
        self._db.executemany("INSERT INTO terms (vid, doc) VALUES (?, ?)", [(vid, doc_id) for vid, _ in rows])
        facet_ids = [(vid,) for vid, field_name in rows if is_facet(field_name)]
        self._db.executemany("INSERT INTO facet_terms (doc, vid) VALUES (?, ?)", [(doc_id, v) for (v,) in facet_ids])
        self._db.executemany("UPDATE vals SET n = n + 1 WHERE id = ?", facet_ids)

    def _delete_one(self, tender_id: str) -> None:
        row = self._db.execute("SELECT id FROM docs WHERE tender_id = ?", (tender_id,)).fetchone()
        if row is not None:
            for statement in DELETE_DOC:
                self._db.execute(statement, {"doc": row[0]})

    def delete(self, tender_ids: Iterable[str]) -> None:
        with self._lock, self._transaction():
            for tender_id in tender_ids:
                self._delete_one(tender_id)

    def clear(self) -> None:
        with self._lock:
            self._writes += 1
            self._db.executescript(f"BEGIN IMMEDIATE; {DROP} {SCHEMA} COMMIT;")  # executescript commits first

    def optimize(self) -> None:
        """Merge the FTS5 segments after a bulk load (queries then read fewer b-trees)."""
        with self._lock, self._transaction():
            self._db.execute("INSERT INTO fts (fts) VALUES ('optimize')")

    # -- reading --------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        hits = hits_sql(query)
        page_sql = (
            f"SELECT d.document, {hits.rank} {hits.from_where}"
            f" ORDER BY {order_by(query.sort, hits)} LIMIT ? OFFSET ?"
        )
        with self._lock:
            total, facets = self._total_and_facets(hits, query.with_facets)
            rows = self._db.execute(page_sql, [*hits.params, query.page_size, (query.page - 1) * query.page_size])
            page = [SearchHit(document=IndexDocument.model_validate_json(doc), score=-rank) for doc, rank in rows]
        return SearchResult(hits=page, total=total, facets=facets if query.with_facets else {})

    def _total_and_facets(self, hits: HitsSql, with_facets: bool) -> tuple[int, Facets]:
        version = (self._db.execute("PRAGMA data_version").fetchone()[0], self._writes)
        if version != self._cache_version:
            self._cache.clear()
            self._cache_version = version
        key = (hits.from_where, *hits.params)
        cached = self._cache.get(key)
        if cached is not None and (cached[1] or not with_facets):
            self._cache.move_to_end(key)
            return cached
        total = self._db.execute(f"SELECT count(*) {hits.from_where}", hits.params).fetchone()[0]
        facets = self._facets(hits) if with_facets else {}
        self._cache[key] = (total, facets)
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return total, facets

    def _facets(self, hits: HitsSql) -> Facets:
        if not hits.filtered:
            marks = ", ".join("?" for _ in FACET_FIELDS)
            sql = f"SELECT field, value, n FROM vals WHERE n > 0 AND field IN ({marks})"  # noqa: S608
            return _top(self._db.execute(sql, FACET_FIELDS))
        # CROSS JOIN keeps the hit set outermost: each hit reads its few facet rows by doc.
        counts = (
            f"SELECT t.vid, count(*) AS n FROM (SELECT d.id {hits.from_where}) h"  # noqa: S608
            " CROSS JOIN facet_terms t ON t.doc = h.id GROUP BY t.vid"
        )
        named = f"SELECT v.field, v.value, c.n FROM ({counts}) c JOIN vals v ON v.id = c.vid"  # noqa: S608
        return _top(self._db.execute(named, hits.params))

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (the connection runs in autocommit mode)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        self._db.execute("ROLLBACK" if error is not None else "COMMIT")
