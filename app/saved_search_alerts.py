"""Saved searches in the daily digest: each saved search a company flagged "ta med i sammanställningen" is run
over the new alertable notices, and what it finds that the matcher did not is recorded in the outbox beside the
matches (``detail.saved_search`` names the search; the digest shows these under "Från era sparade sökningar").

The search runs on a throw-away embedded index of just those notices, so a saved search finds exactly what /sok
would find among them (the same Swedish text analysis, filters and OR/ELLER), whatever the configured backend, and
the cost grows with the day's notices, not with the whole index.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from urllib.parse import parse_qsl

from pydantic import ValidationError

from alerts.delivery.outbox import NewAlert
from alerts.delivery.tables import AlertKind
from matcher.eligibility import CandidateNotice, consented
from profiles.repository import ChannelRecord, Company
from profiles.saved_searches import SavedSearch
from tenders.index.base import IndexDocument, SearchQuery, SortOrder
from tenders.index.sqlite import SqliteIndex

# The /sok parameter (as kept in a saved search's query string) → the index query's field.
_LIST_FIELDS = {"cpv": "cpv_prefixes", "municipality": "municipalities", "nuts": "nuts", "buyer": "buyers",
                "form_type": "form_types"}
_SCALAR_FIELDS = {"q": "text", "value_min": "value_min", "value_max": "value_max", "sme_suitable": "sme_suitable",
                  "open_now": "open_now"}
_PAGE = 200


def saved_search_query(query: str, now: datetime) -> SearchQuery | None:
    """A saved search's filters as an index query (None when they no longer read as one: the search is skipped)."""
    raw: dict[str, object] = {}
    for key, value in parse_qsl(query):
        if key in _LIST_FIELDS:
            listed = raw.setdefault(_LIST_FIELDS[key], [])
            if isinstance(listed, list):
                listed.append(value)
        elif key in _SCALAR_FIELDS:
            raw[_SCALAR_FIELDS[key]] = value
    try:
        return SearchQuery.model_validate({**raw, "now": now, "sort": SortOrder.PUBLISHED, "page_size": _PAGE,
                                           "with_facets": False})
    except ValidationError:
        return None


def notices_found(searches: Iterable[SavedSearch], documents: Sequence[IndexDocument],
                  now: datetime) -> dict[int, list[str]]:
    """The notice ids each saved search finds among ``documents`` (their ``tender_id`` must be the notice id)."""
    found: dict[int, list[str]] = {}
    index = SqliteIndex(":memory:")
    try:
        index.index(documents)
        for search in searches:
            query = saved_search_query(search.query, now)
            if query is None:
                continue
            ids: list[str] = []
            for page in range(1, len(documents) // _PAGE + 2):
                hits = index.search(query.model_copy(update={"page": page})).hits
                ids.extend(hit.document.notice_id for hit in hits)
                if len(hits) < _PAGE:
                    break
            found[search.id] = ids
    finally:
        index.close()
    return found


def saved_search_alerts(
    searches: Mapping[str, Sequence[SavedSearch]],
    documents: Sequence[IndexDocument],
    candidates: Mapping[str, CandidateNotice],
    recipients: Mapping[str, tuple[Company, list[ChannelRecord]]],
    already: set[tuple[str, str]],
    verdicts: Mapping[str, Mapping[str, bool]],
    now: datetime,
) -> list[NewAlert]:
    """Alerts for what the flagged saved searches found: one per (company, notice) not ``already`` alerted by the
    matcher, never for a notice older than the company's consent or one it marked "inte relevant"."""
    wanted = {company_id: list(found) for company_id, found in searches.items() if company_id in recipients}
    if not wanted or not documents:
        return []
    per_search = notices_found([s for found in wanted.values() for s in found], documents, now)
    alerts: list[NewAlert] = []
    for company_id, company_searches in wanted.items():
        company, channels = recipients[company_id]
        seen = {notice for owner, notice in already if owner == company_id}
        for search in company_searches:
            for notice_id in per_search.get(search.id, []):
                candidate = candidates.get(notice_id)
                if candidate is None or notice_id in seen or not consented(candidate, company.consent_at):
                    continue
                if verdicts.get(company_id, {}).get(candidate.tender_id) is False:
                    continue
                seen.add(notice_id)
                reason = f"Träff i er sparade sökning ”{search.name}”"
                alerts.extend(NewAlert(company_id, channel.key, AlertKind.MATCH, notice_id, notice_id,
                                       candidate.tender_id, 0.0, [reason], {"saved_search": search.name})
                              for channel in channels)
    return alerts
