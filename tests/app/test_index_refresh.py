"""The daily index refresh writes only what the index does not hold as the store projects it.

Before, ``refresh_index`` re-indexed every procurement changed in the last two days, although each crawl had just
indexed what it stored (issue 11: "notices are indexed twice in the daily job"). Now each indexed document carries
its stamp and the refresh writes a procurement only when the index holds another stamp or none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

import app.daily
from app.daily import daily_pipeline, refresh_index
from app.ingest import Ingestor, RawNotice, ingest
from tenders.index import open_index
from tenders.index.base import IndexDocument, OnFailure, SearchQuery, TenderIndex
from tenders.settings import Settings
from tenders.store import TenderStore
from tests.matcher.alerting import make_settings, make_tender

EFORMS = Path(__file__).resolve().parents[1] / "fixtures" / "eforms"
SINCE = datetime(2000, 1, 1, tzinfo=UTC)


class CountingIndex:
    """The real index, with every document handed to ``index`` recorded (the writes a refresh makes)."""

    def __init__(self, inner: TenderIndex, written: list[str]) -> None:
        self._inner = inner
        self.written = written
        self.analysis_version = inner.analysis_version

    def index(self, documents: Iterable[IndexDocument], on_failure: OnFailure | None = None) -> int:
        given = list(documents)
        self.written += [doc.tender_id for doc in given]
        return self._inner.index(given, on_failure)

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


@pytest.fixture
def writes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tender ids the refresh writes to the index, in order."""
    written: list[str] = []
    monkeypatch.setattr(app.daily, "open_index", lambda settings: CountingIndex(open_index(settings), written))
    return written


def _ingest_fixtures(settings: Settings) -> int:
    """Every eForms fixture through ingest, as a crawl stores and indexes them; the procurements indexed."""
    store, index = TenderStore.from_settings(settings), open_index(settings)
    try:
        notices = [RawNotice(raw=path.read_bytes(), name=path.name, source="ted")
                   for path in sorted(EFORMS.glob("*.xml"))]
        report = Ingestor(store, index).ingest(notices)
        assert report.counts["failed"] == 0 and report.counts["not_indexed"] == 0
        return index.count()
    finally:
        index.close()
        store.close()


def test_after_a_crawl_like_ingest_the_refresh_writes_nothing(tmp_path: Path, writes: list[str]) -> None:
    settings = make_settings(tmp_path)
    procurements = _ingest_fixtures(settings)
    assert procurements > 10

    refresh = refresh_index(settings, SINCE)

    assert writes == []
    assert (refresh.indexed, refresh.current, refresh.failed) == (0, procurements, 0)


def test_a_procurement_changed_behind_the_index_is_the_one_written(tmp_path: Path, writes: list[str]) -> None:
    settings = make_settings(tmp_path)
    store, index = TenderStore.from_settings(settings), open_index(settings)
    for name in ("a", "b", "c"):
        ingest(make_tender(name, title=f"Takarbeten etapp {name}"), b"<xml/>", store, index)
    store.upsert_notice(make_tender("b", version="02", title="Snöröjning i Mora"), b"<xml/>")  # no index write
    index.close()
    store.close()

    refresh = refresh_index(settings, SINCE)

    assert writes == ["proc-b"]
    assert (refresh.indexed, refresh.current, refresh.failed) == (1, 2, 0)
    index = open_index(settings)
    try:
        assert [hit.document.tender_id for hit in index.search(SearchQuery(text="snöröjning")).hits] == ["proc-b"]
    finally:
        index.close()
    assert refresh_index(settings, SINCE).indexed == 0  # and once written, it is current
    assert writes == ["proc-b"]


def test_a_procurement_missing_from_the_index_is_written(tmp_path: Path, writes: list[str]) -> None:
    settings = make_settings(tmp_path)
    store, index = TenderStore.from_settings(settings), open_index(settings)
    for name in ("a", "b"):
        ingest(make_tender(name), b"<xml/>", store, index)
    index.delete(["proc-a"])  # a crash between the store write and the index write
    index.close()
    store.close()

    refresh = refresh_index(settings, SINCE)

    assert writes == ["proc-a"]
    assert (refresh.indexed, refresh.current) == (1, 1)


def test_an_index_that_cannot_say_what_it_holds_gets_everything_written(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path)
    store = TenderStore.from_settings(settings)
    store.upsert_notice(make_tender("a"), b"<xml/>")
    store.close()
    written: list[str] = []

    def blind(settings: Settings) -> CountingIndex:
        counting = CountingIndex(open_index(settings), written)
        counting.stamps = lambda tender_ids: (_ for _ in ()).throw(ConnectionError("cluster unreachable"))  # type: ignore[attr-defined]
        return counting

    monkeypatch.setattr(app.daily, "open_index", blind)
    assert refresh_index(settings, SINCE).indexed == 1
    assert written == ["proc-a"]


def test_an_index_that_refuses_every_write_never_stops_the_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = make_settings(tmp_path)
    store = TenderStore.from_settings(settings)
    store.upsert_notice(make_tender("a"), b"<xml/>")
    store.upsert_notice(make_tender("b"), b"<xml/>")
    store.close()

    def refusing(settings: Settings) -> CountingIndex:
        counting = CountingIndex(open_index(settings), [])
        counting.index = lambda documents, on_failure=None: (_ for _ in ()).throw(OSError("disk full"))  # type: ignore[method-assign]
        return counting

    monkeypatch.setattr(app.daily, "open_index", refusing)
    refresh = refresh_index(settings, SINCE)
    assert (refresh.indexed, refresh.current, refresh.failed) == (0, 0, 2)


def test_the_daily_report_says_how_many_were_current(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    store, index = TenderStore.from_settings(settings), open_index(settings)
    ingest(make_tender("a"), b"<xml/>", store, index)
    store.upsert_notice(make_tender("b"), b"<xml/>")
    index.close()
    store.close()

    report = daily_pipeline(settings, datetime.now(UTC) + timedelta(minutes=1), crawl=False)

    assert (report.indexed, report.index_current) == (1, 1)
    assert "indexerade 1 (redan aktuella 1)" in report.summary()
