"""The store is the truth: every notice version with its raw document, procurements' current views, crawl runs.

``TenderStore.from_settings(settings)`` opens SQLite (WAL) or PostgreSQL and migrates the schema to head.
"""

from tenders.store.runs import CrawlRun
from tenders.store.store import TenderStore, UpsertOutcome

__all__ = ["CrawlRun", "TenderStore", "UpsertOutcome"]
