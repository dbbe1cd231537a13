"""The scale-out search index: OpenSearch (opensearch-py) behind the :class:`TenderIndex` protocol.

Searches go to an alias (``settings.opensearch_index``) that points at one concrete index
``<alias>-<UTC timestamp>``. A rebuild loads a new concrete index and swaps the alias atomically, so
searches never see a half-built index (zero-downtime reindex); the old index is dropped afterwards.
Mapping and analysis come from an index template (see :mod:`tenders.index.opensearch_query`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import TYPE_CHECKING, Any

from opensearchpy import OpenSearch, helpers

from tenders.index.base import FACET_FIELDS, FacetCount, IndexDocument, SearchHit, SearchQuery, SearchResult
from tenders.index.opensearch_query import index_template, search_body, source_of

if TYPE_CHECKING:
    from tenders.settings import Settings

BULK_CHUNK = 1000  # documents per bulk request: large enough to amortise HTTP, small enough for a 1 GB heap
REQUEST_TIMEOUT_S = 60


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
        auth = (user, password) if user else None
        self._client = OpenSearch(hosts=[url], http_auth=auth, verify_certs=verify_certs, ssl_show_warn=False,
                                  timeout=REQUEST_TIMEOUT_S, http_compress=True)
        self.alias = alias
        self._ensure_alias()

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenSearchIndex:
        # Development clusters use self-signed certificates; production points at a verified one.
        return cls(settings.opensearch_url, settings.opensearch_index, user=settings.opensearch_user,
                   password=settings.opensearch_password.get_secret_value(),
                   verify_certs=settings.environment == "production")

    # -- the alias and its concrete indices -------------------------------------------------------------

    def _ensure_alias(self) -> None:
        self._client.indices.put_index_template(name=self.alias, body=index_template(f"{self.alias}-*"))
        if not self._client.indices.exists_alias(name=self.alias):
            self._swap_alias_to(self._create_concrete_index())

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

    def rebuild(self, documents: Iterable[IndexDocument]) -> int:
        """Loads the documents into a new index, then points the alias at it: searches never see a gap."""
        new_index = self._create_concrete_index()
        try:
            written = self._bulk_index(new_index, documents)
        except BaseException:
            self._client.indices.delete(index=new_index)
            raise
        self._swap_alias_to(new_index)
        return written

    # -- the TenderIndex protocol -----------------------------------------------------------------------

    def _bulk_index(self, index: str, documents: Iterable[IndexDocument]) -> int:
        written = 0
        for batch in _batches(documents, BULK_CHUNK):
            actions = [{"_index": index, "_id": doc.tender_id, "_source": source_of(doc)} for doc in batch]
            ok, errors = helpers.bulk(self._client, actions, raise_on_error=False, request_timeout=REQUEST_TIMEOUT_S)
            if errors:
                raise OpenSearchIndexError(f"bulk indexing into {index} failed for {len(errors)} documents: "
                                           f"{str(errors[0])[:300]}")
            written += ok
        # One refresh per call, not per batch: the documents are searchable when index() returns.
        self._client.indices.refresh(index=index)
        return written

    def index(self, documents: Iterable[IndexDocument]) -> int:
        return self._bulk_index(self.alias, documents)

    def delete(self, tender_ids: Iterable[str]) -> None:
        actions = [{"_op_type": "delete", "_index": self.alias, "_id": tid} for tid in tender_ids]
        # A tender that was never indexed is not an error: deleting is idempotent.
        helpers.bulk(self._client, actions, raise_on_error=False, raise_on_exception=True)
        self._client.indices.refresh(index=self.alias)

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
