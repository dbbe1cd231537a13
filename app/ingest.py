"""The ingest use case: documents → parse → classify → store → index, in batches.

Every entry point that brings notices in (``anbudsvakt load``, the crawl pipeline, the demo loader, the
benchmarks) calls :class:`Ingestor`; none wires the store and index itself. Each step runs per notice inside a
try, so a notice that fails any step is recorded with a one-line reason and the others go on. The store is
written first (it is the truth); the batch's affected procurements are then indexed together. A document the index
cannot take is reported by the index itself (``on_failure``) and left out — and named; the others are written.
"""

from __future__ import annotations

import gc
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from itertools import islice

from tenders.index.base import IndexDocument, TenderIndex
from tenders.index.documents import to_index_document
from tenders.model import Tender
from tenders.oneline import single_line
from tenders.parse import NoticeParseError, parse_notice
from tenders.store import TenderStore, UpsertOutcome
from tenders.store.batch import StoredBatch, store_batch

log = logging.getLogger(__name__)

BATCH_SIZE = 200  # big enough to amortise spaCy's pipe and one index commit; small enough to bound memory
Classify = Callable[[Sequence[Tender]], list[Tender]]


@dataclass(frozen=True)
class RawNotice:
    """One document to ingest: its bytes, a name for messages (file path or URL), and where it came from."""

    raw: bytes
    name: str
    source: str = "file"
    source_url: str | None = None
    tender: Tender | None = None  # already extracted (HTML sources): parsing is skipped


@dataclass(frozen=True)
class IngestFailure:
    name: str
    step: str  # parse, classify, store, index
    reason: str  # one line


@dataclass
class IngestReport:
    counts: Counter[str] = field(default_factory=Counter)  # inserted, updated, unchanged, failed
    failures: list[IngestFailure] = field(default_factory=list)
    outcomes: dict[str, UpsertOutcome] = field(default_factory=dict)  # by RawNotice.name
    cpu_seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))  # per step, for the bench

    @contextmanager
    def timed(self, step: str) -> Iterator[None]:
        started = time.process_time()
        try:
            yield
        finally:
            self.cpu_seconds[step] += time.process_time() - started

    def fail(self, name: str, step: str, error: BaseException | str) -> None:
        reason = single_line(error) or type(error).__name__
        # A notice that failed only at indexing IS stored (and counted as such): reindex repairs it later.
        self.counts["not_indexed" if step == "index" else "failed"] += 1
        self.failures.append(IngestFailure(name, step, reason))
        log.warning("ingest: %s failed at %s: %s", name, step, reason)


def ingest(tender: Tender, raw: bytes, store: TenderStore, index: TenderIndex) -> UpsertOutcome:
    """One already-parsed notice into the store and the index (the crawl's web-page notices, the tests)."""
    stored = store_batch(store, [(tender, raw)])
    documents, removed = [], []
    for tender_id in stored.affected[0]:
        view = stored.view(tender_id)
        if view is None:
            removed.append(tender_id)
        else:
            documents.append(to_index_document(view))
    if removed:
        index.delete(removed)
    index.index(documents)
    return stored.outcomes[0]


class Ingestor:
    """Parse → classify → store → index for many documents, ``batch_size`` at a time."""

    def __init__(self, store: TenderStore, index: TenderIndex, classify: Classify | None = None,
                 batch_size: int = BATCH_SIZE) -> None:
        self.store = store
        self.index = index
        self.classify = classify
        self.batch_size = batch_size

    def ingest(self, notices: Iterable[RawNotice], progress: Callable[[int], None] | None = None) -> IngestReport:
        report = IngestReport()
        for batch in _batches(notices, self.batch_size):
            self._ingest_batch(batch, report)
            _freeze_what_lives_on()
            if progress is not None:
                progress(len(batch))
        return report

    def _ingest_batch(self, batch: list[RawNotice], report: IngestReport) -> None:
        with report.timed("parse"):
            parsed = [(notice, tender) for notice in batch if (tender := self._parse(notice, report)) is not None]
        with report.timed("classify"):
            classified = self._classified(parsed, report)
        with report.timed("store"):
            stored = self._stored(classified, report)
        with report.timed("index"):
            documents, removed = _projections(stored, report)
            self._index(list(documents.values()), sorted(removed), report)

    def _stored(self, classified: list[tuple[RawNotice, Tender]],
                report: IngestReport) -> list[tuple[RawNotice, StoredBatch, int]]:
        """The batch in one transaction; should it fail, one notice at a time, so only the bad notice is left out."""
        if not classified:
            return []
        try:
            stored = store_batch(self.store, [(tender, notice.raw) for notice, tender in classified])
            return [(notice, stored, position) for position, (notice, _) in enumerate(classified)]
        except Exception:
            log.exception("storing the batch failed; storing one notice at a time")
        kept = []
        for notice, tender in classified:
            try:
                kept.append((notice, store_batch(self.store, [(tender, notice.raw)]), 0))
            except Exception as error:  # the store refused or failed: named, and the next notice goes on
                report.fail(notice.name, "store", error)
        return kept

    @staticmethod
    def _parse(notice: RawNotice, report: IngestReport) -> Tender | None:
        if notice.tender is not None:
            return notice.tender
        try:
            return parse_notice(notice.raw, source=notice.source, source_url=notice.source_url,
                                retrieved_at=datetime.now(UTC))
        except NoticeParseError as error:
            report.fail(notice.name, "parse", error)
        except Exception as error:  # a parser bug must not stop the other files; say what it was
            report.fail(notice.name, "parse", f"oväntat {type(error).__name__}: {single_line(error)}")
        return None

    def _classified(self, parsed: list[tuple[RawNotice, Tender]],
                    report: IngestReport) -> list[tuple[RawNotice, Tender]]:
        if self.classify is None or not parsed:
            return parsed
        try:
            tenders = self.classify([tender for _, tender in parsed])
            return [(notice, tender) for (notice, _), tender in zip(parsed, tenders, strict=True)]
        except Exception:  # one notice broke the batch: classify one by one to find and name it
            log.exception("batch classification failed; classifying one notice at a time")
        kept = []
        for notice, tender in parsed:
            try:
                kept.append((notice, self.classify([tender])[0]))
            except Exception as error:
                report.fail(notice.name, "classify", error)
        return kept

    def _index(self, documents: list[IndexDocument], removed: list[str], report: IngestReport) -> None:
        if removed:
            self.index.delete(removed)
        index_documents(self.index, documents, report)


def _projections(stored: list[tuple[RawNotice, StoredBatch, int]],
                 report: IngestReport) -> tuple[dict[str, IndexDocument], set[str]]:
    """The index documents of the procurements each stored notice touched, and those left without notices.

    A view that cannot be projected fails its notice at the index step (it is stored; a reindex repairs it)."""
    documents: dict[str, IndexDocument] = {}
    removed: set[str] = set()
    for notice, batch, position in stored:
        outcome = batch.outcomes[position]
        report.counts[outcome.value] += 1
        report.outcomes[notice.name] = outcome
        for tender_id in batch.affected[position]:
            try:
                view = batch.view(tender_id)
                if view is None:
                    removed.add(tender_id)
                    documents.pop(tender_id, None)
                else:
                    documents[tender_id] = to_index_document(view)
                    removed.discard(tender_id)
            except Exception as error:
                report.fail(notice.name, "index", error)
    return documents, removed


def index_documents(index: TenderIndex, documents: list[IndexDocument], report: IngestReport) -> None:
    """Index the documents together; one that cannot be indexed is named in ``report`` and the others are written
    (the index backends' own ``on_failure``). Stored but not searchable: a refresh or ``reindex`` repairs it."""
    index.index(documents, on_failure=lambda tender_id, reason: report.fail(tender_id, "index", reason))


@cache
def _freeze_what_lives_on() -> None:
    """Once per process, after its first batch: what a process loads once (the classifier's model and word lists, code
    lists, parsers' tables) is then in memory for good. Frozen out of the cyclic garbage collector's sight, it is no
    longer walked by every full collection — a fifth of ingest's CPU time before. (Objects still freed by reference
    counting as ever; only cycles alive at that moment stay.)"""
    gc.freeze()


def _batches(items: Iterable[RawNotice], size: int) -> Iterator[list[RawNotice]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
