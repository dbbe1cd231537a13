"""Swedish text analysis shared by the index backends: tokens, Snowball stems and compound parts.

Swedish writes compounds as one word ("snöröjning", "takarbeten"), so a search for "röjning" or "tak"
finds nothing in a plain stemmed index. We split compounds at index time against a Swedish word list
(the lemma table of spaCy's lookups data, MIT, a pinned dependency) and index the stemmed parts in a
column of their own: "snöröjning" → snö + röjning, "fastighetsunderhåll" → fastighet(s) + underhåll.
Queries are only stemmed, never split. The word list is loaded on first use (about 2 s, once per process)
and only by code that indexes.
"""

from __future__ import annotations

import gzip
import json
import re
from functools import cache, lru_cache
from importlib import resources

import Stemmer

TOKEN = re.compile(r"[^\W_]+")
STEM_PASSES = 3  # enough for every Swedish word we tried to reach its fixpoint
MIN_PART = 3  # shorter "parts" are mostly noise (a, en, i)
MIN_COMPOUND = 6  # a compound of two 3-letter words
KEEP_SHORT_LEMMAS = 8  # a base form shorter than this is a word of its own: kommun is not kom + mun
LINKING_LETTERS = ("s",)  # fogemorfem: fastighet-s-underhåll
DROPPED_VOWELS = ("a", "e")  # skol-måltid from skola, pojk-byxor from pojke


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


@cache
def _lookup() -> dict[str, str]:
    path = resources.files("spacy_lookups_data") / "data" / "sv_lemma_lookup.json.gz"
    with gzip.open(str(path), "rt", encoding="utf-8") as handle:
        lookup: dict[str, str] = json.load(handle)
    return lookup


def _usable(words: set[str]) -> frozenset[str]:
    return frozenset(w for w in words if len(w) >= MIN_PART and w.isalpha())


@cache
def swedish_words() -> frozenset[str]:
    """Every Swedish word form and lemma of at least MIN_PART letters."""
    return _usable({w.casefold() for pair in _lookup().items() for w in pair})


@cache
def swedish_lemmas() -> frozenset[str]:
    return _usable({w.casefold() for w in _lookup().values()})


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.casefold())


@lru_cache(maxsize=500_000)
def stem(word: str) -> str:
    """The Snowball stem, applied until it stops changing (at most STEM_PASSES times).

    Snowball's Swedish stemmer strips one suffix per pass, so "byggnader" → "byggnad" but "byggnad" →
    "byggn"; a second pass brings both to "byggn" (likewise entreprenad(er), leverans(er), månad(er)).
    A backend that wants the same terms applies its Swedish Snowball filter STEM_PASSES times.
    """
    stemmer = _stemmer()
    for _ in range(STEM_PASSES):
        word = stemmer.stemWord(word)
    return word


def stems(words: list[str]) -> list[str]:
    return [stem(word) for word in words]


@lru_cache(maxsize=100_000)
def text_stems(text: str) -> tuple[str, ...]:
    """The stems of a text, cached whole: buyer names and many titles recur from notice to notice."""
    return tuple(stems(tokens(text)))


def stemmed_text(text: str) -> str:
    """The text as space-separated stems (what a whitespace tokenizer of another backend reads)."""
    return " ".join(stems(tokens(text)))


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


@lru_cache(maxsize=200_000)
def compound_parts(word: str) -> tuple[str, ...]:
    """The parts of a Swedish compound, () when it is not one; the head part may split again."""
    if len(word) < MIN_COMPOUND or (len(word) < KEEP_SHORT_LEMMAS and word in swedish_lemmas()):
        return ()
    words = swedish_words()
    cuts = [(word[:cut], word[cut:]) for cut in range(MIN_PART, len(word) - MIN_PART + 1)]
    # Two parts that are both words first (the longest head wins), only then a head that splits again.
    for left, head in cuts:
        modifier = _modifier(left, words)
        if modifier is not None and head in words:
            return (modifier, head)
    splits = []
    for left, head in cuts:
        modifier = _modifier(left, words)
        head_parts = compound_parts(head) if modifier is not None else ()
        if modifier is not None and head_parts:
            splits.append((modifier, *head_parts))
    return min(splits, key=len, default=())  # the fewest parts: kultur+vårds+skötsel, not kul+tur+...


def part_stems(text: str) -> list[str]:
    """Stems of the compound parts of every word in the text (may be empty)."""
    parts = [part for word in dict.fromkeys(tokens(text)) for part in compound_parts(word)]
    # A part can be a compound of its own: snöröjnings|entreprenad also holds röjning.
    parts += [sub for part in parts for sub in compound_parts(part)]
    return stems(parts)


@lru_cache(maxsize=200_000)
def word_part_stems(word: str) -> tuple[str, ...]:
    """Stems of a word's compound parts and of their parts; over a text's distinct words, the same
    stems as :func:`part_stems` (in another order), at a dictionary lookup per word."""
    parts = compound_parts(word)
    return tuple(stems([*parts, *(sub for part in parts for sub in compound_parts(part))]))


def stemmed_parts(text: str) -> str:
    """:func:`part_stems`, space-separated."""
    return " ".join(part_stems(text))
