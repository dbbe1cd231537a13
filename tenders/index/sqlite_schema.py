"""Tables of the embedded index and the rows one IndexDocument becomes (see :mod:`tenders.index.sqlite`)."""

from __future__ import annotations

from typing import Any

from tenders.index.analysis import stemmed_parts, stemmed_text
from tenders.index.base import FACET_FIELDS, IndexDocument
from tenders.index.sqlite_query import NO_DEADLINE, epoch

# docs: filter and sort columns plus the document as JSON. vals: each distinct (field, value) once, with
# n = how many documents carry it (the facets of the unfiltered set, read without counting). terms and
# facet_terms: (value id, doc) pairs, for filters and for facet counting over a hit set respectively.
SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    id INTEGER PRIMARY KEY,
    tender_id TEXT NOT NULL UNIQUE,
    form_type TEXT,
    value_sek REAL,
    deadline INTEGER NOT NULL,  -- seconds since 1970 UTC; NO_DEADLINE when there is none
    published TEXT,             -- ISO date
    sme INTEGER,                -- 1, 0 or NULL (unknown)
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS docs_deadline ON docs (deadline, tender_id);
CREATE INDEX IF NOT EXISTS docs_published ON docs (published DESC, tender_id);
CREATE INDEX IF NOT EXISTS docs_form_deadline ON docs (form_type, deadline);
CREATE INDEX IF NOT EXISTS docs_value ON docs (value_sek);
CREATE TABLE IF NOT EXISTS vals (
    id INTEGER PRIMARY KEY, field TEXT NOT NULL, value TEXT NOT NULL, n INTEGER NOT NULL DEFAULT 0,
    UNIQUE (field, value)
);
CREATE TABLE IF NOT EXISTS terms (vid INTEGER NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (vid, doc)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS terms_doc ON terms (doc);
CREATE TABLE IF NOT EXISTS facet_terms (
    doc INTEGER NOT NULL, vid INTEGER NOT NULL, PRIMARY KEY (doc, vid)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    title, description, buyers, parts, tokenize = 'unicode61 remove_diacritics 0'
);
"""
DROP = "".join(f"DROP TABLE IF EXISTS {table};" for table in ("docs", "vals", "terms", "facet_terms", "fts"))
INSERT_DOC = (
    "INSERT INTO docs (tender_id, form_type, value_sek, deadline, published, sme, document)"
    " VALUES (?, ?, ?, ?, ?, ?, ?)"
)
INSERT_FTS = "INSERT INTO fts (rowid, title, description, buyers, parts) VALUES (?, ?, ?, ?, ?)"
DELETE_DOC = (
    "UPDATE vals SET n = n - 1 WHERE id IN (SELECT vid FROM facet_terms WHERE doc = :doc)",
    "DELETE FROM fts WHERE rowid = :doc",
    "DELETE FROM terms WHERE doc = :doc",
    "DELETE FROM facet_terms WHERE doc = :doc",
    "DELETE FROM docs WHERE id = :doc",
)


def term_rows(doc: IndexDocument) -> list[tuple[str, str]]:
    """(field, value) pairs: the filter fields and the facet fields of FACET_FIELDS."""
    buyers = doc.buyer_orgnrs or doc.buyer_names  # the buyer facet counts org.nr where known, else the name
    rows = [("cpv", c) for c in doc.cpv_codes] + [("cpv_division", d) for d in doc.cpv_divisions]
    rows += [("municipality", m) for m in doc.municipalities] + [("nuts", n) for n in doc.nuts]
    rows += [("buyer", b) for b in buyers]
    if doc.form_type:
        rows.append(("form_type", doc.form_type))
    return list(dict.fromkeys(rows))


def is_facet(field_name: str) -> bool:
    return field_name in FACET_FIELDS


def doc_row(doc: IndexDocument) -> tuple[Any, ...]:
    return (
        doc.tender_id, doc.form_type, doc.value_sek,
        epoch(doc.deadline) if doc.deadline else NO_DEADLINE,
        doc.published.isoformat() if doc.published else None,
        None if doc.sme_suitable is None else int(doc.sme_suitable),
        doc.model_dump_json(),
    )


def fts_row(doc: IndexDocument) -> tuple[str, str, str, str]:
    """Pre-stemmed columns; the parts column holds the stems of compound parts of title and description."""
    return (
        stemmed_text(doc.title), stemmed_text(doc.description), stemmed_text(" ".join(doc.buyer_names)),
        stemmed_parts(f"{doc.title} {doc.description}"),
    )
