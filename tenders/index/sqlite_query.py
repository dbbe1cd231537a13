"""One :class:`SearchQuery` against the embedded index: hits, BM25 scores and the requested page, in numpy.

User text never becomes query syntax: it is cut into word tokens and stemmed, and every stem must occur
(AND), so quotes, parentheses, AND/OR/NOT, ``*``, ``-`` and column filters in the text are just words.

Scores are SQLite FTS5's ``bm25()`` with the column weights of :mod:`tenders.index.sqlite_schema`
(k1 = 1.2, b = 0.75, IDF = ln((N - n + 0.5) / (n + 0.5)), at least 1e-6, document length = stems in all
columns), computed in the same order of floating-point operations as fts5_aux.c, so the scores are
FTS5's to the bit (tests/tenders/test_index_sqlite.py checks them against a real FTS5 table).
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray

from tenders.index.analysis import stems, tokens
from tenders.index.base import SearchQuery, SortOrder
from tenders.index.sqlite_columns import Columns
from tenders.index.sqlite_postings import read_postings
from tenders.index.sqlite_schema import NO_DEADLINE, epoch

MAX_QUERY_TOKENS = 32  # a pasted page of text is still a query, not a denial of service
K1, B = 1.2, 0.75  # FTS5's bm25 constants
MIN_IDF = 1e-6  # FTS5: a word in more than half of the documents still counts a little

Ids = NDArray[np.int64]
Mask = NDArray[np.bool_]
Scores = NDArray[np.float64]


def query_stems(text: str) -> list[str]:
    """The distinct stems of the user's text, in order (empty when it holds no word)."""
    words = [w[:64] for w in tokens(text)][:MAX_QUERY_TOKENS]
    return list(dict.fromkeys(stems(words)))


def filter_mask(columns: Columns, query: SearchQuery) -> Mask:
    """The live documents that pass every filter of the query."""
    mask = columns.live.copy()
    vals = columns.vals
    for field, values, prefix in (
        ("cpv", query.cpv_prefixes, True), ("nuts", query.nuts, True), ("municipality", query.municipalities, False),
        ("buyer", query.buyers, False), ("form_type", query.form_types, False),
    ):
        if values:
            mask &= columns.with_values(field, vals.ids(field, values, prefix))
    if query.value_min is not None:
        mask &= columns.value >= query.value_min  # an unknown value (NaN) passes no bound
    if query.value_max is not None:
        mask &= columns.value <= query.value_max
    has_deadline = columns.deadline < NO_DEADLINE
    if query.deadline_after is not None:
        mask &= has_deadline & (columns.deadline > epoch(query.deadline_after))
    if query.sme_suitable is not None:
        mask &= columns.sme == int(query.sme_suitable)
    if query.open_now:
        mask &= columns.with_values("form_type", vals.ids("form_type", ["competition"]))
        mask &= has_deadline & (columns.deadline > epoch(query.now or datetime.now(UTC)))
    return mask


def _idf(n_row: int, n_hit: int) -> float:
    idf = math.log((n_row - n_hit + 0.5) / (n_hit + 0.5))  # libm's log, as FTS5's
    return idf if idf > 0.0 else MIN_IDF


def text_hits(db: sqlite3.Connection, columns: Columns, terms: list[str], mask: Mask) -> tuple[Ids, Scores]:
    """The documents in ``mask`` that hold every stem, with their BM25 scores (higher is better)."""
    live = columns.live
    postings = []
    for term in terms:
        docs, counts = read_postings(db, term)
        if len(docs) and docs.max() >= len(live):  # written after this snapshot (another connection)
            docs, counts = docs[docs < len(live)], counts[docs < len(live)]
        keep = live.take(docs)
        postings.append((np.compress(keep, docs), np.compress(keep, counts)))
    if not all(len(docs) for docs, _ in postings):
        return np.empty(0, dtype=np.int64), np.empty(0)
    rarest = min(postings, key=lambda p: len(p[0]))[0]
    candidates = np.compress(mask.take(rarest), rarest)
    freqs = []
    for docs, counts in postings:
        dense = np.zeros(len(live))
        dense[docs] = counts
        freqs.append(dense.take(candidates))
    every = np.logical_and.reduce([f > 0 for f in freqs])
    candidates = np.compress(every, candidates)
    n_row = columns.derived("n_live", lambda: int(live.sum()))
    avgdl = columns.derived("n_tokens", lambda: int(columns.length[live].sum())) / n_row
    norm = K1 * (1 - B + B * columns.length.take(candidates).astype(np.float64) / avgdl)
    score = np.zeros(len(candidates))
    for (docs, _), f in zip(postings, freqs, strict=True):
        f = np.compress(every, f)
        score = score + _idf(n_row, len(docs)) * ((f * (K1 + 1.0)) / (f + norm))
    return candidates, score


def _best(ids: Ids, scores: Scores, tie_rank: Ids, start: int, stop: int) -> tuple[Ids, Scores]:
    """Hits start..stop by score descending, ties by tender id: only the best ``stop`` are sorted."""
    if len(ids) > stop > 0:
        kth = np.partition(-scores, stop - 1)[stop - 1]
        best = -scores <= kth  # every tie at the cut stays in, so the sort below decides it
        ids, scores = ids[best], scores[best]
    order = np.lexsort((tie_rank[ids], -scores))[start:stop]
    return ids[order], scores[order]


@dataclass
class Page:
    total: int
    hits: Mask  # by doc id
    ids: Ids  # the page, in order
    scores: Scores


def search_page(db: sqlite3.Connection, columns: Columns, query: SearchQuery) -> Page:
    mask = filter_mask(columns, query)
    terms = query_stems(query.text)
    start = (query.page - 1) * query.page_size
    stop = start + query.page_size
    if not terms:
        ids = columns.order(db, "deadline" if query.sort is SortOrder.DEADLINE else "published")
        page = np.compress(mask.take(ids), ids)[start:stop]
        return Page(int(np.count_nonzero(mask)), mask, page, np.zeros(len(page)))
    ids, scores = text_hits(db, columns, terms, mask)
    hits = np.zeros(len(columns.live), dtype=np.bool_)
    hits[ids] = True
    if query.sort is SortOrder.RELEVANCE:
        page, page_scores = _best(ids, scores, columns.rank(db, "tender_id"), start, stop)
        return Page(len(ids), hits, page, page_scores)
    order = columns.order(db, query.sort.value)
    page = np.compress(hits.take(order), order)[start:stop]
    by_id = np.zeros(len(columns.live))
    by_id[ids] = scores
    return Page(len(ids), hits, page, by_id[page])
