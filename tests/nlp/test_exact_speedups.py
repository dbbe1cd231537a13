"""The classification step's speed-ups change no result, over every fixture notice and the example data (Exempeldata):
the features and sparse rows equal the plain computation (same names, weights and order), compound parts on tokens
are those of the plain split, and the EntityRuler is skipped only for texts in which it finds nothing the size
assessment uses."""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy
import pytest
from scipy.sparse import csr_matrix
from spacy.tokens import Doc, Token

import nlp.entities
from nlp.annotate import annotate_many
from nlp.classify import CpvClassifier, clean_text
from nlp.compounds import part_stems
from nlp.ensemble import FeatureSpace
from nlp.entities import LABEL_WORDS, MAX_TEXT_CHARS, build_entity_pipeline, could_hold
from nlp.features import CHAR_NGRAMS, MAX_TOKENS, RAW_CHAR_NGRAMS, WORD
from nlp.features import doc_features as fast_features
from nlp.size import size_text
from tenders.demo import demo_tenders
from tenders.model import Tender
from tenders.parse import NoticeParseError, parse_notice

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CRAFTED = [
    "Uppskattat värde 100kr per timme", "ca 2 MSEK exkl. moms", "Budget: 500 000 SEK-", "3 tkr/st", "Krav på kr.",
    "Avtalstiden är 24 månader med möjlighet till förlängning 2 x 12 månader", "option 1+1 år", "tre delområden",
    "Upphandlingen omfattar 12 anbudsområden", "fördelar och nackdelar", "krav och kriterier", "köru kr",
]


@pytest.fixture(scope="module")
def notices() -> list[Tender]:
    parsed = []
    for path in sorted(FIXTURES.rglob("*.xml")):
        try:
            parsed.append(parse_notice(path.read_bytes(), source="file"))
        except NoticeParseError:
            continue  # hostile and broken fixtures
    return parsed + demo_tenders(today=date(2026, 6, 1))


def _plain_char_ngrams(words: list[str], sizes: tuple[int, ...]) -> list[str]:
    return [f"<{w}>"[start : start + n] for w in words for n in sizes for start in range(len(w) + 3 - n)]


def plain_features(doc: Doc) -> dict[str, float]:
    """The features as first written: every token's lemma and parts read anew, every n-gram built anew."""
    words = [word for token in doc[:MAX_TOKENS] for word in WORD.findall((token.lemma_ or token.text).lower())]
    parts = [part for token in doc[:MAX_TOKENS] for part in token._.parts] if Token.has_extension("parts") else []
    lowers = [token.lower_ for token in doc[:MAX_TOKENS] if not token.is_space]
    groups = {"w": Counter(words), "b": Counter(f"{a}|{b}" for a, b in pairwise(words)), "p": Counter(parts),
              "c": Counter(_plain_char_ngrams(words, CHAR_NGRAMS)),
              "r": Counter(_plain_char_ngrams(lowers, RAW_CHAR_NGRAMS))}
    features: dict[str, float] = {}
    for prefix, counts in groups.items():
        norm = math.sqrt(sum(n * n for n in counts.values())) or 1.0
        for name, count in counts.items():
            features[f"{prefix}={name}"] = count / norm
    return features


def plain_rows(space: FeatureSpace, documents: list[dict[str, float]]) -> csr_matrix:
    indptr, indices, values = [0], [], []
    for features in documents:
        weighted = [(space.columns[n], v * float(space.idf[space.columns[n]])) for n, v in features.items()
                    if n in space.columns]
        norm = math.sqrt(sum(v * v for _, v in weighted)) or 1.0
        indices += [column for column, _ in weighted]
        values += [v / norm for _, v in weighted]
        indptr.append(len(indices))
    return csr_matrix((numpy.asarray(values, "float32"), indices, indptr), shape=(len(documents), len(space.columns)))


def test_features_and_rows_are_those_of_the_plain_computation(cpv_classifier: CpvClassifier,
                                                             notices: list[Tender]) -> None:
    texts = [clean_text(t.text()) for t in notices] + CRAFTED
    docs = list(cpv_classifier.nlp.pipe(texts, disable=["cpv_ensemble"]))
    fast = [fast_features(doc) for doc in docs]
    plain = [plain_features(doc) for doc in docs]
    assert [list(f.items()) for f in fast] == [list(p.items()) for p in plain]  # order too: the sums follow it
    space = cpv_classifier.nlp.get_pipe("cpv_ensemble").ensemble.space
    fast_rows, expected = space.transform(fast), plain_rows(space, plain)
    for part in ("data", "indices", "indptr"):
        assert numpy.array_equal(getattr(fast_rows, part), getattr(expected, part))


def test_compound_parts_are_those_of_the_plain_split(cpv_classifier: CpvClassifier, notices: list[Tender]) -> None:
    for doc in cpv_classifier.nlp.pipe([t.text() for t in notices[:60]], disable=["cpv_ensemble"]):
        assert [token._.parts for token in doc] == [part_stems(token.lower_) for token in doc]


def test_the_entity_ruler_is_skipped_only_where_it_finds_nothing(notices: list[Tender]) -> None:
    ruler = build_entity_pipeline()
    skipped = 0
    for text in [size_text(t) for t in notices] + CRAFTED:
        found = {entity.label_ for entity in ruler(text[:MAX_TEXT_CHARS]).ents}
        for label in LABEL_WORDS:
            skipped += not could_hold(text, [label])
            assert label not in found or could_hold(text, [label]), (label, text)
    assert skipped > len(notices)  # the pre-check does spare work


def test_classifications_equal_those_with_every_text_through_the_entity_ruler(
        notices: list[Tender], monkeypatch: Any) -> None:
    fast = [t.classification for t in annotate_many(notices)]
    monkeypatch.setattr(nlp.entities, "could_hold", lambda text, labels: True)
    assert [t.classification for t in annotate_many(notices)] == fast
