"""What a crawl achieved, read from Scrapy's stats: the numbers a crawl-run record and source health need.

Spiders and pipelines only increment the stats keys below; :class:`CrawlOutcome` turns them into the
run record. Keeping the keys in one place lets later spiders (the Swedish notice databases) report
the same way without knowing about the store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PREFIX = "anbudsvakt"
EXPECTED = f"{PREFIX}/expected"  # what the source says it has for the query (TED: totalNoticeCount)
LISTED = f"{PREFIX}/listed"  # records seen in the source's listing pages
LISTING_COMPLETE = f"{PREFIX}/listing_complete"  # the last listing page was reached
UNREACHABLE = f"{PREFIX}/unreachable"  # one-line reason the source could not be reached
LISTING_ERROR = f"{PREFIX}/listing_error"  # one-line reason the listing failed although reachable
BLOCKED = f"{PREFIX}/blocked"  # one-line reason robots.txt, the terms of use or the definition stopped the source
ERRORS = f"{PREFIX}/errors"  # every error, whatever its kind
TRANSIENT_ERRORS = f"{PREFIX}/errors/transient"  # could succeed next time: network, WAF, HTTP 429/5xx
ERROR_KIND = f"{PREFIX}/errors/kind/"  # + kind, e.g. waf_challenge, parse, empty_document
OUTCOME = f"{PREFIX}/stored/"  # + inserted | updated | unchanged


@dataclass(frozen=True)
class CrawlOutcome:
    """One crawl's result as it is recorded in the store's crawl runs."""

    source_label: str
    requests: int = 0
    items: int = 0
    errors: int = 0
    expected: int | None = None
    listed: int = 0
    listing_complete: bool = False
    transient_errors: int = 0
    unreachable: str = ""
    listing_error: str = ""
    blocked: str = ""
    stored: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_stats(cls, source_label: str, stats: Mapping[str, Any]) -> CrawlOutcome:
        stored = {key.removeprefix(OUTCOME): int(v) for key, v in stats.items() if key.startswith(OUTCOME)}
        expected = stats.get(EXPECTED)
        return cls(
            source_label=source_label,
            requests=int(stats.get("downloader/request_count", 0)),
            items=sum(stored.values()),
            errors=int(stats.get(ERRORS, 0)),
            expected=int(expected) if expected is not None else None,
            listed=int(stats.get(LISTED, 0)),
            listing_complete=bool(stats.get(LISTING_COMPLETE, False)),
            transient_errors=int(stats.get(TRANSIENT_ERRORS, 0)),
            unreachable=str(stats.get(UNREACHABLE, "")),
            listing_error=str(stats.get(LISTING_ERROR, "")),
            blocked=str(stats.get(BLOCKED, "")),
            stored=stored,
        )

    @property
    def complete(self) -> bool:
        """The whole window was covered: every listing page read, and every listed notice either stored or
        refused for a reason that a retry cannot fix (broken XML). A transient failure leaves the run
        incomplete, so the next incremental crawl starts from an earlier complete run and fetches it again."""
        if self.unreachable or self.listing_error or not self.listing_complete or self.transient_errors:
            return False
        return self.expected is None or self.listed >= self.expected

    @property
    def problem(self) -> str:
        """The one line a user reads when the crawl fell short, empty when it did not."""
        if self.blocked:  # before anything else: a blocked source was never asked, so it is neither down nor empty
            return f"{self.source_label} är blockerad: {self.blocked}"
        if self.unreachable:
            return f"{self.source_label} är inte nåbar: {self.unreachable}"
        if self.listing_error:
            return f"{self.source_label} svarade med fel: {self.listing_error}"
        if not self.listing_complete:
            return f"{self.source_label}: listningen avbröts innan sista sidan"
        if self.transient_errors:
            return (
                f"{self.source_label}: {self.transient_errors} notiser kunde inte hämtas (nästa körning försöker igen)"
            )
        if self.expected is not None and self.listed < self.expected:
            return f"{self.source_label}: {self.listed} av {self.expected} förväntade notiser listades"
        return ""

    def summary(self) -> str:
        counts = ", ".join(f"{self.stored.get(k, 0)} {label}" for k, label in _OUTCOME_LABELS.items())
        expected = "okänt" if self.expected is None else str(self.expected)
        return (
            f"{self.source_label}: {self.items} notiser ({counts}), {self.errors} fel, "
            f"förväntat {expected}, {self.requests} anrop, komplett: {'ja' if self.complete else 'nej'}"
        )


_OUTCOME_LABELS = {"inserted": "nya", "updated": "ändrade", "unchanged": "oförändrade"}
