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

from nlp.data import cpv_group
from tenders.codelists import cpv_codes, cpv_divisions
from tenders.model import Tender
from tenders.settings import Settings, get_settings
from tenders.text import stem

MIN_DIVISIONS = 3
MAX_TEXT_CHARS = 5000  # the title and the first paragraphs say what is bought; the rest only costs time
# A given code "strongly disagrees" when the model is confident about another division and gives the buyer's
# division almost nothing; chosen so that a few percent of the held-out titles are flagged, not every doubt.
DISAGREE_TOP_SCORE = 0.6
DISAGREE_GIVEN_SCORE = 0.02
GROUP_DIVISION_EXPONENT = 0.5  # see combined_group_scores


@dataclass(frozen=True)
class DivisionScore:
    code: str  # two-digit CPV division
    score: float

    @property
    def label(self) -> str:
        return cpv_divisions().get(self.code, "")


@dataclass(frozen=True)
class GroupScore:
    """A three-digit CPV group (452) or, for the group head's fallback classes, a two-digit division (45)."""

    code: str
    score: float

    @property
    def is_group(self) -> bool:
        return len(self.code) == 3

    @property
    def label(self) -> str:
        code = cpv_codes().get(self.code.ljust(8, "0"))
        return code.label_sv if code else ""


@dataclass(frozen=True)
class TextScores:
    divisions: list[DivisionScore]  # best first
    groups: list[GroupScore]  # modelled groups only (3 digits), best first; [] for a model without a group head
    group_classes: dict[str, float]  # every class of the group head, fallbacks included


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
    groups: list[GroupScore] = field(default_factory=list)  # as divisions, for CPV groups (3 digits)


class CpvClassifier:
    """The trained spaCy pipeline behind a small, typed interface."""

    def __init__(self, nlp: Any) -> None:
        self.nlp = nlp
        self.labels: tuple[str, ...] = tuple(nlp.get_pipe("cpv_ensemble").labels)
        self.group_labels: tuple[str, ...] = tuple(nlp.get_pipe("cpv_ensemble").group_labels)
        self.label_words: dict[str, list[tuple[str, set[str]]]] | None = None  # built on first suggest_cpv

    @classmethod
    def from_path(cls, path: Path) -> CpvClassifier:
        # nlp.pipeline (and spaCy, 0.8 s) only when a model is loaded: the web process imports this module for the
        # wizard's suggestions and loads the model on first use. Importing it registers the custom components.
        from nlp.pipeline import load_pipeline  # noqa: PLC0415

        if not (Path(path) / "meta.json").is_file():
            raise FileNotFoundError(f"no trained CPV model in {path}: run `anbudsvakt train classifier`")
        return cls(load_pipeline(Path(path)))

    def analyse_many(self, texts: Iterable[str], top: int = 5) -> list[TextScores]:
        """Divisions and groups of each text, from one pass through the pipeline."""
        from nlp.pipeline import GROUPS_KEY  # noqa: PLC0415 - spaCy only with a model, see from_path

        top = max(top, MIN_DIVISIONS)
        results = []
        for doc in self.nlp.pipe((clean_text(text) for text in texts), batch_size=256):
            classes = combined_group_scores(doc.user_data.get(GROUPS_KEY, {}), doc.cats)
            modelled = {code: score for code, score in classes.items() if len(code) == 3}
            groups = [GroupScore(d.code, d.score) for d in ranked(modelled, top)]
            results.append(TextScores(ranked(doc.cats, top), groups, classes))
        return results

    def analyse(self, text: str, top: int = 5) -> TextScores:
        return self.analyse_many([text], top)[0]

    def divisions_many(self, texts: Iterable[str], top: int = 5) -> list[list[DivisionScore]]:
        return [scores.divisions for scores in self.analyse_many(texts, top)]

    def divisions(self, text: str, top: int = 5) -> list[DivisionScore]:
        return self.divisions_many([text], top)[0]


def combined_group_scores(group_head: dict[str, float], divisions: dict[str, float]) -> dict[str, float]:
    """Group classes rescored with the division head, which has a third member and a third of the classes and
    ranks divisions better: each class's group-head score times the square root of (its division's score from the
    division head / the group head's total for that division), renormalised. The square root (a geometric mean of the
    two heads' views) was chosen over 0 and 1 on the held-out buyers: group top-3 0.731 → 0.746, top-1 0.504 → 0.506.
    """
    totals: dict[str, float] = {}
    for code, score in group_head.items():
        totals[code[:2]] = totals.get(code[:2], 0.0) + score
    combined = {
        code: score * (divisions.get(code[:2], 0.0) / totals[code[:2]]) ** GROUP_DIVISION_EXPONENT
        for code, score in group_head.items()
        if totals[code[:2]] > 0
    }
    total = sum(combined.values()) or 1.0
    return {code: score / total for code, score in combined.items()}


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


def classify_tender(tender: Tender, classifier: CpvClassifier, top: int = 5,
                    scores: TextScores | None = None) -> TenderClassification:
    """The notice's sector; ``scores`` are its text's scores when the caller analysed a batch at once
    (``analyse_many(texts, top=len(classifier.labels))``)."""
    scores = scores or classifier.analyse(tender.text(), top=len(classifier.labels))
    predicted, predicted_groups = scores.divisions, scores.groups
    given = tender.all_cpv()
    if not given:
        return TenderClassification("model", predicted[:top], predicted[:top], groups=predicted_groups[:top])
    given_divisions = list(dict.fromkeys(code[:2] for code in given))
    divisions = [DivisionScore(code, 1.0) for code in given_divisions]
    divisions += [d for d in predicted if d.code not in given_divisions][: max(0, top - len(divisions))]
    given_groups = list(dict.fromkeys(group for group in (cpv_group(code) for code in given) if group))
    groups = [GroupScore(code, 1.0) for code in given_groups]
    groups += [g for g in predicted_groups if g.code not in given_groups][: max(0, top - len(groups))]
    division_scores = {d.code: d.score for d in predicted}
    note = disagreement_note(given_divisions[0], predicted, division_scores)
    return TenderClassification("buyer", divisions, predicted[:top], note, given, groups)


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
    share the most words (stems of lemmas and compound parts) with the text, weighted by how likely the code's group
    is."""
    scores = classifier.analyse(text, top=divisions)
    ranked_divisions = scores.divisions[:divisions]
    words = _content_words(classifier, clean_text(text))
    candidates: list[CpvSuggestion] = []
    for division in ranked_divisions:
        for code, label_words in _label_words(classifier).get(division.code, []):
            overlap = len(words & label_words) / (len(label_words) ** 0.5 or 1.0)
            if overlap:
                score = round(code_prior(code, division, scores.group_classes) * overlap, 4)
                candidates.append(CpvSuggestion(code, cpv_codes()[code].label_sv, score))
    candidates.sort(key=lambda s: (-s.score, s.code))
    if not candidates:  # nothing in common with any label: the best groups, else the divisions, are the suggestion
        groups = [g for g in scores.groups if g.code[:2] in {d.code for d in ranked_divisions}]
        fallback = [CpvSuggestion(g.code.ljust(8, "0"), g.label, g.score) for g in groups[:limit]]
        fallback += [CpvSuggestion(f"{d.code}000000", d.label, d.score) for d in ranked_divisions]
        return fallback[:limit]
    return candidates[:limit]


def code_prior(code: str, division: DivisionScore, group_classes: dict[str, float]) -> float:
    """How likely the text is about this code before its label is compared: the division's score, averaged with the
    group head's score for the code's group (or for its division's fallback class when the group is not modelled).
    Without a group head, the division's score alone."""
    if not group_classes:
        return division.score
    group = cpv_group(code)
    group_score = group_classes.get(group or "", group_classes.get(code[:2], 0.0))
    return (division.score + group_score) / 2


def _content_words(classifier: CpvClassifier, text: str) -> set[str]:
    from nlp.features import token_words  # noqa: PLC0415 - imports spaCy, see CpvClassifier.from_path

    doc = classifier.nlp(text, disable=["cpv_ensemble"])
    # Stems, like the compound parts (tenders.text's part stems): "plåtarbeten" → plåt + arbet meets "arbeten".
    words = {stem(word) for token in doc for word in token_words(token) if len(word) > 2}
    return words | {part for token in doc for part in token._.parts}


def _label_words(classifier: CpvClassifier) -> dict[str, list[tuple[str, set[str]]]]:
    """Content words of every CPV label per division, computed once per classifier (about two seconds)."""
    if classifier.label_words is None:
        table: dict[str, list[tuple[str, set[str]]]] = {}
        for code in cpv_codes().values():
            table.setdefault(code.division, []).append((code.code, _content_words(classifier, code.label_sv)))
        classifier.label_words = table
    return classifier.label_words
