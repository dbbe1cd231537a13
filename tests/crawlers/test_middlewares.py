"""Back-off retries, Retry-After and the WAF challenge, on in-memory requests and responses."""

from __future__ import annotations

import asyncio
import email.utils

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DownloadConnectionRefusedError
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawlers.middlewares import BackoffRetryMiddleware, WafChallengeError, is_waf_challenge, retry_after_seconds

URL = "https://ted.europa.eu/en/notice/475939-2026/xml"
WAF = {"x-amzn-waf-action": "challenge"}


def middleware(**settings: object) -> BackoffRetryMiddleware:
    crawler = get_crawler(Spider, {"RETRY_TIMES": 2, "RETRY_BACKOFF_BASE": 0.01, **settings})
    crawler.spider = crawler._create_spider("test")
    return BackoffRetryMiddleware.from_crawler(crawler)


def respond(mw: BackoffRetryMiddleware, request: Request, status: int, headers: dict[str, str] | None = None):
    response = Response(request.url, status=status, headers=headers or {}, request=request)
    return asyncio.run(mw.process_response(request, response))


def test_waf_challenge_is_retried_then_raised_as_a_named_error():
    mw = middleware()
    request = Request(URL)
    for attempt in (1, 2):
        request = respond(mw, request, 202, WAF)
        assert isinstance(request, Request) and request.meta["retry_times"] == attempt
    with pytest.raises(WafChallengeError, match="x-amzn-waf-action"):
        respond(mw, request, 202, WAF)
    assert mw.crawler.stats.get_value("retry/reason_count/crawlers.middlewares.WafChallengeError") == 2


def test_plain_202_with_a_body_and_200_pass_through():
    mw = middleware()
    request = Request(URL)
    assert isinstance(respond(mw, request, 200), Response)
    assert isinstance(respond(mw, request, 202), Response)
    assert not is_waf_challenge(Response(URL, status=202))
    assert is_waf_challenge(Response(URL, status=202, headers=WAF))


def test_503_is_retried_and_handed_on_when_retries_run_out():
    mw = middleware(RETRY_TIMES=1)
    retry = respond(mw, Request(URL), 503, {"Retry-After": "0"})
    assert isinstance(retry, Request)
    final = respond(mw, retry, 503)
    assert isinstance(final, Response) and final.status == 503


def test_connection_errors_are_retried_then_left_to_the_errback():
    mw = middleware(RETRY_TIMES=1)
    request = Request(URL)
    retry = asyncio.run(mw.process_exception(request, DownloadConnectionRefusedError("refused")))
    assert isinstance(retry, Request)
    assert asyncio.run(mw.process_exception(retry, DownloadConnectionRefusedError("refused"))) is None
    assert asyncio.run(mw.process_exception(request, ValueError("not a network error"))) is None


def test_backoff_doubles_up_to_its_cap_and_retry_after_is_capped():
    mw = middleware(RETRY_BACKOFF_BASE=2, RETRY_BACKOFF_MAX=10, RETRY_AFTER_MAX=30)
    assert [mw.backoff_delay(n) for n in (1, 2, 3, 4)] == [2, 4, 8, 10]
    assert mw.backoff_delay(1, retry_after=12) == 12
    assert mw.backoff_delay(1, retry_after=3600) == 30


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after_seconds(b"120") == 120
    now = 1_800_000_000.0
    assert retry_after_seconds(email.utils.formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30)
    assert retry_after_seconds(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None
