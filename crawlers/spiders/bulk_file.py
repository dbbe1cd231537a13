"""Base spider: files a source publishes whole (statistics exports, bulk downloads), fetched and checked.

A concrete spider lists its files (:meth:`BulkFileSpider.file_requests`: address, name, the header the file
must start with) and where they are published (:meth:`BulkFileSpider.publish_dir`, under the data directory).
Every response must be a complete, unquoted delimited text file: UTF-8, the declared header, every row as
many fields as the header, and a line end after the last row. A file cut off in the middle of a row, an HTML
error page or a changed header is refused with a one-line reason; the run is then incomplete and
:class:`crawlers.files.PublishFilesPipeline` publishes nothing, so a broken response never becomes a
silently smaller dataset. Spiders add their own checks (e.g. a control total) in :meth:`file_checked`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError

from crawlers import outcome
from crawlers.files import DownloadedFile
from crawlers.spiders.base import NoticeSpider
from tenders.oneline import single_line

if TYPE_CHECKING:
    from scrapy.http import Response
    from twisted.python.failure import Failure


class FileCheckError(ValueError):
    """A fetched file that is not the complete file asked for; ``str(err)`` is one line saying why."""


@dataclass(frozen=True)
class FileRequest:
    name: str  # the published file's stem, e.g. "procurements"
    url: str
    columns: tuple[str, ...]  # the header the file must have, in this order


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]

    def column(self, name: str) -> list[str]:
        index = self.header.index(name)
        return [row[index] for row in self.rows]


def read_table(body: bytes, columns: Sequence[str], field_pattern: str, min_rows: int = 1) -> Table:
    """The rows of a complete delimited text file, or FileCheckError saying what is wrong with it."""
    if body.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        raise FileCheckError("svaret är en HTML/XML-sida, inte en fil")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise FileCheckError(f"inte UTF-8 (byte {err.start} av {len(body)}): avbrutet svar?") from None
    # split("\n"), not splitlines(): a title may hold U+2028 or a form feed, which are no row ends here.
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    if lines[-1] != "":
        raise FileCheckError(f"sista raden slutar mitt i: {single_line(lines[-1][-60:])!r}")
    separator = re.compile(field_pattern)
    header = separator.split(lines[0])
    if tuple(header) != tuple(columns):
        raise FileCheckError(f"oväntad rubrikrad: {_header_difference(header, columns)}")
    rows = [separator.split(line) for line in lines[1:-1]]
    for number, row in enumerate(rows, start=2):
        if len(row) != len(header):
            raise FileCheckError(f"rad {number} har {len(row)} fält, rubrikraden {len(header)}")
    if len(rows) < min_rows:
        raise FileCheckError(f"{len(rows)} rader, minst {min_rows} väntade")
    return Table(header, rows)


def _header_difference(header: Sequence[str], columns: Sequence[str]) -> str:
    missing = [c for c in columns if c not in header]
    extra = [c for c in header if c not in columns]
    if missing or extra:
        return single_line(f"saknar {missing}, har även {extra}")
    return "kolumnerna i annan ordning"


class BulkFileSpider(NoticeSpider):
    """Fetches each declared file once per run and yields it, checked, as a DownloadedFile."""

    custom_settings = {  # noqa: RUF012 - Scrapy's own attribute, read once per crawl
        # The files are published as a whole by their own step, not parsed as notices.
        "ITEM_PIPELINES": {"crawlers.files.PublishFilesPipeline": 400},
        # Off unless ANBUDSVAKT_SAVE_FIXTURES names a directory: the first live crawl saves what it fetched.
        "EXTENSIONS": {"crawlers.recording.ResponseRecorder": 500},
    }

    # read by BulkFileSpider
    field_pattern: ClassVar[str] = ","  # regular expression between two fields (files are unquoted)
    file_suffix: ClassVar[str] = ".csv"
    min_rows: ClassVar[int] = 1  # fewer data rows than this is a broken file, not a quiet period
    # read by PublishFilesPipeline
    merge_periods: ClassVar[bool] = False  # publish_dir() is one period of a series: keep the series merged too

    def __init__(self, since: str | None = None, **kwargs: Any):
        super().__init__(**kwargs)
        self.pending: set[str] = set()  # declared files not yet accepted
        # Whole files every run; ``since`` is accepted because crawlers.run passes it to every spider.

    def file_requests(self) -> list[FileRequest]:
        raise NotImplementedError

    def publish_dir(self) -> Path:
        """Where the files go, relative to the data directory (e.g. uhm/2021)."""
        raise NotImplementedError

    async def start(self) -> AsyncIterator[Any]:
        if self.refused_by_rules():
            return
        requests = self.file_requests()
        self.pending = {spec.name for spec in requests}
        for spec in requests:
            yield scrapy.Request(
                spec.url,
                callback=self.parse_file,
                errback=self.file_failed,
                cb_kwargs={"spec": spec},
                dont_filter=True,
            )

    def parse_file(self, response: Response, spec: FileRequest) -> Iterator[Any]:
        if response.status != 200:
            self.refuse_file(spec, f"HTTP {response.status} utan fil", transient=True)
            return
        try:
            table = read_table(response.body, spec.columns, self.field_pattern, self.min_rows)
        except FileCheckError as err:
            self.refuse_file(spec, str(err))
            return
        yield from self.file_checked(response, spec, table)

    def file_checked(self, response: Response, spec: FileRequest, table: Table) -> Iterator[Any]:
        """Hook for the source's own checks; by default the file is complete once its shape is."""
        yield self.accept_file(response.body, response.url, spec, len(table.rows))

    def accept_file(self, raw: bytes, url: str, spec: FileRequest, rows: int) -> DownloadedFile:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(outcome.LISTED, rows)
        self.pending.discard(spec.name)
        if not self.pending:
            self.set_stat(outcome.LISTING_COMPLETE, True)
        return DownloadedFile(
            source=self.source, name=spec.name, filename=spec.name + self.file_suffix, url=url, raw=raw,
            rows=rows, retrieved_at=datetime.now(UTC),
        )

    def refuse_file(self, spec: FileRequest, reason: str, *, transient: bool = False) -> None:
        """A file that is not complete: the run's one-line note names it (the first such file wins)."""
        assert self.crawler.stats is not None
        if not self.crawler.stats.get_value(outcome.LISTING_ERROR):
            self.set_stat(outcome.LISTING_ERROR, f"{spec.name}: {reason}")
        self.count_error("file_incomplete", transient=transient)
        self.logger.error("%s: %s: %s", self.source_label, spec.name, reason)

    def file_failed(self, failure: Failure) -> None:
        error = failure.value
        # HttpError is an IgnoreRequest too; the others (robots.txt said no) are a decision, not an outage.
        if isinstance(error, IgnoreRequest) and not isinstance(error, HttpError):
            self.set_stat(outcome.LISTING_ERROR, f"hämtningen stoppades: {single_line(error)}")
            self.count_error("request_ignored")
            return
        self.listing_failed(failure)
