"""Title terms: lower-cased Swedish Snowball stems of the words in a notice title.

The SNI tables count these per winning supplier, and the matcher looks them up, so both must use this one function.
"""

from __future__ import annotations

import re
from functools import cache

import Stemmer

# Words in nearly every Swedish notice title; they say nothing about who wins it.
STOPWORDS = frozenset({
    "och", "för", "med", "samt", "till", "av", "på", "i", "en", "ett", "det", "den", "som", "inom", "från",
    "vid", "om", "upphandling", "upphandlingar", "ramavtal", "avtal", "tjänster", "tjänst", "leverans",
    "köp", "inköp", "avseende", "gällande", "del", "delar", "nytt", "ny", "nya", "2020", "2021", "2022",
    "2023", "2024", "2025", "2026",
})
_WORD = re.compile(r"[a-zåäöéü]{3,}")


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("swedish")


def title_terms(text: str | None) -> list[str]:
    """Distinct stems of the title's words (3+ letters, no stopwords), in first-seen order."""
    if not text:
        return []
    words = [w for w in _WORD.findall(text.casefold()) if w not in STOPWORDS]
    return list(dict.fromkeys(_stemmer().stemWords(words)))


def title_words_by_term(text: str | None) -> dict[str, str]:
    """Each title stem → the first word it came from, to show the company its own words, not stems."""
    if not text:
        return {}
    words = [w for w in _WORD.findall(text.casefold()) if w not in STOPWORDS]
    mapping: dict[str, str] = {}
    for word, stem in zip(words, _stemmer().stemWords(words), strict=True):
        mapping.setdefault(stem, word)
    return mapping
