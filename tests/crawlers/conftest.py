"""A local TED: a threaded stdlib HTTP server on 127.0.0.1 replaying the recorded Search API pages and notice
XMLs, and a helper that runs a crawl the way the scheduler does (a subprocess of ``python -m crawlers.run``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
API_DIR = FIXTURES / "ted" / "api"
SEARCH_PATH = "/v3/notices/search"
SINCE = "2026-07-01"
# Fast but real: the same middlewares and pipelines, with back-off and politeness delays shrunk for tests.
FAST_SETTINGS = ["RETRY_BACKOFF_BASE=0.05", "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_START_DELAY=0", "LOG_LEVEL=INFO"]


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


# What ted.europa.eu answers a client it takes for a bot: 202, the WAF header, no body.
WAF_CHALLENGE = Reply(202, b"", {"x-amzn-waf-action": "challenge"})
UNAVAILABLE = Reply(503, b"Service Unavailable", {"Retry-After": "1"})


def document(path: Path) -> Reply:
    return Reply(200, path.read_bytes(), {"Content-Type": "application/xml"})


def recorded_documents() -> dict[str, list[Reply]]:
    """Notice XML per publication number of the recorded pages; each list is served in order, the last repeats."""
    return {
        "475939-2026": [document(FIXTURES / "eforms" / "cn_24_multilingual.xml")],
        "476004-2026": [WAF_CHALLENGE, document(FIXTURES / "eforms" / "cn_24_open.xml")],
        "476409-2026": [UNAVAILABLE, document(FIXTURES / "ted" / "r209" / "21-364236-001-EXP.xml")],
        "476609-2026": [document(API_DIR / "broken_notice.xml")],
    }


def recorded_pages() -> dict[str | None, bytes]:
    """Search pages by the iteration token that asks for them (None: the first page)."""
    tokens: list[str | None] = [None, "replay-token-page-2", "replay-token-page-3"]
    return {token: (API_DIR / f"search_page_{n}.json").read_bytes() for n, token in enumerate(tokens, start=1)}


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


class ReplayServer:
    def __init__(self) -> None:
        self.pages = recorded_pages()
        self.documents = recorded_documents()
        self.search_reply: Reply | None = None  # set to answer every search with this (e.g. a 400)
        self.seen: list[Seen] = []
        self._hits: dict[str, int] = {}
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.api_url = self.base_url + SEARCH_PATH
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def reset(self) -> None:
        with self._lock:
            self.seen.clear()
            self._hits.clear()

    def searches(self) -> list[dict[str, object]]:
        return [json.loads(s.body) for s in self.seen if s.path == SEARCH_PATH]

    def document_hits(self, number: str) -> list[Seen]:
        return [s for s in self.seen if s.path == f"/en/notice/{number}/xml"]

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        with self._lock:
            self.seen.append(Seen(method, path, headers, body, time.monotonic()))
            if method == "POST" and path == SEARCH_PATH:
                return self.search_reply or self._search_page(body)
            parts = path.strip("/").split("/")  # en/notice/<number>/xml
            if method != "GET" or len(parts) != 4 or parts[3] != "xml" or parts[2] not in self.documents:
                return Reply(404, b"not found")
            if "anbudsvakt" not in headers.get("user-agent", "").lower():
                return WAF_CHALLENGE  # like the real host: bare clients never get the document
            hit = self._hits.get(path, 0)
            self._hits[path] = hit + 1
            replies = self.documents[parts[2]]
            return replies[min(hit, len(replies) - 1)]

    def _search_page(self, body: bytes) -> Reply:
        request = json.loads(body)
        if not request.get("query") or request.get("paginationMode") != "ITERATION" or request.get("limit", 0) > 250:
            return Reply(400, b'{"message": "Invalid request body"}')
        page = self.pages.get(request.get("iterationNextToken"))
        if page is None:
            return Reply(400, b'{"type": "INVALID_ITERATION_TOKEN"}')
        return Reply(200, page.replace(b"{base_url}", self.base_url.encode()), {"Content-Type": "application/json"})

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                headers = {k.lower(): v for k, v in self.headers.items()}
                reply = server.answer(self.command, self.path, headers, body)
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_GET = _serve  # noqa: N815 - the name http.server dispatches to
            do_POST = _serve  # noqa: N815

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> ReplayServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def ted_server() -> Iterator[ReplayServer]:
    with ReplayServer() as server:
        yield server


def crawl_env(data_dir: Path, api_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANBUDSVAKT_")}
    env.update(ANBUDSVAKT_DATA_DIR=str(data_dir), ANBUDSVAKT_TED_API_URL=api_url, ANBUDSVAKT_ENVIRONMENT="test",
               ANBUDSVAKT_SECRET_KEY="test-secret-key-for-anbudsvakt-crawl-tests")
    return env


def run_ted_crawl(data_dir: Path, api_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    """One crawl in its own process, as the scheduler runs it (Twisted's reactor cannot restart in-process)."""
    overrides = [part for setting in FAST_SETTINGS for part in ("-s", setting)]
    return subprocess.run(
        [sys.executable, "-m", "crawlers.run", "ted", *args, *overrides],
        cwd=data_dir,  # not the repository: a developer's .env must not leak into the test
        env={**crawl_env(data_dir, api_url), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
