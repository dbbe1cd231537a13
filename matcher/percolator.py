"""The scale-out matcher: profiles stored as OpenSearch percolator queries, notices percolated against them.

``load`` replaces the stored profiles (one query per profile, see ``percolator_queries``); ``match_many``
percolates a batch of notices in one request. The percolator decides who is alerted; the score and the Swedish
reasons come from the same pure ``score_pair`` as the embedded matcher, for the profiles it returned (and it
confirms the few profiles whose query cannot be exact). So both backends give the same alerts, which
``tests/matcher/test_percolator_contract.py`` checks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from opensearchpy import OpenSearch, helpers

from matcher.match.columns import ColumnScorer
from matcher.match.model import Match, MatchNotice, MatchProfile
from matcher.match.notice import PreparedNotice, prepare
from matcher.match.score import score_pair, sni_evidence
from matcher.percolator_queries import MAPPING, is_exact, notice_document, profile_query, unit_key
from matcher.sni_tables import SniTables
from tenders.index.opensearch_client import client_from_settings, opensearch_client

if TYPE_CHECKING:
    from tenders.settings import Settings

BULK_CHUNK = 2000
CLIENT_TIMEOUT_S = 120  # loading many profile queries takes longer than a search
MIN_WINDOW = 10_000


class PercolatorError(RuntimeError):
    """One line saying which percolator operation failed and why."""


def _explanation_key(profile: MatchProfile) -> tuple[Any, ...]:
    # score_pair reads everything in a profile but its id, which only goes into the Match
    return tuple((name, tuple(v) if isinstance(v, list) else v) for name, v in profile if name != "id")


class PercolatorMatcher:
    def __init__(self, client: OpenSearch, index: str, tables: SniTables) -> None:
        self._client, self.index, self.tables = client, index, tables
        self.profiles: dict[str, MatchProfile] = {}
        self._needs_check: set[str] = set()
        self.scorer = ColumnScorer(tables, [])
        self.size_limits = {size: tables.params[f"value_p90_{size}"] for size in ("micro", "small", "medium", "large")
                            if f"value_p90_{size}" in tables.params}

    @classmethod
    def from_url(cls, url: str, tables: SniTables, index: str = "anbudsvakt-profiles", user: str = "",
                 password: str = "") -> PercolatorMatcher:
        client = opensearch_client(url, user=user, password=password, timeout=CLIENT_TIMEOUT_S)
        return cls(client, index, tables)

    @classmethod
    def from_settings(cls, settings: Settings, tables: SniTables) -> PercolatorMatcher:
        # The same client, credentials and TLS rule as the search index on the same cluster.
        return cls(client_from_settings(settings, timeout=CLIENT_TIMEOUT_S), f"{settings.opensearch_index}-profiles",
                   tables)

    def load(self, profiles: Sequence[MatchProfile]) -> int:
        """Replace the stored profiles with these; returns how many queries were stored."""
        self.profiles = {p.id: p for p in profiles}
        self._needs_check = {p.id for p in profiles if not is_exact(p)}
        units = list(dict.fromkeys((code, p.company_size) for p in profiles if not p.chose_interests for code in p.sni))
        self.scorer = ColumnScorer(self.tables, units)
        self._recreate_index(len(profiles))
        actions = ({"_index": self.index, "_id": p.id, "_source": {"query": q, "profile_id": p.id}}
                   for p in profiles if (q := profile_query(p)) is not None)
        try:
            stored, errors = helpers.bulk(self._client, actions, chunk_size=BULK_CHUNK, raise_on_error=False,
                                          request_timeout=300)
            self._client.indices.put_settings(index=self.index, body={"index": {"refresh_interval": "1s"}})
            self._client.indices.refresh(index=self.index)
        except Exception as error:  # opensearch-py raises transport errors of several kinds
            raise PercolatorError(f"storing {len(profiles)} profile queries failed: {error}") from error
        if errors:
            raise PercolatorError(f"OpenSearch refused {len(errors)} profile queries, e.g. {errors[0]}")
        return int(stored)

    def drop(self) -> None:
        """Delete the stored profiles' index."""
        self._client.indices.delete(index=self.index, ignore_unavailable=True)

    def _recreate_index(self, profiles: int) -> None:
        self._client.indices.delete(index=self.index, ignore_unavailable=True)
        settings = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1",
                    "max_result_window": max(MIN_WINDOW, profiles)}
        self._client.indices.create(index=self.index, body={"settings": settings, "mappings": MAPPING})

    def passing_units(self, notice: PreparedNotice) -> list[str]:
        if not self.scorer.units:
            return []
        scores = self.scorer.scores(notice.notice.cpv[:3], notice.terms)
        return [unit_key(*self.scorer.units[row]) for row in (scores >= self.scorer.threshold).nonzero()[0].tolist()]

    def percolate(self, notices: Sequence[PreparedNotice]) -> list[list[str]]:
        """Profile ids each notice alerts, as the stored queries decide (one request for the batch)."""
        if not notices:
            return []
        documents = [notice_document(n, self.passing_units(n)) for n in notices]
        body = {"query": {"constant_score": {"filter": {"percolate": {"field": "query", "documents": documents}}}},
                "size": max(MIN_WINDOW, len(self.profiles)), "sort": ["_doc"], "_source": False}
        try:
            reply = self._client.search(index=self.index, body=body, request_timeout=300,
                                        filter_path="hits.hits._id,hits.hits.fields._percolator_document_slot")
        except Exception as error:
            raise PercolatorError(f"percolating {len(notices)} notices failed: {error}") from error
        found: list[list[str]] = [[] for _ in notices]
        for hit in reply.get("hits", {}).get("hits", []):
            for slot in hit["fields"]["_percolator_document_slot"]:
                found[slot].append(hit["_id"])
        return found

    def match_many(self, notices: Sequence[MatchNotice]) -> list[list[Match]]:
        prepared = [prepare(n) for n in notices]
        return [list(self._explain(n, ids)) for n, ids in zip(prepared, self.percolate(prepared), strict=True)]

    def match(self, notice: MatchNotice) -> list[Match]:
        return self.match_many([notice])[0]

    def _explain(self, notice: PreparedNotice, profile_ids: list[str]) -> Iterator[Match]:
        """Score and reasons by ``score_pair``, once per distinct profile content (many profiles are alike)."""
        scores = self.scorer.scores(notice.notice.cpv[:3], notice.terms) if self.scorer.units else None
        rows = {unit: row for row, unit in enumerate(self.scorer.units)}
        alerts: dict[tuple[Any, ...], Match | None] = {}
        for profile_id in profile_ids:
            profile = self.profiles[profile_id]
            key = _explanation_key(profile)
            if key not in alerts:
                own_rows = [rows[(c, profile.company_size)] for c in profile.sni] if not profile.chose_interests \
                    else []
                evidence = sni_evidence(self.scorer, own_rows, notice, scores) if own_rows else None
                alerts[key] = score_pair(profile, notice, evidence, self.scorer.threshold, self.size_limits)
            alert = alerts[key]
            if alert is not None:  # None: an inexact query's hit that score_pair does not confirm
                yield replace(alert, profile_id=profile_id)
