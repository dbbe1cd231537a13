"""An embedded index file of schema 4 (before stamps) keeps its documents and gains the stamp column in place.

Its documents hold no stamp, so the index says it holds none of them, and the next refresh writes each one it
looks at (tests/app/test_index_refresh.py); documents written after the upgrade are stamped.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tenders.index.base import SearchQuery, document_stamp
from tenders.index.sqlite import SqliteIndex
from tenders.index.sqlite_schema import SCHEMA_VERSION, STAMP_FROM_VERSION
from tests.tenders.test_index_contract import hand_written


def test_a_schema_4_file_keeps_its_documents_and_gains_stamps(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite3"
    old, new = hand_written("t-old", "Snöröjning i Orsa"), hand_written("t-new", "Fönsterputsning i Mora")
    index = SqliteIndex(path)
    index.index([old])
    index.close()
    with sqlite3.connect(path) as db:  # the file as schema 4 wrote it: no stamp column
        db.execute("ALTER TABLE docs DROP COLUMN stamp")
        db.execute(f"PRAGMA user_version = {STAMP_FROM_VERSION}")

    index = SqliteIndex(path)
    try:
        assert index.count() == 1
        assert index.search(SearchQuery(text="snöröjning")).hits[0].document == old
        assert index.stamps(["t-old"]) == {}
        index.index([new])
        assert index.stamps(["t-old", "t-new"]) == {"t-new": document_stamp(new)}
    finally:
        index.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
