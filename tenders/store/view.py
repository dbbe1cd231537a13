"""The current view of a procurement, merged from its notices, and the content hash of a notice.

A procurement (tender) collects its notices by procedure id: PIN, contract notice, change notices,
award notice. The current view is the NEWEST notice (publication date, else issue date, then version),
with every field the newest notice leaves empty filled from the next-newest notice that has it: an
award notice states no submission deadline, so the contract notice's deadline is kept; a change notice
states a new deadline, so it wins. Lots are merged the same way, matched by lot id. Fields that describe
one notice rather than the procurement (its type, dates, source) are never inherited.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from tenders.model import Tender

# Describe the notice itself: inheriting them from an older notice would misdescribe the newest one.
NOTICE_OWN_FIELDS = frozenset({
    "notice_id", "version", "publication_number", "publication_date", "issue_date", "language",
    "form_type", "notice_type", "notice_subtype", "changes_notice", "source", "source_url",
    "source_urls", "retrieved_at", "raw_format",
})
# Left out of the content hash: they change on every crawl without the notice changing.
VOLATILE_FIELDS = frozenset({"retrieved_at", "source_urls"})


def tender_id_of(tender: Tender) -> str:
    return tender.procedure_id or tender.notice_id


def content_hash_of_data(data: dict[str, Any], raw: bytes) -> str:
    """sha256 over the raw document and the normalised notice (its ``model_dump(mode="json")``, which the store keeps
    anyway, minus volatile fields)."""
    stable = {key: value for key, value in data.items() if key not in VOLATILE_FIELDS}
    digest = hashlib.sha256(raw)
    digest.update(b"\0")
    digest.update(json.dumps(stable, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def recency_key(data: dict[str, Any]) -> tuple[str, str, str]:
    """Sort key, oldest first: (publication or issue date, issue date, version)."""
    published = data.get("publication_date") or data.get("issue_date") or date.min.isoformat()
    return (published, data.get("issue_date") or "", data.get("version") or "")


def _is_empty(value: Any) -> bool:
    return value is None or value == [] or value == {} or value == ""


def _fill_lots(newer: list[dict[str, Any]], older: list[dict[str, Any]]) -> None:
    older_by_id = {lot.get("id"): lot for lot in older}
    for lot in newer:
        previous = older_by_id.get(lot.get("id"))
        if previous is not None:
            _fill(lot, previous, skip=frozenset())


def _fill(target: dict[str, Any], older: dict[str, Any], skip: frozenset[str]) -> None:
    for key, value in older.items():
        if key in skip or _is_empty(value):
            continue
        if _is_empty(target.get(key)):
            target[key] = value
        elif key == "lots":
            _fill_lots(target[key], value)


def current_view(notices: list[dict[str, Any]], source_urls: list[str]) -> Tender:
    """Merge the notices (normalised JSON) of one procurement into its current view."""
    ordered = sorted(notices, key=recency_key, reverse=True)
    # Filling in from older notices changes the newest one's nested values: it gets a deep copy, as the rows' JSON must
    # stay untouched. A procurement of one notice only gets its own source_urls: a shallow copy is enough.
    view = json.loads(json.dumps(ordered[0])) if len(ordered) > 1 else dict(ordered[0])
    for older in ordered[1:]:
        _fill(view, older, skip=NOTICE_OWN_FIELDS)
    view["source_urls"] = source_urls
    return Tender.model_validate(view)
