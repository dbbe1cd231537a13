"""Full text on the embedded index's FTS5 table: the hits of a query and their FTS5 bm25 scores, as numpy.

User text never becomes FTS5 syntax: :func:`tenders.text.parse_query` reads it into groups of words and phrases
(OR/ELLER and double quotes are its only operators), and the expression is written here from their stems, each
quoted: a word is ``("stem" OR "_folded")``, a phrase ``{title description buyers} : "stem stem"``, alternatives
joined by OR and groups by AND, in parentheses. Parentheses, AND, NOT, ``*``, ``-``, ``^`` and column filters in
the text are just words or nothing.

Scores are FTS5's ``bm25()`` with the column weights of :mod:`tenders.index.sqlite_schema`. bm25() costs
about 1.3 µs per hit (it reads each hit's column sizes and position lists): 150 ms for a word in half of
180,000 notices. It cannot be run for only the best few hits either: every rowid constraint restarts the
query and recomputes the IDF over the whole doclist (about 1 ms per hit for a broad word). So when every
group of alternatives is in more than EXACT_HITS documents, the same formula (fts5_aux.c: k1 = 1.2, b = 0.75,
IDF = ln((N - n + 0.5) / (n + 0.5)), at least 1e-6) is evaluated in numpy over FTS5's own instance lists
(the ``fts5vocab`` instance table, about 0.3 µs per instance), in the same order of floating-point
operations, so the scores are bm25()'s to the bit either way (tests/tenders/test_index_sqlite.py checks). A term
of an OR that a hit lacks adds 0.0, as in bm25(). Quoted phrases are always scored by bm25(): their frequencies
are not in the instance lists.
"""

from __future__ import annotations

import math
import sqlite3

import numpy as np
from numpy.typing import NDArray

from tenders.index.sqlite_columns import Columns, ids_from_text
from tenders.index.sqlite_schema import BM25, COLUMN_WEIGHTS, PHRASE_COLUMNS
from tenders.text import Phrase, SearchText, Word

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


def _alternative(alternative: Word | Phrase) -> str:
    if isinstance(alternative, Word):  # stems hold letters and digits only, folded ones the mark "_" too
        return f'"{alternative.stem}" OR "{alternative.folded}"'
    return f'{{{" ".join(PHRASE_COLUMNS)}}} : "{" ".join(alternative.stems)}"'


def match_expression(search: SearchText) -> str:
    """The FTS5 query of parsed search text; bm25() adds up its quoted strings in this order."""
    return " AND ".join(f"({' OR '.join(_alternative(a) for a in group)})" for group in search.groups)


def scored_hits(db: sqlite3.Connection, columns: Columns, search: SearchText) -> tuple[Ids, Scores]:
    """The documents the search text matches (ascending ids) and their FTS5 bm25 scores (higher is better).

    Each hit set is read once: by bm25()'s own query when a group's terms are in at most EXACT_HITS documents
    together (or the text has a phrase), else from FTS5's MATCH (one string of ids), or for a single group (one
    word, or words joined by OR) straight from its terms' instance lists.
    """
    expression = match_expression(search)
    if search.has_phrase:
        return _fts5_bm25(db, expression)
    terms = search.terms
    counts = {term: _document_and_instance_counts(db, term) for term in terms}
    groups = [[t for a in group if isinstance(a, Word) for t in a.terms] for group in search.groups]
    if min(sum(counts[t][0] for t in group) for group in groups) <= EXACT_HITS:
        return _fts5_bm25(db, expression)
    hits = _numpy_bm25_candidates(db, expression) if len(groups) > 1 else None
    instances = sum(counts[t][1] for t in terms)
    if hits is not None and instances > INSTANCES_PER_HIT * len(hits) * len(terms):
        return _fts5_bm25(db, expression)  # a broad word ANDed down to few hits: bm25() reads less
    return _numpy_bm25(db, columns, terms, hits)


def _numpy_bm25_candidates(db: sqlite3.Connection, expression: str) -> Ids:
    sql = "SELECT group_concat(rowid) FROM fts WHERE fts MATCH ?"
    return ids_from_text(db.execute(sql, (expression,)).fetchone()[0])


def _fts5_bm25(db: sqlite3.Connection, expression: str) -> tuple[Ids, Scores]:
    sql = f"SELECT rowid, -{BM25} FROM fts WHERE fts MATCH ?"  # noqa: S608 (constant SQL)
    rows = db.execute(sql, (expression,)).fetchall()
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
    """bm25 of the hits, or of every document holding one of ``terms`` when ``hits`` is None (one group of OR).

    ``terms`` in the order of the FTS5 expression's quoted strings, repeats included, as bm25() adds them up."""
    read = {term: _weighted_frequencies(db, term) for term in dict.fromkeys(terms)}
    frequencies = [read[term] for term in terms]
    if hits is None:
        hits = np.unique(np.concatenate([docs for docs, _ in read.values()]))
    live = columns.live
    n_row = columns.derived("n_live", lambda: int(live.sum()))
    avgdl = columns.derived("n_tokens", lambda: int(columns.length[live].sum())) / n_row
    norm = K1 * (1 - B + B * columns.length.take(hits).astype(np.float64) / avgdl)
    score = np.zeros(len(hits))
    for docs, weighted in frequencies:  # in phrase order, as fts5Bm25Function adds them up
        f = _frequencies_at(docs, weighted, hits)
        score = score + _idf(n_row, len(docs)) * ((f * (K1 + 1.0)) / (f + norm))
    return hits, score


def _frequencies_at(docs: Ids, weighted: Scores, hits: Ids) -> Scores:
    """The weighted frequency of a term in each hit, 0.0 where a hit lacks it (the other side of an OR)."""
    if len(docs) == 0:
        return np.zeros(len(hits))
    at = np.minimum(np.searchsorted(docs, hits), len(docs) - 1)
    return np.where(docs[at] == hits, weighted[at], 0.0)
