"""Amounts, contract durations and lot counts in Swedish notice text, found by a spaCy EntityRuler.

"ca 3 miljoner kronor", "2 MSEK", "500 000 kr exkl. moms", "avtalstid 2 år med option 1+1 år", "tre delområden".
The ruler marks the spans (MONEY, TERM, OPTION, LOTS); small parsers turn each span into a number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

NUMBER_WORDS = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8, "nio": 9,
    "tio": 10, "elva": 11, "tolv": 12, "femton": 15, "tjugo": 20,
}  # fmt: skip
MULTIPLIERS = {
    "miljon": 1e6, "miljoner": 1e6, "milj": 1e6, "mnkr": 1e6, "mkr": 1e6, "msek": 1e6, "mn": 1e6,
    "miljard": 1e9, "miljarder": 1e9, "mdkr": 1e9, "tusen": 1e3, "tkr": 1e3, "ksek": 1e3,
}  # fmt: skip
CURRENCY = ["kr", "kronor", "sek", "mkr", "msek", "tkr", "ksek", "mnkr", "mdkr"]
MONTHS_PER_UNIT = {"år": 12.0, "månad": 1.0, "månader": 1.0, "mån": 1.0, "vecka": 12 / 52, "veckor": 12 / 52}
UNITS = list(MONTHS_PER_UNIT)
LOT_WORDS = ["delområden", "anbudsområden", "delkontrakt", "delar", "områden", "lotter"]
OPTION_WORDS = ["option", "optioner", "förlängning", "förlängningsoption"]
OPTION_FILLERS = ["på", "om", "till", "med", "i", "upp", "ytterligare"]
TERM_WORDS = ["avtalstid", "avtalstiden", "avtalsperiod", "avtalsperioden", "kontraktstid", "kontraktstiden"]
VAT_WORDS = ["exkl.", "exkl", "exklusive", "inkl.", "inkl", "inklusive"]
VAT_RATE = 0.25  # thresholds are excluding VAT; an amount "inkl. moms" is brought back to that
GROUPS = r"^\d{3}$"  # "500 000": the tokenizer keeps digit groups apart

_NUM: dict[str, Any] = {"LIKE_NUM": True}
_PATTERNS: list[dict[str, Any]] = [
    {"label": "MONEY", "pattern": [_NUM, {"TEXT": {"REGEX": GROUPS}, "OP": "*"},
                                   {"LOWER": {"IN": list(MULTIPLIERS)}, "OP": "?"}, {"LOWER": {"IN": CURRENCY}},
                                   {"LOWER": {"IN": VAT_WORDS}, "OP": "?"}, {"LOWER": "moms", "OP": "?"}]},
    {"label": "TERM", "pattern": [{"LOWER": {"IN": TERM_WORDS}}, {"IS_PUNCT": True, "OP": "?"},
                                  {"LOWER": {"IN": ["är", "om", "på", "ca", "cirka", "blir"]}, "OP": "*"},
                                  _NUM, {"LOWER": {"IN": UNITS}}]},
    {"label": "OPTION", "pattern": [{"LOWER": {"IN": OPTION_WORDS}},
                                    {"LOWER": {"IN": OPTION_FILLERS}, "OP": "*"},
                                    {"TEXT": {"REGEX": r"^\d+(\+\d+)*$|^[a-zåäö]+$"}},
                                    {"TEXT": {"REGEX": r"^[+x]$|^\d+$"}, "OP": "*"},
                                    {"LOWER": {"IN": UNITS}}]},
    {"label": "LOTS", "pattern": [_NUM, {"LOWER": {"IN": LOT_WORDS}}]},
]  # fmt: skip


@dataclass(frozen=True)
class TextFacts:
    amounts_sek: list[float]  # every amount found, in SEK
    duration_months: float | None  # base contract term
    option_months: float | None  # all extension options together
    lots: int | None


def build_entity_pipeline() -> Any:
    # spaCy is imported here, when the pipeline is built: nlp.size imports this module, and the digests read
    # nlp.size's thresholds without wanting spaCy's start-up.
    import spacy  # noqa: PLC0415

    nlp = spacy.blank("sv")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER"})
    ruler.add_patterns(_PATTERNS)  # type: ignore[attr-defined]
    return nlp


def parse_number(text: str) -> float | None:
    """'3' → 3, '3,5' → 3.5, '500 000' → 500000, 'tre' → 3, '1+1' → 2."""
    lowered = text.strip().lower()
    if lowered in NUMBER_WORDS:
        return float(NUMBER_WORDS[lowered])
    if re.fullmatch(r"\d+(\+\d+)+", lowered):
        return float(sum(int(part) for part in lowered.split("+")))
    compact = lowered.replace(" ", "").replace("\u00a0", "").replace(",", ".")
    try:
        return float(compact)
    except ValueError:
        return None


def parse_money(span_text: str) -> float | None:
    words = span_text.lower().split()
    multiplier = 1.0
    digits: list[str] = []
    including_vat = any(word.startswith("inkl") for word in words)
    words = [word for word in words if word not in VAT_WORDS and word != "moms"]
    for word in words:
        if word in MULTIPLIERS:
            multiplier = MULTIPLIERS[word]
        elif word not in CURRENCY:
            digits.append(word)
    if words and words[-1] in MULTIPLIERS:  # "2 msek": the currency word is the multiplier
        multiplier = MULTIPLIERS[words[-1]]
    value = parse_number(" ".join(digits)) if len(digits) > 1 else parse_number(digits[0]) if digits else None
    if value is None:
        return None
    return value * multiplier / (1 + VAT_RATE) if including_vat else value * multiplier


def parse_months(span_text: str) -> float | None:
    """'avtalstid 2 år' → 24, 'option 1+1 år' → 24, 'förlängning 2 x 12 månader' → 24."""
    text = span_text.lower()
    unit = next((MONTHS_PER_UNIT[w] for w in reversed(text.split()) if w in MONTHS_PER_UNIT), None)
    if times := re.search(r"(\w+)\s*x\s*(\d+(?:,\d+)?)", text):
        count, each = parse_number(times.group(1)), parse_number(times.group(2))
        total = (count or 0) * (each or 0)
    else:
        numbers = [parse_number(w) for w in text.replace("+", " + ").split() if w not in MONTHS_PER_UNIT]
        total = sum(n for n in numbers if n is not None)
    return total * unit if unit and total else None


MAX_TEXT_CHARS = 20_000
# Every match of a label contains a token that is one of these words (lower case). The tokenizer cuts a run of
# letters only at its exceptions ("köru" → kör + u), none of which makes one of these words, so such a token is one
# of these words with no letter on either side ("100kr" and "MSEK-" count, "krav" does not): a text without any
# cannot hold the label, and the EntityRuler need not run for it (tests/nlp/test_exact_speedups.py checks this).
LABEL_WORDS: dict[str, list[str]] = {"MONEY": CURRENCY, "TERM": TERM_WORDS, "OPTION": OPTION_WORDS, "LOTS": LOT_WORDS}
LABEL_HINTS = {
    label: re.compile(rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, words))})(?![^\W\d_])")
    for label, words in LABEL_WORDS.items()
}
NO_FACTS = TextFacts([], None, None, None)


def could_hold(text: str, labels: Iterable[str]) -> bool:
    """Whether the text can hold an entity of one of ``labels`` (see LABEL_HINTS)."""
    lowered = text[:MAX_TEXT_CHARS].lower()
    return any(LABEL_HINTS[label].search(lowered) for label in labels)


def extract_facts(nlp: Any, text: str, labels: Iterable[str] = tuple(LABEL_WORDS)) -> TextFacts:
    """The facts in the text; only ``labels`` are promised: when the text cannot hold any of them, the others are
    left out too, which spares the tokenizer and the EntityRuler for most notices."""
    if not could_hold(text, labels):
        return NO_FACTS
    doc = nlp(text[:MAX_TEXT_CHARS])
    amounts: list[float] = []
    term = option = None
    lots: int | None = None
    for ent in doc.ents:
        if ent.label_ == "MONEY" and (value := parse_money(ent.text)) is not None:
            amounts.append(value)
        elif ent.label_ == "TERM" and term is None:
            term = parse_months(ent.text)
        elif ent.label_ == "OPTION":
            option = (option or 0.0) + (parse_months(ent.text) or 0.0) or None
        elif ent.label_ == "LOTS" and (count := parse_number(ent[0].text)) is not None:
            lots = max(lots or 0, int(count))
    return TextFacts(amounts, term, option, lots)
