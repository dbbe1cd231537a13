"""Base spiders, one per access pattern. A concrete spider declares class attributes and one or two callbacks.

- :class:`NoticeSpider`: what every source shares: its names, how errors are counted, how an unreachable
  source is reported (one line, the crawl run marked incomplete, nothing stored touched).
- :class:`JsonSearchApiSpider`: a JSON search API, paged by a continuation token or by page number.
- :class:`XmlDocumentSpider`: fetches one XML notice document per URL and yields it raw to the pipelines.

The spiders never talk to the store: they count what happens in Scrapy's stats (keys in crawlers.outcome)
and yield :class:`~crawlers.items.NoticeDocument` items; crawlers.run turns the stats into the run record.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlencode

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import JsonRequest
from scrapy.spidermiddlewares.httperror import HttpError

from crawlers import outcome, rules
from crawlers.items import NoticeDocument
from crawlers.middlewares import WafChallengeError
from crawlers.pipelines import anbudsvakt_settings, count_error
from tenders.oneline import single_line

if TYPE_CHECKING:
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from tenders.settings import Settings

# Statuses worth trying again next run; anything else (404, 410) will not change by waiting.
TRANSIENT_STATUSES = frozenset({202, 408, 429, 500, 502, 503, 504, 522, 524})


class NoticeSpider(scrapy.Spider):
    """Common ground of every notice source. Not a crawlable spider itself (no name)."""

    # read by NoticeSpider
    source: ClassVar[str] = ""  # the store's source name, e.g. "ted"
    source_label: ClassVar[str] = ""  # the name users read, e.g. "TED"
    fixtures_recorded_live: ClassVar[bool] = False  # were the test fixtures recorded from the live site?
    terms_url: ClassVar[str] = ""  # the site's terms of use
    automated_access: ClassVar[str] = rules.UNCLEAR  # what those terms say of robots (crawlers/rules.py)
    enabled: ClassVar[bool] = True  # UDD switches a source off here

    def refused_by_rules(self) -> bool:
        """At the start of a crawl: a source switched off or forbidden by its terms fetches nothing and says so."""
        overrides = rules.enabled_by_setting(self.settings.get("SOURCES_ENABLED"))
        reason = rules.block_reason(self.name, enabled=self.enabled, automated_access=self.automated_access,
                                    terms_url=self.terms_url, overrides=overrides)
        if reason:
            self.blocked(reason)
        return bool(reason)

    def blocked(self, reason: str) -> None:
        """The run ends "blockerad": never "unreachable", never an empty success."""
        self.set_stat(outcome.BLOCKED, single_line(reason))
        self.set_stat(outcome.LISTING_ERROR, f"blockerad: {single_line(reason)}")
        self.logger.error("%s är blockerad: %s", self.source_label, reason)

    @property
    def project_settings(self) -> Settings:
        return anbudsvakt_settings(self.crawler)

    def count_error(self, kind: str, *, transient: bool = False) -> None:
        assert self.crawler.stats is not None
        count_error(self.crawler.stats, kind, transient=transient)

    def set_stat(self, key: str, value: Any) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(key, value)

    def listing_failed(self, failure: Failure) -> None:
        """Errback of listing requests: without the listing nothing else can be crawled, so say why in one line."""
        error = failure.value
        if isinstance(error, IgnoreRequest) and not isinstance(error, HttpError):
            # the only requests Scrapy drops unanswered here are those robots.txt disallows
            url = getattr(getattr(failure, "request", None), "url", "listningen")
            self.blocked(f"robots.txt förbjuder {url}")
            return
        if isinstance(error, HttpError):
            response = error.response
            self.set_stat(outcome.LISTING_ERROR, f"HTTP {response.status} {_error_message(response)}".strip())
            self.count_error(f"listing_http_{response.status}", transient=response.status in TRANSIENT_STATUSES)
        else:
            # No HTTP answer at all (DNS, refused connection, timeout): the source is unreachable from here.
            self.set_stat(outcome.UNREACHABLE, single_line(error) or type(error).__name__)
            self.count_error("unreachable", transient=True)
        self.logger.error("%s: %s", self.source_label, single_line(error))


class JsonSearchApiSpider(NoticeSpider):
    """A JSON search API: POST (or GET) a query, read a page of records, follow the continuation token.

    Concrete spiders declare the keys below and implement search_url(), search_body() and parse_record().
    With ``next_token_key = None`` the pages are numbered instead (``page_param``) until one comes back empty.
    """

    # read by JsonSearchApiSpider
    records_key: ClassVar[str] = "results"  # the list of records in a page
    total_key: ClassVar[str | None] = None  # the source's count of all matching records, if it gives one
    next_token_key: ClassVar[str | None] = None  # where a page names the next one
    token_param: ClassVar[str] = ""  # where the request carries that token back
    page_param: ClassVar[str] = "page"  # page-number paging when there is no token
    page_size_param: ClassVar[str] = "limit"
    page_size: ClassVar[int] = 100
    search_method: ClassVar[str] = "POST"

    def search_url(self) -> str:
        raise NotImplementedError

    def search_body(self) -> dict[str, Any]:
        raise NotImplementedError

    def parse_record(self, record: dict[str, Any]) -> Iterator[Any]:
        raise NotImplementedError

    async def start(self) -> AsyncIterator[Any]:
        if not self.refused_by_rules():
            yield self.search_request(page=1)

    def search_request(self, page: int, token: str | None = None) -> JsonRequest:
        body = {**self.search_body(), self.page_size_param: self.page_size}
        if token is not None:
            body[self.token_param] = token
        elif self.next_token_key is None:
            body[self.page_param] = page
        if self.search_method == "GET":  # a GET API takes the same parameters in its query string
            url, data = f"{self.search_url()}?{urlencode(body)}", None
        else:
            url, data = self.search_url(), body
        return JsonRequest(
            url,
            method=self.search_method,
            data=data,
            callback=self.parse_search_page,
            errback=self.listing_failed,
            cb_kwargs={"page": page, "token": token},
            dont_filter=True,  # consecutive pages may share a body (same token echoed): never drop one
        )

    def parse_search_page(self, response: Response, page: int, token: str | None) -> Iterator[Any]:
        try:
            payload = json.loads(response.body)
            records = payload.get(self.records_key) or []
        except (ValueError, AttributeError) as err:
            self.set_stat(outcome.LISTING_ERROR, f"sida {page} är inte JSON: {single_line(err)}")
            self.count_error("listing_not_json")
            return
        if page == 1 and self.total_key and payload.get(self.total_key) is not None:
            self.set_stat(outcome.EXPECTED, int(payload[self.total_key]))
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(outcome.LISTED, len(records))
        for record in records:
            yield from self.parse_record(record)
        yield from self._next_page(payload, page, token, has_records=self.listing_goes_on(records, page))

    def listing_goes_on(self, records: list[Any], page: int) -> bool:
        """Whether a page after this one can hold anything new; an incremental spider may stop earlier."""
        return bool(records)

    def _next_page(self, payload: dict[str, Any], page: int, token: str | None, *, has_records: bool) -> Iterator[Any]:
        next_token = payload.get(self.next_token_key) if self.next_token_key else None
        if not has_records or (self.next_token_key and (not next_token or next_token == token)):
            self.set_stat(outcome.LISTING_COMPLETE, True)  # an empty page (or no new token) ends the listing
            return
        yield self.search_request(page=page + 1, token=next_token)


class XmlDocumentSpider(NoticeSpider):
    """Fetches one XML notice per URL and yields it raw; the pipelines validate, parse and store it."""

    # read by XmlDocumentSpider
    document_accept: ClassVar[str] = "application/xml, text/xml;q=0.9"

    def document_request(self, url: str, reference: str = "") -> scrapy.Request:
        return scrapy.Request(
            url,
            headers={"Accept": self.document_accept},
            callback=self.parse_document,
            errback=self.document_failed,
            cb_kwargs={"url": url, "reference": reference},
        )

    def parse_document(self, response: Response, url: str, reference: str) -> Iterator[NoticeDocument]:
        if response.status != 200:
            # e.g. a 202/204 without a body that is not the known WAF challenge: not a document either
            self.logger.warning("%s: HTTP %s, inget dokument", url, response.status)
            self.count_error(f"http_{response.status}", transient=True)
            return
        yield NoticeDocument(
            source=self.source, source_url=url, raw=response.body, retrieved_at=datetime.now(UTC), reference=reference
        )

    def document_failed(self, failure: Failure) -> None:
        """Errback of document requests: count the failure and carry on with the next notice."""
        error = failure.value
        if isinstance(error, WafChallengeError):
            self.count_error("waf_challenge", transient=True)
        elif isinstance(error, HttpError):
            status = error.response.status
            self.count_error(f"http_{status}", transient=status in TRANSIENT_STATUSES)
        else:
            self.count_error("network", transient=True)
        self.logger.warning(
            "%s: %s", getattr(getattr(failure, "request", None), "url", "?"), single_line(error)
        )


def _error_message(response: Response) -> str:
    """The API's own error message, if the body is JSON with one, else the start of the body."""
    try:
        payload = json.loads(response.body)
    except ValueError:
        return single_line(response.body[:200].decode("utf-8", "replace"))
    if isinstance(payload, dict):
        return single_line(payload.get("message") or payload.get("error") or "")
    return ""
