"""The search index interface every backend implements (SQLite FTS5 embedded, OpenSearch scale-out).

Text is matched on Swedish stems (every word of the query must occur in a notice, as a word or as a part of a
compound, as written or without å, ä, ö; words joined by OR/ELLER are alternatives, quoted words a phrase; one
analysis for both backends, :mod:`tenders.text`) and ranked by BM25 (FTS5's bm25() embedded, OpenSearch's BM25
scale-out);
filters and facets give identical results on both backends (tests/tenders/test_index_contract.py).

The index is a projection of the store: one :class:`IndexDocument` per tender (procurement), built from
the newest notice of the procurement, so it can always be rebuilt from the store. Each indexed document carries its
stamp (:func:`document_stamp`, a hash of the document as written), so a repair step can ask which procurements the
index already holds as the store now projects them (:meth:`TenderIndex.stamps`) and write only the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from pydantic import BaseModel, Field

from tenders.oneline import single_line

FACET_FIELDS = ("cpv_division", "municipality", "buyer", "form_type")
# Told about each document that could not be indexed: (tender id, one-line reason); the others are indexed.
OnFailure = Callable[[str, str], None]


def one_line(error: BaseException) -> str:
    """An error as one short line, named by its type (for the record of a notice that could not be indexed)."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {single_line(text[0])}" if text else type(error).__name__


class IndexDocument(BaseModel):
    """The flat, searchable projection of a tender."""

    tender_id: str  # procedure id where known, else notice id
    notice_id: str
    version: str
    title: str = ""
    description: str = ""
    buyer_names: list[str] = Field(default_factory=list)
    buyer_orgnrs: list[str] = Field(default_factory=list)
    cpv_codes: list[str] = Field(default_factory=list)  # main first, lots included
    cpv_divisions: list[str] = Field(default_factory=list)  # 2-digit
    municipalities: list[str] = Field(default_factory=list)  # SCB kommunkod
    nuts: list[str] = Field(default_factory=list)  # places of performance, then the buyers' NUTS
    places: list[str] = Field(default_factory=list)  # places of performance only (the matcher's place rule)
    inferred_cpv: str | None = None  # without own codes: the classifier's confident group or division code
    form_type: str | None = None
    notice_type: str | None = None
    procedure_type: str | None = None
    value_sek: float | None = None
    deadline: datetime | None = None
    published: date | None = None
    sme_suitable: bool | None = None
    lots: int = 0
    source: str = "ted"
    source_url: str | None = None


def document_stamp(document: IndexDocument | str) -> str:
    """The stamp an index keeps with a document: 128 bits of BLAKE2b over its JSON (``model_dump_json()``, which a
    backend computes anyway to store or check the document). Equal stamps mean an identical document, whatever path
    wrote it (ingest, a refresh, a rebuild), and a change of the projection itself (a new field, a new rule in
    :mod:`tenders.index.documents`) changes the stamp too, so what the index holds is always compared exactly."""
    text = document if isinstance(document, str) else document.model_dump_json()
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()  # raises where UTF-8 cannot hold the text


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    DEADLINE = "deadline"  # soonest first, no deadline last
    PUBLISHED = "published"  # newest first


class SearchQuery(BaseModel):
    """Filters combine with AND; values inside one list filter combine with OR."""

    text: str = ""
    cpv_prefixes: list[str] = Field(default_factory=list)
    municipalities: list[str] = Field(default_factory=list)
    nuts: list[str] = Field(default_factory=list)  # prefix match: SE3 finds SE312
    buyers: list[str] = Field(default_factory=list)  # org.nr
    value_min: float | None = None
    value_max: float | None = None
    deadline_after: datetime | None = None
    form_types: list[str] = Field(default_factory=list)
    sme_suitable: bool | None = None
    open_now: bool = False  # competition notices whose deadline has not passed (``now`` below)
    now: datetime | None = None  # the clock for open_now; tests pin it
    sort: SortOrder = SortOrder.RELEVANCE
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=20, ge=1, le=200)
    with_facets: bool = True


class SearchHit(BaseModel):
    document: IndexDocument
    score: float = 0.0


class FacetCount(BaseModel):
    value: str
    count: int


class SearchResult(BaseModel):
    hits: list[SearchHit]
    total: int
    facets: dict[str, list[FacetCount]] = Field(default_factory=dict)  # keys from FACET_FIELDS


class TenderIndex(Protocol):
    """What the store, the crawlers' pipeline and the API need from a search index."""

    analysis_version: int  # the text analysis (tenders.text) its terms were made with; a rebuild brings it current

    def index(self, documents: Iterable[IndexDocument], on_failure: OnFailure | None = None) -> int:
        """Add or replace documents by ``tender_id``; returns how many were written.

        A document that cannot be indexed raises, and nothing of the call is written; with ``on_failure`` it is
        reported there instead and the others are written."""

    def rebuild(self, documents: Iterable[IndexDocument], on_failure: OnFailure | None = None) -> int:
        """Replace everything with these documents, built beside the live index and swapped in at the end: searches
        see the old index until the new one is complete, and a rebuild that fails leaves it as it was. Returns how
        many were written; ``on_failure`` as for :meth:`index`."""

    def delete(self, tender_ids: Iterable[str]) -> None: ...

    def stamps(self, tender_ids: Iterable[str]) -> dict[str, str]:
        """The :func:`document_stamp` of each of these tenders' indexed document; a tender the index does not hold
        (or holds from before stamps were kept) is absent."""

    def search(self, query: SearchQuery) -> SearchResult: ...

    def count(self) -> int: ...

    def clear(self) -> None:
        """Drop every document (tests; a rebuild from the store uses :meth:`rebuild`, which never empties)."""

    def close(self) -> None: ...
