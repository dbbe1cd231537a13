"""Run one crawl in this process and record it as a crawl run in the store.

Twisted's reactor cannot restart inside one process, so a crawl is a process of its own:
``python -m crawlers.run ted [--since YYYY-MM-DD] [-s SETTING=VALUE ...]`` (the scheduler runs exactly
this, see :func:`crawl_command`) or ``anbudsvakt crawl ted``. Exit status 0: complete; 1: the crawl fell
short (errors worth retrying); 2: the source could not be reached or refused the listing.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings

from crawlers.outcome import CrawlOutcome
from tenders.demo import mixing_problem
from tenders.oneline import single_line
from tenders.settings import Settings, get_settings
from tenders.store import TenderStore

# Notices can appear in the API a day after their publication date and clocks differ: re-read a little.
SAFETY_OVERLAP = timedelta(days=2)
# The first crawl of a source (empty store) goes this far back; older notices are a --since backfill.
FIRST_RUN_WINDOW = timedelta(days=90)


def resolve_since(store: TenderStore, source: str, since: date | None, today: date) -> date:
    """--since if given, else the start of the last complete run minus the overlap, else the first-run window."""
    if since is not None:
        return since
    last = store.last_complete_run(source)
    if last is None:
        return today - FIRST_RUN_WINDOW
    return last.started_at.date() - SAFETY_OVERLAP


def crawl_command(source: str, since: date | None = None) -> list[str]:
    """The command line that runs one crawl in a fresh process (for the scheduler and the tests)."""
    command = [sys.executable, "-m", "crawlers.run", source]
    return command + (["--since", since.isoformat()] if since else [])


def scrapy_settings(settings: Settings, overrides: Mapping[str, str] | None = None) -> ScrapySettings:
    crawl_settings = ScrapySettings()
    crawl_settings.setmodule("crawlers.settings", priority="project")
    crawl_settings.set("USER_AGENT", settings.user_agent, priority="project")
    crawl_settings.set("ANBUDSVAKT_SETTINGS", settings, priority="project")
    for key, value in (overrides or {}).items():
        crawl_settings.set(key, value, priority="cmdline")
    return crawl_settings


def crawl(source: str, since: date, settings: Settings, overrides: Mapping[str, str] | None = None) -> CrawlOutcome:
    """Run the source's spider to the end in this process (once per process) and return what it achieved."""
    process = CrawlerProcess(scrapy_settings(settings, overrides))
    spider_class = process.spider_loader.load(source)
    crawler = process.create_crawler(spider_class)
    process.crawl(crawler, since=since.isoformat())
    process.start()
    assert crawler.stats is not None
    return CrawlOutcome.from_stats(getattr(spider_class, "source_label", "") or source, crawler.stats.get_stats())


def run_crawl(
    source: str,
    *,
    since: date | None = None,
    settings: Settings | None = None,
    overrides: Mapping[str, str] | None = None,
) -> CrawlOutcome:
    """Crawl ``source`` and record the run (requests, items, errors, complete, expected) in the store. Refused
    (ValueError, before anything is fetched) while example notices are stored: they never mix with real ones."""
    settings = settings or get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = TenderStore.from_settings(settings)
    try:
        if problem := mixing_problem(store, loading_demo=False):
            raise ValueError(problem)
        window_start = resolve_since(store, source, since, datetime.now(UTC).date())
        run_id = store.start_run(source, window_start=window_start)
        try:
            result = crawl(source, window_start, settings, overrides)
        except BaseException as err:  # record the broken run before the error travels on
            crashed = CrawlOutcome(source_label=source, listing_error=f"crawl crashed: {single_line(err)}")
            _finish(store, run_id, window_start, crashed)
            raise
        _finish(store, run_id, window_start, result)
    finally:
        store.close()
    return result


def _finish(store: TenderStore, run_id: int, window_start: date, result: CrawlOutcome) -> None:
    # The window itself is on the run's own columns (start_run); the note is the human-readable part.
    note = "; ".join(part for part in (f"since={window_start.isoformat()}", result.problem) if part)
    store.finish_run(
        run_id,
        requests=result.requests,
        items=result.items,
        errors=result.errors,
        complete=result.complete,
        expected=result.expected,
        note=note,
    )


def exit_status(result: CrawlOutcome) -> int:
    if result.unreachable or result.listing_error:
        return 2
    return 0 if result.complete else 1


def parse_overrides(pairs: Sequence[str]) -> dict[str, str]:
    overrides = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"-s väntar SETTING=VALUE, fick {pair!r}")
        overrides[key.strip()] = value
    return overrides


def report(result: CrawlOutcome) -> int:
    """Print the summary (stdout) and the problem, if any, as one line (stderr); return the exit status."""
    print(result.summary())
    if result.problem:
        print(result.problem, file=sys.stderr)
    return exit_status(result)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawlers.run", description=__doc__.splitlines()[0])
    parser.add_argument("source", help="spider name, e.g. ted")
    parser.add_argument("--since", type=date.fromisoformat, help="backfill from this publication date (YYYY-MM-DD)")
    parser.add_argument("-s", dest="overrides", action="append", default=[], help="Scrapy setting SETTING=VALUE")
    args = parser.parse_args(argv)
    try:
        result = run_crawl(args.source, since=args.since, overrides=parse_overrides(args.overrides))
    except (KeyError, ValueError) as err:  # unknown spider name, bad -s
        print(f"crawl {args.source}: {single_line(err)}", file=sys.stderr)
        return 2
    return report(result)


if __name__ == "__main__":
    sys.exit(main())
