"""Search index backends behind the :class:`tenders.index.base.TenderIndex` protocol.

- :mod:`tenders.index.sqlite` (the embedded default): one SQLite file; an FTS5 table over Swedish stems (and
  the stems of compound parts, :mod:`tenders.text`) finds the text hits and ranks them by FTS5 bm25, numpy
  columns in memory do the filters, facets and sorted pages.
- :mod:`tenders.index.opensearch` (scale-out): the same contract on an OpenSearch cluster, over the same terms.
- :mod:`tenders.index.rebuild`: the index rebuilt from the store beside the live one (``anbudsvakt reindex``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tenders.index.sqlite import SqliteIndex

if TYPE_CHECKING:
    from tenders.index.base import TenderIndex
    from tenders.settings import Settings


def open_index(settings: Settings) -> TenderIndex:
    """The configured index: SQLite FTS5 in ``settings.index_path`` unless ``index_backend`` is opensearch."""
    if settings.index_backend == "opensearch":
        # Imported here: opensearch-py takes 0.3 s to import, and only this backend needs it.
        from tenders.index.opensearch import OpenSearchIndex  # noqa: PLC0415 - opensearch-py, see above

        return OpenSearchIndex.from_settings(settings)
    return SqliteIndex(settings.index_path)
