"""Lists of ints under dense int keys, stored compressed (CSR) so that many lists are concatenated without a loop."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Postings:
    values: np.ndarray  # the lists one after another
    start: np.ndarray  # list k is values[start[k]:start[k] + count[k]]
    count: np.ndarray

    @classmethod
    def from_lists(cls, lists: Sequence[Sequence[int]]) -> Postings:
        count = np.array([len(items) for items in lists], dtype=np.int64)
        start = np.concatenate([[0], np.cumsum(count)[:-1]]).astype(np.int64)
        values = np.array([value for items in lists for value in items], dtype=np.int64)
        return cls(values, start, count)

    def __len__(self) -> int:
        return len(self.count)

    def of(self, key: int) -> np.ndarray:
        first = int(self.start[key])
        return self.values[first:first + int(self.count[key])]

    def take(self, keys: np.ndarray) -> np.ndarray:
        """The lists of ``keys`` concatenated in that order (cost: the length of the result, not of all lists)."""
        counts = self.count[keys]
        total = int(counts.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64)
        # output position p belongs to key j: start[j] + (p - where j's run begins in the output)
        run_begins = np.cumsum(counts) - counts
        return self.values[np.repeat(self.start[keys] - run_begins, counts) + np.arange(total)]


    def of_flagged(self, flags: np.ndarray) -> np.ndarray:
        """The lists of the keys whose flag is set, concatenated in key order.

        One pass over all values, in two numpy operations: cheaper than ``take`` when the lists are short and
        many keys are set (the SNI units a notice reaches)."""
        return self.values[np.repeat(flags, self.count)]
