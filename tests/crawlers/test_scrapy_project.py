"""Scrapy's own commands work from the repository root (scrapy.cfg): `scrapy list` sees every spider, and a crawl
started with `scrapy` sends the project's User-Agent, not Scrapy's default that TED's firewall challenges."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from scrapy.utils.misc import load_object

from crawlers.run import scrapy_settings
from tenders.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRAPY = str(Path(sys.executable).with_name("scrapy"))


def scrapy(*args: str) -> str:
    done = subprocess.run([SCRAPY, *args], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_scrapy_list_from_the_repository_root_sees_every_spider() -> None:
    settings = scrapy_settings(Settings())
    expected = load_object(settings["SPIDER_LOADER_CLASS"]).from_settings(settings).list()
    listed = scrapy("list").split()
    assert sorted(listed) == sorted(expected)
    definitions = {path.stem for path in (REPO_ROOT / "crawlers" / "sources" / "definitions").glob("*.yaml")}
    assert {"ted", *definitions} <= set(listed)


class EchoUserAgent(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = (self.headers.get("User-Agent") or "").encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # keep the test output clean
        pass


@pytest.fixture
def echo_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), EchoUserAgent)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ua"
    server.shutdown()
    server.server_close()


def test_a_scrapy_started_crawl_sends_the_project_user_agent(echo_url: str) -> None:
    # `scrapy settings --get` shows only the settings module; add-ons apply when a crawler is built, as here.
    assert scrapy("fetch", "--nolog", echo_url).strip() == Settings().user_agent
    assert scrapy("fetch", "--nolog", "-s", "USER_AGENT=Prov/1", echo_url).strip() == "Prov/1"
