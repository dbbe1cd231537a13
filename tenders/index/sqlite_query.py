"""SQL for one :class:`SearchQuery` against the embedded index's tables (see :mod:`tenders.index.sqlite`).

Only constant SQL fragments and "?" placeholders are put together here (hence the S608 exemptions);
every value, the user's text included, is a bound parameter. User text never reaches FTS5 syntax: it is
cut into word tokens, each stemmed and written as a quoted FTS5 phrase, so quotes, parentheses,
AND/OR/NOT, ``*``, ``-`` and column filters in the text are just words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tenders.index.analysis import stems, tokens
from tenders.index.base import SearchQuery, SortOrder

MAX_QUERY_TOKENS = 32  # a pasted page of text is still a query, not a denial of service
PREFIX_END = "\U0010ffff"  # sorts after every character: [p, p + PREFIX_END) is "starts with p"
NO_DEADLINE = 2**62  # stored for "no deadline" so that an index on deadline also sorts them last
# bm25 weights in column order (title, description, buyers, parts): a word in the title counts most,
# a compound part least, so "röjning" ranks a notice about röjning above one about snöröjning.
BM25 = "bm25(fts, 4.0, 1.0, 1.0, 0.5)"


def match_expression(text: str) -> str | None:
    """The FTS5 MATCH string for the user's text (all stems must occur), None when it holds no word."""
    words = [w[:64] for w in tokens(text)][:MAX_QUERY_TOKENS]
    if not words:
        return None
    return " AND ".join(f'"{stem}"' for stem in dict.fromkeys(stems(words)))


def epoch(moment: datetime) -> int:
    """Seconds since 1970 UTC; a naive datetime is taken as UTC."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return int(aware.timestamp())


@dataclass
class HitsSql:
    """``FROM ... WHERE ...`` selecting the hits as ``d`` (docs), its parameters and the rank expression."""

    from_where: str
    params: list[Any] = field(default_factory=list)
    rank: str = "0.0"
    filtered: bool = False  # False: every document is a hit

    @property
    def has_text(self) -> bool:
        return self.rank != "0.0"


def _terms_filter(column: str, values: list[str], prefix: bool) -> tuple[str, list[Any]]:
    if prefix:
        ranges = " OR ".join("(value >= ? AND value < ?)" for _ in values)
        params: list[Any] = [column, *(v for value in values for v in (value, value + PREFIX_END))]
    else:
        ranges = f"value IN ({', '.join('?' for _ in values)})"
        params = [column, *values]
    vids = f"SELECT id FROM vals WHERE field = ? AND ({ranges})"  # noqa: S608
    return f"d.id IN (SELECT doc FROM terms WHERE vid IN ({vids}))", params  # noqa: S608


def _filters(query: SearchQuery) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for column, values, prefix in (
        ("cpv", query.cpv_prefixes, True), ("nuts", query.nuts, True),
        ("municipality", query.municipalities, False), ("buyer", query.buyers, False),
    ):
        if values:
            clause, values_params = _terms_filter(column, values, prefix)
            clauses.append(clause)
            params += values_params
    deadline_after = epoch(query.deadline_after) if query.deadline_after else None
    for clause, value in (
        ("d.value_sek >= ?", query.value_min), ("d.value_sek <= ?", query.value_max),
        (f"d.deadline > ? AND d.deadline < {NO_DEADLINE}", deadline_after),
        ("d.sme = ?", None if query.sme_suitable is None else int(query.sme_suitable)),
    ):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    if query.form_types:
        clauses.append(f"d.form_type IN ({', '.join('?' for _ in query.form_types)})")
        params += query.form_types
    if query.open_now:
        clauses.append(f"d.form_type = 'competition' AND d.deadline > ? AND d.deadline < {NO_DEADLINE}")
        params.append(epoch(query.now or datetime.now(UTC)))
    return clauses, params


def hits_sql(query: SearchQuery) -> HitsSql:
    clauses, params = _filters(query)
    match = match_expression(query.text)
    if match is None:
        where = " AND ".join(clauses) or "1"
        return HitsSql(f"FROM docs d WHERE {where}", params, filtered=bool(clauses))
    where = " AND ".join(["fts MATCH ?", *clauses])
    return HitsSql(f"FROM fts JOIN docs d ON d.id = fts.rowid WHERE {where}", [match, *params], BM25, True)


def order_by(sort: SortOrder, hits: HitsSql) -> str:
    """Deadline soonest first (none last), published newest first (none last); ties by tender id."""
    if sort is SortOrder.DEADLINE:
        return "d.deadline, d.tender_id"
    if sort is SortOrder.RELEVANCE and hits.has_text:
        return f"{hits.rank}, d.tender_id"
    return "d.published DESC, d.tender_id"  # NULL sorts lowest in SQLite: last when descending
