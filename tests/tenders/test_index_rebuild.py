"""The embedded index's rebuild: a new file beside the live one, copied over it in one transaction (SQLite's backup
API); other connections keep answering from the old index until then and see the new one after; a failed rebuild
leaves the live index as it was. ``rebuild_from_store`` names what it cannot index and goes on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tenders.index import sqlite_fts
from tenders.index.base import IndexDocument, SearchQuery
from tenders.index.rebuild import rebuild_from_store
from tenders.index.sqlite import SqliteIndex
from tenders.store import TenderStore
from tenders.text import ANALYSIS_VERSION
from tests.tenders.conftest import build_tender


def doc(tender_id: str, title: str) -> IndexDocument:
    return IndexDocument(tender_id=tender_id, notice_id=tender_id, version="1", title=title,
                         published=date(2026, 3, 1))


def ids(index: SqliteIndex, text: str = "") -> set[str]:
    return {h.document.tender_id for h in index.search(SearchQuery(text=text, page_size=200)).hits}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "index.sqlite3"


def test_another_connection_answers_from_the_old_index_until_the_swap_then_from_the_new(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    writer, reader = SqliteIndex(path), SqliteIndex(path)
    try:
        writer.index([doc(f"old-{i}", f"Snöröjning {i}") for i in range(50)])
        assert len(ids(reader, "snöröjning")) == 50

        def documents() -> Iterator[IndexDocument]:
            for i in range(30):
                if i == 15:  # halfway: the reader still sees every old document, and nothing new
                    assert len(ids(reader, "snöröjning")) == 50 and ids(reader, "takarbeten") == set()
                yield doc(f"new-{i}", f"Takarbeten {i}")

        assert writer.rebuild(documents()) == 30
        monkeypatch.setattr(sqlite_fts, "EXACT_HITS", 0)  # the numpy bm25 path reads FTS5's vocabulary tables
        assert ids(reader, "snöröjning") == set() and len(ids(reader, "takarbeten")) == 30
        assert reader.count() == 30 and len(ids(reader)) == 30
        assert not list(path.parent.glob("index.sqlite3.rebuild-*"))
    finally:
        reader.close()
        writer.close()


def test_a_failed_rebuild_leaves_the_live_index_and_no_file(path: Path) -> None:
    index = SqliteIndex(path)
    try:
        index.index([doc("kept", "Fönsterputs")])

        def documents() -> Iterator[IndexDocument]:
            yield doc("never", "Asfaltering")
            raise RuntimeError("the store went away")

        with pytest.raises(RuntimeError):
            index.rebuild(documents())
        assert ids(index, "fönsterputs") == {"kept"} and index.count() == 1
        assert not list(path.parent.glob("index.sqlite3.rebuild-*"))
    finally:
        index.close()


def test_a_dead_rebuilds_file_is_removed_by_the_next(path: Path) -> None:
    index = SqliteIndex(path)
    stray = path.with_name("index.sqlite3.rebuild-999999999")  # no such process
    stray.write_bytes(b"half a file")
    Path(f"{stray}-wal").write_bytes(b"")
    try:
        index.rebuild([doc("a", "Vägbelysning")])
        assert not stray.exists() and not Path(f"{stray}-wal").exists()
        assert ids(index, "vägbelysning") == {"a"}
    finally:
        index.close()


def test_an_index_of_an_older_analysis_says_so_and_keeps_answering(path: Path, caplog) -> None:
    index = SqliteIndex(path)
    index.index([doc("a", "Vägbelysning")])
    index._db.execute("DELETE FROM meta WHERE key = 'analysis'")  # a file from before the analysis was recorded
    index.close()
    reopened = SqliteIndex(path)
    try:
        assert reopened.analysis_version == 1 and "anbudsvakt reindex" in caplog.text
        assert ids(reopened, "vägbelysning") == {"a"}  # not emptied: still answering until the rebuild
        reopened.rebuild([doc("a", "Vägbelysning")])
        assert reopened.analysis_version == ANALYSIS_VERSION
    finally:
        reopened.close()


def test_rebuild_from_store_names_a_broken_view_and_indexes_the_rest(tmp_path: Path, path: Path) -> None:
    store = TenderStore.from_url(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    index = SqliteIndex(path)
    try:
        for number in range(5):
            store.upsert_notice(build_tender(f"n-{number}", procedure_id=f"p-{number}",
                                             title={"swe": f"Snöröjning {number}"}), b"<xml/>")
        with store.engine.begin() as connection:
            connection.execute(sa.text("UPDATE tenders SET data = '{\"notice_id\": null}' WHERE tender_id = 'p-3'"))
        read: list[int] = []
        report = rebuild_from_store(store, index, batch_size=2, advance=read.append)
        assert [tid for tid, _ in report.failed] == ["p-3"] and report.failed[0][1].startswith("ValidationError")
        assert report.written == 4 and sum(read) == 5
        assert ids(index, "röjning") == {"p-0", "p-1", "p-2", "p-4"}  # through the compound part
    finally:
        index.close()
        store.close()
