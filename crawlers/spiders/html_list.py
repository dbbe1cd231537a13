"""Base spider: a server-rendered list of notices (GET), each row optionally followed to its detail page.

A concrete spider declares a :class:`~crawlers.sources.layout.SourceLayout` and its list addresses
(:meth:`list_starts`); rows and fields are extracted by crawlers.sources.extract, the same code a
declarative source and ``anbudsvakt source try`` use, and each notice leaves as a NoticeDocument whose
``tender`` is already filled (the parse step leaves it as it is; the raw page is stored beside it).

Source health: a list page that loaded but where the row selector matches nothing (and the page does
not say it is honestly empty), or where no row has a title, or a detail page where no detail selector
matches, is a structure change: the run's note says "struktur ändrad: ..." and the run is incomplete.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from crawlers import outcome
from crawlers.items import NoticeDocument
from crawlers.sources.extract import ROW_HTML, ListPage, extract_fields, extract_list, page_of
from crawlers.sources.layout import BuyerInfo, SourceLayout
from crawlers.sources.tender import record_to_tender
from crawlers.spiders.base import TRANSIENT_STATUSES, NoticeSpider
from tenders.oneline import single_line

if TYPE_CHECKING:
    from scrapy.http import Response
    from twisted.python.failure import Failure


@dataclass(frozen=True)
class ListStart:
    """One list to read: its address, whose list it is, and the name messages use for it."""

    url: str
    buyer: BuyerInfo | None = None
    label: str = ""


class HtmlListSpider(NoticeSpider):
    """Reads list pages (GET, following the layout's next-page link) and, when it has one, each detail page."""

    custom_settings = {  # noqa: RUF012 - Scrapy's own attribute, read once per crawl
        # Off unless ANBUDSVAKT_SAVE_FIXTURES names a directory: the first live crawl saves what it fetched.
        "EXTENSIONS": {"crawlers.recording.ResponseRecorder": 500},
    }

    # read by HtmlListSpider
    layout: ClassVar[SourceLayout]
    max_pages: ClassVar[int] = 20  # a list longer than this is a paging loop, not a notice list

    def __init__(self, since: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        # Lists show what is open now, so every run reads them whole; ``since`` is accepted for crawlers.run.
        self.since = since
        self._open_lists = 0

    def list_starts(self) -> list[ListStart]:
        raise NotImplementedError

    async def start(self) -> AsyncIterator[Any]:
        if self.refused_by_rules():
            return
        starts = self.list_starts()
        self._open_lists = len(starts)
        if not starts:
            self.set_stat(outcome.LISTING_ERROR, "inga listadresser att läsa")
        for start in starts:
            yield self.list_request(start.url, start, page=1)

    def list_request(self, url: str, start: ListStart, page: int) -> scrapy.Request:
        return scrapy.Request(
            url, callback=self.parse_list, errback=self.list_failed, cb_kwargs={"start": start, "page": page},
            dont_filter=True,  # a list page is read every run, and two portals may share one list
        )

    def parse_list(self, response: Response, start: ListStart, page: int) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self.structure_changed(f"struktur ändrad: listsidan är inte HTML ({response.url})")
            return
        listing = extract_list(page_of(response.text, response.url), self.layout.list, response.url)
        problem = listing.structure_problem(self.layout.list, response.url)
        if problem:
            self.structure_changed(f"{start.label}: {problem}" if start.label else problem)
            return
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(outcome.LISTED, len(listing.records))
        for record in listing.records:
            yield from self.follow_record(record, response, start)
        following = self.next_list_request(response, listing, start, page)
        if following is None:
            self.list_done()
        else:
            yield following

    def next_list_request(
        self, response: TextResponse, listing: ListPage, start: ListStart, page: int
    ) -> scrapy.Request | None:
        if not listing.next_url or self.page_limit_reached(response, page):
            return None
        return self.list_request(listing.next_url, start, page + 1)

    def page_limit_reached(self, response: TextResponse, page: int) -> bool:
        if page < self.max_pages:
            return False
        self.logger.warning("%s: slutar efter %d listsidor (%s)", self.source_label, page, response.url)
        self.count_error("max_pages")
        return True

    def follow_record(self, record: dict[str, str], response: TextResponse, start: ListStart) -> Iterator[Any]:
        url = record.get("url")
        if self.layout.detail is not None and url:
            yield scrapy.Request(
                url, callback=self.parse_detail, errback=self.detail_failed,
                cb_kwargs={"record": record, "start": start},
            )
        else:
            yield from self.notice(record, record[ROW_HTML].encode(), url or response.url, start)

    def parse_detail(self, response: Response, record: dict[str, str], start: ListStart) -> Iterator[Any]:
        assert self.layout.detail is not None
        found: dict[str, str] = {}
        if isinstance(response, TextResponse):
            found = extract_fields(page_of(response.text, response.url), self.layout.detail.fields, response.url)
        if not found:  # the list row still describes the notice: keep it, but raise the alarm
            self.structure_changed(f"struktur ändrad: inga träffar för detaljselektorerna på {response.url}")
        yield from self.notice({**record, **found}, response.body, response.url, start)

    def notice(self, record: dict[str, str], raw: bytes, url: str, start: ListStart) -> Iterator[NoticeDocument]:
        if not record.get("title"):
            self.count_error("no_title")
            self.logger.warning("%s: notis utan titel på %s", self.source_label, url)
            return
        tender = record_to_tender(
            record, source=self.source, source_url=url, retrieved_at=datetime.now(UTC), buyer=start.buyer,
            date_formats=self.layout.date_formats,
        )
        yield NoticeDocument(
            source=self.source, source_url=url, raw=raw, retrieved_at=tender.retrieved_at or datetime.now(UTC),
            reference=record.get("reference") or tender.notice_id, tender=tender,
        )

    # -- health --------------------------------------------------------------------------------------

    def structure_changed(self, problem: str) -> None:
        """The source-health alarm: recorded as the run's listing error (its note), which makes it incomplete."""
        assert self.crawler.stats is not None
        if not self.crawler.stats.get_value(outcome.LISTING_ERROR):
            self.set_stat(outcome.LISTING_ERROR, single_line(problem))
        self.count_error("structure_changed")
        self.logger.error("%s: %s", self.source_label, problem)

    def list_done(self) -> None:
        self._open_lists -= 1
        if self._open_lists <= 0:
            self.set_stat(outcome.LISTING_COMPLETE, True)

    def list_failed(self, failure: Failure) -> None:
        self.listing_failed(failure)
        start = getattr(failure, "request", None) and failure.request.cb_kwargs.get("start")  # type: ignore[attr-defined]
        if not isinstance(start, ListStart) or not start.label:
            return
        assert self.crawler.stats is not None
        for key in (outcome.LISTING_ERROR, outcome.UNREACHABLE):
            current = self.crawler.stats.get_value(key)
            if current and not str(current).startswith(start.label):
                self.set_stat(key, f"{start.label}: {current}")

    def detail_failed(self, failure: Failure) -> Iterator[NoticeDocument]:
        """A notice page that failed. Transient failures are counted (the run is incomplete, the next one
        fetches it); a page the site does not have (4xx) leaves the list's facts, which are stored."""
        response = getattr(failure.value, "response", None)
        status = getattr(response, "status", None)
        request = failure.request  # type: ignore[attr-defined]
        self.logger.warning("%s: %s", request.url, single_line(failure.value))
        # robots.txt disallows the page (IgnoreRequest that is not an HTTP error): it was never fetched
        forbidden = isinstance(failure.value, IgnoreRequest) and not isinstance(failure.value, HttpError)
        if not forbidden and (status is None or status in TRANSIENT_STATUSES):
            self.count_error("network" if status is None else f"http_{status}", transient=True)
            return
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"{outcome.PREFIX}/detail_{'forbidden' if forbidden else 'missing'}")
        record, start = request.cb_kwargs["record"], request.cb_kwargs["start"]
        yield from self.notice(record, record[ROW_HTML].encode(), request.url, start)
