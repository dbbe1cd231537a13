"""Store a batch of notice versions in one transaction, with the outcome of storing them one at a time.

Storing one notice took about ten statements and two commits (its stored version, the notices sharing its match
keys, the upsert, its key rows, its procurement's notices and view). A batch reads what it needs in bulk — the
stored versions of its notices and their keys, the notices sharing any of its keys, the notices and views of every
procurement it touches — decides in memory notice by notice in batch order (:class:`tenders.store.plan.BatchPlan`,
so each notice sees the ones before it, as when they were stored one at a time), writes with executemany and
commits once: about a dozen statements per batch, whatever its size.

Concurrent writers: on SQLite the transaction holds the write lock from its first read (``BEGIN IMMEDIATE``); on
PostgreSQL the procurements whose views are rebuilt are locked (the single upsert's advisory locks, taken in one
order so two batches never deadlock) before their notices are read. A lost race on a new notice version (another
process inserted it first) fails the transaction with an IntegrityError; the whole batch is then read and decided
again, and that notice reads as unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenders.model import Tender
from tenders.store.engine import begin_write
from tenders.store.plan import BatchPlan, Ident, KnownNotice, UpsertOutcome
from tenders.store.tables import NoticeRow, ProcurementKeyRow, TenderRow
from tenders.store.view import current_view, recency_key

if TYPE_CHECKING:
    from tenders.store.store import TenderStore

# Core statements for the writes: the ORM's bulk INSERT groups rows by which of their values are None and would
# send a batch as dozens of statements.
NOTICES: sa.Table = NoticeRow.__table__  # type: ignore[assignment]
TENDERS: sa.Table = TenderRow.__table__  # type: ignore[assignment]
KEYS: sa.Table = ProcurementKeyRow.__table__  # type: ignore[assignment]
UPSERT_ATTEMPTS = 3  # a lost race (another process stored the same notice first) is read again, not an error
IN_CHUNK = 500  # bound parameters per IN list: far below SQLite's limit, few round trips for a batch of 200
T = TypeVar("T")


def procurement_lock_key(tender_id: str) -> str:
    """The name of a procurement's PostgreSQL advisory lock, as ``TenderStore.upsert_notice`` takes it."""
    return f"anbudsvakt tender {tender_id}"


@dataclass(frozen=True)
class StoredBatch:
    """What a batch did: an outcome and the procurements to re-index per notice, and those procurements' views."""

    outcomes: list[UpsertOutcome]  # one per notice, in batch order
    affected: list[tuple[str, ...]]  # per notice: its procurement, the one it left, those its pulled mirrors left
    rebuilt: dict[str, Tender | None]  # views written by this batch; None: the procurement has no notice left
    stored_views: dict[str, dict[str, Any]]  # views this batch read but did not change (unvalidated JSON)

    def view(self, tender_id: str) -> Tender | None:
        """The current view of an affected procurement (validated here, so one broken stored view fails alone)."""
        if tender_id in self.rebuilt:
            return self.rebuilt[tender_id]
        data = self.stored_views.get(tender_id)
        return None if data is None else Tender.model_validate(data)


def store_batch(store: TenderStore, items: Sequence[tuple[Tender, bytes]], dedup: bool = True) -> StoredBatch:
    """Store the notices in one transaction, joining procurements and pulling in mirrors as ``tenders.dedup`` rules
    (``dedup=False``: each notice as it is, with no match keys: ``TenderStore.upsert_notice``)."""
    for attempt in range(1, UPSERT_ATTEMPTS + 1):
        try:
            with Session(store.engine) as session, session.begin():
                return _store(session, items, dedup)
        except sa.exc.IntegrityError:
            if attempt == UPSERT_ATTEMPTS:
                raise
    raise AssertionError("unreachable")


def _store(session: Session, items: Sequence[tuple[Tender, bytes]], dedup: bool) -> StoredBatch:
    connection = session.connection()
    begin_write(connection)
    now = datetime.now(UTC)
    plan = BatchPlan(now, load_row=lambda pk: _full_row(session, pk), dedup=dedup)
    keys = [plan.keys_of(tender) for tender, _ in items]
    _read_batch_notices(session, plan, {(tender.notice_id, tender.version) for tender, _ in items})
    _read_keyed_notices(session, plan, set().union(*keys))
    outcomes, affected = [], []
    for (tender, raw), notice_keys in zip(items, keys, strict=True):
        outcome, tender_ids = plan.store(tender, raw, notice_keys)
        outcomes.append(outcome)
        affected.append(tender_ids)
    every_affected = {tender_id for tender_ids in affected for tender_id in tender_ids}
    _lock_procurements(connection, plan.rebuild)
    members = _read_members(session, plan.rebuild)
    view_rows = _read_views(session, every_affected | plan.rebuild)
    _write_notices(session, plan)
    rebuilt = _write_views(session, plan, members, view_rows, now)
    stored_views = {tender_id: data for tender_id, data in view_rows.items() if tender_id not in rebuilt}
    return StoredBatch(outcomes, affected, rebuilt, stored_views)


def _chunks(values: Iterable[T]) -> Iterator[list[T]]:
    iterator = iter(sorted(values, key=str))
    while chunk := list(islice(iterator, IN_CHUNK)):
        yield chunk


_KNOWN_COLUMNS = (NoticeRow.id, NoticeRow.notice_id, NoticeRow.version, NoticeRow.tender_id, NoticeRow.content_hash,
                  NoticeRow.data["raw_format"].as_string())


def _known(row: Sequence[Any]) -> KnownNotice:
    pk, notice_id, version, tender_id, content_hash, raw_format = row
    return KnownNotice(notice_id, version, tender_id, raw_format, pk=pk, content_hash=content_hash)


def _read_batch_notices(session: Session, plan: BatchPlan, idents: set[Ident]) -> None:
    """The stored versions of the batch's notices, with the keys they hold (when the batch records keys)."""
    for chunk in _chunks({notice_id for notice_id, _ in idents}):
        for row in session.execute(sa.select(*_KNOWN_COLUMNS).where(NoticeRow.notice_id.in_(chunk))):
            if (row.notice_id, row.version) in idents:
                plan.add_known(_known(row), keys=set())
    if not plan.dedup:
        return
    by_pk = {known.pk: known for known in plan.known.values() if known.pk is not None}
    for pks in _chunks(by_pk):
        query = sa.select(ProcurementKeyRow.notice_pk, ProcurementKeyRow.key).where(
            ProcurementKeyRow.notice_pk.in_(pks))
        for notice_pk, key in session.execute(query):
            plan.hold(by_pk[notice_pk], key)


def _read_keyed_notices(session: Session, plan: BatchPlan, keys: set[str]) -> None:
    """Every stored notice holding one of the batch's keys (the candidates to join or to pull in)."""
    for chunk in _chunks(keys):
        query = (sa.select(ProcurementKeyRow.key, *_KNOWN_COLUMNS)
                 .join(NoticeRow, ProcurementKeyRow.notice_pk == NoticeRow.id)
                 .where(ProcurementKeyRow.key.in_(chunk)))
        for row in session.execute(query):
            known = plan.known.get((row.notice_id, row.version)) or plan.add_known(_known(row[1:]), keys=None)
            plan.hold(known, row.key)


def _full_row(session: Session, pk: int) -> tuple[dict[str, Any], bytes]:
    data, raw = session.execute(sa.select(NoticeRow.data, NoticeRow.raw).where(NoticeRow.id == pk)).one()
    return data, raw


def _lock_procurements(connection: sa.Connection, tender_ids: set[str]) -> None:
    if connection.dialect.name != "postgresql" or not tender_ids:
        return
    # One statement, locks taken in the order of their keys: two batches never wait for each other in a circle.
    connection.execute(
        sa.text("SELECT pg_advisory_xact_lock(lock_key) FROM ("
                "SELECT hashtextextended(name, 0) AS lock_key FROM unnest(CAST(:names AS text[])) AS name "
                "ORDER BY lock_key) AS ordered"),
        {"names": sorted(procurement_lock_key(tender_id) for tender_id in tender_ids)},
    )


Member = tuple[int, str, str, str | None, dict[str, Any]]  # pk, notice id, version, source url, data


def _read_members(session: Session, tender_ids: set[str]) -> dict[str, list[Member]]:
    """The stored notices of each procurement whose view is rebuilt (before this batch's writes)."""
    members: dict[str, list[Member]] = {tender_id: [] for tender_id in tender_ids}
    columns = (NoticeRow.tender_id, NoticeRow.id, NoticeRow.notice_id, NoticeRow.version, NoticeRow.source_url,
               NoticeRow.data)
    for chunk in _chunks(tender_ids):
        for tender_id, *member in session.execute(sa.select(*columns).where(NoticeRow.tender_id.in_(chunk))):
            members[tender_id].append(tuple(member))
    return members


def _read_views(session: Session, tender_ids: set[str]) -> dict[str, dict[str, Any]]:
    views: dict[str, dict[str, Any]] = {}
    for chunk in _chunks(tender_ids):
        query = sa.select(TenderRow.tender_id, TenderRow.data).where(TenderRow.tender_id.in_(chunk))
        views.update((tender_id, data) for tender_id, data in session.execute(query))
    return views


def _update_by_key(session: Session, table: sa.Table, key: str, rows: list[dict[str, Any]]) -> None:
    """One executemany UPDATE of ``rows`` (column → value, with the key column) by their key."""
    columns = [name for name in rows[0] if name != key]
    statement = (sa.update(table).where(table.c[key] == sa.bindparam(f"old_{key}"))
                 .values({name: sa.bindparam(f"new_{name}") for name in columns}))
    parameters = [{f"old_{key}": row[key], **{f"new_{name}": row[name] for name in columns}} for row in rows]
    session.connection().execute(statement, parameters)


def _write_notices(session: Session, plan: BatchPlan) -> None:
    inserted = [known for known in plan.written if known.pk is None]
    updated = [known for known in plan.written if known.pk is not None]
    if inserted:
        # executemany, then the new ids read back in one query: SQLite's driver would insert row by row to return
        # them in order (INSERT … RETURNING with sort_by_parameter_order)
        rows = [{**(known.values or {}), "first_seen": plan.now} for known in inserted]
        session.connection().execute(sa.insert(NOTICES), rows)
        by_ident = {(known.notice_id, known.version): known for known in inserted}
        for chunk in _chunks({known.notice_id for known in inserted}):
            columns = (NoticeRow.id, NoticeRow.notice_id, NoticeRow.version)
            for pk, notice_id, version in session.execute(sa.select(*columns).where(NoticeRow.notice_id.in_(chunk))):
                if (notice_id, version) in by_ident:
                    by_ident[(notice_id, version)].pk = pk
    if updated:
        _update_by_key(session, NOTICES, "id", [{"id": known.pk, **(known.values or {})} for known in updated])
    rekeyed = [known for known in plan.known.values() if known.keys_changed]
    inserted_pks = {known.pk for known in inserted}
    stale = [known.pk for known in rekeyed if known.pk is not None and known.pk not in inserted_pks]
    for stale_pks in _chunks(stale):
        session.execute(sa.delete(ProcurementKeyRow).where(ProcurementKeyRow.notice_pk.in_(stale_pks)))
    key_rows = [{"notice_pk": known.pk, "key": key} for known in rekeyed for key in sorted(known.keys or ())]
    if key_rows:
        session.connection().execute(sa.insert(KEYS), key_rows)


def _write_views(session: Session, plan: BatchPlan, members: dict[str, list[Member]],
                 view_rows: dict[str, dict[str, Any]], now: datetime) -> dict[str, Tender | None]:
    """Rebuild the view of every procurement a written notice entered or left, from its notices as they now are."""
    rebuilt: dict[str, Tender | None] = {}
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    emptied: list[str] = []
    written = {(known.notice_id, known.version): known for known in plan.written}
    for tender_id in sorted(plan.rebuild):
        rows = [m for m in members[tender_id] if (m[1], m[2]) not in written]  # a written notice counts as written
        rows += [(known.pk, known.notice_id, known.version, known.values["source_url"], known.values["data"])  # type: ignore[index,misc]
                 for known in plan.written if known.tender_id == tender_id]
        if not rows:
            rebuilt[tender_id] = None
            emptied.append(tender_id)
            continue
        ordered = sorted(rows, key=lambda r: (recency_key(r[4]), r[0]))
        urls = [u for r in ordered for u in (r[3], *r[4].get("source_urls", [])) if u]
        view = current_view([r[4] for r in ordered], list(dict.fromkeys(urls)))
        rebuilt[tender_id] = view
        values = {
            "tender_id": tender_id, "notice_id": view.notice_id, "version": view.version,
            "form_type": view.form_type.value if view.form_type else None,
            "publication_date": view.publication_date or view.issue_date,
            "submission_deadline": view.submission_deadline, "notice_count": len(rows),
            "source_urls": view.source_urls, "data": view.model_dump(mode="json"), "updated_at": now,
        }
        (updates if tender_id in view_rows else inserts).append(values)
    for chunk in _chunks(t for t in emptied if t in view_rows):
        session.execute(sa.delete(TenderRow).where(TenderRow.tender_id.in_(chunk)))
    if inserts:
        session.connection().execute(sa.insert(TENDERS), inserts)
    if updates:
        _update_by_key(session, TENDERS, "tender_id", updates)
    return rebuilt
