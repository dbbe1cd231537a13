"""What a company's SNI code says about the notices it wins: P(notice CPV | SNI) against the base rate.

For a unit (one SNI code + company size) the probability of each step down the CPV tree (division → group →
class → category) is estimated at every SNI level, each level smoothed towards its parent (all suppliers →
2 → 3 → 4 → 5 digits → + size), so a rare code borrows from its neighbours instead of guessing. The score of
a notice is the log of the lift P(cpv | unit) / P(cpv), plus positive evidence from title terms that the unit's
suppliers win more often than others. Vectorised over many units at once: the matcher scores one notice
against every distinct (SNI, size) unit with a handful of numpy operations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matcher.sni_tables import ROOT, STOP, SniTables, cpv_path, sni_keys
from tenders.codelists import cpv_label

DEFAULT_PARAMS = {
    "cpv_beta": 40.0,  # pseudo-wins a finer SNI level needs before it outweighs its parent
    "term_beta": 50.0,
    "term_weight": 1.0,
    "threshold": 1.2,  # log-lift a notice needs; calibrated by matcher/build_tables.py (see sni_model.json)
}
_TERM_CACHE_LIMIT = 200_000
Unit = tuple[str, str | None]  # (SNI code, company size)


@dataclass(frozen=True)
class CpvSuggestion:
    prefix: str  # significant CPV prefix, e.g. "4526"
    label: str
    share: float  # P(prefix | SNI): the share of this kind of supplier's wins
    lift: float  # how much more often than suppliers in general


class SniScorer:
    """Scores notices for a fixed list of units; columns are cached per CPV path and per term."""

    def __init__(self, tables: SniTables, units: Sequence[Unit]) -> None:
        self.tables = tables
        self.params = {**DEFAULT_PARAMS, **tables.params}
        self.units = list(units)
        keys = sorted({key for row in (*tables.cpv.values(), *tables.terms.values()) for key in row})
        self._key_index = {key: i + 1 for i, key in enumerate(keys)}  # 0: a key without counts
        depth = 1 + max((len(sni_keys(s, z)) for s, z in self.units), default=1)
        self._unit_keys = np.zeros((len(self.units), depth), dtype=np.int32)
        for row, (sni, size) in enumerate(self.units):
            for level, key in enumerate(sni_keys(sni, size)):
                self._unit_keys[row, level] = self._key_index.get(key, 0)
        self._cell_cache: dict[tuple[str, ...], np.ndarray] = {}
        self._term_cache: dict[str, np.ndarray] = {}

    @property
    def threshold(self) -> float:
        return self.params["threshold"]

    def _gather(self, row: dict[str, float] | None) -> np.ndarray:
        dense = np.zeros(len(self._key_index) + 1)
        if row:
            dense[[self._key_index[k] for k in row]] = list(row.values())
        return dense[self._unit_keys]

    def _chain(self, num_row: dict[str, float] | None, den_row: dict[str, float] | None,
               beta: float, root: tuple[float, float]) -> tuple[np.ndarray, float]:
        """P(child | parent) for every unit, backing off level by level; and the same for all suppliers."""
        num, den = self._gather(num_row), self._gather(den_row)
        prior_count, prior_total = root
        base = (num[:, 0] + prior_count) / (den[:, 0] + prior_total)
        p = base.copy()
        for level in range(1, num.shape[1]):
            p = (num[:, level] + beta * p) / (den[:, level] + beta)
        base_rate = float(base[0]) if len(base) else (prior_count / prior_total)
        return p, base_rate

    def path_probability(self, path: tuple[str, ...]) -> tuple[np.ndarray, float]:
        """P(path | unit) for every unit, and P(path) over all suppliers."""
        probability, base_rate, parent = np.ones(len(self.units)), 1.0, ROOT
        for cell in path:
            p, base = self._chain(self.tables.cpv.get(cell), self.tables.cpv.get(parent),
                                  self.params["cpv_beta"], (0.5, 10.0))
            probability *= p
            base_rate *= base
            parent = cell
        return probability, base_rate

    def path_log_lift(self, path: tuple[str, ...]) -> np.ndarray:
        cached = self._cell_cache.get(path)
        if cached is None:
            probability, base_rate = self.path_probability(path)
            cached = np.log(probability) - math.log(base_rate)
            self._cell_cache[path] = cached
        return cached

    def cpv_log_lift(self, code: str) -> np.ndarray:
        return self.path_log_lift(cpv_path(code))

    def term_log_lift(self, term: str) -> np.ndarray:
        """Positive evidence only: a term that this kind of supplier rarely wins says little on its own."""
        cached = self._term_cache.get(term)
        if cached is None:
            if len(self._term_cache) > _TERM_CACHE_LIMIT:
                self._term_cache.clear()
            p, base = self._chain(self.tables.terms.get(term), self.tables.terms.get(ROOT),
                                  self.params["term_beta"], (1.0, 20_000.0))
            cached = np.maximum(np.log(p) - math.log(base), 0.0)
            self._term_cache[term] = cached
        return cached

    def term_boost(self, terms: Sequence[str]) -> np.ndarray:
        known = [t for t in terms if t in self.tables.terms]
        if not known:
            return np.zeros(len(self.units))
        total = np.sum([self.term_log_lift(t) for t in known], axis=0)
        return self.params["term_weight"] * total / math.sqrt(len(terms))

    def scores(self, cpvs: Sequence[str], terms: Sequence[str]) -> np.ndarray:
        """One score per unit: the best CPV log-lift among the notice's first codes, plus the title boost."""
        best_cpv = np.max([self.cpv_log_lift(c) for c in cpvs[:3]], axis=0) if cpvs else np.zeros(len(self.units))
        return best_cpv + self.term_boost(terms)


def _candidate_classes(tables: SniTables) -> list[tuple[str, ...]]:
    """Every CPV class-level path seen in the tables (4 digits, or a shorter code that stops above)."""
    paths = {cpv_path(cell.rstrip(STOP).ljust(8, "0"))[:3] for cell in tables.cpv if cell and len(cell) >= 2}
    return sorted(p for p in paths if p)


def suggest_cpv(tables: SniTables, sni_codes: Sequence[str], size: str | None = None,
                limit: int = 8) -> list[CpvSuggestion]:
    """CPV classes that companies with these SNI codes win clearly more often than others, commonest first."""
    if not sni_codes:
        return []
    scorer = SniScorer(tables, [(code, size) for code in sni_codes])
    best: dict[str, CpvSuggestion] = {}
    for path in _candidate_classes(tables):
        probability, base_rate = scorer.path_probability(path)
        row = int(np.argmax(probability))
        share = float(probability[row])
        lift = share / base_rate
        prefix = path[-1].rstrip(STOP)
        if lift >= math.exp(scorer.threshold) and (prefix not in best or share > best[prefix].share):
            best[prefix] = CpvSuggestion(prefix, cpv_label(prefix.ljust(8, "0")), share, lift)
    return sorted(best.values(), key=lambda s: -s.share)[:limit]
