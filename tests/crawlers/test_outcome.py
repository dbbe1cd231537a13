"""From Scrapy stats to the crawl-run record: completeness and the one line a user reads."""

from __future__ import annotations

from crawlers import outcome
from crawlers.outcome import CrawlOutcome
from tenders.oneline import single_line


def stats(**extra: object) -> dict[str, object]:
    base: dict[str, object] = {
        "downloader/request_count": 9,
        outcome.EXPECTED: 4,
        outcome.LISTED: 4,
        outcome.LISTING_COMPLETE: True,
        outcome.OUTCOME + "inserted": 2,
        outcome.OUTCOME + "unchanged": 1,
        outcome.ERRORS: 1,
        outcome.ERROR_KIND + "parse": 1,
    }
    return {**base, **extra}


def test_a_refused_broken_notice_leaves_the_run_complete():
    result = CrawlOutcome.from_stats("TED", stats())
    assert (result.requests, result.items, result.errors, result.expected) == (9, 3, 1, 4)
    assert result.complete and result.problem == ""
    assert result.summary() == (
        "TED: 3 notiser (2 nya, 0 ändrade, 1 oförändrade), 1 fel, förväntat 4, 9 anrop, komplett: ja"
    )


def test_transient_errors_and_short_listings_leave_it_incomplete():
    assert not CrawlOutcome.from_stats("TED", stats(**{outcome.TRANSIENT_ERRORS: 1})).complete
    short = CrawlOutcome.from_stats("TED", stats(**{outcome.LISTED: 3}))
    assert not short.complete and short.problem == "TED: 3 av 4 förväntade notiser listades"
    unfinished = CrawlOutcome.from_stats("TED", stats(**{outcome.LISTING_COMPLETE: False}))
    assert not unfinished.complete


def test_unreachable_is_one_line_naming_the_source():
    result = CrawlOutcome.from_stats("TED", {outcome.UNREACHABLE: "Connection was refused by other side"})
    assert not result.complete
    assert result.problem == "TED är inte nåbar: Connection was refused by other side"
    assert result.expected is None and result.items == 0


def test_single_line_folds_and_shortens():
    assert single_line("a\n  b\tc") == "a b c"
    assert len(single_line("x" * 1000)) == 300
