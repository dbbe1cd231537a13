"""The embedded candidate index: which profiles a notice alerts, decided with array operations, explained later.

Profiles that would get identical alerts (same SNI codes or chosen interests, same size, same filters) form one
*group*. Deciding a notice takes a few numpy operations over groups, never a Python loop over profiles:

- SNI groups: the notice is scored against every distinct (SNI code, size) unit at once (``ColumnScorer``); a
  group is alerted when one of its units reaches the threshold and its filters let the notice through.
- Groups with chosen CPV codes or keywords are looked up in postings (CPV prefix → groups, keyword → groups).
- Groups that only name places are alerted when the place gives a reason.
- Filters are decided once per distinct filter signature (``filters.FilterTable``).
- The candidates of all three kinds are joined in one array and deduplicated without sorting (``_allowed_once``):
  at 100,000 profiles a notice has ~1,600 candidates among ~32,000 groups, and the fixed cost of each numpy call
  (about a microsecond) is what the 10,000 notices/s budget is spent on, so the path keeps their number small.

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
from matcher.match.postings import Postings
from matcher.match.result import Groups, NoticeMatches
from matcher.match.vocabulary import KeywordVocabulary
from matcher.sni import Unit
from matcher.sni_tables import SniTables

NO_GROUP = -1
_CODE_CACHE = 50_000  # CPV has ~9,500 codes; the cap only guards against junk input


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
        self.groups = Groups.build(built.members, signatures, built.rows, built.interests,
                                   self.filters.place_of[signatures].tolist(), self.profile_ids)
        self._group_signature = signatures
        self._by_cpv = {prefix: _ids(groups) for prefix, groups in built.by_cpv.items()}
        self._by_code: dict[str, list[np.ndarray]] = {}  # a notice's CPV code → the postings of its prefixes
        self._by_keyword = [_ids(groups) for groups in built.by_keyword]
        self._by_keyword += [_ids([])] * (len(self.words.ids) - len(self._by_keyword))  # negative-only words
        self._places_only = _ids(built.places_only)
        self._places_only_signature = signatures[self._places_only]
        self._by_unit = Postings.from_lists(self._unit_postings(built.rows, len(built.units)))

    @staticmethod
    def _unit_postings(rows: list[tuple[int, ...]], units: int) -> list[list[int]]:
        """Unit → the SNI groups that have it (a group with several units is in several lists)."""
        lists: list[list[int]] = [[] for _ in range(units)]
        for group, group_rows in enumerate(rows):
            for row in group_rows:
                lists[row].append(group)
        return lists

    def unit_rows(self, profile_index: int) -> tuple[int, ...]:
        """The profile's rows in ``scorer.units`` (empty when its SNI codes are not what decides)."""
        group = int(self.profile_group[profile_index])
        return self.groups.rows[group] if group != NO_GROUP else ()

    def match_notice(self, notice: MatchNotice) -> NoticeMatches:
        prepared = prepare(notice)
        words = self.words.found_in(prepared)
        verdict = self.filters.verdict(prepared, words)
        found = self._chosen_postings(prepared, words)
        found.append(self._places_only[verdict.place_reason[self._places_only_signature]])
        scores = None
        if self.scorer.units:
            scores = self.scorer.scores(prepared.notice.cpv[:3], prepared.terms)
            found.append(self._by_unit.of_flagged(scores >= self.threshold))
        return NoticeMatches(notice.id, self._allowed_once(np.concatenate(found), verdict.allowed), self, prepared,
                             scores, verdict.places.reasons)

    def _allowed_once(self, candidates: np.ndarray, allowed: np.ndarray) -> np.ndarray:
        """The candidate groups that the filters let through, each once.

        A group reached by two postings (two CPV prefixes, a keyword, two SNI units) is a candidate twice. Each
        group's slot is overwritten with the position of one of its occurrences, and only that occurrence is kept:
        the cost is the number of candidates, with no sort and no pass over all groups."""
        positions = np.arange(len(candidates), dtype=np.int32)
        slot = np.empty(len(self._group_signature), dtype=np.int32)  # only the candidates' slots are read
        slot[candidates] = positions
        keep = slot[candidates] == positions
        keep &= allowed[self._group_signature[candidates]]
        return candidates[keep]

    def _chosen_postings(self, notice: PreparedNotice, words: list[int]) -> list[np.ndarray]:
        """The groups with chosen interests that one of the notice's CPV codes or keywords reaches."""
        found = []
        for code in notice.notice.cpv:
            postings = self._by_code.get(code)
            if postings is None:
                if len(self._by_code) > _CODE_CACHE:
                    self._by_code.clear()
                postings = self._by_code[code] = [self._by_cpv[code[:n]] for n in range(2, len(code) + 1)
                                                  if code[:n] in self._by_cpv]
            found.extend(postings)
        found.extend(self._by_keyword[word_id] for word_id in words)
        return found

    def match(self, notice: MatchNotice) -> list[Match]:
        return list(self.match_notice(notice).matches())

    def match_many(self, notices: Sequence[MatchNotice]) -> list[list[Match]]:
        return [self.match(notice) for notice in notices]
