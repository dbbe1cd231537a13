"""Score one (profile, notice) pair and say why, in Swedish. Pure: no I/O, no clock, no global state.

Evidence, in order: the CPV codes and keywords the company chose; otherwise what its SNI code says (see
``matcher.sni``); otherwise, for a profile that only names places, the place itself. Filters (negative keywords,
places, value range, notice kinds) can only remove a notice. Place, company size and lots add reasons.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from matcher.match import explain
from matcher.match.model import Match, MatchProfile
from matcher.match.notice import PreparedNotice, municipality_code_of
from matcher.sni import SniScorer
from profiles.terms import title_words_by_term
from tenders.codelists import dalarna_municipalities
from tenders.text import AnalysedText, keyword_matches

WORD_EVIDENCE = 0.5  # a title word must multiply the odds by e^0.5 ≈ 1.6 to be named as a reason


@dataclass(frozen=True)
class SniEvidence:
    score: float  # log-lift of the notice's CPV plus the title boost, for the profile's best SNI code
    sni: str
    cpv: str | None
    words: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Evidence:
    strength: float
    reasons: list[str]


@lru_cache(maxsize=1024)
def _words_by_term(title: str) -> dict[str, str]:
    return title_words_by_term(title)


def keyword_hits(words: Sequence[str], text: AnalysedText) -> list[str]:
    """The keywords found in the notice text by the one keyword rule (``tenders.text.keyword_matches``): a keyword
    alerts where a search for it finds the notice ("röjning" → "Snöröjning"), and where a word starts with it."""
    return [w for w in words if keyword_matches(w, text)]


def sni_evidence(scorer: SniScorer, rows: Sequence[int], notice: PreparedNotice,
                 scores: np.ndarray | None = None) -> SniEvidence:
    """The evidence for the best of the profile's SNI units (rows of ``scorer.units``)."""
    cpvs = notice.notice.cpv[:3]
    if scores is None:
        scores = scorer.scores(cpvs, notice.terms)
    best = max(rows, key=lambda row: float(scores[row]))
    cpv = max(cpvs, key=lambda code: float(scorer.cpv_log_lift(code)[best])) if cpvs else None
    by_term = _words_by_term(notice.notice.title)
    words = [by_term[t] for t in notice.terms
             if t in scorer.tables.terms and t in by_term and scorer.term_log_lift(t)[best] > WORD_EVIDENCE]
    return SniEvidence(float(scores[best]), scorer.units[best][0], cpv, words[:3])


def chosen_evidence(profile: MatchProfile, notice: PreparedNotice) -> Evidence | None:
    prefixes = tuple(profile.cpv)
    cpv_hits = [code for code in notice.notice.cpv if code.startswith(prefixes)]
    word_hits = keyword_hits(profile.keywords, notice.analysed)
    if not cpv_hits and not word_hits:
        return None
    reasons = [explain.cpv_interest(code) for code in cpv_hits[:2]] + [explain.keyword(w) for w in word_hits[:3]]
    strength = (0.6 if cpv_hits else 0.0) + 0.25 * min(len(word_hits), 2)
    return Evidence(strength, reasons)


def sni_strength(evidence: SniEvidence, threshold: float) -> Evidence | None:
    if evidence.score < threshold:
        return None
    reasons = [explain.sni_fit(evidence.cpv, evidence.sni)]
    if evidence.words:
        reasons.append(explain.title_words(evidence.words))
    return Evidence(evidence.score / (evidence.score + 2.0), reasons)


def place_match(profile: MatchProfile, notice: PreparedNotice) -> tuple[bool, str | None]:
    """(allowed, reason). A notice that says nothing about its place is allowed: better one alert too many."""
    if not profile.municipalities and not profile.nuts:
        return True, None
    codes = {c for c in map(municipality_code_of, profile.municipalities) if c}
    if notice.municipality and notice.municipality in codes:
        return True, explain.place(notice.municipality, None)
    notice_nuts = [*notice.nuts, *([dalarna_municipalities()[notice.municipality].nuts3] if notice.municipality
                                   and notice.municipality in dalarna_municipalities() else [])]
    for nuts in notice_nuts:
        if any(nuts.startswith(wanted.upper()) for wanted in profile.nuts):
            return True, explain.place(None, nuts)
    if notice.municipality is None:
        wanted_nuts3 = {dalarna_municipalities()[c].nuts3 for c in codes}
        for nuts in notice.nuts:
            if any(n3.startswith(nuts) for n3 in wanted_nuts3):
                return True, explain.place(None, nuts)
        if not notice.nuts:
            return True, None
    return False, None


def passes_filters(profile: MatchProfile, notice: PreparedNotice) -> bool:
    value = notice.notice.estimated_value_sek
    if profile.notice_kinds and (notice.notice.kind or "competition") not in profile.notice_kinds:
        return False
    if value is not None and profile.value_min_sek is not None and value < profile.value_min_sek:
        return False
    if value is not None and profile.value_max_sek is not None and value > profile.value_max_sek:
        return False
    return not keyword_hits(profile.negative_keywords, notice.analysed)


def score_pair(profile: MatchProfile, notice: PreparedNotice, sni: SniEvidence | None,
               threshold: float, size_limits: Mapping[str, float]) -> Match | None:
    """The alert for this pair, or None. ``sni`` is the profile's SNI evidence (None: no SNI codes)."""
    if not passes_filters(profile, notice):
        return None
    allowed, place_reason = place_match(profile, notice)
    if not allowed:
        return None
    evidence = interest_evidence(profile, notice, sni, threshold, place_reason)
    if evidence is None:
        return None
    return with_context(profile, notice, evidence, place_reason, size_limits)


def interest_evidence(profile: MatchProfile, notice: PreparedNotice, sni: SniEvidence | None, threshold: float,
                      place_reason: str | None) -> Evidence | None:
    """What says the notice fits the company (before place, size and lots), or None."""
    if profile.chose_interests:
        return chosen_evidence(profile, notice)
    if sni is not None:
        return sni_strength(sni, threshold)
    return Evidence(0.3, []) if place_reason else None


def with_context(profile: MatchProfile, notice: PreparedNotice, evidence: Evidence, place_reason: str | None,
                 size_limits: Mapping[str, float]) -> Match:
    """The alert: the evidence plus the place, size and lots reasons (only the size is read from the profile)."""
    reasons, strength = list(evidence.reasons), evidence.strength
    if place_reason:
        reasons.append(place_reason)
        strength += 0.1
    value, limit = notice.notice.estimated_value_sek, size_limits.get(profile.company_size or "")
    if value is not None and limit is not None:
        reasons.append(explain.size_fit(value <= limit))
        strength += 0.05 if value <= limit else -0.05
    if notice.notice.lots and notice.notice.lots > 1:
        reasons.append(explain.lots(notice.notice.lots))
    return Match(profile.id, notice.notice.id, round(min(max(strength, 0.01), 1.0), 3), reasons)
