"""The embedded candidate index: profiles pre-indexed so that matching a notice touches only its candidates.

- Profiles with chosen CPV codes or keywords sit in postings keyed by CPV prefix and by a keyword's first
  letters; profiles that only name places, in postings keyed by NUTS prefix.
- Profiles that rely on their SNI code share one row per distinct (SNI code, size) unit. A notice is scored
  against every unit at once (numpy), and each unit above the threshold brings all its profiles along with
  one shared explanation. Only profiles with extra filters (places, negative keywords, value, kinds) or with
  several SNI codes are checked one by one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property, partial

import numpy as np

from matcher.match.model import Match, MatchNotice, MatchProfile
from matcher.match.notice import PreparedNotice, municipality_code_of, prepare
from matcher.match.score import score_pair, sni_evidence
from profiles.sni import SniScorer, Unit
from profiles.sni_tables import SniTables
from tenders.codelists import dalarna_municipalities

KEY_LENGTH = 3  # keywords are posted under their first letters; the scorer checks the whole word


@dataclass
class UnitGroup:
    """Profiles that share one SNI unit get the same alert; its reasons are written only when asked for."""

    indexes: np.ndarray  # profile indexes
    score: float  # the unit's log-lift score (above the threshold)
    explain: Callable[[], Match]

    @cached_property
    def template(self) -> Match:
        return self.explain()


@dataclass
class NoticeMatches:
    """Alerts for one notice: groups of identical alerts (one SNI unit) and individually scored ones."""

    notice_id: str
    groups: list[UnitGroup] = field(default_factory=list)
    singles: list[tuple[int, Match]] = field(default_factory=list)

    def __len__(self) -> int:
        return sum(len(group.indexes) for group in self.groups) + len(self.singles)

    def profile_indexes(self) -> set[int]:
        return {i for i, _ in self.singles} | {int(i) for group in self.groups for i in group.indexes}

    def matches(self, profile_ids: Sequence[str]) -> Iterator[Match]:
        for group in self.groups:
            template = group.template
            for index in group.indexes.tolist():
                yield replace(template, profile_id=profile_ids[index])
        for _, match in self.singles:
            yield match


def _nuts_keys(nuts: str) -> list[str]:
    return [nuts[:n] for n in range(2, len(nuts) + 1)]


class CandidateIndex:
    def __init__(self, profiles: Sequence[MatchProfile], tables: SniTables) -> None:
        self.profiles = list(profiles)
        self.profile_ids = [p.id for p in self.profiles]
        self._by_cpv: dict[str, list[int]] = defaultdict(list)
        self._by_keyword: dict[str, list[int]] = defaultdict(list)
        self._by_place: dict[str, list[int]] = defaultdict(list)
        unit_rows: dict[Unit, int] = {}
        self._profile_units: dict[int, list[int]] = {}
        for index, profile in enumerate(self.profiles):
            self._post(index, profile, unit_rows)
        self.scorer = SniScorer(tables, list(unit_rows))
        self.threshold = self.scorer.threshold
        self.size_limits = {size: tables.params[f"value_p90_{size}"] for size in ("micro", "small", "medium", "large")
                            if f"value_p90_{size}" in tables.params}
        self._unit_plain, self._unit_checked = self._group_units(len(unit_rows))

    def _post(self, index: int, profile: MatchProfile, unit_rows: dict[Unit, int]) -> None:
        if profile.chose_interests:
            for prefix in profile.cpv:
                self._by_cpv[prefix].append(index)
            for word in profile.keywords:
                self._by_keyword[word[:KEY_LENGTH]].append(index)
        elif profile.sni:
            units = [(code, profile.company_size) for code in profile.sni]
            self._profile_units[index] = [unit_rows.setdefault(u, len(unit_rows)) for u in units]
        else:
            for place in self._place_keys(profile):
                self._by_place[place].append(index)

    @staticmethod
    def _place_keys(profile: MatchProfile) -> set[str]:
        municipal = [dalarna_municipalities()[c].nuts3 for c in map(municipality_code_of, profile.municipalities) if c]
        return {key for nuts in [*municipal, *(n.upper() for n in profile.nuts)] for key in _nuts_keys(nuts)}

    def _group_units(self, count: int) -> tuple[list[np.ndarray], list[list[int]]]:
        plain: list[list[int]] = [[] for _ in range(count)]
        checked: list[list[int]] = [[] for _ in range(count)]
        for index, rows in self._profile_units.items():
            simple = len(rows) == 1 and not self.profiles[index].has_filters
            for row in rows:
                (plain if simple else checked)[row].append(index)
        return [np.array(p, dtype=np.int64) for p in plain], checked

    def _chosen_candidates(self, notice: PreparedNotice) -> set[int]:
        found: set[int] = set()
        for code in notice.notice.cpv:
            for length in range(2, 9):
                found.update(self._by_cpv.get(code[:length], ()))
        for word in notice.words:
            for length in range(1, KEY_LENGTH + 1):
                found.update(self._by_keyword.get(word[:length], ()))
        places = [*notice.nuts, *([dalarna_municipalities()[notice.municipality].nuts3]
                                  if notice.municipality in dalarna_municipalities() else [])]
        for key in {key for nuts in places for key in _nuts_keys(nuts)}:
            found.update(self._by_place.get(key, ()))
        return found

    def match_notice(self, notice: MatchNotice) -> NoticeMatches:
        prepared = prepare(notice)
        result = NoticeMatches(notice.id)
        for index in sorted(self._chosen_candidates(prepared)):
            match = score_pair(self.profiles[index], prepared, None, self.threshold, self.size_limits)
            if match is not None:
                result.singles.append((index, match))
        if self.scorer.units:
            self._match_units(prepared, result)
        return result

    def _match_units(self, prepared: PreparedNotice, result: NoticeMatches) -> None:
        scores = self.scorer.scores(prepared.notice.cpv[:3], prepared.terms)
        checked: set[int] = set()
        for row in np.flatnonzero(scores >= self.threshold).tolist():
            checked.update(self._unit_checked[row])
            if len(self._unit_plain[row]):
                explain = partial(self._unit_alert, row, prepared, scores)
                result.groups.append(UnitGroup(self._unit_plain[row], float(scores[row]), explain))
        for index in sorted(checked):
            evidence = sni_evidence(self.scorer, self._profile_units[index], prepared, scores)
            match = score_pair(self.profiles[index], prepared, evidence, self.threshold, self.size_limits)
            if match is not None:
                result.singles.append((index, match))

    def _unit_alert(self, row: int, prepared: PreparedNotice, scores: np.ndarray) -> Match:
        # A plain SNI profile has no filters and its unit is above the threshold, so an alert always results.
        first = self.profiles[int(self._unit_plain[row][0])]
        evidence = sni_evidence(self.scorer, [row], prepared, scores)
        match = score_pair(first, prepared, evidence, self.threshold, self.size_limits)
        assert match is not None
        return match

    def match(self, notice: MatchNotice) -> list[Match]:
        return list(self.match_notice(notice).matches(self.profile_ids))
