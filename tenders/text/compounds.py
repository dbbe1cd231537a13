"""Compound parts: "snöröjning" → snö + röjning, "fastighetsunderhåll" → fastighet(s) + underhåll.

Swedish writes compounds as one word, so a search for "röjning" or "tak" finds nothing in a plain stemmed index.
A word is split against a Swedish word list (every form and lemma of spaCy's lookups data, MIT, a pinned dependency),
loaded on first use (about 2 s, once per process). A first part may carry a linking s (fastighet-s-underhåll) or have
dropped a vowel (skol-måltid from skola); two parts that are both words win (the longest head first), otherwise the
fewest parts where the head splits again (kultur + vård + skötsel).

Bounded: a word longer than MAX_SPLIT_CHARS is not split, and a word is split by dynamic programming over its
suffixes (each suffix once, no recursion), so one word costs at most ~MAX_SPLIT_CHARS² dictionary lookups and a
text of any length costs time linear in its length. (The recursive version this replaces was quadratic in memory
per word and ended with RecursionError on a title of "tak" × 1000.)
"""

from __future__ import annotations

import gzip
import json
from functools import cache, lru_cache
from importlib import resources

from tenders.text.limits import MAX_SPLIT_CHARS
from tenders.text.stemmer import stem

MIN_PART = 3  # shorter "parts" are mostly noise (a, en, i)
MIN_COMPOUND = 6  # a compound of two 3-letter words
KEEP_SHORT_LEMMAS = 8  # a base form shorter than this is a word of its own: kommun is not kom + mun
LINKING_LETTERS = ("s",)  # fogemorfem: fastighet-s-underhåll
DROPPED_VOWELS = ("a", "e")  # skol-måltid from skola, pojk-byxor from pojke
Parts = tuple[str, ...]


def _lookup() -> dict[str, str]:
    path = resources.files("spacy_lookups_data") / "data" / "sv_lemma_lookup.json.gz"
    with gzip.open(str(path), "rt", encoding="utf-8") as handle:
        lookup: dict[str, str] = json.load(handle)
    return lookup


@cache
def _word_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(every word form and lemma, the lemmas) of at least MIN_PART letters; the lookup table itself is not kept
    (it would hold ~90 MB more), and a lemma is the same string object in both sets."""
    lookup = _lookup()
    words = {w: w for w in (w.casefold() for pair in lookup.items() for w in pair)
             if len(w) >= MIN_PART and w.isalpha()}
    lemmas = frozenset(words[w] for w in (v.casefold() for v in lookup.values()) if w in words)
    return frozenset(words), lemmas


def swedish_words() -> frozenset[str]:
    """Every Swedish word form and lemma of at least MIN_PART letters."""
    return _word_sets()[0]


def swedish_lemmas() -> frozenset[str]:
    return _word_sets()[1]


def _modifier(left: str, words: frozenset[str]) -> str | None:
    """The dictionary word a compound's first part stands for, allowing a linking s or a dropped vowel."""
    if left in words:
        return left
    if left.endswith(LINKING_LETTERS) and left[:-1] in words and len(left) > MIN_PART:
        return left[:-1]
    for vowel in DROPPED_VOWELS:
        if left + vowel in words:
            return left + vowel
    return None


class _Splitter:
    """The parts of every suffix of one word that a split of the word needs, each computed once."""

    def __init__(self, word: str) -> None:
        self.word = word
        self.words = swedish_words()
        self.lemmas = swedish_lemmas()
        self.parts: dict[int, Parts] = {}  # suffix start → its parts (() when it is no compound)
        self.modifiers: dict[int, list[tuple[int, str]]] = {}  # suffix start → (head start, modifier) per cut

    def _first_try(self, start: int) -> Parts | None:
        """The suffix's parts when they need no other suffix: not a compound, or two parts that are both words."""
        rest = self.word[start:]
        if len(rest) < MIN_COMPOUND or (len(rest) < KEEP_SHORT_LEMMAS and rest in self.lemmas):
            return ()
        cuts = []
        for cut in range(MIN_PART, len(rest) - MIN_PART + 1):
            modifier = _modifier(rest[:cut], self.words)
            if modifier is None:
                continue
            if rest[cut:] in self.words:
                return (modifier, rest[cut:])
            cuts.append((start + cut, modifier))
        self.modifiers[start] = cuts
        return None

    def split(self) -> Parts:
        pending = [0]
        while pending:
            start = pending[-1]
            if start in self.parts:
                pending.pop()
                continue
            if start not in self.modifiers:
                first = self._first_try(start)
                if first is not None:
                    self.parts[start] = first
                    pending.pop()
                    continue
            missing = [head for head, _ in self.modifiers[start] if head not in self.parts]
            if missing:
                pending.extend(missing)
                continue
            splits = [(modifier, *self.parts[head]) for head, modifier in self.modifiers[start] if self.parts[head]]
            self.parts[start] = min(splits, key=len, default=())  # the fewest parts; ties: the shortest modifier
            pending.pop()
        return self.parts[0]


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> Parts:
    """The parts of a case-folded Swedish compound, () when it is not one (or longer than MAX_SPLIT_CHARS)."""
    if len(word) > MAX_SPLIT_CHARS or len(word) < MIN_COMPOUND:
        return ()
    return _Splitter(word).split()


@lru_cache(maxsize=200_000)
def word_parts(word: str) -> Parts:
    """A word's compound parts and their own parts (snöröjnings|entreprenad also holds röjning)."""
    parts = compound_parts(word)
    return (*parts, *(sub for part in parts for sub in compound_parts(part)))


@lru_cache(maxsize=200_000)
def word_part_stems(word: str) -> tuple[str, ...]:
    """Stems of :func:`word_parts`."""
    return tuple(stem(p) for p in word_parts(word))
