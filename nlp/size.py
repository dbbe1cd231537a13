"""Size of a procurement: value band against the thresholds in force, lots, duration, and SME fit with reasons.

Thresholds come from ``nlp/resources/thresholds.yaml`` (dated, with sources). Facts missing from the notice's fields
are taken from its text by the EntityRuler in ``nlp.entities``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from nlp.entities import extract_facts
from tenders.model import Tender

WORKS_DIVISION = "45"


@dataclass(frozen=True)
class Thresholds:
    on: date
    direct_award: float | None
    eu_works: float | None
    eu_central: float | None
    eu_sub_central: float | None
    verified: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    text: str  # Swedish, for the company
    positive: bool


@dataclass
class SizeAssessment:
    value_sek: float | None
    value_source: str | None  # "notice" | "text"
    band: str  # direktupphandling | under-eu | over-eu | okänt
    band_text: str
    lots: int
    value_per_lot_sek: float | None
    duration_months: float | None
    option_months: float | None
    days_to_deadline: int | None
    sme_fit: str  # god | medel | svag
    reasons: list[Reason] = field(default_factory=list)


def thresholds_path() -> Path:
    return Path(str(resources.files("nlp") / "resources" / "thresholds.yaml"))


@cache
def _threshold_table() -> dict[str, Any]:
    with thresholds_path().open(encoding="utf-8") as handle:
        return dict(yaml.safe_load(handle))


def _in_force(periods: list[dict[str, Any]], on: date) -> dict[str, Any] | None:
    for period in periods:
        if period["valid_from"] <= on and (period["valid_to"] is None or on <= period["valid_to"]):
            return period
    return None


def thresholds_on(on: date) -> Thresholds:
    """The thresholds in force on a date (values None where the file has no period for it)."""
    table = _threshold_table()
    direct = _in_force(table["direct_award"], on) or {}
    eu = _in_force(table["eu"], on) or {}
    sek = eu.get("sek") or {}
    return Thresholds(
        on,
        direct.get("lou"),
        sek.get("works"),
        sek.get("central"),
        sek.get("sub_central"),
        bool(direct.get("verified", False) and eu.get("verified", False)),
        tuple(s for s in (direct.get("source"), eu.get("source")) if s),
    )


def value_band(value: float | None, limits: Thresholds, works: bool, central: bool = False) -> tuple[str, str]:
    if value is None:
        return "okänt", "Värdet är inte angivet."
    eu_limit = limits.eu_works if works else (limits.eu_central if central else limits.eu_sub_central)
    about = "" if limits.verified else "ungefär "
    if limits.direct_award is not None and value < limits.direct_award:
        return "direktupphandling", f"Under direktupphandlingsgränsen ({about}{_kr(limits.direct_award)})."
    if eu_limit is not None and value < eu_limit:
        return "under-eu", f"Under EU:s tröskelvärde ({about}{_kr(eu_limit)}): nationella regler gäller."
    if eu_limit is not None:
        return "over-eu", f"Över EU:s tröskelvärde ({about}{_kr(eu_limit)}): annonseras i hela EU."
    return "okänt", "Inga tröskelvärden kända för publiceringsdatumet."


def _kr(value: float) -> str:
    return f"{value:,.0f} kr".replace(",", " ")


def assess_size(tender: Tender, entity_nlp: Any, today: date | None = None, central: bool = False) -> SizeAssessment:
    """Value band, lots, duration and SME fit of a notice; ``entity_nlp`` is ``build_entity_pipeline()``."""
    text = size_text(tender)
    value = tender.value_sek()
    duration = _notice_duration(tender)
    facts = extract_facts(entity_nlp, text, labels=_text_facts_used(value, len(tender.lots), duration))
    value_source = "notice" if value is not None else None
    if value is None and facts.amounts_sek:
        value, value_source = max(facts.amounts_sek), "text"
    lots = len(tender.lots) or facts.lots or 1
    published = tender.publication_date or (today or date.today())
    works = tender.contract_nature == "works" or (tender.main_cpv or "").startswith(WORKS_DIVISION)
    band, band_text = value_band(value, thresholds_on(published), works, central)
    deadline = tender.submission_deadline
    days = (deadline.date() - (today or date.today())).days if isinstance(deadline, datetime) else None
    assessment = SizeAssessment(
        value, value_source, band, band_text, lots, value / lots if value else None,
        duration if duration is not None else facts.duration_months, facts.option_months, days, "medel",
    )  # fmt: skip
    assessment.reasons = sme_reasons(tender, assessment, text)
    assessment.sme_fit = _fit_level(assessment.reasons)
    return assessment


def size_text(tender: Tender) -> str:
    """The text facts are read from: the notice's own text and its lots' titles and descriptions."""
    return " ".join(
        [tender.text(), *(t for lot in tender.lots for t in (*lot.title.values(), *lot.description.values()))]
    )


def _text_facts_used(value: float | None, lots: int, duration: float | None) -> list[str]:
    """The facts from the text that the assessment uses: the notice's own value, lots and duration win; options
    come from the text only."""
    return [label for label, used in (("MONEY", value is None), ("LOTS", not lots), ("TERM", duration is None),
                                      ("OPTION", True)) if used]


def _notice_duration(tender: Tender) -> float | None:
    months = [lot.duration.months for lot in tender.lots if lot.duration and lot.duration.months]
    return max(months) if months else None


TURNOVER = re.compile(r"(års)?omsättning\w*", re.IGNORECASE)
CREDIT = re.compile(r"kreditvärdighet|riskklass|rating", re.IGNORECASE)
LARGE_LOT_SEK = 10_000_000  # above this per lot, small firms rarely have the capacity (UHM 2021 winner sizes)
LONG_TERM_MONTHS = 48


def sme_reasons(tender: Tender, size: SizeAssessment, text: str) -> list[Reason]:
    reasons: list[Reason] = []
    if size.lots > 1:
        reasons.append(Reason(f"Uppdelad i {size.lots} delområden: det går att lämna anbud på en del.", True))
    if size.value_per_lot_sek is not None:
        per_lot = _kr(size.value_per_lot_sek)
        if size.value_per_lot_sek > LARGE_LOT_SEK:
            reasons.append(Reason(f"Stort värde per delområde (cirka {per_lot}).", False))
        elif size.band in ("direktupphandling", "under-eu"):
            reasons.append(Reason(f"Måttligt värde per delområde (cirka {per_lot}).", True))
    if size.days_to_deadline is not None:
        if size.days_to_deadline < 0:
            reasons.append(Reason("Sista anbudsdag har passerat.", False))
        elif size.days_to_deadline < 15:
            reasons.append(Reason(f"Kort tid kvar till sista anbudsdag ({size.days_to_deadline} dagar).", False))
        else:
            reasons.append(Reason(f"{size.days_to_deadline} dagar kvar till sista anbudsdag.", True))
    if any(lot.reserved for lot in tender.lots) or re.search(r"reserverad", text, re.IGNORECASE):
        reasons.append(Reason("Reserverad upphandling (t.ex. för sociala företag).", True))
    if any(lot.sme_suitable for lot in tender.lots):
        reasons.append(Reason("Köparen anger att upphandlingen passar små och medelstora företag.", True))
    if TURNOVER.search(text):
        reasons.append(Reason("Texten nämner krav på omsättning: kontrollera att ert företag når upp till det.", False))
    if CREDIT.search(text):
        reasons.append(Reason("Texten nämner krav på kreditvärdighet.", False))
    if size.duration_months and size.duration_months + (size.option_months or 0) > LONG_TERM_MONTHS:
        reasons.append(Reason("Lång avtalstid med optioner: ett stort åtagande.", False))
    return reasons


def _fit_level(reasons: list[Reason]) -> str:
    balance = sum(1 if reason.positive else -1 for reason in reasons)
    return "god" if balance >= 2 else "svag" if balance <= -1 else "medel"
