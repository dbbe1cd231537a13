"""The matcher the settings choose: the embedded candidate index (default) or the OpenSearch percolator.

Both give the same alerts (``tests/matcher/test_percolator_contract.py``); the percolator keeps the profiles in
OpenSearch instead of in the process.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from matcher.match import CandidateIndex
from matcher.match.model import Match, MatchNotice, MatchProfile

if TYPE_CHECKING:
    from matcher.sni_tables import SniTables
    from tenders.settings import Settings


class AlertMatcher(Protocol):
    def match_many(self, notices: Sequence[MatchNotice]) -> list[list[Match]]: ...


def open_matcher(settings: Settings, profiles: Sequence[MatchProfile], tables: SniTables) -> AlertMatcher:
    """A matcher over these profiles (for the percolator: stored in OpenSearch first, replacing what was there)."""
    if settings.matcher_backend == "percolator":
        # Imported here: the percolator needs opensearch-py (0.3 s to import), the embedded matcher does not.
        from matcher.percolator import PercolatorMatcher  # noqa: PLC0415 - opensearch-py, see above

        percolator = PercolatorMatcher.from_settings(settings, tables)
        percolator.load(profiles)
        return percolator
    return CandidateIndex(profiles, tables)
