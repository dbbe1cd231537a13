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
    member_ids: list[list[str]]  # per group: its profiles' ids, ready for one ``Match`` each
    interest_array: np.ndarray  # ``interest`` and ``places`` as arrays, to key many groups' alerts at once
    place_array: np.ndarray
    unit_matrix: np.ndarray  # per group: its SNI units, padded with -1 (one column per unit of the largest group)

    @classmethod
    def build(cls, members: list[list[int]], signature: np.ndarray, rows: list[tuple[int, ...]], interest: list[int],
              places: list[int], profile_ids: list[str]) -> Groups:
        width = max((len(r) for r in rows), default=0)
        unit_matrix = np.full((len(rows), width), -1, dtype=np.int64)
        for group, group_rows in enumerate(rows):
            unit_matrix[group, :len(group_rows)] = group_rows
        return cls(Postings.from_lists(members), signature, rows, interest, places, [m[0] for m in members],
                   [[profile_ids[m] for m in group] for group in members], np.array(interest, dtype=np.int64),
                   np.array(places, dtype=np.int64), unit_matrix)

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
        member_ids, notice_id = self._index.groups.member_ids, self.notice_id
        for group, template in self._templated():
            score, reasons = template.score, template.reasons
            yield from [Match(profile_id, notice_id, score, reasons) for profile_id in member_ids[group]]

    def grouped(self) -> Iterator[tuple[np.ndarray, Match]]:
        """(profile indexes, the alert each gets but for its profile id): alerts without one object per alert."""
        members = self._index.groups.members
        for group, template in self._templated():
            yield members.of(group), template

    def _templated(self) -> Iterator[tuple[int, Match]]:
        """Each alerted group with its alert. Most groups share an alert already written; their keys (those of
        ``template``) are computed for all groups at once, so such a group costs one dictionary lookup."""
        keys = self._template_keys()
        places = self._index.groups.place_array[self.groups].tolist()
        templates, place_reasons = self._templates, self._place_reasons
        for group, key, place in zip(self.groups.tolist(), keys, places, strict=True):
            full_key = (key, place_reasons[place])
            template = templates[full_key] if full_key in templates else self.template(group)
            if template is not None:
                yield group, template

    def _template_keys(self) -> list[int]:
        """Per alerted group, the first half of its ``template`` key: its interests, or its best SNI unit."""
        groups, alerted, scores = self._index.groups, self.groups, self._scores
        interest = groups.interest_array[alerted]
        if scores is None or groups.unit_matrix.shape[1] == 0 or np.isnan(scores).any():
            # NaN would make argmax and ``_best_row`` differ: the keys then only miss, and ``template`` decides
            return interest.tolist()
        rows = groups.unit_matrix[alerted]
        padded = np.append(scores, -np.inf)  # the padding (-1) reads -inf: never chosen over a real unit
        best = rows[np.arange(len(rows)), np.argmax(padded[rows], axis=1)]  # argmax, like max(): the first best
        return np.where(rows[:, 0] >= 0, -1 - best, interest).tolist()

    def expand(self, members: np.ndarray, template: Match) -> list[Match]:
        ids, notice_id, score, reasons = self._index.profile_ids, self.notice_id, template.score, template.reasons
        return [Match(ids[member], notice_id, score, reasons) for member in members.tolist()]
