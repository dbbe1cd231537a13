"""The embedded search index: one SQLite file (settings.index_path), FTS5 over Swedish Snowball stems, numpy.

Text is stemmed in Python (PyStemmer, plus the stems of compound parts, :mod:`tenders.index.analysis`) and
stored in the docs table, whose external-content FTS5 table finds the hits and scores them with bm25()
(:mod:`tenders.index.sqlite_fts`). Filters, facets and sorted pages run over per-document columns in memory
(:mod:`tenders.index.sqlite_columns`), caught up with the file at the start of every search, so writes of
this connection and of other processes are seen at once. Tables: :mod:`tenders.index.sqlite_schema`.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from tenders.index.base import FACET_FIELDS, FacetCount, IndexDocument, SearchHit, SearchQuery, SearchResult
from tenders.index.sqlite_columns import Columns
from tenders.index.sqlite_fts import create_vocabulary_tables
from tenders.index.sqlite_query import search_page
from tenders.index.sqlite_schema import (
    DROP,
    INDEX_TEXT_FROM,
    INSERT_DOC,
    SCHEMA,
    SCHEMA_VERSION,
    UNINDEX_TEXT,
    doc_row,
    stemmed_text,
    term_rows,
)

FACET_SIZE = 20  # values per facet: most frequent first, ties by value (as OpenSearch's terms aggregation)
PRAGMAS = (
    "journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=10000", "cache_size=-65536", "temp_store=MEMORY",
    "mmap_size=1073741824",  # reads straight from the page cache; 1 GB is an address-space limit, not memory
)
PARAMS_PER_STATEMENT = 500
NEXT_DOC_ID = "SELECT coalesce(max(seq), 0) + 1 FROM sqlite_sequence WHERE name = 'docs'"
Facets = dict[str, list[FacetCount]]
logger = logging.getLogger(__name__)


class SqliteIndex:
    """:class:`tenders.index.base.TenderIndex` on SQLite and numpy; one connection, guarded by a lock."""

    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        for pragma in PRAGMAS:
            self._db.execute(f"PRAGMA {pragma}")
        self._columns = Columns()
        with self._transaction():
            self._create_schema()
        create_vocabulary_tables(self._db)

    def _create_schema(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            logger.warning("search index of schema %s replaced by an empty one: run 'anbudsvakt reindex'", version)
        self._recreate_tables()
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _recreate_tables(self) -> None:
        for statement in f"{DROP}{SCHEMA}".split(";"):  # executescript would commit the open transaction
            if statement.strip():
                self._db.execute(statement)

    # -- writing --------------------------------------------------------------------------------

    def index(self, documents: Iterable[IndexDocument]) -> int:
        given = list(documents)
        batch = list({doc.tender_id: doc for doc in given}.values())  # the last one of a tender wins
        prepared = [(doc, stemmed_text(doc), term_rows(doc)) for doc in batch]  # stemming, outside the lock
        with self._lock, self._transaction():
            self._columns.sync_vals(self._db)
            self._delete_ids(self._ids_of([doc.tender_id for doc in batch]))
            first_id = self._db.execute(NEXT_DOC_ID).fetchone()[0]
            vals = self._columns.vals
            new_vals: list[tuple[int, str, str]] = []
            rows = []
            for offset, (doc, text, pairs) in enumerate(prepared):
                vids = []
                for field, value in pairs:
                    vid = vals.by_key.get((field, value))
                    if vid is None:
                        vid = vals.add(field, value)
                        new_vals.append((vid, field, value))
                    vids.append(vid)
                rows.append(doc_row(first_id + offset, doc, text, vids))
            self._db.executemany("INSERT INTO vals (id, field, value) VALUES (?, ?, ?)", new_vals)
            self._db.executemany(INSERT_DOC, rows)
            self._db.execute(INDEX_TEXT_FROM, (first_id,))
        return len(given)

    def _transaction(self) -> _Transaction:
        return _Transaction(self._db, self)

    def _ids_of(self, tender_ids: list[str]) -> list[int]:
        found: list[int] = []
        for start in range(0, len(tender_ids), PARAMS_PER_STATEMENT):
            chunk = tender_ids[start:start + PARAMS_PER_STATEMENT]
            marks = ", ".join("?" for _ in chunk)
            found += [row[0] for row in self._db.execute(f"SELECT id FROM docs WHERE tender_id IN ({marks})", chunk)]  # noqa: S608
        return found

    def _delete_ids(self, ids: list[int]) -> None:
        self._db.executemany(UNINDEX_TEXT, [(i,) for i in ids])
        self._db.executemany("DELETE FROM docs WHERE id = ?", [(i,) for i in ids])
        self._db.executemany("INSERT INTO deleted (doc) VALUES (?)", [(i,) for i in ids])

    def delete(self, tender_ids: Iterable[str]) -> None:
        with self._lock, self._transaction():
            self._delete_ids(self._ids_of(list(tender_ids)))

    def clear(self) -> None:
        with self._lock, self._transaction():
            self._recreate_tables()  # with a new epoch: every connection reloads its columns

    def optimize(self) -> None:
        """Merge FTS5's index segments into one after a bulk load (queries then read one doclist per stem)."""
        with self._lock, self._transaction():
            self._db.execute("INSERT INTO fts (fts) VALUES ('optimize')")

    def invalidate(self) -> None:
        self._columns.invalidate()

    # -- reading --------------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        with self._lock:
            self._db.execute("BEGIN")  # one snapshot for the columns, the FTS5 index and the documents
            try:
                self._columns.sync(self._db)
                page = search_page(self._db, self._columns, query)
                facets = self._facets(page.hits) if query.with_facets else {}
                documents = self._documents(page.ids.tolist())
            finally:
                self._db.execute("COMMIT")
        hits = [
            SearchHit(document=IndexDocument.model_validate_json(documents[doc_id]), score=score)
            for doc_id, score in zip(page.ids.tolist(), page.scores.tolist(), strict=True)
        ]
        return SearchResult(hits=hits, total=page.total, facets=facets)

    def _documents(self, ids: list[int]) -> dict[int, str]:
        if not ids:
            return {}
        marks = ", ".join("?" for _ in ids)
        return dict(self._db.execute(f"SELECT id, document FROM docs WHERE id IN ({marks})", ids).fetchall())  # noqa: S608

    def _facets(self, hits: NDArray[np.bool_]) -> Facets:
        """Per facet field the FACET_SIZE most frequent values among the hits, ties by value."""
        values = self._columns.vals.values
        facets: Facets = {}
        for field in FACET_FIELDS:
            counts = self._columns.value_counts(field, hits)
            present = np.flatnonzero(counts)
            if len(present) > FACET_SIZE:  # only values at least as frequent as the FACET_SIZE-th can make it
                cut = np.partition(counts[present], -FACET_SIZE)[-FACET_SIZE]
                present = present[counts[present] >= cut]
            top = sorted(present.tolist(), key=lambda vid: (-counts[vid], values[vid]))[:FACET_SIZE]
            facets[field] = [FacetCount(value=values[vid], count=int(counts[vid])) for vid in top]
        return facets

    def count(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error (the connection runs in autocommit mode).

    After a rollback the in-memory columns may hold value ids that were never written: they are dropped.
    """

    def __init__(self, db: sqlite3.Connection, index: SqliteIndex) -> None:
        self._db = db
        self._index = index

    def __enter__(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if error is None:
            self._db.execute("COMMIT")
            return
        self._db.execute("ROLLBACK")
        self._index.invalidate()
