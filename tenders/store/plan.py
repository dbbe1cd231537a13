"""The in-memory decisions of a batch write (``tenders.store.batch``), notice by notice in batch order.

For each notice, as when it was stored alone: a web-page notice joins the procurement it mirrors (structured notices
first); the version is inserted, replaced or left unchanged by its content hash; its match keys are recorded; a
structured notice pulls the web-page notices sharing its keys into its procedure. The plan knows every stored notice
the batch can meet (its own notices' stored versions and the notices holding any of its keys, read in bulk) and
updates that knowledge as it goes, so a notice sees the ones before it in the same batch.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from tenders.dedup import JOINING_FORMATS, joins_others, match_keys
from tenders.model import Tender
from tenders.store.view import content_hash_of_data, tender_id_of

Ident = tuple[str, str]  # (notice id, version)


class UpsertOutcome(StrEnum):
    INSERTED = "inserted"
    UNCHANGED = "unchanged"  # same (notice id, version) and same content: nothing was written
    UPDATED = "updated"  # same (notice id, version), different content: the row was replaced


@dataclass(eq=False)
class KnownNotice:
    """A notice version as the batch sees it: read from the store, or written by an earlier notice of the batch."""

    notice_id: str
    version: str
    tender_id: str
    raw_format: str | None
    pk: int | None = None  # None until this batch inserts it
    content_hash: str | None = None
    keys: set[str] | None = None  # the keys it holds; None: not read (a notice outside the batch keeps its keys)
    keys_changed: bool = False
    values: dict[str, Any] | None = None  # the columns this batch writes; None: left as stored

    @property
    def joins(self) -> bool:
        return self.raw_format in JOINING_FORMATS


@dataclass
class BatchPlan:
    now: datetime
    load_row: Callable[[int], tuple[dict[str, Any], bytes]]  # a stored notice's (data, raw) by primary key
    dedup: bool = True  # False: store the notices as they are, with no keys, joins or pulled mirrors
    known: dict[Ident, KnownNotice] = field(default_factory=dict)
    holders: dict[str, set[Ident]] = field(default_factory=dict)  # key → the notices holding it
    written: list[KnownNotice] = field(default_factory=list)  # in the order first written
    rebuild: set[str] = field(default_factory=set)  # procurements a written notice entered or left

    def keys_of(self, tender: Tender) -> set[str]:
        return match_keys(tender) if self.dedup else set()

    def add_known(self, known: KnownNotice, keys: set[str] | None) -> KnownNotice:
        known.keys = keys
        self.known[(known.notice_id, known.version)] = known
        return known

    def hold(self, known: KnownNotice, key: str) -> None:
        if known.keys is not None:
            known.keys.add(key)
        self.holders.setdefault(key, set()).add((known.notice_id, known.version))

    def store(self, tender: Tender, raw: bytes, keys: set[str]) -> tuple[UpsertOutcome, tuple[str, ...]]:
        """One notice: join, upsert, record keys, pull in mirrors. Returns the outcome and the procurements to
        re-index (its own, the one it left, the ones its pulled mirrors left)."""
        if self.dedup:
            tender = self._joined(tender, keys)
        ident = (tender.notice_id, tender.version)
        previous = self.known[ident].tender_id if ident in self.known else None
        outcome = self._upsert(tender, raw)
        left = []
        if self.dedup:
            self._record_keys(self.known[ident], keys)
            left = self._absorb_mirrors(tender, keys)
        affected = (tender_id_of(tender), previous, *left)
        return outcome, tuple(dict.fromkeys(t for t in affected if t))

    def _sharing(self, keys: set[str], exclude: str) -> list[KnownNotice]:
        idents = {ident for key in keys for ident in self.holders.get(key, ())}
        return [self.known[ident] for ident in sorted(idents) if ident[0] != exclude]

    def _joined(self, tender: Tender, keys: set[str]) -> Tender:
        """A web-page notice takes the id of the procurement it mirrors (structured notices' procurements first)."""
        if not joins_others(tender):
            return tender
        matches = {(known.tender_id, known.joins) for known in self._sharing(keys, tender.notice_id)}
        owners = sorted(tender_id for tender_id, joins in matches if not joins)
        mirrors = sorted(tender_id for tender_id, joins in matches if joins)
        chosen: str | None = (owners or mirrors)[0] if owners or mirrors else None
        if chosen is None:  # no match now: stay where an earlier match put it (a later title edit must not split it)
            stored = self.known.get((tender.notice_id, tender.version))
            chosen = stored.tender_id if stored else None
        if chosen is None or chosen == tender.notice_id:
            return tender
        return tender.model_copy(update={"procedure_id": chosen})

    def _upsert(self, tender: Tender, raw: bytes) -> UpsertOutcome:
        data = tender.model_dump(mode="json")
        digest = content_hash_of_data(data, raw)
        ident = (tender.notice_id, tender.version)
        known = self.known.get(ident)
        if known is not None and known.content_hash == digest:
            return UpsertOutcome.UNCHANGED
        tender_id = tender_id_of(tender)
        if known is None:
            known = self.add_known(KnownNotice(tender.notice_id, tender.version, tender_id, None), keys=None)
            outcome = UpsertOutcome.INSERTED
        else:
            if known.tender_id != tender_id:
                self.rebuild.add(known.tender_id)
            outcome = UpsertOutcome.UPDATED
        if known.values is None:
            self.written.append(known)
        known.tender_id, known.raw_format, known.content_hash = tender_id, tender.raw_format, digest
        known.values = {
            "notice_id": tender.notice_id, "version": tender.version, "tender_id": tender_id,
            "procedure_id": tender.procedure_id, "form_type": tender.form_type.value if tender.form_type else None,
            "notice_type": tender.notice_type, "publication_date": tender.publication_date,
            "issue_date": tender.issue_date, "source": tender.source, "source_url": tender.source_url, "raw": raw,
            "data": data, "content_hash": digest, "updated_at": self.now,
        }
        self.rebuild.add(tender_id)
        return outcome

    def _record_keys(self, known: KnownNotice, keys: set[str]) -> None:
        if known.keys == keys:
            return
        ident = (known.notice_id, known.version)
        for key in known.keys or ():
            self.holders.get(key, set()).discard(ident)
        for key in keys:
            self.holders.setdefault(key, set()).add(ident)
        known.keys, known.keys_changed = set(keys), True

    def _absorb_mirrors(self, tender: Tender, keys: set[str]) -> list[str]:
        """A structured notice pulls the web-page notices sharing its keys into its procedure; returns the
        procurements they left."""
        if joins_others(tender):
            return []
        own_id = tender_id_of(tender)
        left = []
        for known in self._sharing(keys, exclude=tender.notice_id):
            if not known.joins or known.tender_id == own_id:
                continue
            if known.values is not None:
                data, raw = known.values["data"], known.values["raw"]
            else:
                data, raw = self.load_row(known.pk)  # type: ignore[arg-type]
            left.append(known.tender_id)
            self._upsert(Tender.model_validate(data).model_copy(update={"procedure_id": own_id}), raw)
        return list(dict.fromkeys(left))
