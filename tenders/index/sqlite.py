"""The embedded search index: one SQLite file (settings.index_path), FTS5 over Swedish stems (tenders.text), numpy.

Text is analysed in Python (stems and the stems of compound parts, :mod:`tenders.text`) and stored in the docs
table, whose external-content FTS5 table finds the hits and scores them with bm25()
(:mod:`tenders.index.sqlite_fts`). Filters, facets and sorted pages run over per-document columns in memory
(:mod:`tenders.index.sqlite_columns`), caught up with the file at the start of every search, so writes of
this connection and of other processes are seen at once. Tables: :mod:`tenders.index.sqlite_schema`.

A rebuild (:meth:`SqliteIndex.rebuild`) writes a new file beside this one and copies it over the live file with
SQLite's online backup API, in one write transaction: readers in every process keep their snapshot of the old index
until the copy commits, and a rebuild that dies before leaves the live file untouched. (Renaming a file over a
database that other processes have open would corrupt it: their WAL and shared-memory files belong to the old one.)
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tenders.index.base import (
    FACET_FIELDS,
    FacetCount,
    IndexDocument,
    OnFailure,
    SearchHit,
    SearchQuery,
    SearchResult,
    one_line,
)
from tenders.index.sqlite_columns import Columns
from tenders.index.sqlite_fts import create_vocabulary_tables
from tenders.index.sqlite_query import search_page
from tenders.index.sqlite_schema import (
    ADD_STAMP,
    DROP,
    INDEX_TEXT_FROM,
    INSERT_DOC,
    SCHEMA,
    SCHEMA_VERSION,
    STAMP_FROM_VERSION,
    UNINDEX_TEXT,
    doc_row,
    stemmed_text,
    term_rows,
)
from tenders.text import ANALYSIS_VERSION

FACET_SIZE = 20  # values per facet: most frequent first, ties by value (as OpenSearch's terms aggregation)
BUSY_TIMEOUT_MS = 30_000  # loads, crawls, the scheduler and a rebuild's final copy write the same file: wait
PRAGMAS = (
    f"busy_timeout={BUSY_TIMEOUT_MS}",  # first: switching a new file to WAL needs a lock another process may hold
    "journal_mode=WAL", "synchronous=NORMAL", "cache_size=-65536", "temp_store=MEMORY",
    "mmap_size=1073741824",  # reads straight from the page cache; 1 GB is an address-space limit, not memory
)
BUILD_BATCH = 500  # documents per write while a rebuild loads its new file
BUILD_SUFFIX = ".rebuild-"  # <index file>.rebuild-<pid>: a rebuild's new file, beside the live one
PARAMS_PER_STATEMENT = 500
NEXT_DOC_ID = "SELECT coalesce(max(seq), 0) + 1 FROM sqlite_sequence WHERE name = 'docs'"
Facets = dict[str, list[FacetCount]]
logger = logging.getLogger(__name__)


class SqliteIndex:
    """:class:`tenders.index.base.TenderIndex` on SQLite and numpy; one connection, guarded by a lock."""

    def __init__(self, path: Path | str, *, page_size: int | None = None) -> None:
        self.path = None if str(path) == ":memory:" else Path(path)
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        if page_size:  # before the file exists: a rebuild's file must have the live file's page size
            self._db.execute(f"PRAGMA page_size = {int(page_size)}")
        for pragma in PRAGMAS:
            self._db.execute(f"PRAGMA {pragma}")
        self._columns = Columns()
        with self._transaction():
            self._create_schema()
        create_vocabulary_tables(self._db)
        self.analysis_version = self._analysis_version()
        if self.analysis_version != ANALYSIS_VERSION:
            logger.warning("search index %s holds terms of text analysis %s, not %s: run 'anbudsvakt reindex'",
                           path, self.analysis_version, ANALYSIS_VERSION)

    def _create_schema(self) -> None:
        version = self._db.execute("PRAGMA user_version").fetchone()[0]
        if version == SCHEMA_VERSION:
            return
        if version == STAMP_FROM_VERSION:  # the same tables but the stamp: kept, and stamped as they are rewritten
            self._db.execute(ADD_STAMP)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            return
        if self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
            logger.warning("search index of schema %s replaced by an empty one: run 'anbudsvakt reindex'", version)
        self._recreate_tables()
        self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _recreate_tables(self) -> None:
        for statement in f"{DROP}{SCHEMA}".split(";"):  # executescript would commit the open transaction
            if statement.strip():
                self._db.execute(statement)
        self._db.execute("INSERT INTO meta (key, value) VALUES ('analysis', ?)", (ANALYSIS_VERSION,))

    def _analysis_version(self) -> int:
        """The text analysis the terms were made with (files from before it was recorded: 1)."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'analysis'").fetchone()
        return int(row[0]) if row else 1

    # -- writing --------------------------------------------------------------------------------

    def index(self, documents: Iterable[IndexDocument], on_failure: OnFailure | None = None) -> int:
        given = list(documents)
        batch = list({doc.tender_id: doc for doc in given}.values())  # the last one of a tender wins
        prepared = []
        for doc in batch:  # analysis and serialisation, outside the lock; a document that fails is left out
            try:
                prepared.append(_prepare(doc))
            except Exception as error:
                if on_failure is None:
                    raise
                on_failure(doc.tender_id, one_line(error))
        failed = len(batch) - len(prepared)
        if not prepared:
            return 0
        with self._lock, self._transaction():
            self._columns.sync_vals(self._db)
            self._delete_ids(self._ids_of([doc.tender_id for doc, _, _, _ in prepared]))
            first_id = self._db.execute(NEXT_DOC_ID).fetchone()[0]
            vals = self._columns.vals
            new_vals: list[tuple[int, str, str]] = []
            rows = []
            for offset, (doc, text, pairs, document) in enumerate(prepared):
                vids = []
                for field, value in pairs:
                    vid = vals.by_key.get((field, value))
                    if vid is None:
                        vid = vals.add(field, value)
                        new_vals.append((vid, field, value))
                    vids.append(vid)
                rows.append(doc_row(first_id + offset, doc, text, vids, document))
            self._db.executemany("INSERT INTO vals (id, field, value) VALUES (?, ?, ?)", new_vals)
            self._db.executemany(INSERT_DOC, rows)
            self._db.execute(INDEX_TEXT_FROM, (first_id,))
        return len(given) - failed

    def rebuild(self, documents: Iterable[IndexDocument], on_failure: OnFailure | None = None) -> int:
        """Loads the documents into a new file beside this one, then copies it over this one in one transaction.

        Searches (of this process and others) see the old index until the copy commits; if the rebuild fails or is
        killed before, the live index is as it was, and the next rebuild removes the stray file."""
        page_size = self._db.execute("PRAGMA page_size").fetchone()[0]
        build_path = ":memory:" if self.path is None else _build_path(self.path)
        if self.path is not None:
            _remove_stale_builds(self.path)
        builder = SqliteIndex(build_path, page_size=page_size)
        try:
            written = 0
            for batch in _batches(documents, BUILD_BATCH):
                written += builder.index(batch, on_failure=on_failure)
            builder.optimize()
            live_epoch = self._db.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0]
            with builder._lock:  # another epoch: every connection to the live file reloads its columns
                builder._db.execute("UPDATE meta SET value = ? WHERE key = 'epoch'", ((live_epoch + 1) % 2**62,))
                builder._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            with self._lock:
                builder._db.backup(self._db)  # one write transaction on the live file
                self.invalidate()
                self.analysis_version = self._analysis_version()
        finally:
            builder.close()
            if isinstance(build_path, Path):
                _remove_files(build_path)
        self._db.execute("PRAGMA wal_checkpoint(PASSIVE)")  # the copy went through the WAL; give its pages back
        return written

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

    def stamps(self, tender_ids: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(tender_ids))
        found: dict[str, str] = {}
        with self._lock:
            for start in range(0, len(wanted), PARAMS_PER_STATEMENT):
                chunk = wanted[start:start + PARAMS_PER_STATEMENT]
                marks = ", ".join("?" for _ in chunk)  # only placeholders are formatted into the statement
                query = f"SELECT tender_id, stamp FROM docs WHERE tender_id IN ({marks}) AND stamp IS NOT NULL"  # noqa: S608
                found.update(self._db.execute(query, chunk))
        return found

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


def _prepare(doc: IndexDocument) -> tuple[IndexDocument, Any, list[tuple[str, str]], str]:
    """What a document becomes in the file, computed before the write lock: raises for a document that cannot be
    stored (its text is analysed within the bounds of tenders.text; what still fails is text SQLite refuses)."""
    text, document = stemmed_text(doc), doc.model_dump_json()
    for value in (*text.columns, document):
        value.encode("utf-8")  # a lone surrogate (a broken emoji from a JSON source) fails here, not mid-batch
    return doc, text, term_rows(doc), document


def _batches(documents: Iterable[IndexDocument], size: int) -> Iterator[list[IndexDocument]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, size)):
        yield batch


def _build_path(path: Path) -> Path:
    return path.with_name(f"{path.name}{BUILD_SUFFIX}{os.getpid()}")


def _remove_files(database: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def _remove_stale_builds(path: Path) -> None:
    """Files of rebuilds whose process is gone (killed before it could remove them)."""
    for leftover in path.parent.glob(f"{path.name}{BUILD_SUFFIX}*"):
        pid = leftover.name[len(path.name) + len(BUILD_SUFFIX):].split("-", 1)[0]
        if pid.isdigit() and not _process_alive(int(pid)):
            leftover.unlink(missing_ok=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
