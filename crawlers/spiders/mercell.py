"""Mercell: Dalarna's notices from Mercell's public notice search (a JSON API), TED copies left to the TED spider."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from crawlers import mercell_record, rules
from crawlers.items import NoticeDocument
from crawlers.spiders.base import JsonSearchApiSpider

DEFAULT_API_URL = "https://search-service-api.discover.app.mercell.com/public/api/v1/search"
DEFAULT_APP_URL = "https://app.mercell.com"


class MercellSpider(JsonSearchApiSpider):
    """Every non-TED Mercell notice of a Dalarna buyer or delivered in Dalarna, published since ``since``.

    Fixtures NOT recorded from the live site (no network where they were written). What is known, from
    public clients read for their structure (magnusfroste/agentanbud ``scraper/mercell.py``, verified live by
    its author in 2026; DanielWarg/Upphandling ``scrapers/mercell.py``; issue 12): an unauthenticated
    ``GET .../public/api/v1/search?page=N&pageSize=100`` answers ``{"results": [...]}``; records carry ``id``
    (changes on re-index), ``repsNoticeId`` (stable), ``sourceId`` ("TED" on copies of TED notices),
    ``title``, HTML-escaped ``description``, ``authorityTown``, ``authorityCountryCode``, ``cpvCodes``,
    ``deadline``, ``publicationDate``, ``deliveryPlaceNames``; server-side filters are lossy and a record can
    recur on several pages, so the spider walks the pages, filters and de-duplicates itself; the human page
    ``https://app.mercell.com/tender/<repsNoticeId>`` resolves (the slug after it is cosmetic).
    Guesses: the buyer's name and org.nr keys (crawlers/mercell_record.py), the date format, and that pages come
    newest first (an incremental run stops at the first page published wholly before ``since``; the page cap
    below bounds a run if that is wrong). Record a real session with ``anbudsvakt crawl mercell --save-fixtures DIR``.
    Settings ``MERCELL_API_URL`` and ``MERCELL_APP_URL`` point the spider elsewhere (the tests' local server).
    """

    name = "mercell"
    custom_settings = {  # noqa: RUF012 - Scrapy's own attribute, read once per crawl
        # Off unless ANBUDSVAKT_SAVE_FIXTURES names a directory: the first live crawl saves what it fetched.
        "EXTENSIONS": {"crawlers.recording.ResponseRecorder": 500},
        # One page at a time: the pages are read in order and the walk stops early, so parallelism buys nothing.
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    }

    # read by NoticeSpider
    source = "mercell"
    source_label = "Mercell"
    fixtures_recorded_live = False
    # Not read by this project (no network): where Mercell's terms stand and what they say of the public search
    # API is to be checked; until then robots.txt on the API host decides.
    terms_url = "https://www.mercell.com/sv-se/anvandarvillkor"  # the address is a guess too
    automated_access = rules.UNCLEAR

    # read by JsonSearchApiSpider
    records_key = "results"
    search_method = "GET"
    page_param = "page"
    page_size_param = "pageSize"
    page_size = 100  # what public clients use; the API's own maximum is not documented
    max_pages = 100  # ~10,000 records: beyond every Swedish notice open at once, so more means a paging loop

    def __init__(self, since: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.since = date.fromisoformat(since) if since else None
        self.seen: set[str] = set()  # repsNoticeIds of this run: a record recurs across pages

    def search_url(self) -> str:
        return str(self.settings.get("MERCELL_API_URL") or DEFAULT_API_URL)

    def search_body(self) -> dict[str, Any]:
        return {}  # no server-side filter: reported lossy, so Dalarna is chosen record by record

    def human_url(self, reps_id: str) -> str:
        return f"{str(self.settings.get('MERCELL_APP_URL') or DEFAULT_APP_URL).rstrip('/')}/tender/{reps_id}"

    def parse_record(self, record: dict[str, Any]) -> Iterator[Any]:
        reps_id = mercell_record.reps_id(record)
        if mercell_record.is_ted_copy(record) or not mercell_record.is_dalarna(record) or self._too_old(record):
            return
        if not reps_id:
            self.count_error("no_reps_notice_id")  # no stable key: storing it would duplicate on re-index
            return
        if reps_id in self.seen:
            return
        self.seen.add(reps_id)
        url = self.human_url(reps_id)
        tender = mercell_record.record_to_tender(record, human_url=url, retrieved_at=datetime.now(UTC))
        yield NoticeDocument(
            source=self.source, source_url=url, raw=json.dumps(record, ensure_ascii=False).encode(),
            retrieved_at=tender.retrieved_at or datetime.now(UTC), reference=reps_id, tender=tender,
        )

    def _too_old(self, record: dict[str, Any]) -> bool:
        published = mercell_record.publication_day(record)
        return self.since is not None and published is not None and published.date() < self.since

    def listing_goes_on(self, records: list[Any], page: int) -> bool:
        if not records or all(self._too_old(record) for record in records):
            return False  # an empty page, or one wholly before the window: nothing newer follows
        if page >= self.max_pages:
            self.count_error("max_pages", transient=True)  # the run is incomplete; the next one tries again
            self.logger.warning("%s: slutar efter %d sidor", self.source_label, page)
            return False
        return True
