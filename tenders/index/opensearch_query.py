"""The OpenSearch index template and the request body for one :class:`SearchQuery`.

The semantics are the embedded index's (:mod:`tenders.index.sqlite_query`), so both backends give the same
filters, facets and sort orders: every query word (or one of the words joined by OR/ELLER) must occur in some text
field, as written or folded, and a quoted phrase in the title, description or a buyer name; CPV and NUTS filters are
prefixes, facets count documents per value over the filtered hits (most frequent first, ties by value), and
deadlines compare as whole seconds since 1970 UTC.

Text is analysed in Python by :mod:`tenders.text`, for documents and queries alike, and stored as space-separated
terms behind OpenSearch's whitespace analyzer, so both backends index the very same terms (stems and the stems of
compound parts) and find the same notices. (OpenSearch's own Snowball filter stems differently: it strips
derivational suffixes, fastigheter → fast, and is an older Snowball.)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tenders.index.base import FACET_FIELDS, IndexDocument, SearchQuery, SortOrder
from tenders.text import ANALYSIS_VERSION, Phrase, SearchText, index_terms, parse_query

FACET_SIZE = 20
# The facet names of FACET_FIELDS and the keyword field each one counts.
FACET_SOURCE = {"cpv_division": "cpv_divisions", "municipality": "municipalities", "buyer": "buyer_keys",
                "form_type": "form_type"}
# The analysed text fields (terms from tenders.text, in the order of IndexTerms.columns); title words count most, a
# compound part and a word read without å, ä, ö least (the embedded index's bm25 weights).
TERM_FIELDS = ("title_terms", "description_terms", "buyer_terms", "parts", "folded_title_terms", "folded_terms")
TEXT_FIELDS = ["title_terms^4", "description_terms", "buyer_terms", "parts^0.5", "folded_title_terms^2",
               "folded_terms^0.5"]
PHRASE_FIELDS = ["title_terms^4", "description_terms", "buyer_terms"]  # the words as written, in their order
# Deep pages are rare but legal in the API; one shard of a few hundred thousand notices affords them.
MAX_RESULT_WINDOW = 200_000

TERMS = {"type": "text", "analyzer": "whitespace"}  # pre-analysed: one term per space-separated word
KEYWORD = {"type": "keyword"}


def index_template(pattern: str) -> dict[str, Any]:
    """The template every concrete index behind the alias is created from."""
    settings = {
        "number_of_shards": 1,  # one shard: exact facet counts and bm25 statistics, plenty for all of Sweden
        "number_of_replicas": 0,
        "max_result_window": MAX_RESULT_WINDOW,
    }
    properties = {
        "tender_id": KEYWORD, "notice_id": KEYWORD, "version": KEYWORD,
        # title, description and buyer_names are kept in _source only; what is searched are their terms
        # (no stop words: every query word must match, as in the embedded index), and the stems of compound
        # parts ("snöröjning" → snö röjning)
        **dict.fromkeys(TERM_FIELDS, TERMS),
        "buyer_orgnrs": KEYWORD, "buyer_keys": KEYWORD, "cpv_codes": KEYWORD, "cpv_divisions": KEYWORD,
        "municipalities": KEYWORD, "nuts": KEYWORD, "form_type": KEYWORD, "notice_type": KEYWORD,
        "procedure_type": KEYWORD, "source": KEYWORD,
        "value_sek": {"type": "double"},
        "deadline": {"type": "date"}, "deadline_s": {"type": "long"},
        "published": {"type": "date", "format": "strict_date"},
        "sme_suitable": {"type": "boolean"}, "lots": {"type": "integer"},
        "source_url": {"type": "keyword", "index": False},
        "stamp": {"type": "keyword", "index": False, "doc_values": False},  # read back by mget, never searched
    }
    return {
        "index_patterns": [pattern],
        "template": {"settings": {"index": settings}, "mappings": {
            "dynamic": False, "properties": properties, "_meta": {"analysis": ANALYSIS_VERSION},
            "_source": {"excludes": list(TERM_FIELDS)},  # derived from the document: searched, never read back
        }},
    }


def epoch(moment: datetime) -> int:
    """Whole seconds since 1970 UTC; a naive datetime is taken as UTC (as the embedded index does)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return int(aware.timestamp())


def buyer_keys(doc: IndexDocument) -> list[str]:
    """What the buyer filter and facet use: the org.nrs where known, else the names."""
    return doc.buyer_orgnrs or doc.buyer_names


def source_of(doc: IndexDocument, stamp: str) -> dict[str, Any]:
    """The stored document: the IndexDocument plus the derived fields the queries use and its stamp
    (:func:`tenders.index.base.document_stamp`)."""
    source = doc.model_dump(mode="json")
    source["stamp"] = stamp
    source["buyer_keys"] = buyer_keys(doc)
    source.update(zip(TERM_FIELDS, index_terms(doc.title, doc.description, doc.buyer_names).columns, strict=True))
    source["deadline_s"] = epoch(doc.deadline) if doc.deadline else None
    return source


def _prefixes(field: str, values: list[str]) -> dict[str, Any]:
    should = [{"prefix": {field: value}} for value in values]
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _range(field: str, **bounds: Any) -> dict[str, Any]:
    return {"range": {field: {op: value for op, value in bounds.items() if value is not None}}}


def filters(query: SearchQuery) -> list[dict[str, Any]]:
    clauses: list[dict[str, Any]] = []
    for field, values in (("cpv_codes", query.cpv_prefixes), ("nuts", query.nuts)):
        if values:
            clauses.append(_prefixes(field, values))
    for field, values in (("municipalities", query.municipalities), ("buyer_keys", query.buyers),
                          ("form_type", query.form_types)):
        if values:
            clauses.append({"terms": {field: values}})
    if query.value_min is not None or query.value_max is not None:
        clauses.append(_range("value_sek", gte=query.value_min, lte=query.value_max))
    if query.deadline_after is not None:
        clauses.append(_range("deadline_s", gt=epoch(query.deadline_after)))
    if query.sme_suitable is not None:
        clauses.append({"term": {"sme_suitable": query.sme_suitable}})
    if query.open_now:
        clauses.append({"term": {"form_type": "competition"}})
        clauses.append(_range("deadline_s", gt=epoch(query.now or datetime.now(UTC))))
    return clauses


def _alternative(alternative: Any) -> dict[str, Any]:
    if isinstance(alternative, Phrase):
        return {"multi_match": {"query": " ".join(alternative.stems), "type": "phrase", "fields": PHRASE_FIELDS}}
    # a word: its stem or its marked folded stem, in any text field (each term lives in its own fields)
    return {"multi_match": {"query": " ".join(alternative.terms), "type": "cross_fields", "operator": "or",
                            "fields": TEXT_FIELDS}}


def text_clause(text: str) -> dict[str, Any] | None:
    """Every group of the parsed text must match, one of its alternatives at least; None when it holds no word."""
    search: SearchText = parse_query(text)
    if not search:
        return None
    groups = [{"bool": {"should": [_alternative(a) for a in group], "minimum_should_match": 1}}
              for group in search.groups]
    return groups[0] if len(groups) == 1 else {"bool": {"must": groups}}


def sort_clause(sort: SortOrder, has_text: bool) -> list[Any]:
    if sort is SortOrder.DEADLINE:
        return [{"deadline_s": {"order": "asc", "missing": "_last"}}, {"tender_id": "asc"}]
    if sort is SortOrder.RELEVANCE and has_text:
        return ["_score", {"tender_id": "asc"}]
    return [{"published": {"order": "desc", "missing": "_last"}}, {"tender_id": "asc"}]


def aggregations() -> dict[str, Any]:
    order = [{"_count": "desc"}, {"_key": "asc"}]
    return {name: {"terms": {"field": FACET_SOURCE[name], "size": FACET_SIZE, "order": order}}
            for name in FACET_FIELDS}


def search_body(query: SearchQuery) -> dict[str, Any]:
    text = text_clause(query.text)
    boolean: dict[str, Any] = {"filter": filters(query)}
    if text is not None:
        boolean["must"] = [text]
    body: dict[str, Any] = {
        "query": {"bool": boolean},
        "sort": sort_clause(query.sort, text is not None),
        "from": (query.page - 1) * query.page_size,
        "size": query.page_size,
        "track_total_hits": True,
        "track_scores": text is not None,
        "_source": {"excludes": ["buyer_keys", *TERM_FIELDS, "deadline_s", "stamp"]},
    }
    if query.with_facets:
        body["aggs"] = aggregations()
    return body
