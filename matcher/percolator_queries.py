"""What the percolator stores and percolates: one query per profile, one document per notice.

The query says the same as ``matcher.match.score`` in OpenSearch terms; a notice document carries what the
queries test, computed in Python by the same code the embedded matcher uses:

- chosen CPV prefixes: ``cpv_prefixes`` holds every prefix of the notice's codes;
- keywords (``tenders.text.keyword_matches``): a keyword of one word matches by stem or at the start of a word, so
  ``terms`` holds the notice's terms (stems and compound-part stems) and ``word_starts`` every prefix of every word;
- the SNI part: ``sni_units`` holds the (SNI code, size) units whose score reaches the threshold, computed by the
  same scorer as the embedded index, so a profile's SNI clause is a plain terms query;
- places, notice kinds, value range and negative keywords as in ``place_match`` and ``passes_filters``.

A keyword with other characters than letters and digits ("it-stöd") cannot be tested exactly by term queries;
its query asks only for its leading word or that word's stem (so never misses), and such profiles are checked by
``score_pair``.
"""

from __future__ import annotations

from typing import Any

from matcher.match.model import MatchProfile
from matcher.match.notice import PreparedNotice, municipality_code_of
from tenders.codelists import dalarna_municipalities
from tenders.text import MAX_TOKEN_CHARS, is_one_word, keyword_stem, leading_word, stem

MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "query": {"type": "percolator"},
        "profile_id": {"type": "keyword"},
        "cpv_prefixes": {"type": "keyword"},
        "word_starts": {"type": "keyword"},
        "terms": {"type": "keyword"},
        "words": {"type": "keyword"},
        "sni_units": {"type": "keyword"},
        "kind": {"type": "keyword"},
        "value": {"type": "double"},
        "municipality": {"type": "keyword"},
        "nuts_prefixes": {"type": "keyword"},
        "open_nuts": {"type": "keyword"},
        "place_unknown": {"type": "boolean"},
    },
}


def unit_key(sni: str, size: str | None) -> str:
    return f"{sni}|{size or ''}"


def is_exact(profile: MatchProfile) -> bool:
    """Whether the stored query decides exactly (else ``score_pair`` must confirm each hit)."""
    return all(is_one_word(w) for w in [*profile.keywords, *profile.negative_keywords])


def _prefixes(text: str, shortest: int = 1) -> list[str]:
    return [text[:n] for n in range(shortest, len(text) + 1)]


def _one_word_clauses(words: list[str]) -> list[dict[str, Any]]:
    """A notice that one of these one-word keywords matches: by a word starting with it, or by its stem."""
    if not words:
        return []
    return [{"terms": {"word_starts": sorted({w[:MAX_TOKEN_CHARS] for w in words})}},
            {"terms": {"terms": sorted({keyword_stem(w) for w in words})}}]


def _keyword_clauses(words: list[str]) -> list[dict[str, Any]]:
    clauses = _one_word_clauses([w for w in words if is_one_word(w)])
    leading = {leading_word(w) for w in words if not is_one_word(w)}
    if "" in leading:  # starts with a non-word character: nothing to narrow by, let score_pair decide
        clauses.append({"match_all": {}})
    elif leading:
        clauses.append({"terms": {"words": sorted(leading)}})
        clauses.append({"terms": {"terms": sorted({stem(w) for w in leading})}})
    return clauses


def _interest(profile: MatchProfile) -> dict[str, Any] | None:
    if profile.chose_interests:
        should = [{"terms": {"cpv_prefixes": profile.cpv}}] if profile.cpv else []
        should += _keyword_clauses(profile.keywords)
        return {"bool": {"should": should, "minimum_should_match": 1}}
    if profile.sni:
        return {"terms": {"sni_units": [unit_key(code, profile.company_size) for code in profile.sni]}}
    if profile.municipalities or profile.nuts:
        return _place(profile, unknown_allowed=False)  # a places-only profile needs the place as its reason
    return None


def _place(profile: MatchProfile, unknown_allowed: bool) -> dict[str, Any]:
    codes = sorted({c for c in map(municipality_code_of, profile.municipalities) if c})
    wanted = sorted({n.upper() for n in profile.nuts})
    nuts3 = {dalarna_municipalities()[c].nuts3 for c in codes}
    should: list[dict[str, Any]] = []
    if codes:
        should.append({"terms": {"municipality": codes}})
        should.append({"terms": {"open_nuts": sorted({p for n in nuts3 for p in _prefixes(n)})}})
    if wanted:
        should.append({"terms": {"nuts_prefixes": wanted}})
    if unknown_allowed:
        should.append({"term": {"place_unknown": True}})
    if not should:  # only unknown municipalities: no place can give a reason
        return {"match_none": {}}
    return {"bool": {"should": should, "minimum_should_match": 1}}


def _value_bound(operator: str, bound: float) -> dict[str, Any]:
    # no value in the notice: the bound cannot exclude it
    return {"bool": {"should": [{"range": {"value": {operator: bound}}},
                                {"bool": {"must_not": [{"exists": {"field": "value"}}]}}],
                     "minimum_should_match": 1}}


def profile_query(profile: MatchProfile) -> dict[str, Any] | None:
    """The percolator query for a profile, or None for a profile nothing can alert."""
    interest = _interest(profile)
    if interest is None:
        return None
    required = [interest]
    if (profile.municipalities or profile.nuts) and (profile.chose_interests or profile.sni):
        required.append(_place(profile, unknown_allowed=True))
    if profile.notice_kinds:
        required.append({"terms": {"kind": profile.notice_kinds}})
    if profile.value_min_sek is not None:
        required.append(_value_bound("gte", profile.value_min_sek))
    if profile.value_max_sek is not None:
        required.append(_value_bound("lte", profile.value_max_sek))
    negatives = [w for w in profile.negative_keywords if is_one_word(w)]
    query: dict[str, Any] = {"filter": required}
    if negatives:
        query["must_not"] = _one_word_clauses(negatives)
    return {"bool": query}


def notice_document(notice: PreparedNotice, passing_units: list[str]) -> dict[str, Any]:
    """The document percolated for a notice; ``passing_units``: ``unit_key`` of every unit over the threshold."""
    municipalities = dalarna_municipalities()
    municipality = notice.municipality
    notice_nuts = [*notice.nuts, *([municipalities[municipality].nuts3] if municipality in municipalities else [])]
    document: dict[str, Any] = {
        "cpv_prefixes": sorted({p for code in notice.notice.cpv for p in _prefixes(code, 2)}),
        "word_starts": sorted({p for word in notice.words for p in _prefixes(word)}),
        "words": sorted(notice.words),
        "terms": sorted(notice.analysed.terms),
        "sni_units": passing_units,
        "kind": notice.notice.kind or "competition",
        "nuts_prefixes": sorted({p for nuts in notice_nuts for p in _prefixes(nuts)}),
        "place_unknown": municipality is None and not notice.nuts,
    }
    if notice.notice.estimated_value_sek is not None:
        document["value"] = notice.notice.estimated_value_sek
    if municipality is not None:
        document["municipality"] = municipality
    else:
        document["open_nuts"] = list(notice.nuts)
    return document
