"""One :class:`SearchQuery` against the embedded index: FTS5 hits and bm25 scores, numpy filters and pages.

The hit set is computed once per search: FTS5 finds the documents that match the parsed search text
(:mod:`tenders.index.sqlite_fts`), the filters are boolean masks over the in-memory columns
(:mod:`tenders.index.sqlite_columns`), and the page is cut from the hits along the score or a cached sort
order, so no SQL runs per hit and no query plan has to guess how the text and the filters combine.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray

from tenders.index.base import SearchQuery, SortOrder
from tenders.index.sqlite_columns import Columns
from tenders.index.sqlite_fts import scored_hits
from tenders.index.sqlite_schema import NO_DEADLINE, epoch
from tenders.text import parse_query

Ids = NDArray[np.int64]
Mask = NDArray[np.bool_]
Scores = NDArray[np.float64]


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
    search = parse_query(query.text)
    start = (query.page - 1) * query.page_size
    stop = start + query.page_size
    if not search:
        ids = columns.order(db, "deadline" if query.sort is SortOrder.DEADLINE else "published")
        page = np.compress(mask.take(ids), ids)[start:stop]
        return Page(int(np.count_nonzero(mask)), mask, page, np.zeros(len(page)))
    found, found_scores = scored_hits(db, columns, search)
    keep = mask.take(found)  # the hits and the columns come from one snapshot, so every id is in the mask
    ids, scores = np.compress(keep, found), np.compress(keep, found_scores)
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
