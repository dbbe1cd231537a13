"""The features the CPV text classifier sees for a Doc, and the thinc layer that hashes them.

Short Swedish titles share little surface text ("Snöröjning" vs "Vinterväghållning"), so each word contributes its
lemma, its compound parts (from the ``compound_splitter`` component) and the character n-grams of its lemma;
neighbouring lemmas contribute bigrams, and the words as written contribute character 2–5-grams (inflections and
abbreviations the lemma table does not know, e.g. "OVK", "el-cyklar"). Each feature group is L2-normalised on its own,
so a long description does not drown the word features and a title of three words is not outweighed by its own
character n-grams.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise

from spacy.tokens import Doc, Token

WORD = re.compile(r"[^\W\d_]+")
CHAR_NGRAMS = (3, 4, 5)
RAW_CHAR_NGRAMS = (2, 3, 4, 5)
MAX_TOKENS = 400  # a whole tender document adds little beyond its first paragraphs and costs time


def token_words(token: Token) -> list[str]:
    """The letters-only lemma of a token ('Ramavtal,' → 'ramavtal'); '' for numbers and punctuation."""
    return WORD.findall((token.lemma_ or token.text).lower())


def doc_features(doc: Doc) -> dict[str, float]:
    """Feature name → weight for one Doc."""
    words: list[str] = []
    parts: list[str] = []
    for token in doc[:MAX_TOKENS]:
        for word in token_words(token):
            words.append(word)
        if Token.has_extension("parts"):
            parts.extend(token._.parts)
    groups = {
        "w": Counter(words),
        "b": Counter(f"{a}|{b}" for a, b in pairwise(words)),
        "p": Counter(parts),
        "c": Counter(_char_ngrams(words)),
        "r": Counter(_char_ngrams((token.lower_ for token in doc[:MAX_TOKENS] if not token.is_space), RAW_CHAR_NGRAMS)),
    }
    features: dict[str, float] = {}
    for prefix, counts in groups.items():
        norm = math.sqrt(sum(n * n for n in counts.values())) or 1.0
        for name, count in counts.items():
            features[f"{prefix}={name}"] = count / norm
    return features


def _char_ngrams(words: Iterable[str], sizes: tuple[int, ...] = CHAR_NGRAMS) -> Iterable[str]:
    for word in words:
        padded = f"<{word}>"
        for n in sizes:
            for start in range(len(padded) - n + 1):
                yield padded[start : start + n]
