"""The search use case for callers without an open index (the CLI): open the configured index, search, close."""

from __future__ import annotations

from tenders.index import open_index
from tenders.index.base import SearchQuery, SearchResult
from tenders.settings import Settings, get_settings


def search_notices(query: SearchQuery, settings: Settings | None = None) -> SearchResult:
    index = open_index(settings or get_settings())
    try:
        return index.search(query)
    finally:
        index.close()
