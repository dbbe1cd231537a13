"""A local copy of a web site for the Swedish-source spiders: GET pages, robots.txt, and WebForms postbacks.

It reuses the TED replay server of tests/crawlers/conftest.py (its threaded HTTP server, request log and
lifecycle) and only answers differently: from a table of pages instead of the recorded TED API.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs

from tests.crawlers.conftest import FAST_SETTINGS, FIXTURES, ROOT, ReplayServer, Reply, Seen, crawl_env

SOURCES = FIXTURES / "sources"
ROBOTS = "User-agent: *\nDisallow: /regiondalarna/privat/\n"


def html(path: Path, status: int = 200) -> Reply:
    return Reply(status, path.read_bytes(), {"Content-Type": "text/html; charset=utf-8"})


@dataclass(frozen=True)
class Postback:
    """A WebForms page served for a postback: the fields the server requires (state of the page it came from)."""

    requires: Mapping[str, str]
    reply: Reply


@dataclass
class Site:
    pages: dict[str, Reply] = field(default_factory=dict)  # path with query -> reply (GET)
    postbacks: dict[tuple[str, str], Postback] = field(default_factory=dict)  # (path, __EVENTARGUMENT) -> page
    robots: str = ROBOTS


class SiteServer(ReplayServer):
    def __init__(self, site: Site) -> None:
        super().__init__()
        self.site = site
        self.refused_postbacks: list[dict[str, list[str]]] = []

    def answer(self, method: str, path: str, headers: dict[str, str], body: bytes) -> Reply:
        with self._lock:
            self.seen.append(Seen(method, path, headers, body, time.monotonic()))
        if path == "/robots.txt":
            return Reply(200, self.site.robots.encode(), {"Content-Type": "text/plain"})
        if method == "POST":
            return self._postback(path, parse_qs(body.decode(), keep_blank_values=True))
        return self.site.pages.get(path, Reply(404, b"<html><body>Sidan finns inte</body></html>"))

    def _postback(self, path: str, form: dict[str, list[str]]) -> Reply:
        argument = form.get("__EVENTARGUMENT", [""])[0]
        postback = self.site.postbacks.get((path, argument))
        if postback is None or any(form.get(k, [None])[0] != v for k, v in postback.requires.items()):
            with self._lock:
                self.refused_postbacks.append(form)
            # What ASP.NET answers a postback whose state does not belong to the page it claims.
            return Reply(500, b"<html><body>Invalid postback or callback argument.</body></html>")
        return postback.reply


def run_crawl(
    data_dir: Path, source: str, *settings: str, args: Sequence[str] = ()
) -> subprocess.CompletedProcess[str]:
    """One crawl in its own process, as the scheduler runs it; ``settings`` are extra -s NAME=VALUE, ``args``
    other arguments of ``python -m crawlers.run`` (``--since``)."""
    overrides = [part for setting in (*FAST_SETTINGS, *settings) for part in ("-s", setting)]
    return subprocess.run(
        [sys.executable, "-m", "crawlers.run", source, *args, *overrides],
        cwd=data_dir,  # not the repository: a developer's .env must not leak into the test
        env={**crawl_env(data_dir, "http://127.0.0.1:9/ted-is-not-used"), "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@dataclass
class SiteCrawl:
    """One crawl's process result and the requests the local site saw during it."""

    data_dir: Path
    server: SiteServer
    result: subprocess.CompletedProcess[str]
    seen: list[Seen]  # the requests of this crawl only


def crawl_against(data_dir: Path, server: SiteServer, source: str, *settings: str,
                  args: Sequence[str] = ()) -> SiteCrawl:
    """Crawl ``source`` against the running local ``server``; only this crawl's requests are kept."""
    server.reset()
    result = run_crawl(data_dir, source, *settings, args=args)
    return SiteCrawl(data_dir, server, result, list(server.seen))
