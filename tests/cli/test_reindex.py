"""``anbudsvakt reindex`` never empties a live index: it builds beside it and swaps, names a procurement it cannot
index and goes on, and a rebuild killed halfway leaves the old index answering.

Before: reindex cleared the index first, then crashed on a notice whose analysis raised (a title of "tak" × 1000),
leaving the service with an empty index.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from tenders.index.base import SearchQuery
from tenders.index.documents import to_index_document
from tenders.index.sqlite import SqliteIndex
from tenders.model import Tender
from tenders.store import TenderStore
from tests.tenders.conftest import build_tender

REPO = Path(__file__).resolve().parents[2]
ANBUDSVAKT = str(Path(sys.executable).parent / "anbudsvakt")  # the console script of this environment
WORDS = ("snöröjning", "takarbeten", "städning", "fönsterputs", "vägbelysning", "skolmåltider", "asfaltering",
         "ventilation", "markarbeten", "möbler", "läromedel", "konsulttjänster")


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def environment(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "ANBUDSVAKT_DATA_DIR": str(data_dir), "ANBUDSVAKT_DATABASE_URL": "",
            "ANBUDSVAKT_INDEX_BACKEND": "sqlite"}


def reindex(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ANBUDSVAKT, "reindex"], capture_output=True, text=True, cwd=REPO,
                          env=environment(data_dir), timeout=600, check=False)


def tender(number: int, title: str | None = None) -> Tender:
    words = [WORDS[(number * 7 + k) % len(WORDS)] for k in range(3)]
    return build_tender(
        f"n-{number}", procedure_id=f"proc-{number}", title={"swe": title or f"{words[0].capitalize()} {number}"},
        description={"swe": " ".join(words * 20)}, publication_date=date(2026, 3, 1 + number % 28),
    )


def fill(data_dir: Path, tenders: list[Tender]) -> None:
    """The store holds the tenders and the live index was built from them (as load would)."""
    store = TenderStore.from_url(f"sqlite:///{data_dir / 'anbudsvakt.sqlite3'}")
    index = SqliteIndex(data_dir / "index.sqlite3")
    try:
        for item in tenders:
            store.upsert_notice(item, b"<xml/>")
        index.index([to_index_document(t) for t in store.iter_tenders()])
    finally:
        index.close()
        store.close()


def poison(data_dir: Path, tender_id: str) -> None:
    """A view the current model refuses (stored by a bug, an old version or a hand edit)."""
    engine = sa.create_engine(f"sqlite:///{data_dir / 'anbudsvakt.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(sa.text("UPDATE tenders SET data = :data WHERE tender_id = :id"),
                           {"data": '{"notice_id": null}', "id": tender_id})
    engine.dispose()


def hits(index: SqliteIndex, text: str) -> set[str]:
    return {h.document.tender_id for h in index.search(SearchQuery(text=text, page_size=200)).hits}


def test_reindex_names_the_procurement_it_cannot_index_and_indexes_all_others(data_dir: Path) -> None:
    hostile = [tender(9001, "tak" * 1000), tender(9002, "snöröjning" * 5_100)]  # each once ended reindex
    fill(data_dir, [*(tender(n) for n in range(60)), *hostile])
    poison(data_dir, "proc-7")

    done = reindex(data_dir)

    assert done.returncode == 1, done.stderr
    failures = [line for line in done.stderr.splitlines() if line.startswith("misslyckades")]
    assert len(failures) == 1 and failures[0].startswith("misslyckades proc-7: ValidationError")
    assert "indexerade 61 upphandlingar, misslyckade 1" in done.stdout
    index = SqliteIndex(data_dir / "index.sqlite3")
    try:
        assert index.count() == 61
        assert "proc-9001" in hits(index, "tak" * 30)  # the hostile titles are indexed (their words cut at 64)
        assert "proc-9002" in hits(index, "snöröjning" * 7)
        assert hits(index, "skolmåltider") == {f"proc-{n}" for n in range(60) if n != 7
                                               and "skolmåltider" in tender(n).description["swe"]}
    finally:
        index.close()


def test_a_rebuild_killed_halfway_leaves_the_live_index_answering(data_dir: Path) -> None:
    fill(data_dir, [tender(n) for n in range(4000)])
    with _Open(data_dir) as index:
        before = hits(index, "vägbelysning")
        assert index.count() == 4000 and len(before) > 100
        process = subprocess.Popen([ANBUDSVAKT, "reindex"], cwd=REPO, env=environment(data_dir),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        build = data_dir / f"index.sqlite3.rebuild-{process.pid}"
        deadline = time.monotonic() + 120
        while not (build.exists() and build.stat().st_size + _wal_size(build) > 2_000_000):
            assert process.poll() is None, "the rebuild ended before the test could stop it halfway"
            assert time.monotonic() < deadline, "the rebuild never started writing its new file"
            time.sleep(0.02)
        assert index.count() == 4000 and hits(index, "vägbelysning") == before  # during the rebuild: the old one
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert build.exists()  # killed before it could swap or clean up
        assert index.count() == 4000 and hits(index, "vägbelysning") == before  # after the kill: still the old one

        done = reindex(data_dir)  # the next rebuild removes the dead one's file and swaps its own in

        assert done.returncode == 0, done.stderr
        assert not list(data_dir.glob("index.sqlite3.rebuild-*"))
        assert index.count() == 4000 and hits(index, "vägbelysning") == before  # this connection sees the new file


def _wal_size(database: Path) -> int:
    wal = Path(f"{database}-wal")
    return wal.stat().st_size if wal.exists() else 0


class _Open:
    """The live index as the API holds it: one connection, open across the rebuild."""

    def __init__(self, data_dir: Path) -> None:
        self.index = SqliteIndex(data_dir / "index.sqlite3")

    def __enter__(self) -> SqliteIndex:
        return self.index

    def __exit__(self, *exc: object) -> None:
        self.index.close()
