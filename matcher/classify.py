"""Sector of a notice by CPV: the buyer's own codes first, the trained text classifier where they are missing or
look wrong, and suggested CPV codes for free text (a company describing itself in its own words).

The model is loaded explicitly (``load_classifier``), once per process and model directory, never at import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from tenders.codelists import cpv_codes, cpv_divisions
from tenders.model import Tender
from tenders.settings import Settings, get_settings

MIN_DIVISIONS = 3
MAX_TEXT_CHARS = 5000  # the title and the first paragraphs say what is bought; the rest only costs time
# A given code "strongly disagrees" when the model is confident about another division and gives the buyer's
# division almost nothing; chosen so that a few percent of the held-out titles are flagged, not every doubt.
DISAGREE_TOP_SCORE = 0.6
DISAGREE_GIVEN_SCORE = 0.02


@dataclass(frozen=True)
class DivisionScore:
    code: str  # two-digit CPV division
    score: float

    @property
    def label(self) -> str:
        return cpv_divisions().get(self.code, "")


@dataclass(frozen=True)
class CpvSuggestion:
    code: str
    label: str
    score: float


@dataclass(frozen=True)
class TenderClassification:
    source: str  # "buyer" when the notice has CPV codes, else "model"
    divisions: list[DivisionScore]  # best first; the buyer's divisions first when given
    predicted: list[DivisionScore]  # the model's view of the text, whatever the codes say
    disagreement: str | None = None  # Swedish explanation when the given code strongly disagrees with the text
    given_codes: list[str] = field(default_factory=list)


class CpvClassifier:
    """The trained spaCy pipeline behind a small, typed interface."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.labels: tuple[str, ...] = tuple(nlp.get_pipe("cpv_ensemble").labels)
        self.label_words: dict[str, list[tuple[str, set[str]]]] | None = None  # built on first suggest_cpv

    @classmethod
    def from_path(cls, path: Path) -> CpvClassifier:
        import matcher.nlp.pipeline  # noqa: F401 - registers the custom components before spaCy loads them
        from matcher.nlp.pipeline import load_pipeline

        if not (Path(path) / "meta.json").is_file():
            raise FileNotFoundError(f"no trained CPV model in {path}: run `anbudsvakt train classifier`")
        return cls(load_pipeline(Path(path)))

    def divisions_many(self, texts: Iterable[str], top: int = 5) -> list[list[DivisionScore]]:
        top = max(top, MIN_DIVISIONS)
        cleaned = (clean_text(text) for text in texts)
        return [ranked(doc.cats, top) for doc in self.nlp.pipe(cleaned, batch_size=256)]

    def divisions(self, text: str, top: int = 5) -> list[DivisionScore]:
        return self.divisions_many([text], top)[0]


def clean_text(text: object) -> str:
    """Any input as classifiable text: never None, never huge, no control characters."""
    value = text if isinstance(text, str) else ("" if text is None else str(text))
    value = value[:MAX_TEXT_CHARS]
    return "".join(ch if ch.isprintable() else " " for ch in value)


def ranked(cats: dict[str, float], top: int) -> list[DivisionScore]:
    # Ties (an empty text gives the prior) are broken by code so that the output is deterministic.
    best = sorted(cats.items(), key=lambda item: (-item[1], item[0]))[:top]
    return [DivisionScore(code, round(float(score), 4)) for code, score in best]


@cache
def _load_cached(path: str) -> CpvClassifier:
    return CpvClassifier.from_path(Path(path))


def load_classifier(settings: Settings | None = None) -> CpvClassifier:
    """The classifier of ``settings.model_dir``, loaded on first call and reused for the process."""
    return _load_cached(str((settings or get_settings()).model_path.resolve()))


def classify_tender(tender: Tender, classifier: CpvClassifier, top: int = 5) -> TenderClassification:
    predicted = classifier.divisions(tender.text(), top=len(classifier.labels))
    given = tender.all_cpv()
    if not given:
        return TenderClassification("model", predicted[:top], predicted[:top])
    given_divisions = list(dict.fromkeys(code[:2] for code in given))
    scores = {d.code: d.score for d in predicted}
    divisions = [DivisionScore(code, 1.0) for code in given_divisions]
    divisions += [d for d in predicted if d.code not in given_divisions][: max(0, top - len(divisions))]
    return TenderClassification(
        "buyer", divisions, predicted[:top], disagreement_note(given_divisions[0], predicted, scores), given
    )


def disagreement_note(given_division: str, predicted: Sequence[DivisionScore], scores: dict[str, float]) -> str | None:
    best = predicted[0]
    if best.code == given_division:
        return None
    if best.score < DISAGREE_TOP_SCORE or scores.get(given_division, 0.0) > DISAGREE_GIVEN_SCORE:
        return None
    return (
        f"Angiven CPV-huvudgrupp {given_division} ({cpv_divisions().get(given_division, 'okänd')}) stämmer dåligt "
        f"med texten, som snarare gäller {best.code} ({best.label}, {best.score:.0%})."
    )


def suggest_cpv(text: str, classifier: CpvClassifier, limit: int = 5, divisions: int = 3) -> list[CpvSuggestion]:
    """Suggested CPV codes for free text: the model's best divisions, then the codes in them whose Swedish labels
    share the most words (lemmas and compound parts) with the text."""
    ranked_divisions = classifier.divisions(text, top=divisions)
    words = _content_words(classifier, clean_text(text))
    candidates: list[CpvSuggestion] = []
    for division in ranked_divisions:
        for code, label_words in _label_words(classifier).get(division.code, []):
            overlap = len(words & label_words) / (len(label_words) ** 0.5 or 1.0)
            if overlap:
                score = round(division.score * overlap, 4)
                candidates.append(CpvSuggestion(code, cpv_codes()[code].label_sv, score))
    candidates.sort(key=lambda s: (-s.score, s.code))
    if not candidates:  # nothing in common with any label: the divisions themselves are the suggestion
        return [CpvSuggestion(f"{d.code}000000", d.label, d.score) for d in ranked_divisions][:limit]
    return candidates[:limit]


def _content_words(classifier: CpvClassifier, text: str) -> set[str]:
    from matcher.nlp.features import token_words

    doc = classifier.nlp(text, disable=["cpv_ensemble"])
    words = {word for token in doc for word in token_words(token) if len(word) > 2}
    return words | {part for token in doc for part in token._.parts}


def _label_words(classifier: CpvClassifier) -> dict[str, list[tuple[str, set[str]]]]:
    """Content words of every CPV label per division, computed once per classifier (about two seconds)."""
    if classifier.label_words is None:
        table: dict[str, list[tuple[str, set[str]]]] = {}
        for code in cpv_codes().values():
            table.setdefault(code.division, []).append((code.code, _content_words(classifier, code.label_sv)))
        classifier.label_words = table
    return classifier.label_words
