"""The scale-out search index: OpenSearch (opensearch-py) behind the :class:`TenderIndex` protocol.

Searches go to an alias (``settings.opensearch_index``) that points at one concrete index
``<alias>-<UTC timestamp>``. A rebuild loads a new concrete index and swaps the alias atomically, so
searches never see a half-built index (zero-downtime reindex); the old index is dropped afterwards, and a
rebuild that fails drops its new index and leaves the alias where it was.
The mapping comes from an index template (see :mod:`tenders.index.opensearch_query`); text is analysed in Python
(:mod:`tenders.text`), and the analysis version is kept in the mapping's ``_meta``.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from opensearchpy import helpers

from tenders.index.base import (
    FACET_FIELDS,
    FacetCount,
    IndexDocument,
    OnFailure,
    SearchHit,
    SearchQuery,
    SearchResult,
    document_stamp,
    one_line,
)
from tenders.index.opensearch_client import opensearch_client, verifies_certificates
from tenders.index.opensearch_query import index_template, search_body, source_of
from tenders.text import ANALYSIS_VERSION

if TYPE_CHECKING:
    from tenders.settings import Settings

BULK_CHUNK = 1000  # documents per bulk request: large enough to amortise HTTP, small enough for a 1 GB heap
REQUEST_TIMEOUT_S = 60
logger = logging.getLogger(__name__)


class OpenSearchIndexError(RuntimeError):
    """One line saying which OpenSearch operation failed and why."""


def _batches(documents: Iterable[IndexDocument], size: int) -> Iterator[list[IndexDocument]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, size)):
        yield batch


class OpenSearchIndex:
    """:class:`tenders.index.base.TenderIndex` on an OpenSearch cluster."""

    def __init__(self, url: str, alias: str = "anbudsvakt-tenders", *, user: str = "", password: str = "",
                 verify_certs: bool = True) -> None:
        self._client = opensearch_client(url, user=user, password=password, verify_certs=verify_certs,
                                         timeout=REQUEST_TIMEOUT_S)
        self.alias = alias
        self._ensure_alias()

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenSearchIndex:
        return cls(settings.opensearch_url, settings.opensearch_index, user=settings.opensearch_user,
                   password=settings.opensearch_password.get_secret_value(),
                   verify_certs=verifies_certificates(settings))

    # -- the alias and its concrete indices -------------------------------------------------------------

    def _ensure_alias(self) -> None:
        self._client.indices.put_index_template(name=self.alias, body=index_template(f"{self.alias}-*"))
        self.analysis_version = ANALYSIS_VERSION
        if not self._client.indices.exists_alias(name=self.alias):
            self._swap_alias_to(self._create_concrete_index())
            return
        mappings = self._client.indices.get_mapping(index=self.alias)
        versions = {(m.get("mappings", {}).get("_meta") or {}).get("analysis", 1) for m in mappings.values()}
        if versions != {ANALYSIS_VERSION}:
            self.analysis_version = min(versions)  # the oldest terms decide whether the index needs rebuilding
            logger.warning("OpenSearch index %s holds terms of text analysis %s, not %s: run 'anbudsvakt reindex'",
                           self.alias, sorted(versions), ANALYSIS_VERSION)

    def _create_concrete_index(self) -> str:
        name = f"{self.alias}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
        self._client.indices.create(index=name)
        return name

    def concrete_indices(self) -> list[str]:
        """The concrete indices the alias points at (one, except during a swap)."""
        return sorted(self._client.indices.get_alias(name=self.alias))

    def _swap_alias_to(self, new_index: str) -> None:
        old = self.concrete_indices() if self._client.indices.exists_alias(name=self.alias) else []
        actions: list[dict[str, Any]] = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": new_index, "alias": self.alias}})
        self._client.indices.update_aliases(body={"actions": actions})  # one atomic cluster-state change
        for name in old:
            self._client.indices.delete(index=name)

    def rebuild(self, documents: Iterable[IndexDocument], on_failure: OnFailure | None = None) -> int:
        """Loads the documents into a new index, then points the alias at it: searches never see a gap."""
        new_index = self._create_concrete_index()
        try:
            written = self._bulk_index(new_index, documents, on_failure)
        except BaseException:
            self._client.indices.delete(index=new_index)
            raise
        self._swap_alias_to(new_index)
        self.analysis_version = ANALYSIS_VERSION
        return written

    # -- the TenderIndex protocol -----------------------------------------------------------------------

    def _bulk_index(self, index: str, documents: Iterable[IndexDocument], on_failure: OnFailure | None) -> int:
        written = 0
        for batch in _batches(documents, BULK_CHUNK):
            actions = []
            for doc in batch:  # analysis per document: one that fails is reported and left out
                try:
                    # text that UTF-8 cannot hold fails here, not in the whole bulk request
                    stamp = document_stamp(doc.model_dump_json())
                    actions.append({"_index": index, "_id": doc.tender_id, "_source": source_of(doc, stamp)})
                except Exception as error:
                    if on_failure is None:
                        raise
                    on_failure(doc.tender_id, one_line(error))
            if not actions:
                continue
            ok, errors = helpers.bulk(self._client, actions, raise_on_error=False, request_timeout=REQUEST_TIMEOUT_S)
            if errors and on_failure is None:
                raise OpenSearchIndexError(f"bulk indexing into {index} failed for {len(errors)} documents: "
                                           f"{str(errors[0])[:300]}")
            for refused in errors:  # {"index": {"_id": ..., "error": {...}}} per refused document
                item: dict[str, Any] = next(iter(refused.values()), {}) if isinstance(refused, dict) else {}
                if on_failure is not None:
                    on_failure(str(item.get("_id", "?")), f"OpenSearch: {str(item.get('error', refused))[:300]}")
            written += ok
        # One refresh per call, not per batch: the documents are searchable when index() returns.
        self._client.indices.refresh(index=index)
        return written

    def index(self, documents: Iterable[IndexDocument], on_failure: OnFailure | None = None) -> int:
        return self._bulk_index(self.alias, documents, on_failure)

    def delete(self, tender_ids: Iterable[str]) -> None:
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": tid} for tid in tender_ids]
        # A tender that was never indexed is not an error: deleting is idempotent.
        helpers.bulk(self._client, actions, raise_on_error=False, raise_on_exception=True)
        self._client.indices.refresh(index=self.alias)

    def stamps(self, tender_ids: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(tender_ids))
        found: dict[str, str] = {}
        for start in range(0, len(wanted), BULK_CHUNK):  # mget reads the latest write, refreshed or not
            response = self._client.mget(index=self.alias, body={"ids": wanted[start:start + BULK_CHUNK]},
                                         params={"_source_includes": "stamp"})
            for doc in response["docs"]:
                stamp = (doc.get("_source") or {}).get("stamp") if doc.get("found") else None
                if stamp:
                    found[doc["_id"]] = stamp
        return found

    def search(self, query: SearchQuery) -> SearchResult:
        response = self._client.search(index=self.alias, body=search_body(query))
        hits = [
            SearchHit(document=IndexDocument.model_validate(hit["_source"]), score=float(hit.get("_score") or 0.0))
            for hit in response["hits"]["hits"]
        ]
        facets: dict[str, list[FacetCount]] = {}
        if query.with_facets:
            aggregations = response["aggregations"]
            facets = {
                name: [FacetCount(value=str(b["key"]), count=b["doc_count"]) for b in aggregations[name]["buckets"]]
                for name in FACET_FIELDS
            }
        return SearchResult(hits=hits, total=response["hits"]["total"]["value"], facets=facets)

    def count(self) -> int:
        return int(self._client.count(index=self.alias)["count"])

    def clear(self) -> None:
        # An empty index swapped in is instant, where delete-by-query would rewrite every segment.
        self._swap_alias_to(self._create_concrete_index())

    def drop(self) -> None:
        """Removes the alias, its indices and the template (tests and benchmarks clean up with this)."""
        for name in self.concrete_indices():
            self._client.indices.delete(index=name)
        self._client.indices.delete_index_template(name=self.alias)

    def close(self) -> None:
        self._client.close()
