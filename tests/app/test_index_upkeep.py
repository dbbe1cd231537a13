"""``serve`` rebuilds a search index that is behind the store, so an upgrade never leaves search blind.

Before, an index of an older text analysis (or of an older file format, which opens empty) found old terms or
nothing until an operator thought of ``anbudsvakt reindex``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from app.index_upkeep import rebuild_index_if_behind
from tenders.index import open_index
from tenders.index.base import SearchQuery
from tenders.settings import Settings
from tenders.store import TenderStore
from tenders.text import ANALYSIS_VERSION
from tests.matcher.alerting import make_settings, make_tender


def store_two_notices_without_indexing(settings: Settings) -> None:
    store = TenderStore.from_settings(settings)
    try:
        store.upsert_notice(make_tender("a", title="Snöröjning och halkbekämpning i Mora"), b"<xml/>")
        store.upsert_notice(make_tender("b", title="Takarbeten på Orsa skola"), b"<xml/>")
    finally:
        store.close()


def hits(settings: Settings, text: str) -> list[str]:
    index = open_index(settings)
    try:
        return sorted(h.document.tender_id for h in index.search(SearchQuery(text=text)).hits)
    finally:
        index.close()


def test_an_empty_index_over_a_full_store_is_rebuilt_once(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    store_two_notices_without_indexing(settings)
    assert hits(settings, "snöröjning") == []

    said = rebuild_index_if_behind(settings)

    assert said is not None and "tomt" in said and "2 upphandlingar" in said
    assert hits(settings, "snorojning") == ["proc-a"]  # the current analysis: folded terms too
    assert rebuild_index_if_behind(settings) is None  # current now: nothing to do on the next start


def test_an_index_of_an_older_text_analysis_is_rebuilt(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    store_two_notices_without_indexing(settings)
    rebuild_index_if_behind(settings)
    with sqlite3.connect(settings.index_path) as db:  # as a file written before this release would say
        db.execute("UPDATE meta SET value = ? WHERE key = 'analysis'", (ANALYSIS_VERSION - 1,))

    said = rebuild_index_if_behind(settings)

    assert said is not None and f"textanalys {ANALYSIS_VERSION - 1}" in said
    index = open_index(settings)
    try:
        assert index.analysis_version == ANALYSIS_VERSION
    finally:
        index.close()
    assert hits(settings, "tak") == ["proc-b"]


def test_an_empty_store_needs_no_rebuild(tmp_path: Path) -> None:
    assert rebuild_index_if_behind(make_settings(tmp_path)) is None
