"""The features the CPV text classifier sees for a Doc, and the thinc layer that hashes them.

Short Swedish titles share little surface text ("Snöröjning" vs "Vinterväghållning"), so each word contributes its
lemma, its compound parts (from the ``compound_splitter`` component) and the character n-grams of its lemma;
neighbouring lemmas contribute bigrams. Each feature group is L2-normalised on its own, so a long description does
not drown the word features and a title of three words is not outweighed by its own character n-grams.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from typing import Any

import numpy
from spacy.strings import hash_string  # type: ignore[attr-defined]
from spacy.tokens import Doc, Token
from thinc.api import Model

WORD = re.compile(r"[^\W\d_]+")
CHAR_NGRAMS = (3, 4, 5)
MAX_TOKENS = 400
FEATURE_CACHE = "anbudsvakt_features"  # a whole tender document adds little beyond its first paragraphs and costs time


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
    }
    features: dict[str, float] = {}
    for prefix, counts in groups.items():
        norm = math.sqrt(sum(n * n for n in counts.values())) or 1.0
        for name, count in counts.items():
            features[f"{prefix}={name}"] = count / norm
    return features


def _char_ngrams(words: Iterable[str]) -> Iterable[str]:
    for word in words:
        padded = f"<{word}>"
        for n in CHAR_NGRAMS:
            for start in range(len(padded) - n + 1):
                yield padded[start : start + n]


def hashed_features(docs: list[Doc]) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """The (keys, values, lengths) triple that thinc's SparseLinear reads."""
    keys: list[int] = []
    values: list[float] = []
    lengths: list[int] = []
    for doc in docs:
        # Training shows each Doc once per epoch: keep its hashed features on the Doc instead of recomputing.
        if FEATURE_CACHE not in doc.user_data:
            features = doc_features(doc)
            doc.user_data[FEATURE_CACHE] = ([hash_string(name) for name in features], list(features.values()))
        doc_keys, doc_values = doc.user_data[FEATURE_CACHE]
        keys.extend(doc_keys)
        values.extend(doc_values)
        lengths.append(len(doc_keys))
    return (
        numpy.asarray(keys, dtype="uint64"),
        numpy.asarray(values, dtype="float32"),
        numpy.asarray(lengths, dtype="int32"),
    )


def title_feature_extractor() -> Model:
    def forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[Any, Any]:
        keys, values, lengths = hashed_features(docs)
        ops: Any = model.ops
        return (ops.asarray(keys), ops.asarray(values), ops.asarray(lengths)), lambda d_out: []

    return Model("title_features", forward)
