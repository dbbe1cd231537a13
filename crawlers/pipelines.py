"""Item pipelines, one step each: validate → normalise/parse → classify → store/index.

A step that refuses a document raises DropItem after counting the error, so the crawl carries on with
the next notice and the crawl-run record shows how many were refused and why.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

from scrapy.exceptions import DropItem
from scrapy.utils.misc import load_object

from crawlers import outcome
from crawlers.items import NoticeDocument
from tenders.index import open_index
from tenders.oneline import single_line
from tenders.parse import NoticeParseError, parse_notice
from tenders.settings import get_settings
from tenders.store import TenderStore

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

    from tenders.index.base import TenderIndex
    from tenders.model import Tender
    from tenders.settings import Settings

logger = logging.getLogger(__name__)


def count_error(stats: StatsCollector, kind: str, *, transient: bool = False) -> None:
    """Count one error under its kind; transient ones (a retry next run may succeed) also make the run incomplete."""
    stats.inc_value(outcome.ERRORS)
    stats.inc_value(outcome.ERROR_KIND + kind)
    if transient:
        stats.inc_value(outcome.TRANSIENT_ERRORS)


def keep_classification(tender: Tender) -> Tender:
    """The classification hook until the NLP classifier is plugged in (setting CLASSIFY_HOOK): changes nothing."""
    return tender


def anbudsvakt_settings(crawler: Crawler) -> Settings:
    """The project settings crawlers.run put into the crawl, else the environment's."""
    configured = crawler.settings.get("ANBUDSVAKT_SETTINGS")
    if configured is not None:
        return configured  # type: ignore[no-any-return,unused-ignore]
    return get_settings()


class _Step:
    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        assert crawler.stats is not None
        self.stats: StatsCollector = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def refuse(self, item: NoticeDocument, kind: str, reason: str) -> DropItem:
        count_error(self.stats, kind)
        return DropItem(f"{item.reference or item.source_url}: {reason}")


class ValidateDocumentPipeline(_Step):
    """Refuses what cannot be a notice, so that nothing empty or foreign ever reaches the store."""

    def process_item(self, item: Any) -> NoticeDocument:
        if not isinstance(item, NoticeDocument):
            raise DropItem(f"unknown item type {type(item).__name__}")
        if not item.raw.strip():
            raise self.refuse(item, "empty_document", "tomt dokument")
        if item.tender is None and not item.raw.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            raise self.refuse(item, "not_xml", "dokumentet är inte XML")
        return item


class ParseNoticePipeline(_Step):
    """Normalises the raw notice (eForms or TED R2.0.9 XML) into a Tender; refuses broken or hostile XML."""

    def process_item(self, item: NoticeDocument) -> NoticeDocument:
        if item.tender is not None:
            return item  # the spider already extracted it (HTML sources)
        try:
            item.tender = parse_notice(
                item.raw, source=item.source, source_url=item.source_url, retrieved_at=item.retrieved_at
            )
        except NoticeParseError as err:
            raise self.refuse(item, "parse", single_line(err)) from err
        except Exception as err:  # a parser bug must not end the crawl: count it, keep the traceback in the log
            logger.exception("parser failed on %s", item.source_url)
            raise self.refuse(item, "parser_bug", single_line(err)) from err
        return item


class ClassifyPipeline(_Step):
    """Runs the classification hook (CPV inference, size, SME fit) named by the CLASSIFY_HOOK setting."""

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        self.classify: Callable[[Tender], Tender] = load_object(crawler.settings.get("CLASSIFY_HOOK"))

    def process_item(self, item: NoticeDocument) -> NoticeDocument:
        assert item.tender is not None
        item.tender = self.classify(item.tender)
        return item


class StorePipeline(_Step):
    """Stores the notice with its raw document (the truth) and indexes its procurement, via app.ingest."""

    store: TenderStore | None = None
    index: TenderIndex | None = None

    def __init__(self, crawler: Crawler):
        super().__init__(crawler)
        # The application layer's ingest use case, named by a setting (as CLASSIFY_HOOK is): the crawlers sit
        # below the application layer and hand items up without importing it.
        self.ingest: Callable[[Tender, bytes, TenderStore, TenderIndex], object] = load_object(
            crawler.settings.get("INGEST_HOOK"))

    def open_spider(self) -> None:
        settings = anbudsvakt_settings(self.crawler)
        self.store = TenderStore.from_settings(settings)
        self.index = open_index(settings)

    def close_spider(self) -> None:
        if self.index is not None:
            self.index.close()
        if self.store is not None:
            self.store.close()

    def process_item(self, item: NoticeDocument) -> NoticeDocument:
        assert item.tender is not None and self.store is not None and self.index is not None
        # Synchronous on purpose: a notice is written in milliseconds and a daily run has a few hundred,
        # while one writer at a time keeps SQLite free of lock contention.
        try:
            result = self.ingest(item.tender, item.raw, self.store, self.index)
        except Exception as err:  # the store refused or failed: count it and let the next run try again
            logger.exception("storing %s failed", item.source_url)
            count_error(self.stats, "store", transient=True)
            raise DropItem(f"{item.reference or item.source_url}: {single_line(err)}") from err
        item.outcome = str(getattr(result, "value", result)).lower()
        self.stats.inc_value(outcome.OUTCOME + item.outcome)
        return item
