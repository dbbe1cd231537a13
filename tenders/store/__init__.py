"""The store is the truth: every notice version with its raw document, procurements' current views, crawl runs.

``TenderStore.from_settings(settings)`` opens SQLite (WAL), migrating it to the newest schema, or a PostgreSQL
database that `anbudsvakt db upgrade` has migrated (tenders.store.schema).
"""

from tenders.store.runs import CrawlRun
from tenders.store.store import TenderStore, UpsertOutcome

__all__ = ["CrawlRun", "TenderStore", "UpsertOutcome"]
