"""Save a crawl's responses as test fixtures: ``anbudsvakt crawl eavrop --save-fixtures DIR``.

The Swedish notice databases cannot be reached from where the fixtures were written, so the first live
crawl records what the sites really answer: every response body in ``DIR/<spider>/NNN-<name>.html`` and one
line per response in ``DIR/<spider>/manifest.jsonl`` (method, URL, form body, status, file). Off unless the
Scrapy setting ``ANBUDSVAKT_SAVE_FIXTURES`` names a directory.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response


class ResponseRecorder:
    def __init__(self, directory: Path):
        self.directory = directory
        self.count = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        target = crawler.settings.get("ANBUDSVAKT_SAVE_FIXTURES")
        if not target:
            raise NotConfigured
        recorder = cls(Path(target))
        crawler.signals.connect(recorder.response_received, signal=signals.response_received)
        return recorder

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        folder = self.directory / spider.name
        folder.mkdir(parents=True, exist_ok=True)
        self.count += 1
        name = f"{self.count:03d}-{file_stem(response.url)}.html"
        (folder / name).write_bytes(response.body)
        line = {
            "file": name, "method": request.method, "url": response.url, "status": response.status,
            "form": request.body.decode("utf-8", "replace") if request.method == "POST" else "",
        }
        with (folder / "manifest.jsonl").open("a", encoding="utf-8") as manifest:
            manifest.write(json.dumps(line, ensure_ascii=False) + "\n")


def file_stem(url: str) -> str:
    """A readable, safe file name part from the URL's path and query."""
    tail = re.sub(r"^https?://[^/]+", "", url)
    return (re.sub(r"[^A-Za-z0-9]+", "-", tail).strip("-") or "index")[:80]
