"""Retries with back-off, honouring Retry-After, and the TED XML host's WAF challenge as a named error.

Scrapy's RetryMiddleware retries at once; a server that answers 429 or 503 needs time, so every retry
here waits ``RETRY_BACKOFF_BASE * 2**(attempt-1)`` seconds (capped by ``RETRY_BACKOFF_MAX``), or what the
server's ``Retry-After`` asks for (capped by ``RETRY_AFTER_MAX``, so a hostile header cannot stall a run).
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from typing import TYPE_CHECKING, Self

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response


class WafChallengeError(Exception):
    """The host answered with a bot challenge (HTTP 202, ``x-amzn-waf-action``, empty body), not the document.

    ted.europa.eu does this to clients without a descriptive User-Agent and, at times, under load; the
    body is empty, so storing it would store an empty notice."""


def is_waf_challenge(response: Response) -> bool:
    return response.status == 202 and b"x-amzn-waf-action" in response.headers


def retry_after_seconds(value: bytes | str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        moment = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (time.time() if now is None else now))


class BackoffRetryMiddleware:
    """Takes the place of Scrapy's RetryMiddleware (reads the same RETRY_* settings) and adds the waiting and
    the WAF challenge."""

    def __init__(self, crawler: Crawler):
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured
        self.crawler = crawler
        self.retry_http_codes = {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
        self.exceptions_to_retry = tuple(load_object(path) for path in settings.getlist("RETRY_EXCEPTIONS"))
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 2.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 300.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def _retry(self, request: Request, reason: str | Exception) -> Request | None:
        assert self.crawler.spider is not None
        return get_retry_request(request, spider=self.crawler.spider, reason=reason)

    def backoff_delay(self, attempt: int, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return min(retry_after, self.retry_after_max)
        return min(self.backoff_base * 2 ** max(attempt - 1, 0), self.backoff_max)

    async def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry", False):
            return response
        if is_waf_challenge(response):
            challenge = WafChallengeError(f"WAF-utmaning (HTTP 202, x-amzn-waf-action) för {request.url}")
            retry = self._retry(request, challenge)
            if retry is None:
                raise challenge  # out of retries: the request's errback counts it, nothing is stored
            return await self._after_backoff(retry)
        if response.status in self.retry_http_codes:
            retry = self._retry(request, f"HTTP {response.status}")
            if retry is None:
                return response  # out of retries: HttpErrorMiddleware hands it to the errback
            return await self._after_backoff(retry, retry_after_seconds(response.headers.get(b"Retry-After")))
        return response

    async def process_exception(self, request: Request, exception: Exception) -> Request | Response | None:
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry(request, exception)
        return None if retry is None else await self._after_backoff(retry)

    async def _after_backoff(self, retry: Request, retry_after: float | None = None) -> Request:
        # Waiting here keeps the request counted as active, so the spider does not flood the
        # struggling host with other requests meanwhile (CONCURRENT_REQUESTS_PER_DOMAIN still applies).
        await asyncio.sleep(self.backoff_delay(retry.meta.get("retry_times", 1), retry_after))
        return retry
