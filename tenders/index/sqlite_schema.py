"""Tables of the embedded index and the rows one IndexDocument becomes (see :mod:`tenders.index.sqlite`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import numpy as np

from tenders.index.base import IndexDocument, document_stamp
from tenders.text import IndexTerms, index_terms

SCHEMA_VERSION = 5  # PRAGMA user_version; an index file of another version is rebuilt empty (see SqliteIndex)
# Version 5 added docs.stamp (tenders.index.base.document_stamp): a version-4 file gains the column in place instead
# (its documents hold no stamp, so the next refresh writes each one it looks at again).
STAMP_FROM_VERSION = 4
ADD_STAMP = "ALTER TABLE docs ADD COLUMN stamp TEXT"
NO_DEADLINE = 2**62  # stored for "no deadline" so that an index on deadline also sorts them last
# bm25() weights in the order of the fts columns: a word in the title counts most, a compound part least,
# so "röjning" ranks a notice about röjning above one about snöröjning. The folded terms (words read without å, ä,
# ö, é; tenders.text.folding) weigh half as much as the words as written, so "stad" ranks a town above "städ".
# Sums of these are exact in float64.
COLUMN_WEIGHTS = {"title": 4.0, "description": 1.0, "buyers": 1.0, "parts": 0.5, "folded_title": 2.0, "folded": 0.5}
# Where a quoted phrase is looked for: the words as written, in their order (compound parts have no order).
PHRASE_COLUMNS = ("title", "description", "buyers")
TEXT_COLUMNS = tuple(COLUMN_WEIGHTS)
BM25 = f"bm25(fts, {', '.join(str(w) for w in COLUMN_WEIGHTS.values())})"

# docs: sort and filter columns, the stemmed text (the external content of `fts`), its length in stems
# (bm25's document length), the ids of the document's filter/facet values (int32 blob) and the document as
# JSON. Ids only grow (AUTOINCREMENT): a replaced document gets a new id and its old id goes to `deleted`,
# so another connection catches up by reading ids above the last it saw. vals: each distinct (field, value)
# once. fts: SQLite FTS5 over the pre-stemmed columns of docs (unicode61 only splits at spaces here, keeps å, ä, ö
# and, as a token character, the mark "_" of folded terms); detail=full because bm25() is 3-4 times slower with
# detail=column or none (measured), and quoted phrases need the positions.
SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tender_id TEXT NOT NULL UNIQUE,
    value_sek REAL,
    deadline INTEGER NOT NULL,  -- seconds since 1970 UTC, NO_DEADLINE when there is none
    published TEXT,             -- ISO date
    sme INTEGER,                -- 1, 0 or NULL (unknown)
    title TEXT NOT NULL, description TEXT NOT NULL, buyers TEXT NOT NULL, parts TEXT NOT NULL,
    folded_title TEXT NOT NULL, folded TEXT NOT NULL,
    length INTEGER NOT NULL,
    vids BLOB NOT NULL,
    document TEXT NOT NULL,
    stamp TEXT                  -- document_stamp(document), NULL in files from before version 5
);
CREATE INDEX IF NOT EXISTS docs_deadline ON docs (deadline, tender_id);
CREATE INDEX IF NOT EXISTS docs_published ON docs (published DESC, tender_id);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    title, description, buyers, parts, folded_title, folded, content = 'docs', content_rowid = 'id',
    tokenize = "unicode61 remove_diacritics 0 tokenchars '_'", detail = full
);
CREATE TABLE IF NOT EXISTS vals (id INTEGER PRIMARY KEY, field TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS deleted (seq INTEGER PRIMARY KEY AUTOINCREMENT, doc INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', abs(random()));
"""
# Tables of earlier versions too (postings, terms, facet_terms), so an old index file is replaced whole.
DROP = "".join(
    f"DROP TABLE IF EXISTS {table};"
    for table in ("fts", "docs", "vals", "postings", "deleted", "meta", "terms", "facet_terms")
)
COLUMN_LIST = ", ".join(TEXT_COLUMNS)
DOC_COLUMNS = f"id, tender_id, value_sek, deadline, published, sme, {COLUMN_LIST}, length, vids, document, stamp"
INSERT_DOC = f"INSERT INTO docs ({DOC_COLUMNS}) VALUES ({', '.join('?' for _ in DOC_COLUMNS.split(', '))})"  # noqa: S608
INDEX_TEXT_FROM = f"INSERT INTO fts (rowid, {COLUMN_LIST}) SELECT id, {COLUMN_LIST} FROM docs WHERE id >= ?"  # noqa: S608
# An external-content table forgets a row only when told the text it indexed, which docs still holds.
UNINDEX_TEXT = f"INSERT INTO fts (fts, rowid, {COLUMN_LIST}) SELECT 'delete', id, {COLUMN_LIST} FROM docs WHERE id = ?"  # noqa: S608


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


def stemmed_text(doc: IndexDocument) -> IndexTerms:
    """The document's text columns as terms (:func:`tenders.text.index_terms`, the same for OpenSearch)."""
    return index_terms(doc.title, doc.description, doc.buyer_names)


def doc_row(doc_id: int, doc: IndexDocument, text: IndexTerms, vids: Iterable[int], document: str) -> tuple[Any, ...]:
    """The docs row; ``document`` is the document as JSON (``doc.model_dump_json()``), stamped from it."""
    return (
        doc_id, doc.tender_id, doc.value_sek,
        epoch(doc.deadline) if doc.deadline else NO_DEADLINE,
        doc.published.isoformat() if doc.published else None,
        None if doc.sme_suitable is None else int(doc.sme_suitable),
        *text.columns, text.length, np.fromiter(vids, dtype=np.int32).tobytes(), document, document_stamp(document),
    )
