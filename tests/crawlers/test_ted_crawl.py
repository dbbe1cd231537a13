"""The real TED spider, pipelines and store, crawling the recorded responses through a local HTTP server."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tenders.settings import Settings
from tenders.store import TenderStore
from tests.crawlers.conftest import (
    FIXTURES,
    SINCE,
    WAF_CHALLENGE,
    ReplayServer,
    Reply,
    Seen,
    run_ted_crawl,
)

USER_AGENT = Settings().user_agent
LISTED = ["475939-2026", "476004-2026", "476409-2026", "476609-2026"]


@dataclass
class RecordedCrawl:
    data_dir: Path
    server: ReplayServer
    seen: list[Seen]
    result: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def recorded_crawl(tmp_path_factory) -> Iterator[RecordedCrawl]:
    """The first crawl of an empty store (no --since), shared by the tests that read it; they copy the data dir."""
    data_dir = tmp_path_factory.mktemp("first-crawl")
    with ReplayServer() as server:
        result = run_ted_crawl(data_dir, server.api_url)
        yield RecordedCrawl(data_dir, server, list(server.seen), result)


def open_store(data_dir: Path) -> TenderStore:
    return TenderStore.from_settings(Settings(data_dir=data_dir))


def copy_of(crawl: RecordedCrawl, tmp_path: Path) -> Path:
    return Path(shutil.copytree(crawl.data_dir, tmp_path / "data"))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_first_crawl_pages_through_the_api_and_fetches_every_notice_politely(recorded_crawl):
    assert recorded_crawl.result.returncode == 0, recorded_crawl.result.stderr[-3000:]
    seen = recorded_crawl.seen
    searches = [json.loads(s.body) for s in seen if s.method == "POST"]
    assert [s.get("iterationNextToken") for s in searches] == [None, "replay-token-page-2", "replay-token-page-3"]
    first_window = datetime.now(UTC).date() - timedelta(days=90)
    assert all(str(s["query"]).endswith(f"publication-date >= {first_window:%Y%m%d}") for s in searches)
    hits = {number: [s for s in seen if s.path == f"/en/notice/{number}/xml"] for number in LISTED}
    assert all(hits.values())
    assert {s.headers["user-agent"] for s in seen} == {USER_AGENT}  # descriptive, on the API and the XML host
    assert len(hits["476004-2026"]) == 2  # WAF challenge, then the document
    retried = hits["476409-2026"]
    assert len(retried) == 2 and retried[1].at - retried[0].at >= 0.9  # waited as Retry-After: 1 asked


def test_first_crawl_stores_each_notice_once_and_records_the_run(recorded_crawl):
    store = open_store(recorded_crawl.data_dir)
    try:
        assert store.count_notices() == 3  # the broken XML was refused and the crawl went on
        run = store.runs("ted")[0]
        assert (run.items, run.errors, run.expected, run.complete) == (3, 1, 4, True)
        # three search pages, four documents, two retries (WAF, 429) — plus at most one more when a loaded machine
        # lets a download time out and Scrapy retries it (seen once in a CI-like run on 2 busy cores)
        assert 3 + 4 + 2 <= run.requests <= 3 + 4 + 2 + 1
        waf_notice = (FIXTURES / "eforms" / "cn_24_open.xml").read_bytes()
        assert any(store.raw_document(*t.key) == waf_notice for t in store.iter_tenders())  # in full, not empty
    finally:
        store.close()
    assert "3 nya, 0 ändrade, 0 oförändrade" in recorded_crawl.result.stdout


def test_second_crawl_stores_nothing_new_and_starts_from_the_last_complete_run(recorded_crawl, tmp_path):
    data_dir = copy_of(recorded_crawl, tmp_path)
    server = recorded_crawl.server
    server.reset()
    second = run_ted_crawl(data_dir, server.api_url)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "0 nya, 0 ändrade, 3 oförändrade" in second.stdout
    store = open_store(data_dir)
    try:
        assert store.count_notices() == 3
        runs = store.runs("ted")
        assert len(runs) == 2 and (runs[0].items, runs[0].errors, runs[0].complete) == (3, 1, True)
        window = runs[1].started_at.date() - timedelta(days=2)
    finally:
        store.close()
    assert str(server.searches()[0]["query"]).endswith(f"publication-date >= {window:%Y%m%d}")


def test_without_the_api_the_run_says_which_source_is_unreachable_and_keeps_what_is_stored(recorded_crawl, tmp_path):
    data_dir = copy_of(recorded_crawl, tmp_path)
    result = run_ted_crawl(data_dir, f"http://127.0.0.1:{closed_port()}/v3/notices/search")
    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1].startswith("TED är inte nåbar: ")
    store = open_store(data_dir)
    try:
        assert store.count_notices() == 3
        runs = store.runs("ted")
        assert (runs[0].complete, runs[0].items) == (False, 0)
        last_complete = store.last_complete_run("ted")
        assert last_complete is not None and last_complete.id == runs[1].id
    finally:
        store.close()


def test_a_waf_challenge_that_never_clears_is_an_error_not_an_empty_notice(tmp_path, ted_server):
    ted_server.documents["476004-2026"] = [WAF_CHALLENGE]
    result = run_ted_crawl(tmp_path, ted_server.api_url, "--since", SINCE)
    assert result.returncode == 1
    assert len(ted_server.document_hits("476004-2026")) == 5  # the first try and RETRY_TIMES=4 retries
    store = open_store(tmp_path)
    try:
        assert store.count_notices() == 2
        run = store.runs("ted")[0]
        assert (run.items, run.errors, run.complete) == (2, 2, False)  # WAF + broken XML; WAF is worth a retry
        assert store.last_complete_run("ted") is None
    finally:
        store.close()


def test_a_refused_query_is_reported_in_one_line(tmp_path, ted_server):
    ted_server.search_reply = Reply(400, b'{"message": "Query syntax error at line 1, column 12"}')
    result = run_ted_crawl(tmp_path, ted_server.api_url, "--since", SINCE)
    assert result.returncode == 2
    assert (
        result.stderr.strip().splitlines()[-1]
        == "TED svarade med fel: HTTP 400 Query syntax error at line 1, column 12"
    )
    store = open_store(tmp_path)
    try:
        assert store.runs("ted")[0].complete is False
    finally:
        store.close()
