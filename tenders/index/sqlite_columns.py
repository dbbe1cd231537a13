"""The embedded index's per-document columns in memory: numpy arrays indexed by doc id.

Filters, facet counts and sorted pages over a hit set are then vectorised array operations (a boolean mask
per filter, one bincount per facet field) instead of SQL over every hit. The arrays are loaded once per
connection and caught up on demand: document ids only grow, so :meth:`Columns.sync` reads the documents
above the last id it saw and the deletions after the last it saw; a cleared index has a new epoch and is
loaded afresh. Call ``sync`` inside a transaction, so the arrays and what the query reads next agree.
"""

from __future__ import annotations

import bisect
import sqlite3
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

from tenders.index.base import FACET_FIELDS
from tenders.index.sqlite_schema import NO_DEADLINE

FIELDS = ("cpv", "nuts", *FACET_FIELDS)  # cpv and nuts filter only (by prefix); the facet fields also filter
Pairs = tuple[NDArray[np.int64], NDArray[np.int32]]  # (doc id, value id), one per value a document has
ORDERS = {  # the order of every live document for a sort, read along an index on docs
    "deadline": "SELECT group_concat(id) FROM (SELECT id FROM docs ORDER BY deadline, tender_id)",
    "published": "SELECT group_concat(id) FROM (SELECT id FROM docs ORDER BY published DESC, tender_id)",
    "tender_id": "SELECT group_concat(id) FROM (SELECT id FROM docs ORDER BY tender_id)",
}


def ids_from_text(text: str | None) -> NDArray[np.int64]:
    """The ids of a group_concat (one string, parsed in C, instead of a Python tuple per row)."""
    return np.fromstring(text, dtype=np.int64, sep=",") if text else np.empty(0, dtype=np.int64)


class Vals:
    """Each distinct (field, value) and its id; ids are dense from 0 in the order they were added."""

    def __init__(self) -> None:
        self.fields: list[str] = []
        self.values: list[str] = []
        self.by_key: dict[tuple[str, str], int] = {}
        self._sorted: dict[str, tuple[list[str], list[int]]] = {}

    def add(self, field: str, value: str) -> int:
        self.by_key[(field, value)] = vid = len(self.values)
        self.fields.append(field)
        self.values.append(value)
        self._sorted.clear()
        return vid

    def sync(self, db: sqlite3.Connection) -> None:
        for vid, field, value in db.execute("SELECT id, field, value FROM vals WHERE id >= ? ORDER BY id",
                                            (len(self.values),)):
            assert vid == len(self.values), "vals ids are dense"
            self.add(field, value)

    def ids(self, field: str, values: list[str], prefix: bool = False) -> list[int]:
        """Ids of the field's values that equal (or start with, when ``prefix``) one of ``values``."""
        if not prefix:
            return [self.by_key[(field, v)] for v in values if (field, v) in self.by_key]
        if field not in self._sorted:
            pairs = sorted((v, i) for i, (f, v) in enumerate(zip(self.fields, self.values, strict=True)) if f == field)
            self._sorted[field] = ([v for v, _ in pairs], [i for _, i in pairs])
        names, vids = self._sorted[field]
        found: list[int] = []
        for start in values:
            at = bisect.bisect_left(names, start)
            while at < len(names) and names[at].startswith(start):
                found.append(vids[at])
                at += 1
        return found


class Columns:
    """Live flags, filter columns, text lengths and (doc, value) pairs per field of every document."""

    def __init__(self) -> None:
        self._reset(None)

    def _reset(self, epoch: int | None) -> None:
        self.epoch = epoch
        self.max_id = 0
        self.deleted_seq = 0
        self.vals = Vals()
        self.live = np.zeros(1, dtype=np.bool_)
        self.value = np.full(1, np.nan)
        self.deadline = np.full(1, NO_DEADLINE, dtype=np.int64)
        self.sme = np.full(1, -1, dtype=np.int8)
        self.length = np.zeros(1, dtype=np.int64)
        self.pairs: dict[str, Pairs] = {f: (np.empty(0, np.int64), np.empty(0, np.int32)) for f in FIELDS}
        self._derived: dict[str, Any] = {}

    def invalidate(self) -> None:
        """Forget everything (after a failed write, whose vals may already be in memory)."""
        self._reset(None)

    def sync_vals(self, db: sqlite3.Connection) -> None:
        """Catch up with the value ids only (what a writer needs)."""
        epoch = db.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0]
        if epoch != self.epoch:
            self._reset(epoch)
        self.vals.sync(db)

    def sync(self, db: sqlite3.Connection) -> None:
        self.sync_vals(db)
        rows = db.execute("SELECT id, value_sek, deadline, sme, length, vids FROM docs WHERE id > ? ORDER BY id",
                          (self.max_id,)).fetchall()
        deletions = db.execute("SELECT seq, doc FROM deleted WHERE seq > ? ORDER BY seq",
                               (self.deleted_seq,)).fetchall()
        if rows:
            self._append(rows)
        if deletions:
            self.deleted_seq = deletions[-1][0]
            dead = np.array([doc for _, doc in deletions], dtype=np.int64)
            self.live[dead[dead < len(self.live)]] = False
        if rows or deletions:
            self._derived.clear()

    def _append(self, rows: list[tuple[Any, ...]]) -> None:
        ids_list, values, deadlines, smes, lengths, blobs = zip(*rows, strict=True)
        ids = np.array(ids_list, dtype=np.int64)
        self.max_id = int(ids[-1])
        self._grow(self.max_id + 1)
        self.live[ids] = True
        self.value[ids] = np.array(values, dtype=np.float64)  # None becomes NaN: no comparison holds
        self.deadline[ids] = np.array(deadlines, dtype=np.int64)
        self.sme[ids] = np.array([-1 if s is None else s for s in smes], dtype=np.int8)
        self.length[ids] = np.array(lengths, dtype=np.int64)
        vids = np.frombuffer(b"".join(blobs), dtype=np.int32)
        docs = np.repeat(ids, [len(blob) // 4 for blob in blobs])
        field_of = np.array([FIELDS.index(f) for f in self.vals.fields], dtype=np.int8)[vids]
        for code, name in enumerate(FIELDS):
            mine = field_of == code
            old_docs, old_vids = self.pairs[name]
            self.pairs[name] = (np.concatenate([old_docs, docs[mine]]), np.concatenate([old_vids, vids[mine]]))

    def _grow(self, size: int) -> None:
        extra = size - len(self.live)
        if extra <= 0:
            return
        self.live = np.concatenate([self.live, np.zeros(extra, dtype=np.bool_)])
        self.value = np.concatenate([self.value, np.full(extra, np.nan)])
        self.deadline = np.concatenate([self.deadline, np.full(extra, NO_DEADLINE, dtype=np.int64)])
        self.sme = np.concatenate([self.sme, np.full(extra, -1, dtype=np.int8)])
        self.length = np.concatenate([self.length, np.zeros(extra, dtype=np.int64)])

    def derived(self, name: str, compute: Callable[[], Any]) -> Any:
        """A value computed from the columns, kept until the documents change."""
        if name not in self._derived:
            self._derived[name] = compute()
        return self._derived[name]

    def order(self, db: sqlite3.Connection, sort: str) -> NDArray[np.int64]:
        return self.derived(f"order:{sort}", lambda: ids_from_text(db.execute(ORDERS[sort]).fetchone()[0]))

    def rank(self, db: sqlite3.Connection, sort: str) -> NDArray[np.int64]:
        """Each document's position in a sort order (by doc id)."""

        def compute() -> NDArray[np.int64]:
            positions = np.zeros(len(self.live), dtype=np.int64)
            order = self.order(db, sort)
            positions[order] = np.arange(len(order))
            return positions

        return self.derived(f"rank:{sort}", compute)

    def with_values(self, field: str, vids: list[int]) -> NDArray[np.bool_]:
        """Mask of the documents that have one of the value ids in the field."""
        docs, pair_vids = self.pairs[field]
        wanted = np.zeros(len(self.vals.values) + 1, dtype=np.bool_)
        wanted[vids] = True
        mask = np.zeros(len(self.live), dtype=np.bool_)
        mask[np.compress(wanted.take(pair_vids), docs)] = True  # compress: several times faster than docs[...]
        return mask

    def value_counts(self, field: str, hits: NDArray[np.bool_]) -> NDArray[np.int64]:
        """How many hits have each value id of the field (a facet)."""
        docs, vids = self.pairs[field]
        return np.bincount(np.compress(hits.take(docs), vids), minlength=len(self.vals.values))
