"""``SniScorer`` made fast for the candidate index, with bit-identical scores.

The plain scorer gathers a table row into a dense array for every column it computes; the parent rows (all
suppliers' totals, a CPV division's totals) are the largest and are gathered again for every term and path, which
made the first pass over a day's notices slow. Here each gathered row is kept. ``scores`` avoids stacking the
columns into a matrix, and each step down the CPV tree is computed once. All three change only how values are
fetched, never the arithmetic or its order, so every score equals ``SniScorer.scores`` to the last bit (the
index tests compare them).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from matcher.sni import SniScorer, Unit
from matcher.sni_tables import ROOT, SniTables

# Only big rows are kept: they are the parents gathered again and again (all suppliers, a division) and there are
# few of them (57 in the shipped tables), while the thousands of small term rows are cheap to gather.
BIG_ROW = 200
CODE_CACHE = 50_000  # CPV has ~9,500 codes; the cap only guards against junk input


class ColumnScorer(SniScorer):
    def __init__(self, tables: SniTables, units: Sequence[Unit]) -> None:
        super().__init__(tables, units)
        # keyed by id(): the rows are the tables' own dicts, which live as long as this scorer holds the tables
        self._gathered: dict[int, np.ndarray] = {}
        self._zeros = np.zeros(len(self.units))
        self._steps: dict[tuple[str, str], tuple[np.ndarray, float]] = {}
        self._by_code: dict[str, np.ndarray] = {}  # a notice CPV code → its column, without walking its path again

    def path_probability(self, path: tuple[str, ...]) -> tuple[np.ndarray, float]:
        # The same product as the plain scorer, but each step down the tree is computed once and shared by
        # every path through it (a day's notices reuse few divisions and groups).
        probability, base_rate, parent = np.ones(len(self.units)), 1.0, ROOT
        for cell in path:
            p, base = self._step(parent, cell)
            probability *= p
            base_rate *= base
            parent = cell
        return probability, base_rate

    def _step(self, parent: str, cell: str) -> tuple[np.ndarray, float]:
        step = self._steps.get((parent, cell))
        if step is None:
            step = self._chain(self.tables.cpv.get(cell), self.tables.cpv.get(parent),
                               self.params["cpv_beta"], (0.5, 10.0))
            self._steps[(parent, cell)] = step
        return step

    def cpv_log_lift(self, code: str) -> np.ndarray:
        cached = self._by_code.get(code)
        if cached is None:
            if len(self._by_code) > CODE_CACHE:
                self._by_code.clear()
            cached = self._by_code[code] = super().cpv_log_lift(code)
        return cached

    def _gather(self, row: dict[str, float] | None) -> np.ndarray:
        if row is None or len(row) < BIG_ROW:
            return super()._gather(row)
        key = id(row)
        gathered = self._gathered.get(key)
        if gathered is None:
            gathered = super()._gather(row)
            gathered.flags.writeable = False  # shared between columns: nobody may change it in place
            self._gathered[key] = gathered
        return gathered

    def term_boost(self, terms: Sequence[str]) -> np.ndarray:
        known = [t for t in terms if t in self.tables.terms]
        if not known:
            return self._zeros
        # np.sum over stacked columns adds them in this order; a running sum gives the same bits without the stack.
        # After the first addition the sum is a fresh array, so the rest is added in place (no new arrays).
        total = self.term_log_lift(known[0])
        if len(known) > 1:
            total = total + self.term_log_lift(known[1])
            for term in known[2:]:
                total += self.term_log_lift(term)
        boost = self.params["term_weight"] * total
        boost /= math.sqrt(len(terms))
        return boost

    def scores(self, cpvs: Sequence[str], terms: Sequence[str]) -> np.ndarray:
        if cpvs:
            best_cpv = self.cpv_log_lift(cpvs[0])
            for code in cpvs[1:3]:
                best_cpv = np.maximum(best_cpv, self.cpv_log_lift(code))
        else:
            best_cpv = self._zeros
        boost = self.term_boost(terms)
        if boost is self._zeros:
            return best_cpv + boost
        boost += best_cpv  # a fresh array; addition commutes bit for bit, so this is best_cpv + boost
        return boost
