"""The alerts for one notice, kept as alerted groups until somebody reads them.

Deciding who is alerted is cheap; writing the Swedish reasons is not. A group's members would get the same alert,
so its reasons are written once, by ``score_pair`` for its first member, and only when the alerts are read.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from matcher.match.model import Match
from matcher.match.notice import PreparedNotice
from matcher.match.postings import Postings
from matcher.match.score import SniEvidence, interest_evidence, sni_evidence, with_context

if TYPE_CHECKING:
    from matcher.match.index import CandidateIndex


@dataclass(frozen=True)
class Groups:
    """Profiles that get identical alerts."""

    members: Postings  # group → its profiles' indexes
    signature: np.ndarray  # per group: its filter signature
    rows: list[tuple[int, ...]]  # per group: its SNI units (empty: chosen interests or places only)
    interest: list[int]  # per group: groups with the same interests and size differ only in their filters
    places: list[int]  # per group: its place choice (``FilterTable`` numbering)
    first: list[int]  # per group: its first member, whose alert the others copy

    @property
    def count(self) -> np.ndarray:
        return self.members.count


class NoticeMatches:
    """Who the notice alerts (decided) and, on demand, each alert with its score and reasons."""

    def __init__(self, notice_id: str, groups: np.ndarray, index: CandidateIndex, notice: PreparedNotice,
                 scores: np.ndarray | None, place_reasons: list[str | None]) -> None:
        self.notice_id = notice_id
        self.groups = groups  # alerted group ids
        self._index, self._notice, self._scores = index, notice, scores
        self._place_reasons = place_reasons  # per place choice, as ``place_match`` gave it for this notice
        self._templates: dict[tuple[int, str | None], Match | None] = {}
        self._evidence: dict[tuple[int, ...], SniEvidence] = {}

    def __len__(self) -> int:
        return int(self._index.groups.count[self.groups].sum())

    def profile_array(self) -> np.ndarray:
        return self._index.groups.members.take(self.groups)

    def profile_indexes(self) -> set[int]:
        return set(self.profile_array().tolist())

    def template(self, group: int) -> Match | None:
        """The group's alert as its first member gets it: ``score_pair`` after the filters it has passed.

        None only if the scoring disagrees with the index (the index tests keep that from happening)."""
        index, groups = self._index, self._index.groups
        place_reason = self._place_reasons[groups.places[group]]
        rows = self._best_row(groups.rows[group])
        # SNI groups: the evidence comes from their best unit alone, so the unit (code and size) is the key
        key = (groups.interest[group] if not rows else -1 - rows[0], place_reason)
        if key not in self._templates:
            profile = index.profiles[groups.first[group]]
            sni = self._sni_evidence(rows)
            evidence = interest_evidence(profile, self._notice, sni, index.threshold, place_reason)
            self._templates[key] = None if evidence is None else \
                with_context(profile, self._notice, evidence, place_reason, index.size_limits)
        return self._templates[key]

    def _best_row(self, rows: tuple[int, ...]) -> tuple[int, ...]:
        """The unit ``sni_evidence`` picks (the first of the best), which alone decides its result."""
        if len(rows) < 2 or self._scores is None:
            return rows
        scores = self._scores
        return (max(rows, key=lambda row: float(scores[row])),)

    def _sni_evidence(self, rows: tuple[int, ...]) -> SniEvidence | None:
        if not rows:
            return None
        if rows not in self._evidence:
            self._evidence[rows] = sni_evidence(self._index.scorer, rows, self._notice, self._scores)
        return self._evidence[rows]

    def matches(self) -> Iterator[Match]:
        """One ``Match`` per alerted profile, grouped by identical alert."""
        for members, template in self.grouped():
            yield from self.expand(members, template)

    def grouped(self) -> Iterator[tuple[np.ndarray, Match]]:
        """(profile indexes, the alert each gets but for its profile id): alerts without one object per alert."""
        members = self._index.groups.members
        for group in self.groups.tolist():
            template = self.template(group)
            if template is not None:
                yield members.of(group), template

    def expand(self, members: np.ndarray, template: Match) -> list[Match]:
        ids, notice_id, score, reasons = self._index.profile_ids, self.notice_id, template.score, template.reasons
        return [Match(ids[member], notice_id, score, reasons) for member in members.tolist()]
