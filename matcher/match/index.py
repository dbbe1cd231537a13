"""The embedded candidate index: which profiles a notice alerts, decided with array operations, explained later.

Profiles that would get identical alerts (same SNI codes or chosen interests, same size, same filters) form one
*group*. Deciding a notice takes a few numpy operations over groups, never a Python loop over profiles:

- SNI groups: the notice is scored against every distinct (SNI code, size) unit at once (``ColumnScorer``); a
  group is alerted when one of its units reaches the threshold and its filters let the notice through.
- Groups with chosen CPV codes or keywords are looked up in postings (CPV prefix → groups, keyword → groups).
- Groups that only name places are alerted when the place gives a reason.
- Filters are decided once per distinct filter signature (``filters.FilterTable``).

Scores and Swedish reasons are written only for alerts that are read, by the same pure ``score_pair`` for one
representative profile per group (``result.NoticeMatches``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from matcher.match.columns import ColumnScorer
from matcher.match.filters import FilterTable
from matcher.match.model import Match, MatchNotice, MatchProfile
from matcher.match.notice import PreparedNotice, prepare
from matcher.match.postings import Postings, distinct
from matcher.match.result import Groups, NoticeMatches
from matcher.match.vocabulary import KeywordVocabulary
from profiles.sni import Unit
from profiles.sni_tables import SniTables

NO_GROUP = -1


def _ids(values: Sequence[int] | set[int]) -> np.ndarray:
    return np.array(sorted(values), dtype=np.int64)


class _Builder:
    """Collects groups, units and postings while the profiles are read once."""

    def __init__(self) -> None:
        self.words = KeywordVocabulary()  # keywords and negative keywords: one pass over a notice's words
        self.filters = FilterTable(self.words)
        self.units: dict[Unit, int] = {}
        self.group_ids: dict[tuple[object, ...], int] = {}
        self.members: list[list[int]] = []
        self.rows: list[tuple[int, ...]] = []  # per group: its SNI units (empty: not an SNI group)
        self.signatures: list[int] = []
        self.interest_ids: dict[tuple[object, ...], int] = {}
        self.interests: list[int] = []  # per group: its interests (the group key without the filters)
        self.by_cpv: dict[str, set[int]] = {}
        self.by_keyword: list[set[int]] = []
        self.places_only: list[int] = []

    def add(self, index: int, profile: MatchProfile) -> int:
        signature = self.filters.signature(profile)
        key = self._key(profile, signature)
        if key is None:
            return NO_GROUP  # no interests, no SNI code, no place: nothing can alert it
        group = self.group_ids.get(key)
        if group is None:
            group = self._new_group(key, profile, signature)
        self.members[group].append(index)
        return group

    @staticmethod
    def _key(profile: MatchProfile, signature: int) -> tuple[object, ...] | None:
        # everything score_pair reads from a profile, except its id
        if profile.chose_interests:
            return "chosen", tuple(profile.cpv), tuple(profile.keywords), profile.company_size, signature
        if profile.sni:
            return "sni", tuple(profile.sni), profile.company_size, signature
        if profile.municipalities or profile.nuts:
            return "places", profile.company_size, signature
        return None

    def _new_group(self, key: tuple[object, ...], profile: MatchProfile, signature: int) -> int:
        group = self.group_ids[key] = len(self.members)
        self.members.append([])
        self.signatures.append(signature)
        # Filters only decide; once a notice passes them, groups with the same interests and size get the same
        # evidence, and with the same place reason the same alert: they share one explanation per notice.
        self.interests.append(self.interest_ids.setdefault(key[:-1], len(self.interest_ids)))
        rows: tuple[int, ...] = ()
        if key[0] == "sni":
            rows = tuple(self.units.setdefault((c, profile.company_size), len(self.units)) for c in profile.sni)
        elif key[0] == "chosen":
            for prefix in profile.cpv:
                self.by_cpv.setdefault(prefix, set()).add(group)
            for word_id in self.words.add_all(profile.keywords):
                while len(self.by_keyword) <= word_id:
                    self.by_keyword.append(set())
                self.by_keyword[word_id].add(group)
        else:
            self.places_only.append(group)
        self.rows.append(rows)
        return group


class CandidateIndex:
    def __init__(self, profiles: Sequence[MatchProfile], tables: SniTables) -> None:
        self.profiles = list(profiles)
        self.profile_ids = [p.id for p in self.profiles]
        built = _Builder()
        self.profile_group = np.array([built.add(i, p) for i, p in enumerate(self.profiles)], dtype=np.int64)
        built.filters.freeze()
        self.filters, self.words = built.filters, built.words
        self.scorer = ColumnScorer(tables, list(built.units))
        self.threshold = self.scorer.threshold
        self.size_limits = {size: tables.params[f"value_p90_{size}"] for size in ("micro", "small", "medium", "large")
                            if f"value_p90_{size}" in tables.params}
        signatures = np.array(built.signatures, dtype=np.int64)
        self.groups = Groups(Postings.from_lists(built.members), signatures, built.rows, built.interests,
                             self.filters.place_of[signatures].tolist(), [m[0] for m in built.members])
        self._by_cpv = {prefix: _ids(groups) for prefix, groups in built.by_cpv.items()}
        self._by_keyword = [_ids(groups) for groups in built.by_keyword]
        self._by_keyword += [_ids([])] * (len(self.words.ids) - len(self._by_keyword))  # negative-only words
        self._places_only = _ids(built.places_only)
        self._by_unit, self._by_unit_multi = self._unit_postings(built.rows, len(built.units))

    @staticmethod
    def _unit_postings(rows: list[tuple[int, ...]], units: int) -> tuple[Postings, Postings]:
        """Unit → SNI groups, apart for groups with one unit and with several (those must be deduplicated)."""
        single: list[list[int]] = [[] for _ in range(units)]
        multi: list[list[int]] = [[] for _ in range(units)]
        for group, group_rows in enumerate(rows):
            for row in group_rows:
                (single if len(group_rows) == 1 else multi)[row].append(group)
        return Postings.from_lists(single), Postings.from_lists(multi)

    def unit_rows(self, profile_index: int) -> tuple[int, ...]:
        """The profile's rows in ``scorer.units`` (empty when its SNI codes are not what decides)."""
        group = int(self.profile_group[profile_index])
        return self.groups.rows[group] if group != NO_GROUP else ()

    def match_notice(self, notice: MatchNotice) -> NoticeMatches:
        prepared = prepare(notice)
        words = self.words.found_in(prepared)
        verdict = self.filters.verdict(prepared, words)
        found = [self._chosen_groups(prepared, words), self._places_only[verdict.place_reason[
            self.groups.signature[self._places_only]]]]
        scores = None
        if self.scorer.units:
            scores = self.scorer.scores(prepared.notice.cpv[:3], prepared.terms)
            found.extend(self._sni_hits(scores))
        alerted = np.concatenate(found)
        return NoticeMatches(notice.id, alerted[verdict.allowed[self.groups.signature[alerted]]], self, prepared,
                             scores, verdict.places.reasons)

    def _sni_hits(self, scores: np.ndarray) -> list[np.ndarray]:
        units = np.flatnonzero(scores >= self.threshold)
        return [self._by_unit.take(units), distinct(self._by_unit_multi.take(units))]

    def _chosen_groups(self, notice: PreparedNotice, words: list[int]) -> np.ndarray:
        found = []
        for code in notice.notice.cpv:
            for length in range(2, len(code) + 1):
                posting = self._by_cpv.get(code[:length])
                if posting is not None:
                    found.append(posting)
        found.extend(self._by_keyword[word_id] for word_id in words if len(self._by_keyword[word_id]))
        if not found:
            return np.zeros(0, dtype=np.int64)
        return found[0] if len(found) == 1 else distinct(np.concatenate(found))

    def match(self, notice: MatchNotice) -> list[Match]:
        return list(self.match_notice(notice).matches())

    def match_many(self, notices: Sequence[MatchNotice]) -> list[list[Match]]:
        return [self.match(notice) for notice in notices]
