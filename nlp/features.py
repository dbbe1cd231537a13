"""The features the CPV text classifier sees for a Doc, and the thinc layer that hashes them.

Short Swedish titles share little surface text ("Snöröjning" vs "Vinterväghållning"), so each word contributes its
lemma, the stems of its compound parts (from the ``compound_splitter`` component: ``tenders.text``'s split) and the
character n-grams of its lemma; neighbouring lemmas contribute bigrams, and the words as written contribute character
2–5-grams (inflections and abbreviations the lemma table does not know, e.g. "OVK", "el-cyklar"). Each feature group is
L2-normalised on its own, so a long description does not drown the word features and a title of three words is not
outweighed by its own character n-grams.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from itertools import chain, pairwise

from spacy.tokens import Doc, Token

WORD = re.compile(r"[^\W\d_]+")
CHAR_NGRAMS = (3, 4, 5)
RAW_CHAR_NGRAMS = (2, 3, 4, 5)
MAX_TOKENS = 400  # a whole tender document adds little beyond its first paragraphs and costs time


PARTS_KEY = "compound_parts"  # doc.user_data: token index → parts, for the tokens that have any (pipeline.py)
MAX_CACHED_WORDS = 200_000  # per-word caches of a long-running service stay bounded


def token_words(token: Token) -> list[str]:
    """The letters-only lemma of a token ('Ramavtal,' → 'ramavtal'); '' for numbers and punctuation."""
    return WORD.findall((token.lemma_ or token.text).lower())


def doc_features(doc: Doc) -> dict[str, float]:
    """Feature name → weight for one Doc.

    Every word's n-grams and letters-only lemma are computed once per process (the vocabulary of notices repeats),
    and each group's names are counted in the order they first occur, so the features — names, weights and their
    order, which the sparse row and its norm follow — are exactly those of the plain computation
    (``tests/nlp/test_features.py`` checks against it)."""
    words: list[str] = []
    parts: list[str] = []
    lowers: list[str] = []
    stored_parts = doc.user_data.get(PARTS_KEY)
    read_parts = stored_parts is None and Token.has_extension("parts")
    for position, token in enumerate(doc[:MAX_TOKENS]):
        words.extend(_lemma_words(token.lemma_ or token.text))
        if not token.is_space:
            lowers.append(token.lower_)
        if stored_parts is not None:
            parts.extend(stored_parts.get(position, ()))
        elif read_parts:
            parts.extend(token._.parts)
    groups = (
        Counter(f"w={word}" for word in words),
        Counter(f"b={a}|{b}" for a, b in pairwise(words)),
        Counter(f"p={part}" for part in parts),
        Counter(chain.from_iterable(_char_ngram_names("c", word, CHAR_NGRAMS) for word in words)),
        Counter(chain.from_iterable(_char_ngram_names("r", lower, RAW_CHAR_NGRAMS) for lower in lowers)),
    )
    features: dict[str, float] = {}
    for counts in groups:
        norm = math.sqrt(sum(n * n for n in counts.values())) or 1.0
        for name, count in counts.items():
            features[name] = count / norm
    return features


_lemma_words_cache: dict[str, list[str]] = {}
_ngram_names_cache: dict[tuple[str, str], tuple[str, ...]] = {}


def _lemma_words(lemma: str) -> list[str]:
    found = _lemma_words_cache.get(lemma)
    if found is None:
        if len(_lemma_words_cache) > MAX_CACHED_WORDS:
            _lemma_words_cache.clear()
        found = _lemma_words_cache[lemma] = WORD.findall(lemma.lower())
    return found


def _char_ngram_names(prefix: str, word: str, sizes: tuple[int, ...]) -> tuple[str, ...]:
    """The feature names of a word's character n-grams ("c=<sn", …), in the order :func:`_char_ngrams` gives them."""
    key = (prefix, word)
    names = _ngram_names_cache.get(key)
    if names is None:
        if len(_ngram_names_cache) > MAX_CACHED_WORDS:
            _ngram_names_cache.clear()
        names = _ngram_names_cache[key] = tuple(f"{prefix}={gram}" for gram in _char_ngrams([word], sizes))
    return names


def _char_ngrams(words: Iterable[str], sizes: tuple[int, ...] = CHAR_NGRAMS) -> Iterable[str]:
    for word in words:
        padded = f"<{word}>"
        for n in sizes:
            for start in range(len(padded) - n + 1):
                yield padded[start : start + n]
