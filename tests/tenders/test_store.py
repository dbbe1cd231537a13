"""The store: idempotent upserts by (notice id, version), current views with history, crawl runs."""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenders.model import FormType, Tender
from tenders.store import TenderStore, UpsertOutcome
from tenders.store.engine import SQLITE_BUSY_TIMEOUT_MS
from tenders.store.schema import head_revision
from tenders.store.tables import NoticeRow, TenderRow


def _notice_rows(store: TenderStore) -> list[tuple[str, str, str, datetime, datetime, bytes]]:
    with Session(store.engine) as session:
        rows = session.scalars(sa.select(NoticeRow).order_by(NoticeRow.id)).all()
        return [(r.notice_id, r.version, r.content_hash, r.first_seen, r.updated_at, r.raw) for r in rows]


def test_upsert_is_idempotent_and_unchanged_writes_nothing(store: TenderStore, make_tender) -> None:
    tender = make_tender("n-1")
    assert store.upsert_notice(tender, b"<xml/>") is UpsertOutcome.INSERTED
    before = _notice_rows(store)
    recrawled = tender.model_copy(update={"retrieved_at": datetime.now(UTC)})  # a re-crawl, same content
    assert store.upsert_notice(recrawled, b"<xml/>") is UpsertOutcome.UNCHANGED
    assert _notice_rows(store) == before
    assert store.count_notices() == 1
    assert store.count_tenders() == 1


def test_same_key_with_new_content_is_updated_in_place(store: TenderStore, make_tender) -> None:
    store.upsert_notice(make_tender("n-1"), b"<v1/>")
    first_seen = _notice_rows(store)[0][3]
    changed = make_tender("n-1", title={"swe": "Ny rubrik"})
    assert store.upsert_notice(changed, b"<v2/>") is UpsertOutcome.UPDATED
    rows = _notice_rows(store)
    assert len(rows) == 1
    assert rows[0][3] == first_seen and rows[0][4] > first_seen
    assert store.raw_document("n-1", "01") == b"<v2/>"
    assert store.get_notice("n-1", "01") == changed
    view = store.tender("n-1")
    assert view is not None and view.title == {"swe": "Ny rubrik"}


def test_versions_of_a_notice_are_kept_apart(store: TenderStore, make_tender) -> None:
    store.upsert_notice(make_tender("n-1", version="01"), b"a")
    store.upsert_notice(make_tender("n-1", version="02", title={"swe": "Rättad"}), b"b")
    assert store.count_notices() == 2
    assert store.raw_document("n-1", "01") == b"a"
    assert store.raw_document("n-1", "02") == b"b"
    assert store.raw_document("n-1", "03") is None
    assert store.get_notice("missing", "01") is None
    view = store.tender("n-1")
    assert view is not None and view.version == "02" and view.title == {"swe": "Rättad"}


def test_change_notice_updates_the_view_and_history_keeps_every_version(
    store: TenderStore, change_history: list[Tender]
) -> None:
    contract, change, award = change_history
    for notice in (award, contract, change):  # arrival order must not matter
        assert store.upsert_notice(notice, notice.notice_id.encode()) is UpsertOutcome.INSERTED
    view = store.tender("proc-snow")
    assert view is not None
    assert view.notice_id == "can-1" and view.form_type is FormType.RESULT
    assert view.submission_deadline == datetime(2026, 4, 15, 12, tzinfo=UTC)  # the change notice's, not the CN's
    assert view.description == {"swe": "Vinterväghållning av kommunala gator."}  # the award has none of its own
    assert view.estimated_value is not None and view.estimated_value.amount == 2_000_000
    assert view.lots[0].sme_suitable is True  # lot fields are merged by lot id
    assert view.lots[0].submission_deadline == datetime(2026, 4, 15, 12, tzinfo=UTC)
    assert view.changes_notice is None  # describes the change notice only, never inherited
    assert view.source_urls == [f"https://ted.europa.eu/n/{n}" for n in ("cn-1", "ch-1", "can-1")]
    history = store.tender_history("proc-snow")
    assert [t.notice_id for t in history] == ["cn-1", "ch-1", "can-1"]
    assert history[0].submission_deadline == datetime(2026, 4, 1, 12, tzinfo=UTC)
    assert store.count_tenders() == 1 and store.count_notices() == 3


def test_newest_by_publication_date_then_version(store: TenderStore, make_tender) -> None:
    store.upsert_notice(make_tender("a", procedure_id="p", publication_date=date(2026, 5, 1), version="01"), b"a")
    store.upsert_notice(make_tender("b", procedure_id="p", publication_date=date(2026, 4, 1), version="09"), b"b")
    store.upsert_notice(make_tender("a", procedure_id="p", publication_date=date(2026, 5, 1), version="02"), b"c")
    view = store.tender("p")
    assert view is not None and (view.notice_id, view.version) == ("a", "02")


def test_notice_moving_to_another_procedure_leaves_the_old_one(store: TenderStore, make_tender) -> None:
    store.upsert_notice(make_tender("n-1", procedure_id="old"), b"a")
    assert store.upsert_notice(make_tender("n-1", procedure_id="new"), b"a") is UpsertOutcome.UPDATED
    assert store.tender("old") is None
    assert store.tender("new") is not None
    assert store.tender_id_for_notice("n-1", "01") == "new"
    with Session(store.engine) as session:
        assert session.scalar(sa.select(sa.func.count()).select_from(TenderRow)) == 1


def test_iter_tenders_reads_every_view_in_batches(store: TenderStore, make_tender) -> None:
    ids = [f"t-{i:02d}" for i in range(7)]
    for tender_id in reversed(ids):
        store.upsert_notice(make_tender(tender_id), tender_id.encode())
    assert [t.notice_id for t in store.iter_tenders(batch_size=3)] == ids
    assert store.count_tenders() == 7


def test_crawl_runs(store: TenderStore) -> None:
    first = store.start_run("ted")
    store.finish_run(first, requests=12, items=10, errors=0, complete=True, expected=10, note="ok")
    second = store.start_run("ted")
    store.finish_run(second, requests=3, items=1, errors=2, complete=False, note="HTTP 429")
    other = store.start_run("e-avrop")
    last = store.last_complete_run("ted")
    assert last is not None and last.id == first
    assert (last.requests, last.items, last.errors, last.expected, last.note) == (12, 10, 0, 10, "ok")
    assert last.finished_at is not None and last.finished_at.tzinfo is not None
    assert last.finished_at >= last.started_at
    assert [r.id for r in store.runs("ted")] == [second, first]
    assert store.runs()[0].id == other
    assert store.last_complete_run("e-avrop") is None  # started, never finished
    assert store.runs("e-avrop")[0].finished_at is None


def test_finishing_an_unknown_run_fails(store: TenderStore) -> None:
    try:
        store.finish_run(999, requests=0, items=0, errors=0, complete=True)
    except KeyError as error:
        assert "999" in str(error)
    else:
        raise AssertionError("finish_run accepted a run that does not exist")


def test_reopening_keeps_data_and_schema_is_at_head(store: TenderStore, make_tender) -> None:
    store.upsert_notice(make_tender("n-1"), b"a")
    reopened = TenderStore(store.engine)  # SQLite: migrations run again, a no-op at head; PostgreSQL: checked
    assert reopened.count_notices() == 1
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == head_revision()


def test_sqlite_file_uses_wal_foreign_keys_and_busy_timeout(tmp_path) -> None:
    store = TenderStore.from_url(f"sqlite:///{tmp_path / 'sub' / 'store.sqlite3'}")
    with store.engine.connect() as connection:
        pragma = {name: connection.execute(sa.text(f"PRAGMA {name}")).scalar()
                  for name in ("journal_mode", "foreign_keys", "busy_timeout")}
    store.close()
    assert pragma == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": SQLITE_BUSY_TIMEOUT_MS}
