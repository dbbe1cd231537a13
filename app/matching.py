"""One company's matches for the web app: the recent notices of the index run through the matcher, verdicts applied.

The matcher (``matcher.match``) and the verdicts (``matcher.feedback``) are pure; this module only fetches what
they read: the index documents of the last ``WINDOW_DAYS`` days (newest first, page by page) and the SNI tables,
loaded once per process on first use (``MatchingModels``) so a request never pays for reading them.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from matcher.feedback import NoticeTraits, down_rank, feedback_signals, traits_of
from matcher.match import CandidateIndex, Match, MatchNotice, MatchProfile
from matcher.sni_tables import SniTables
from nlp.classify import load_classifier
from tenders.index.base import IndexDocument, SearchQuery, SortOrder, TenderIndex

if TYPE_CHECKING:
    from nlp.classify import CpvClassifier
    from tenders.settings import Settings

log = logging.getLogger(__name__)

WINDOW_DAYS = 90
WINDOW_MAX_DOCUMENTS = 20_000  # Dalarna publishes a few thousand notices a year; this bounds a corrupt clock
_PAGE = 200


class MatchingModels:
    """The SNI tables and the CPV text classifier, each loaded at most once, on first use."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._lock = threading.Lock()
        self._tables: SniTables | None = None
        self._classifier: CpvClassifier | None = None
        self._classifier_tried = False

    def sni_tables(self) -> SniTables:
        with self._lock:
            if self._tables is None:
                try:
                    self._tables = SniTables.load()
                except FileNotFoundError:
                    # Before matcher/build_tables.py has run: chosen CPV codes and keywords still match.
                    log.warning("SNI tables missing; SNI codes will not suggest or match anything")
                    self._tables = SniTables()
            return self._tables

    def classifier(self) -> CpvClassifier | None:
        """The trained classifier, or None when no model is installed (suggestions then use CPV labels)."""
        with self._lock:
            if not self._classifier_tried:
                self._classifier_tried = True
                try:
                    self._classifier = load_classifier(self._settings)
                except (FileNotFoundError, OSError, ImportError) as error:
                    log.warning("CPV classifier unavailable (%s); suggesting from CPV labels", error)
            return self._classifier


@dataclass(frozen=True)
class CompanyMatch:
    document: IndexDocument
    match: Match


def recent_documents(index: TenderIndex, since: date) -> Iterator[IndexDocument]:
    """Documents published on or after ``since``, newest first (undated ones sort last and are left out)."""
    page = 1
    seen = 0
    while seen < WINDOW_MAX_DOCUMENTS:
        query = SearchQuery(sort=SortOrder.PUBLISHED, page=page, page_size=_PAGE, with_facets=False)
        hits = index.search(query).hits
        for hit in hits:
            if hit.document.published is None or hit.document.published < since:
                return
            seen += 1
            yield hit.document
        if len(hits) < _PAGE:
            return
        page += 1


def match_documents(profile: MatchProfile, documents: list[IndexDocument], tables: SniTables,
                    verdicts: Mapping[str, bool], judged: Mapping[str, NoticeTraits],
                    followed: frozenset[str] = frozenset()) -> list[CompanyMatch]:
    """The profile's matches among ``documents``, after its verdicts, best first (newest first on a tie)."""
    by_id = {d.tender_id: d for d in documents}
    notices = [MatchNotice.from_document(d) for d in documents]
    candidates = CandidateIndex([profile], tables)
    matches = [m for notice in notices for m in candidates.match(notice)]
    traits = {n.id: traits_of(n) for n in notices}
    signals = feedback_signals(verdicts, {**traits, **judged})
    ranked = down_rank(matches, traits, signals, followed)
    found = [CompanyMatch(by_id[m.notice_id], m) for m in ranked]
    found.sort(key=lambda c: (-c.match.score, -(c.document.published or date.min).toordinal()))
    return found


def window_start(now: datetime, days: int = WINDOW_DAYS) -> date:
    return (now - timedelta(days=days)).date()
