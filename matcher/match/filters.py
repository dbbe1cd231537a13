"""The filters of many profiles, decided for one notice at once.

Profiles name few distinct filter combinations (notice kinds, places, negative keywords, value range): each
distinct combination is one *signature*, and a notice is checked against every signature with a few numpy
operations. Places and kinds are decided by the pure functions themselves (``place_match``, ``passes_filters``
use the same rules) on one representative profile per distinct place or kind set, and remembered per notice
place and kind, which repeat from notice to notice.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np

from matcher.match.model import MatchProfile
from matcher.match.notice import PreparedNotice
from matcher.match.score import place_match
from matcher.match.vocabulary import KeywordVocabulary

_PLACE_CACHE = 256
Places = tuple[tuple[str, ...], tuple[str, ...]]  # (municipalities, nuts) as the profile gives them


@dataclass(frozen=True)
class PlaceVerdict:
    allowed: np.ndarray  # per distinct place choice
    has_reason: np.ndarray
    reasons: list[str | None]  # what ``place_match`` says, per distinct place choice


@dataclass(frozen=True)
class Verdict:
    allowed: np.ndarray  # per signature: the notice passes every filter
    place_reason: np.ndarray  # per signature: the place gives a reason (what a places-only profile needs)
    places: PlaceVerdict


class FilterTable:
    def __init__(self, words: KeywordVocabulary) -> None:
        self._ids: dict[tuple[object, ...], int] = {}
        self._kind_sets: dict[frozenset[str], int] = {}
        self._places: dict[Places, int] = {}
        self._place_examples: list[MatchProfile] = []
        self._rows: list[tuple[int, int, float, float]] = []  # kind set, places, value min, value max
        self._negatives: list[list[int]] = []  # keyword id → signatures that exclude it
        self.words = words  # shared with the keywords of chosen interests
        self._place_cache: OrderedDict[tuple[str | None, tuple[str, ...]], PlaceVerdict] = OrderedDict()
        self._kind_cache: dict[str, np.ndarray] = {}
        self._base_cache: OrderedDict[tuple[str, str | None, tuple[str, ...]], Verdict] = OrderedDict()

    def signature(self, profile: MatchProfile) -> int:
        places = (tuple(profile.municipalities), tuple(profile.nuts))
        key = (frozenset(profile.notice_kinds), places, tuple(profile.negative_keywords), profile.value_min_sek,
               profile.value_max_sek)
        known = self._ids.get(key)
        if known is not None:
            return known
        self._ids[key] = signature = len(self._ids)
        kinds = self._kind_sets.setdefault(key[0], len(self._kind_sets))
        if places not in self._places:
            self._places[places] = len(self._places)
            self._place_examples.append(profile)
        low, high = profile.value_min_sek, profile.value_max_sek
        self._rows.append((kinds, self._places[places], np.nan if low is None else low,
                           np.nan if high is None else high))
        for word_id in self.words.add_all(profile.negative_keywords):
            while len(self._negatives) <= word_id:
                self._negatives.append([])
            self._negatives[word_id].append(signature)
        return signature

    def freeze(self) -> None:
        rows = np.array(self._rows, dtype=np.float64).reshape(-1, 4)
        self._kind_of, self.place_of = rows[:, 0].astype(np.int64), rows[:, 1].astype(np.int64)
        # only the signatures with a value bound are compared with a notice's value
        self._ranged = np.flatnonzero(np.isfinite(rows[:, 2:]).any(axis=1))
        self._ranged_min, self._ranged_max = rows[self._ranged, 2], rows[self._ranged, 3]
        self._negatives += [[]] * (len(self.words.ids) - len(self._negatives))
        self._negative_postings = [np.array(s, dtype=np.int64) for s in self._negatives]
        self._kind_list = list(self._kind_sets)

    def verdict(self, notice: PreparedNotice, words: list[int]) -> Verdict:
        """``words``: the ids of ``self.words`` found in the notice."""
        base = self._kind_and_place(notice)
        excluded = [self._negative_postings[word_id] for word_id in words if len(self._negative_postings[word_id])]
        value = notice.notice.estimated_value_sek
        if value is not None and len(self._ranged):
            # NaN (no bound) compares false, so only a real bound can exclude
            excluded.append(self._ranged[(value < self._ranged_min) | (value > self._ranged_max)])
        if not excluded:
            return base
        allowed = base.allowed.copy()  # the base is shared by every notice of this kind and place
        for signatures in excluded:
            allowed[signatures] = False
        return Verdict(allowed, base.place_reason, base.places)

    def _kind_and_place(self, notice: PreparedNotice) -> Verdict:
        """The verdict of kinds and places alone, per signature; kinds and places repeat from notice to notice."""
        kind = notice.notice.kind or "competition"
        key = (kind, notice.municipality, notice.nuts)
        cached = self._base_cache.get(key)
        if cached is None:
            places = self._place_verdict(notice)
            allowed = self._kinds_allowed(kind)[self._kind_of] & places.allowed[self.place_of]
            place_reason = places.has_reason[self.place_of]
            allowed.flags.writeable = place_reason.flags.writeable = False
            cached = Verdict(allowed, place_reason, places)
            self._base_cache[key] = cached
            if len(self._base_cache) > _PLACE_CACHE:
                self._base_cache.popitem(last=False)
        return cached

    def _kinds_allowed(self, kind: str) -> np.ndarray:
        cached = self._kind_cache.get(kind)
        if cached is None:
            cached = np.array([not kinds or kind in kinds for kinds in self._kind_list], dtype=bool)
            self._kind_cache[kind] = cached
        return cached

    def _place_verdict(self, notice: PreparedNotice) -> PlaceVerdict:
        key = (notice.municipality, notice.nuts)
        cached = self._place_cache.get(key)
        if cached is None:
            verdicts = [place_match(example, notice) for example in self._place_examples]
            reasons = [reason for _, reason in verdicts]
            cached = PlaceVerdict(np.array([allowed for allowed, _ in verdicts], dtype=bool),
                                  np.array([reason is not None for reason in reasons], dtype=bool), reasons)
            self._place_cache[key] = cached
            if len(self._place_cache) > _PLACE_CACHE:
                self._place_cache.popitem(last=False)
        return cached
