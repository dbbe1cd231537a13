"""Where an incremental crawl starts, and the command line around a crawl."""

from __future__ import annotations

import sys
from datetime import date, timedelta

import pytest

from crawlers import run
from crawlers.outcome import CrawlOutcome
from tenders.settings import Settings
from tenders.store import TenderStore

TODAY = date(2026, 10, 8)


@pytest.fixture
def store(tmp_path):
    opened = TenderStore.from_settings(Settings(data_dir=tmp_path))
    yield opened
    opened.close()


def test_first_run_reaches_back_the_first_run_window(store):
    assert run.resolve_since(store, "ted", None, TODAY) == TODAY - run.FIRST_RUN_WINDOW


def test_next_run_starts_at_the_last_complete_run_minus_the_overlap(store):
    complete = store.start_run("ted")
    store.finish_run(complete, requests=3, items=1, errors=0, complete=True, expected=1)
    incomplete = store.start_run("ted")
    store.finish_run(incomplete, requests=1, items=0, errors=1, complete=False)
    other_source = store.start_run("kommersannons")
    store.finish_run(other_source, requests=1, items=0, errors=0, complete=True)
    last = store.last_complete_run("ted")
    assert last is not None and last.id == complete
    assert run.resolve_since(store, "ted", None, TODAY) == last.started_at.date() - run.SAFETY_OVERLAP


def test_since_given_wins(store):
    assert run.resolve_since(store, "ted", date(2024, 1, 1), TODAY) == date(2024, 1, 1)


def test_crawl_command_runs_the_module_in_this_interpreter():
    assert run.crawl_command("ted", date(2026, 1, 2)) == [
        sys.executable,
        "-m",
        "crawlers.run",
        "ted",
        "--since",
        "2026-01-02",
    ]
    assert run.crawl_command("ted") == [sys.executable, "-m", "crawlers.run", "ted"]


def test_overrides_and_exit_status():
    assert run.parse_overrides(["LOG_LEVEL=INFO", "A=b=c"]) == {"LOG_LEVEL": "INFO", "A": "b=c"}
    with pytest.raises(ValueError, match="SETTING=VALUE"):
        run.parse_overrides(["LOG_LEVEL"])
    assert run.exit_status(CrawlOutcome("TED", unreachable="refused")) == 2
    assert run.exit_status(CrawlOutcome("TED", listing_complete=True)) == 0
    assert run.exit_status(CrawlOutcome("TED", listing_complete=True, transient_errors=1)) == 1


def test_unknown_source_is_one_line_and_non_zero(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(tmp_path))
    assert run.main(["nosuchsource", "--since", "2026-01-01"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0
    assert timedelta(days=2) == run.SAFETY_OVERLAP
