"""Full text on the embedded index's FTS5 table: the hits of a query and their FTS5 bm25 scores, as numpy.

User text never becomes FTS5 syntax: it is cut into word tokens and stemmed, and each stem is written as a
quoted phrase joined by AND, so quotes, parentheses, AND/OR/NOT, ``*``, ``-`` and column filters in the text
are just words.

Scores are FTS5's ``bm25()`` with the column weights of :mod:`tenders.index.sqlite_schema`. bm25() costs
about 1.3 µs per hit (it reads each hit's column sizes and position lists): 150 ms for a word in half of
180,000 notices. It cannot be run for only the best few hits either: every rowid constraint restarts the
query and recomputes the IDF over the whole doclist (about 1 ms per hit for a broad word). So when every
stem is in more than EXACT_HITS documents, the same formula (fts5_aux.c: k1 = 1.2, b = 0.75,
IDF = ln((N - n + 0.5) / (n + 0.5)), at least 1e-6) is evaluated in numpy over FTS5's own instance lists
(the ``fts5vocab`` instance table, about 0.3 µs per instance), in the same order of floating-point
operations, so the scores are bm25()'s to the bit either way (tests/tenders/test_index_sqlite.py checks).
"""

from __future__ import annotations

import math
import sqlite3

import numpy as np
from numpy.typing import NDArray

from tenders.index.sqlite_columns import Columns, ids_from_text
from tenders.index.sqlite_schema import BM25, COLUMN_WEIGHTS
from tenders.text import query_terms

EXACT_HITS = 4000  # up to this many hits bm25() itself scores them (a few ms); beyond, numpy (see above)
INSTANCES_PER_HIT = 4  # numpy wins while the words' instances are fewer than this many per hit and word
K1, B = 1.2, 0.75  # FTS5's bm25 constants
MIN_IDF = 1e-6  # FTS5: a word in more than half of the documents still counts a little
INSTANCES_TABLE = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_instances USING fts5vocab(main, 'fts', 'instance')"
ROWS_TABLE = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_rows USING fts5vocab(main, 'fts', 'row')"
COLUMN_CODE = " ".join(f"WHEN '{name}' THEN {code}" for code, name in enumerate(COLUMN_WEIGHTS))
WEIGHTS = np.array(list(COLUMN_WEIGHTS.values()))

Ids = NDArray[np.int64]
Scores = NDArray[np.float64]


def create_vocabulary_tables(db: sqlite3.Connection) -> None:
    """Per connection (temp schema): FTS5's view of its own index, read by the numpy bm25."""
    db.execute(INSTANCES_TABLE)
    db.execute(ROWS_TABLE)


def query_stems(text: str) -> list[str]:
    """The distinct stems of the user's text, in order (empty when it holds none): ``tenders.text.query_terms``."""
    return query_terms(text)


def match_expression(terms: list[str]) -> str:
    return " AND ".join(f'"{term}"' for term in terms)  # a stem holds letters and digits only


def scored_hits(db: sqlite3.Connection, columns: Columns, terms: list[str]) -> tuple[Ids, Scores]:
    """The documents that hold every stem (ascending ids) and their FTS5 bm25 scores (higher is better).

    Each hit set is read once: by bm25()'s own query when the rarest stem is in at most EXACT_HITS documents,
    else from FTS5's MATCH (one string of ids), or for a single stem straight from its instance list.
    """
    counts = [_document_and_instance_counts(db, term) for term in terms]
    if min(documents for documents, _ in counts) <= EXACT_HITS:
        return _fts5_bm25(db, terms)
    hits = _numpy_bm25_candidates(db, terms) if len(terms) > 1 else None
    if hits is not None and sum(instances for _, instances in counts) > INSTANCES_PER_HIT * len(hits) * len(terms):
        return _fts5_bm25(db, terms)  # a broad word ANDed down to few hits: bm25() reads less
    return _numpy_bm25(db, columns, terms, hits)


def _numpy_bm25_candidates(db: sqlite3.Connection, terms: list[str]) -> Ids:
    sql = "SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?"
    return ids_from_text(db.execute(sql, (match_expression(terms),)).fetchone()[0])


def _fts5_bm25(db: sqlite3.Connection, terms: list[str]) -> tuple[Ids, Scores]:
    sql = f"SELECT rowid, -{BM25} FROM fts WHERE fts MATCH ?"  # noqa: S608 (constant SQL)
    rows = db.execute(sql, (match_expression(terms),)).fetchall()
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty(0)
    ids, scores = zip(*rows, strict=True)
    return np.array(ids, dtype=np.int64), np.array(scores, dtype=np.float64)


def _document_and_instance_counts(db: sqlite3.Connection, term: str) -> tuple[int, int]:
    row = db.execute("SELECT doc, cnt FROM temp.fts_rows WHERE term = ?", (term,)).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def _weighted_frequencies(db: sqlite3.Connection, term: str) -> tuple[Ids, Scores]:
    """The documents holding the stem (ascending) and its column-weighted count in each."""
    sql = f"SELECT group_concat(doc), group_concat(CASE col {COLUMN_CODE} END) FROM temp.fts_instances WHERE term = ?"  # noqa: S608
    docs_text, codes_text = db.execute(sql, (term,)).fetchone()
    docs = ids_from_text(docs_text)
    weights = WEIGHTS.take(ids_from_text(codes_text))
    if len(docs) > 1 and np.any(docs[1:] < docs[:-1]):  # FTS5 lists them by rowid; do not rely on it blindly
        order = np.argsort(docs, kind="stable")
        docs, weights = docs[order], weights[order]
    starts = np.flatnonzero(np.concatenate(([True], docs[1:] != docs[:-1]))) if len(docs) else np.empty(0, np.int64)
    return docs[starts], np.add.reduceat(weights, starts) if len(docs) else np.empty(0)


def _idf(n_row: int, n_hit: int) -> float:
    idf = math.log((n_row - n_hit + 0.5) / (n_hit + 0.5))  # libm's log, as FTS5's
    return idf if idf > 0.0 else MIN_IDF


def _numpy_bm25(db: sqlite3.Connection, columns: Columns, terms: list[str], hits: Ids | None) -> tuple[Ids, Scores]:
    """bm25 of the hits, or of every document holding the single stem of ``terms`` when ``hits`` is None."""
    frequencies = [_weighted_frequencies(db, term) for term in terms]
    if hits is None:
        hits = frequencies[0][0]
    live = columns.live
    n_row = columns.derived("n_live", lambda: int(live.sum()))
    avgdl = columns.derived("n_tokens", lambda: int(columns.length[live].sum())) / n_row
    norm = K1 * (1 - B + B * columns.length.take(hits).astype(np.float64) / avgdl)
    score = np.zeros(len(hits))
    for docs, weighted in frequencies:  # in phrase order, as fts5Bm25Function adds them up
        f = weighted[np.searchsorted(docs, hits)]
        score = score + _idf(n_row, len(docs)) * ((f * (K1 + 1.0)) / (f + norm))
    return hits, score
