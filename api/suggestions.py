"""What the profile wizard suggests: CPV interests from SNI codes and from a sentence, and municipalities.

SNI codes go through ``matcher.sni.suggest_cpv`` (what companies of that industry win). The sentence goes
through the trained classifier (``nlp.classify.suggest_cpv``) when a model is installed; without one, the
words of the sentence are looked up in the Swedish CPV labels, so the wizard still suggests something sensible.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from app.matching import MatchingModels
from matcher.sni import suggest_cpv as suggest_from_sni
from nlp.classify import suggest_cpv as suggest_from_model
from tenders.codelists import cpv_codes, cpv_label, dalarna_municipalities

MAX_SUGGESTIONS = 10
PRESELECTED = 3  # the best few are ticked; the company unticks what does not fit
# An industry's rare wins are noise for a suggestion (cleaning firms' 2 % road transport contracts).
MIN_SNI_SHARE = 0.05
_WORD = re.compile(r"[a-zåäöé]+")
# Words that say nothing about what a company sells (they are in many CPV labels or none).
_STOPWORDS = frozenset({
    "och", "att", "det", "som", "för", "med", "den", "till", "har", "inte", "ett", "vid", "från", "eller",
    "även", "alla", "andra", "utför", "utföra", "utförs", "vi", "våra", "vår", "oss", "är", "bland", "annat",
    "samt", "inom", "företag", "företaget", "firma", "tjänster", "tjänst", "arbeten", "arbete", "olika",
    "typer", "typ", "kunder", "kund", "åt", "mot", "hela", "allt", "mycket", "också", "både",
})


# How companies say what they do, in the words buyers' CPV labels do not use ("vi putsar fönster" shares its
# words with "Montering av dörrar och fönster", not with "Fönsterputsning"). A word that starts with the stem
# points at the code; these go first, because the company's own words beat what its industry usually wins.
TRADE_WORDS: tuple[tuple[str, str], ...] = (
    ("fönsterputs", "90911300"), ("putsa", "90911300"), ("städ", "90910000"), ("lokalvård", "90910000"),
    ("storstäd", "90910000"), ("snöröj", "90620000"), ("plogning", "90620000"), ("halkbekämp", "90620000"),
    ("sandning", "90620000"), ("vinterväg", "90620000"), ("målar", "45442100"), ("måleri", "45442100"),
    ("tapetser", "45442100"), ("elinstall", "45310000"), ("elektriker", "45310000"), ("rörmok", "45330000"),
    ("vvs", "45330000"), ("tryckeri", "79800000"), ("tvätteri", "98310000"), ("takläggar", "45261000"),
    ("takplåt", "45261000"), ("lägger om tak", "45261000"), ("snickeri", "45421000"), ("catering", "55520000"),
    ("lunchlever", "55520000"), ("skolskjuts", "60130000"), ("taxi", "60120000"), ("grönyt", "77310000"),
    ("parkskötsel", "77310000"), ("schakt", "45112000"), ("grävmaskin", "45112000"), ("väktar", "79710000"),
    ("bevakning", "79710000"), ("översätt", "79530000"), ("bakar bröd", "15810000"), ("skogsvård", "77200000"),
)


@dataclass(frozen=True)
class CpvChoice:
    prefix: str  # what is stored in Interests.cpv
    label: str
    why: str
    checked: bool = False


def content_words(text: str) -> list[str]:
    words = _WORD.findall(text.casefold())
    return list(dict.fromkeys(w for w in words if len(w) >= 4 and w not in _STOPWORDS))


@cache
def _label_words() -> list[tuple[str, frozenset[str]]]:
    return [(code.code, frozenset(content_words(code.label_sv))) for code in cpv_codes().values()]


def _shares_stem(word: str, label_words: frozenset[str]) -> bool:
    # Swedish compounds: "takläggning" should meet "takläggningsarbete"; compare on a common stem of 6+ letters.
    stem = word[:max(6, len(word) - 3)]
    return any(w.startswith(stem) or (len(w) >= 6 and word.startswith(w[:max(6, len(w) - 3)])) for w in label_words)


def suggest_from_labels(text: str, limit: int = 5) -> list[tuple[str, str]]:
    """(code, label) of the CPV codes whose Swedish labels share the most words with ``text``."""
    words = content_words(text)
    if not words:
        return []
    scored = []
    for code, label_words in _label_words():
        hits = sum(1 for w in words if _shares_stem(w, label_words))
        if hits:
            scored.append((hits / (len(label_words) ** 0.5 or 1.0), code))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(code, cpv_label(code)) for _, code in scored[:limit]]


def suggest_from_trade_words(text: str) -> list[tuple[str, str]]:
    """(code, label) for each trade word the sentence uses, in the order of the list."""
    folded = " " + text.casefold()
    codes = [code for stem, code in TRADE_WORDS if f" {stem}" in folded or (" " not in stem and stem in folded)]
    return [(code, cpv_label(code)) for code in dict.fromkeys(codes)]


def suggest_from_text(text: str, models: MatchingModels, limit: int = 5) -> list[tuple[str, str]]:
    if not text.strip():
        return []
    classifier = models.classifier()
    if classifier is None:
        return suggest_from_labels(text, limit)
    return [(s.code, s.label) for s in suggest_from_model(text, classifier, limit=limit)]


def _prefix(code: str) -> str:
    digits = code.rstrip("0")
    return digits if len(digits) >= 2 else code[:2]


def cpv_choices(sni: Sequence[str], sentence: str, size: str | None, models: MatchingModels) -> list[CpvChoice]:
    """Suggestions from both sources, deduplicated by prefix, the best ``PRESELECTED`` ticked."""
    choices: dict[str, CpvChoice] = {}
    traded = suggest_from_trade_words(sentence)
    for code, label in traded:  # each one: "putsar fönster och städar" is window cleaning AND cleaning
        choices.setdefault(_prefix(code), CpvChoice(_prefix(code), label, "Det ni skriver att ni gör"))
    for hit in suggest_from_sni(models.sni_tables(), list(sni), size, limit=6):
        if hit.share < MIN_SNI_SHARE:
            continue
        why = f"Vanligt bland företag i er bransch ({round(hit.share * 100)} % av deras kontrakt)"
        choices.setdefault(hit.prefix, CpvChoice(hit.prefix, hit.label, why))
    # Once a trade word has said what the company does, the text's other guesses stay in the same divisions:
    # "Vi putsar fönster" is not a reason to suggest windows (44) or fitting them (45).
    divisions = {code[:2] for code, _ in traded}
    from_text = suggest_from_text(sentence, models, limit=8)
    for code, label in (t for t in from_text if not divisions or t[0][:2] in divisions):
        _add(choices, _prefix(code), label, "Passar er beskrivning")
    ranked = list(choices.values())[:MAX_SUGGESTIONS]
    return [CpvChoice(c.prefix, c.label, c.why, checked=i < PRESELECTED) for i, c in enumerate(ranked)]


def _add(choices: dict[str, CpvChoice], prefix: str, label: str, why: str) -> None:
    # "45261" already covers "4526121": a narrower repeat of a suggestion adds nothing. A broader one that covers
    # only earlier guesses from the same source takes the place of the first ("452612" then "45261": roofing as a
    # whole, not only its first sub-code), so the ticked choices do not miss the family the text names.
    related = [p for p in choices if prefix.startswith(p) or p.startswith(prefix)]
    if not related:
        choices[prefix] = CpvChoice(prefix, label, why)
        return
    if all(p != prefix and p.startswith(prefix) and choices[p].why == why for p in related):
        widened = {}
        for key, choice in choices.items():
            if key == related[0]:
                widened[prefix] = CpvChoice(prefix, label, why)
            elif key not in related:
                widened[key] = choice
        choices.clear()
        choices.update(widened)


def municipality_options() -> list[tuple[str, str]]:
    """Dalarna's municipalities as (kommunkod, name), alphabetically."""
    return sorted(((m.code, m.name) for m in dalarna_municipalities().values()), key=lambda item: item[1])
