"""The embedded index's inverted index: per stem, which documents hold it and how often (weighted by column).

Stored in the `postings` table as segments of two blobs (int64 doc ids, float32 weighted counts), one
segment per stem per written batch, so a bulk load writes each stem once per 5,000 documents and a query
reads a stem's whole doc list in a few rows. Deleted documents are skipped by the reader (their ids are
not live) and dropped when a stem's segments are merged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from tenders.index.sqlite_schema import TextTerms

MERGED_SEGMENT = 0
MERGE_AFTER = 64  # a stem in more segments than this is merged (a single-document write makes one each)
CHUNK = 500  # bound parameters per statement

Postings = tuple[NDArray[np.int64], NDArray[np.float64]]


def write_segment(db: sqlite3.Connection, docs: Iterable[tuple[int, TextTerms]]) -> list[str]:
    """One segment per stem for a batch of (doc id, text terms); returns the stems written."""
    number: dict[str, int] = {}  # stem -> its number in this batch
    term_numbers: list[int] = []
    doc_ids: list[int] = []
    counts: list[float] = []
    first_id = None
    for doc_id, terms in docs:
        first_id = doc_id if first_id is None else first_id
        term_numbers += [number.setdefault(term, len(number)) for term in terms.counts]
        doc_ids += [doc_id] * len(terms.counts)
        counts += terms.counts.values()
    # Group the postings by stem with one stable sort (doc ids stay ascending within a stem).
    order = np.argsort(np.array(term_numbers, dtype=np.int64), kind="stable")
    sorted_docs = np.array(doc_ids, dtype=np.int64)[order]
    sorted_counts = np.array(counts, dtype=np.float32)[order]
    ends = np.cumsum(np.bincount(np.array(term_numbers, dtype=np.int64), minlength=len(number))).tolist()
    starts = [0, *ends[:-1]]
    rows = [
        (term, first_id, sorted_docs[start:end].tobytes(), sorted_counts[start:end].tobytes())
        for term, start, end in zip(number, starts, ends, strict=True)
    ]
    db.executemany("INSERT INTO postings (term, seg, docs, counts) VALUES (?, ?, ?, ?)", rows)
    return list(number)


def _decode(rows: list[tuple[bytes, bytes]]) -> Postings:
    if len(rows) == 1:
        docs_blob, counts_blob = rows[0]
    else:
        docs_blob, counts_blob = b"".join(r[0] for r in rows), b"".join(r[1] for r in rows)
    return np.frombuffer(docs_blob, dtype=np.int64), np.frombuffer(counts_blob, dtype=np.float32).astype(np.float64)


def read_postings(db: sqlite3.Connection, term: str) -> Postings:
    """Every (doc id, weighted count) of the stem, dead documents included."""
    return _decode(db.execute("SELECT docs, counts FROM postings WHERE term = ?", (term,)).fetchall())


def merge_terms(db: sqlite3.Connection, terms: list[str], live: NDArray[np.bool_]) -> None:
    """Rewrite each stem's segments as one, without the documents that are no longer live.

    ``live`` is indexed by doc id; ids beyond it were written after it was taken, so they are kept.
    """
    merged = []
    for term in terms:
        docs, counts = read_postings(db, term)
        known = docs < len(live)
        keep = ~known
        keep[known] = live[docs[known]]
        if keep.any():
            merged.append((term, MERGED_SEGMENT, docs[keep].tobytes(), counts[keep].astype(np.float32).tobytes()))
    db.executemany("DELETE FROM postings WHERE term = ?", [(term,) for term in terms])
    db.executemany("INSERT INTO postings (term, seg, docs, counts) VALUES (?, ?, ?, ?)", merged)


def fragmented_terms(db: sqlite3.Connection, terms: list[str] | None = None, more_than: int = MERGE_AFTER) -> list[str]:
    """The stems (of ``terms``, or all) stored in more than ``more_than`` segments."""
    if terms is None:
        rows = db.execute("SELECT term FROM postings GROUP BY term HAVING count(*) > ?", (more_than,)).fetchall()
        return [term for (term,) in rows]
    found: list[str] = []
    for start in range(0, len(terms), CHUNK):
        chunk = terms[start:start + CHUNK]
        marks = ", ".join("?" for _ in chunk)
        sql = f"SELECT term FROM postings WHERE term IN ({marks}) GROUP BY term HAVING count(*) > ?"  # noqa: S608
        found += [term for (term,) in db.execute(sql, [*chunk, more_than])]
    return found
