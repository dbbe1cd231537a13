"""Downloaded files (statistics exports) and the pipeline step that publishes them into the data directory.

The files are not notices: they are kept byte for byte as the source sent them, in
``<data_dir>/<spider.publish_dir()>/`` (e.g. ``data/uhm/2021/procurements.csv``) beside a ``manifest.json``
saying where and when each came from. Publishing is all or nothing: the files are written to a hidden
sibling directory and swapped in by renames only when every declared file arrived complete and nothing
failed, so readers see the old set or the new set, never a mixture and never a truncated file.
The run's items are the published rows: rows of a file identical to the one it replaces count as
"unchanged", of a changed file as "updated", of a new file as "inserted".

A spider whose files are periods of one series (``merge_periods = True``, e.g. a year per directory) also
gets the series as one set in the parent directory (``data/uhm/procurements.csv`` = every year's rows under
one header), which is what the staff dashboard and ``anbudsvakt stats participation`` read for trends.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

from scrapy.exceptions import DropItem

from crawlers import outcome
from crawlers.pipelines import anbudsvakt_settings

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

MANIFEST = "manifest.json"
# A staging or retired directory older than this is left over from a crawl that was killed: removed.
STALE_AFTER_SECONDS = 24 * 3600


@dataclass
class DownloadedFile:
    source: str  # the store's source name, e.g. "uhm"
    name: str  # the file's stem, e.g. "procurements"
    filename: str  # its name in the published directory, e.g. "procurements.csv"
    url: str
    raw: bytes = field(repr=False)
    rows: int
    retrieved_at: datetime


def file_outcome(new: bytes, previous: Path) -> str:
    if not previous.is_file():
        return "inserted"
    return "unchanged" if _digest(previous.read_bytes()) == _digest(new) else "updated"


def publish_directory(staging: Path, target: Path) -> None:
    """Swap ``staging`` in as ``target`` by renames on one file system; the old set is removed afterwards."""
    if not target.exists():
        os.rename(staging, target)
        return
    retired = target.with_name(f".{target.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(target, retired)
    os.rename(staging, target)
    shutil.rmtree(retired, ignore_errors=True)


def merge_periods(root: Path, filenames: Iterable[str]) -> None:
    """``root/<period>/<file>`` of every period → ``root/<file>``: the header once, then each period's rows."""
    periods = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    for filename in filenames:
        parts = [period / filename for period in periods if (period / filename).is_file()]
        if parts:
            _merge_one(parts, root / filename)


def _merge_one(parts: list[Path], merged: Path) -> None:
    temporary = merged.with_name(f".{merged.name}.merging-{uuid.uuid4().hex[:8]}")
    header = b""
    with temporary.open("wb") as out:
        for part in parts:
            part_header, _, rows = part.read_bytes().partition(b"\n")
            if not header:
                header = part_header
                out.write(header + b"\n")
            elif part_header != header:  # columns changed between periods: that period cannot join the series
                logger.error("%s: andra kolumner än %s, utelämnas ur %s", part, parts[0], merged)
                continue
            out.write(rows)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, merged)


def _remove_stale_siblings(target: Path) -> None:
    for leftover in target.parent.glob(f".{target.name}.*-*"):
        if time.time() - leftover.stat().st_mtime > STALE_AFTER_SECONDS:
            shutil.rmtree(leftover, ignore_errors=True)


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _write_synced(path: Path, data: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())  # the rename that publishes it must not overtake the data on a crash


class PublishFilesPipeline:
    """Writes each DownloadedFile into a staging directory; publishes the set when the crawl ended complete."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        assert crawler.stats is not None
        self.stats: StatsCollector = crawler.stats
        self.target: Path | None = None
        self.staging: Path | None = None
        self.received: dict[str, DownloadedFile] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def open_spider(self) -> None:
        spider: Any = self.crawler.spider
        self.target = anbudsvakt_settings(self.crawler).data_dir / spider.publish_dir()
        self.target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_siblings(self.target)
        # A sibling of the target: the publishing rename stays on one file system.
        self.staging = self.target.with_name(f".{self.target.name}.partial-{uuid.uuid4().hex[:8]}")
        self.staging.mkdir()

    def process_item(self, item: Any) -> DownloadedFile:
        if not isinstance(item, DownloadedFile):
            raise DropItem(f"unknown item type {type(item).__name__}")
        assert self.staging is not None
        _write_synced(self.staging / item.filename, item.raw)
        self.received[item.name] = item
        item.raw = b""  # written; the item travels on without holding tens of megabytes
        return item

    def close_spider(self) -> None:
        assert self.staging is not None and self.target is not None
        problem = self._why_not_publish()
        if problem:
            logger.error("%s publiceras inte: %s", self.target, problem)
            shutil.rmtree(self.staging, ignore_errors=True)
            return
        self._count_outcomes(self.staging, self.target)
        self._write_manifest(self.staging)
        publish_directory(self.staging, self.target)
        if getattr(self.crawler.spider, "merge_periods", False):
            merge_periods(self.target.parent, [item.filename for item in self.received.values()])

    def _why_not_publish(self) -> str:
        spider: Any = self.crawler.spider
        if self.stats.get_value(outcome.ERRORS) or not self.stats.get_value(outcome.LISTING_COMPLETE):
            return "hämtningen blev inte komplett"
        missing = sorted(set(getattr(spider, "pending", ())) | (self._declared(spider) - set(self.received)))
        return f"filer saknas: {', '.join(missing)}" if missing else ""

    @staticmethod
    def _declared(spider: Any) -> set[str]:
        return {spec.name for spec in spider.file_requests()}

    def _count_outcomes(self, staging: Path, target: Path) -> None:
        for item in self.received.values():
            result = file_outcome((staging / item.filename).read_bytes(), target / item.filename)
            self.stats.inc_value(outcome.OUTCOME + result, item.rows)

    def _write_manifest(self, staging: Path) -> None:
        files = {
            item.filename: {
                "url": item.url, "retrieved_at": item.retrieved_at.isoformat(), "rows": item.rows,
                "sha256": _digest((staging / item.filename).read_bytes()),
            }
            for item in self.received.values()
        }
        source = next(iter(self.received.values())).source if self.received else ""
        manifest = {"source": source, "files": files}
        _write_synced(staging / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode() + b"\n")
