"""Tables of the embedded index and the rows one IndexDocument becomes (see :mod:`tenders.index.sqlite`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

from tenders.index.analysis import text_stems, tokens, word_part_stems
from tenders.index.base import IndexDocument

SCHEMA_VERSION = 2  # PRAGMA user_version; an index file of another version is rebuilt empty (see SqliteIndex)
NO_DEADLINE = 2**62  # stored for "no deadline" so that an index on deadline also sorts them last
# BM25 weight of a word per text column: a word in the title counts most, a compound part least, so
# "röjning" ranks a notice about röjning above one about snöröjning. Weighted counts are sums of these,
# exact in float32 and float64 alike.
TITLE, DESCRIPTION, BUYERS, PARTS = 4.0, 1.0, 1.0, 0.5

# docs: sort and filter columns, the text length (BM25's document length), the ids of the document's
# filter/facet values (int32 blob) and the document as JSON. Ids only grow (AUTOINCREMENT): a replaced
# document gets a new id and its old id goes to `deleted`, so another connection catches up by reading
# ids above the last it saw. vals: each distinct (field, value) once. postings: per stem, segments of
# (doc ids, weighted term counts) as blobs; seg 0 is a merged segment, others are the first doc id of the
# batch that wrote them. Postings of deleted documents stay until a merge: readers skip dead ids.
SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tender_id TEXT NOT NULL UNIQUE,
    value_sek REAL,
    deadline INTEGER NOT NULL,  -- seconds since 1970 UTC, NO_DEADLINE when there is none
    published TEXT,             -- ISO date
    sme INTEGER,                -- 1, 0 or NULL (unknown)
    length INTEGER NOT NULL,
    vids BLOB NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_deadline ON docs (deadline, tender_id);
CREATE INDEX IF NOT EXISTS docs_published ON docs (published DESC, tender_id);
CREATE TABLE IF NOT EXISTS vals (id INTEGER PRIMARY KEY, field TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS postings (
    term TEXT NOT NULL, seg INTEGER NOT NULL, docs BLOB NOT NULL, counts BLOB NOT NULL, PRIMARY KEY (term, seg)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS deleted (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', abs(random()));
"""
# The first version's tables too (fts, terms, facet_terms), so an old index file is replaced whole.
DROP = "".join(
    f"DROP TABLE IF EXISTS {table};"
    for table in ("docs", "vals", "postings", "deleted", "meta", "fts", "terms", "facet_terms")
)
INSERT_DOC = (
    "INSERT INTO docs (id, tender_id, value_sek, deadline, published, sme, length, vids, document)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def epoch(moment: datetime) -> int:
    """Seconds since 1970 UTC; a naive datetime is taken as UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return int(aware.timestamp())


def term_rows(doc: IndexDocument) -> list[tuple[str, str]]:
    """(field, value) pairs: the filter fields (cpv, nuts) and the facet fields of FACET_FIELDS."""
    buyers = doc.buyer_orgnrs or doc.buyer_names  # the buyer facet counts org.nr where known, else the name
    rows = [("cpv", c) for c in doc.cpv_codes] + [("cpv_division", d) for d in doc.cpv_divisions]
    rows += [("municipality", m) for m in doc.municipalities] + [("nuts", n) for n in doc.nuts]
    rows += [("buyer", b) for b in buyers]
    if doc.form_type:
        rows.append(("form_type", doc.form_type))
    return list(dict.fromkeys(rows))


@dataclass
class TextTerms:
    """One document's stems with their weighted counts, and how many stems its text holds."""

    counts: dict[str, float]
    length: int


def _part_stems(doc: IndexDocument) -> list[str]:
    words = dict.fromkeys(tokens(f"{doc.title} {doc.description}"))
    return [stem for word in words for stem in word_part_stems(word)]


def text_terms(doc: IndexDocument) -> TextTerms:
    columns = (
        (text_stems(doc.title), TITLE), (text_stems(doc.description), DESCRIPTION),
        (text_stems(" ".join(doc.buyer_names)), BUYERS), (_part_stems(doc), PARTS),
    )
    counts: dict[str, float] = {}
    for column_stems, weight in columns:
        for term in column_stems:
            counts[term] = counts.get(term, 0.0) + weight
    return TextTerms(counts, sum(len(column_stems) for column_stems, _ in columns))


def doc_row(doc_id: int, doc: IndexDocument, length: int, vids: Iterable[int]) -> tuple[Any, ...]:
    return (
        doc_id, doc.tender_id, doc.value_sek,
        epoch(doc.deadline) if doc.deadline else NO_DEADLINE,
        doc.published.isoformat() if doc.published else None,
        None if doc.sme_suitable is None else int(doc.sme_suitable),
        length, np.fromiter(vids, dtype=np.int32).tobytes(), doc.model_dump_json(),
    )
