"""The daily index refresh after the crawls: re-index everything changed (before) against skip what is current (after).

The example data (``tenders/demo.py``, 300 notices from UHM 2021) is ingested as ``anbudsvakt load --demo`` does it
(classified, stored, indexed) into a fresh embedded store and index; every procurement then counts as changed in the
last two days, the daily job's refresh window. Timed, each ``--repeat`` times (median wall and CPU time reported):

- ``before``: the refresh as it was (``refresh_everything`` below, the removed code): read each changed procurement,
  project it and write it to the index again, although the ingest had just indexed it;
- ``after_nothing_changed``: ``app.daily.refresh_index``: project each, ask the index for its stamps, write none;
- ``after_changed_behind``: the same after ``--changed`` procurements were rewritten in the store without their index
  write (a crash between the two): it writes exactly those;
- ``after_no_stamps_held``: ``refresh_index`` when the index holds no stamps (its first run on an index file of
  schema 4): it writes everything, so the difference to ``before`` is the batched read alone, not the skipping.

Each runs on the embedded index and on OpenSearch (a throwaway node from ``scripts/services/opensearch``, as
``bench.search`` starts it, or ``--opensearch-url``); the store is the embedded SQLite file in both.

Run: ``.venv/bin/python -m bench.refresh [--repeat 5] [--changed 30] [--opensearch-url URL | --no-opensearch]``;
writes bench/results/refresh.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from app.daily import refresh_index
from app.ingest import Ingestor, IngestReport, RawNotice, index_documents
from bench.results_file import write_results
from bench.search import opensearch_node
from nlp.annotate import annotate_many
from tenders.demo import demo_tenders
from tenders.index import open_index
from tenders.index.base import TenderIndex
from tenders.index.documents import to_index_document
from tenders.index.opensearch import OpenSearchIndex
from tenders.settings import Settings
from tenders.store import TenderStore

RESULTS = Path(__file__).resolve().parent / "results" / "refresh.json"
WINDOW = timedelta(days=2)  # the daily job's refresh window


def refresh_everything(settings: Settings, since: datetime) -> int:
    """The refresh before stamps (app/daily.py until this change): every changed procurement written again."""
    store = TenderStore.from_settings(settings)
    index = open_index(settings)
    report = IngestReport()
    try:
        documents = []
        for tender_id in store.tender_ids_updated_since(since):
            try:
                tender = store.tender(tender_id)
                if tender is not None:
                    documents.append(to_index_document(tender))
            except Exception as error:
                report.fail(tender_id, "projection", error)
        index_documents(index, documents, report)
        return len(documents) - report.counts["not_indexed"]
    finally:
        index.close()
        store.close()


class StamplessIndex:
    """The real index, saying it holds no stamps (as an index file of schema 4 does)."""

    def __init__(self, inner: TenderIndex) -> None:
        self._inner = inner

    def stamps(self, tender_ids: object) -> dict[str, str]:
        return {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def load_demo(settings: Settings) -> int:
    store, index = TenderStore.from_settings(settings), open_index(settings)
    try:
        notices = [RawNotice(raw=json.dumps(t.model_dump(mode="json"), ensure_ascii=False).encode(),
                             name=t.notice_id, source=t.source, tender=t) for t in demo_tenders()]
        report = Ingestor(store, index, classify=annotate_many).ingest(notices)
        assert report.counts["failed"] == 0 and report.counts["not_indexed"] == 0, report.failures
        return index.count()
    finally:
        index.close()
        store.close()


def change_behind_the_index(settings: Settings, count: int, round_: int) -> None:
    """Rewrite ``count`` procurements in the store only: a new notice version each, with another title."""
    store = TenderStore.from_settings(settings)
    try:
        for tender in list(store.iter_tenders())[:count]:
            changed = tender.model_copy(update={"version": f"bench-{round_}",
                                                "title": {"swe": f"{tender.title.get('swe', '')} (ändrad {round_})"}})
            store.upsert_notice(changed, b"{}")
    finally:
        store.close()


def timed(run: Callable[[], Any], repeat: int, before_each: Callable[[int], None] | None = None) -> dict[str, Any]:
    walls, cpus, outcome = [], [], None
    for round_ in range(repeat):
        if before_each is not None:
            before_each(round_)
        started, cpu_started = time.perf_counter(), time.process_time()
        outcome = run()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
    return {"seconds_median": round(statistics.median(walls), 3),
            "cpu_seconds_median": round(statistics.median(cpus), 3),
            "seconds_runs": [round(w, 3) for w in walls], "last_outcome": outcome}


def measure(settings: Settings, repeat: int, changed: int) -> dict[str, Any]:
    """Every variant on one backend, over a fresh store with the example data ingested."""
    procurements = load_demo(settings)
    since = datetime.now(UTC) - WINDOW
    before = timed(lambda: refresh_everything(settings, since), repeat)
    before["last_outcome"] = {"indexed": before["last_outcome"]}

    def after() -> dict[str, int]:
        report = refresh_index(settings, since)
        return {"indexed": report.indexed, "current": report.current, "failed": report.failed}

    nothing_changed = timed(after, repeat)
    changed_behind = timed(after, repeat, before_each=lambda round_: change_behind_the_index(settings, changed, round_))
    with mock.patch("app.daily.open_index", lambda settings: StamplessIndex(open_index(settings))):
        no_stamps = timed(after, repeat)
    return {
        "procurements": procurements,
        "before_reindex_everything": before,
        "after_nothing_changed": nothing_changed,
        f"after_{changed}_changed_behind_the_index": changed_behind,
        "after_no_stamps_held": no_stamps,
        "speedup_nothing_changed": round(before["seconds_median"] / nothing_changed["seconds_median"], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--changed", type=int, default=30)
    parser.add_argument("--opensearch-url", help="a running node instead of a throwaway one")
    parser.add_argument("--no-opensearch", action="store_true", help="the embedded index only")
    arguments = parser.parse_args()
    backends: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:  # the embedded store and index in that folder
        backends["sqlite"] = measure(Settings(data_dir=Path(folder)), arguments.repeat, arguments.changed)
    if not arguments.no_opensearch:
        with opensearch_node(arguments.opensearch_url) as url, tempfile.TemporaryDirectory() as folder:
            settings = Settings(data_dir=Path(folder), index_backend="opensearch", opensearch_url=url,
                                opensearch_index=f"bench-refresh-{int(time.time())}")
            try:
                backends["opensearch"] = measure(settings, arguments.repeat, arguments.changed)
            finally:
                index = OpenSearchIndex.from_settings(settings)
                index.drop()
                index.close()
    result = {
        "benchmark": "app.daily.refresh_index over the example data (300 UHM 2021 notices, tenders/demo.py) just "
                     "ingested into a fresh SQLite store and the index; every procurement in the two-day window",
        "backends": backends,
    }
    write_results(RESULTS, result)


if __name__ == "__main__":
    main()
