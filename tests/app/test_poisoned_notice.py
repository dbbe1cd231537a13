"""A notice that breaks a step is named and left out; the day's index refresh and matching still run for the rest.

Before, ``refresh_index`` raised on one bad procurement and the daily pipeline then recorded no alert for any
company (issue: one bad notice never stops the others).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from app.daily import daily_pipeline, refresh_index
from tenders.index import open_index
from tenders.index.base import SearchQuery
from tests.app.test_jobs import _alerted
from tests.matcher.alerting import add_company, make_settings, make_tender, open_all


def _poison_view(store, tender_id: str) -> None:
    """The procurement's stored view no longer reads as a Tender (a bug, a bad migration, a hand edit)."""
    with store.engine.begin() as connection:
        connection.execute(sa.text("UPDATE tenders SET data = :data WHERE tender_id = :id"),
                           {"data": '{"notice_id": null}', "id": tender_id})


def test_the_daily_pipeline_alerts_the_others_when_one_view_is_broken(tmp_path) -> None:
    settings = make_settings(tmp_path)
    store, profiles = open_all(settings)
    company = add_company(profiles, 700)
    store.upsert_notice(make_tender("good", title="Takarbeten på Mora skola"), b"<xml/>")
    store.upsert_notice(make_tender("bad", title="Takbyte på Orsa bibliotek"), b"<xml/>")
    _poison_view(store, "proc-bad")

    report = daily_pipeline(settings, datetime.now(UTC), crawl=False)

    assert report.indexed == 1  # the good procurement; the broken one is logged and left out
    assert _alerted(store) == {company.id: {"good", "bad"}}  # matching reads the notices themselves
    index = open_index(settings)
    try:
        assert [h.document.tender_id for h in index.search(SearchQuery()).hits] == ["proc-good"]
    finally:
        index.close()
    store.close()


def test_refresh_index_never_raises_on_a_broken_view(tmp_path) -> None:
    settings = make_settings(tmp_path)
    store, _ = open_all(settings)
    store.upsert_notice(make_tender("only"), b"<xml/>")
    _poison_view(store, "proc-only")
    refresh = refresh_index(settings, datetime(2000, 1, 1, tzinfo=UTC))
    assert (refresh.indexed, refresh.current, refresh.failed) == (0, 0, 1)
    store.close()
