"""The reference the candidate index and the percolator are held to: every profile scored on its own by the pure
functions, with the plain (unoptimised) SNI scorer."""

from __future__ import annotations

from collections.abc import Sequence

from matcher.match import MatchNotice, MatchProfile
from matcher.match.notice import prepare
from matcher.match.score import score_pair, sni_evidence
from matcher.sni import SniScorer
from matcher.sni_tables import SniTables

Alerts = dict[str, tuple[float, list[str]]]


class BruteForce:
    def __init__(self, profiles: Sequence[MatchProfile], tables: SniTables, size_limits: dict[str, float]) -> None:
        self.profiles = list(profiles)
        units = list(dict.fromkeys((code, p.company_size) for p in self.profiles for code in p.sni))
        self.rows = {unit: row for row, unit in enumerate(units)}
        self.scorer = SniScorer(tables, units)
        self.size_limits = size_limits

    def alerts(self, notice: MatchNotice) -> Alerts:
        prepared, found = prepare(notice), {}
        for profile in self.profiles:
            rows = [self.rows[(code, profile.company_size)] for code in profile.sni]
            evidence = sni_evidence(self.scorer, rows, prepared) if rows else None
            match = score_pair(profile, prepared, evidence, self.scorer.threshold, self.size_limits)
            if match:
                found[match.profile_id] = (match.score, match.reasons)
        return found
