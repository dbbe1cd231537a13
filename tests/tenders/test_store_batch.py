"""A batch of notices is stored in one transaction of a few statements, with the outcome of storing them one at a time
(views, history, procurement keys, de-duplication across sources), on SQLite and PostgreSQL; re-storing it writes
nothing; a notice the database refuses fails alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from app.ingest import Ingestor, RawNotice
from tenders.index.base import SearchQuery
from tenders.index.sqlite import SqliteIndex
from tenders.model import Tender
from tenders.store import TenderStore, UpsertOutcome
from tenders.store.batch import store_batch
from tests.tenders.conftest import build_tender
from tests.tenders.test_dedup import ted_notice, web_notice

POISON = "poisoned-notice"


def _sequence(change_history: list[Tender]) -> list[tuple[Tender, bytes]]:
    """Notices that meet each other inside one batch: a procurement's history, a notice moving between procedures,
    web pages joining a TED notice and a TED notice pulling in pages stored before it, a repeated notice."""
    items: list[tuple[Tender, bytes]] = [(tender, tender.notice_id.encode()) for tender in change_history]
    items += [(build_tender("n-1", procedure_id="old"), b"x"), (build_tender("n-1", procedure_id="new"), b"x")]
    items += [(web_notice(), b"<html/>"),
              (web_notice(notice_id="kommersannons:9001", source="kommersannons",
                          source_url="https://www.kommersannons.se/Notices/TenderNotice/9001"), b"<html/>"),
              (ted_notice(), b"<ted/>"),
              (web_notice(notice_id="eavrop:77", source_url="https://www.e-avrop.com/x/Visa.aspx?UppId=50201"),
               b"<p/>"),
              (ted_notice(notice_id="other-ted", procedure_id="proc-other", publication_number="7-2026",
                          documents_url=None, title={"swe": "Annat"}), b"<ted/>"),
              (change_history[0], b"cn-1")]
    return items


def _snapshot(store: TenderStore) -> dict[str, Any]:
    with store.engine.connect() as connection:
        notices = connection.execute(sa.text(
            "SELECT id, notice_id, version, tender_id, content_hash FROM notices ORDER BY id")).all()
        pk_to_notice = {row.id: (row.notice_id, row.version) for row in notices}
        keys = connection.execute(sa.text("SELECT notice_pk, key FROM procurement_keys")).all()
        tenders = connection.execute(sa.text(
            "SELECT tender_id, notice_id, version, notice_count, data FROM tenders ORDER BY tender_id")).all()
    return {
        "notices": [tuple(row[1:]) for row in notices],  # in insertion order: the views' tie-break
        "keys": sorted((pk_to_notice[pk], key) for pk, key in keys),
        "tenders": [(*row[:4], row[4] if isinstance(row[4], dict) else json.loads(row[4]))
                    for row in tenders],
    }


def _empty(store: TenderStore) -> None:
    with store.engine.begin() as connection:
        for table in ("procurement_keys", "notices", "tenders"):
            connection.execute(sa.text(f"DELETE FROM {table}"))


@contextmanager
def _recorded(store: TenderStore) -> Iterator[dict[str, list[str]]]:
    seen: dict[str, list[str]] = {"statements": [], "commits": []}

    def statement(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        seen["statements"].append(sql)

    def commit(_conn: Any) -> None:
        seen["commits"].append("commit")

    sa.event.listen(store.engine, "before_cursor_execute", statement)
    sa.event.listen(store.engine, "commit", commit)
    try:
        yield seen
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", statement)
        sa.event.remove(store.engine, "commit", commit)


def test_a_batch_stores_what_one_at_a_time_stores(store: TenderStore, change_history: list[Tender]) -> None:
    items = _sequence(change_history)
    one_at_a_time = [store_batch(store, [item]).outcomes[0] for item in items]
    expected = _snapshot(store)
    _empty(store)
    batched = store_batch(store, items)
    assert batched.outcomes == one_at_a_time
    assert _snapshot(store) == expected
    assert store.count_tenders() == 4  # proc-snow, new, proc-rollator (TED and three pages), proc-other
    assert {n.notice_id for n in store.tender_history("proc-rollator")} == {
        "8c2f-ted", "eavrop:50201", "kommersannons:9001", "eavrop:77"}
    assert batched.view("old") is None and batched.view("eavrop:50201") is None  # left empty: out of the index


def test_a_batch_is_one_transaction_of_a_few_statements(store: TenderStore) -> None:
    items = [(build_tender(f"n-{number}", procedure_id=f"p-{number % 40}"), f"<{number}/>".encode())
             for number in range(120)]
    with _recorded(store) as seen:
        stored = store_batch(store, items)
    assert stored.outcomes == [UpsertOutcome.INSERTED] * 120
    assert len(seen["commits"]) == 1
    assert len(seen["statements"]) <= 12, seen["statements"]
    assert store.count_notices() == 120 and store.count_tenders() == 40


def test_storing_the_same_batch_again_writes_nothing(store: TenderStore, change_history: list[Tender]) -> None:
    items = [(tender, raw) for tender, raw in _sequence(change_history) if tender.procedure_id != "old"]
    store_batch(store, items)
    before = _snapshot(store)
    with _recorded(store) as seen:
        again = store_batch(store, items)
    assert set(again.outcomes) == {UpsertOutcome.UNCHANGED}
    writes = [sql for sql in seen["statements"] if sql.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert _snapshot(store) == before


@contextmanager
def _refusing(store: TenderStore, notice_id: str) -> Iterator[None]:
    """The database itself refuses one notice (a trigger), as it would a value it cannot take."""
    with store.engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.execute(sa.text(
                f"CREATE TRIGGER refuse BEFORE INSERT ON notices WHEN NEW.notice_id = '{notice_id}' "
                "BEGIN SELECT RAISE(ABORT, 'refused by the test trigger'); END"))
        else:
            connection.execute(sa.text(
                "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                f"IF NEW.notice_id = '{notice_id}' THEN RAISE EXCEPTION 'refused by the test trigger'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql"))
            connection.execute(sa.text(
                "CREATE TRIGGER refuse BEFORE INSERT ON notices FOR EACH ROW EXECUTE FUNCTION refuse()"))
    try:
        yield
    finally:
        with store.engine.begin() as connection:
            if connection.dialect.name == "sqlite":
                connection.execute(sa.text("DROP TRIGGER refuse"))
            else:
                connection.execute(sa.text("DROP TRIGGER refuse ON notices"))
                connection.execute(sa.text("DROP FUNCTION refuse()"))


def test_a_notice_the_database_refuses_fails_alone(store: TenderStore, index: SqliteIndex) -> None:
    notices = [RawNotice(raw=f"<{name}/>".encode(), name=name, tender=build_tender(name, procedure_id=f"p-{name}"))
               for name in ("first", POISON, "last")]
    with _refusing(store, POISON):
        report = Ingestor(store, index).ingest(notices)
    assert report.counts["inserted"] == 2 and report.counts["failed"] == 1
    [failure] = report.failures
    assert (failure.name, failure.step) == (POISON, "store")
    assert "refused by the test trigger" in failure.reason and "\n" not in failure.reason
    assert store.count_notices() == 2
    assert sorted(hit.document.tender_id for hit in index.search(SearchQuery()).hits) == ["p-first", "p-last"]


def test_ingesting_in_batches_and_one_at_a_time_agree(store: TenderStore, tmp_path: Path,
                                                      change_history: list[Tender]) -> None:
    notices = [RawNotice(raw=raw, name=f"{position}", tender=tender)
               for position, (tender, raw) in enumerate(_sequence(change_history))]
    indexes = [SqliteIndex(tmp_path / "one.sqlite3"), SqliteIndex(tmp_path / "batched.sqlite3")]
    one_at_a_time = Ingestor(store, indexes[0], batch_size=1).ingest(notices)
    expected = _snapshot(store)
    _empty(store)
    batched = Ingestor(store, indexes[1], batch_size=200).ingest(notices)
    assert _snapshot(store) == expected
    assert batched.counts == one_at_a_time.counts and batched.counts["failed"] == 0
    assert batched.outcomes == one_at_a_time.outcomes
    queries = [SearchQuery(), SearchQuery(text="rollatorer"), SearchQuery(text="snöröjning")]
    assert [indexes[1].search(q) for q in queries] == [indexes[0].search(q) for q in queries]
    assert indexes[1].count() == 4
    for index in indexes:
        index.close()


def test_a_lost_race_reads_as_unchanged(postgresql_url: str) -> None:
    """Another writer inserts the same notice between this batch's reads and its write (possible on PostgreSQL; SQLite
    holds the write lock from the first read): the transaction fails, and the batch is read and decided again."""
    store = TenderStore.from_url(postgresql_url)
    tender = build_tender("raced", procedure_id="p-raced")
    raced: list[str] = []

    def insert_first(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if "pg_advisory_xact_lock" in sql and not raced:  # after the batch's reads, before its locks and writes
            raced.append(sql)
            store_batch(store, [(tender, b"<raced/>")])  # its own connection: commits before this insert runs

    sa.event.listen(store.engine, "before_cursor_execute", insert_first)
    try:
        assert store_batch(store, [(tender, b"<raced/>")]).outcomes == [UpsertOutcome.UNCHANGED]
        assert store.count_notices() == 1 and raced
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", insert_first)
        _empty(store)
        store.close()
