"""Swedish wording of dates, deadlines, value bands and notice kinds for the alerts."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from nlp.size import thresholds_on  # the thresholds in force, dated and sourced
from nlp.size import value_band as threshold_band
from tenders import formatting
from tenders.model import FormType, Tender

KIND_LABELS = {
    FormType.PLANNING: "Förhandsannons (tidigt skede)",
    FormType.CONSULTATION: "Marknadsdialog (tidigt skede)",
    FormType.COMPETITION: "Upphandling – öppen för anbud",
    FormType.CHANGE: "Rättelse",
    FormType.RESULT: "Tilldelning",
    FormType.DIR_AWARD_PRE: "Avsikt att tilldela direkt",
}

# Amount bands in SEK: round numbers a small company can place itself against.
AMOUNT_BANDS: tuple[tuple[float, str], ...] = (
    (700_000, "under 0,7 miljoner kr"),
    (2_000_000, "0,7–2 miljoner kr"),
    (10_000_000, "2–10 miljoner kr"),
    (50_000_000, "10–50 miljoner kr"),
)


def local_day(moment: datetime, timezone: str) -> date:
    """The calendar day in the service's time zone (a digest belongs to a Swedish day, not a UTC one)."""
    return moment.astimezone(ZoneInfo(timezone)).date()


def swedish_date(day: date) -> str:
    return formatting.day(day)


def deadline_text(deadline: datetime | None, timezone: str) -> str:
    if deadline is None:
        return "anges i upphandlingsdokumenten"
    return formatting.moment(deadline, timezone)


def amount_band(value_sek: float | None) -> str:
    if value_sek is None:
        return "värde ej angivet"
    for limit, label in AMOUNT_BANDS:
        if value_sek < limit:
            return label
    return "över 50 miljoner kr"


def value_band(tender: Tender, value_sek: float | None) -> str:
    """The amount band, and where it stands against the thresholds in force (direct award, EU threshold)."""
    if value_sek is None:
        return amount_band(None)
    works = tender.contract_nature == "works" or (tender.main_cpv or "").startswith("45")
    _band, text = threshold_band(value_sek, thresholds_on(tender.publication_date or date.today()), works)
    return f"{amount_band(value_sek)} – {text}"


def kind_label(tender: Tender) -> str:
    return KIND_LABELS.get(tender.form_type, "Annons") if tender.form_type else "Annons"


def buyer_text(tender: Tender) -> str:
    names = [buyer.name for buyer in tender.buyers if buyer.name]
    if not names:
        return "köpare ej angiven"
    return names[0] if len(names) == 1 else f"{names[0]} m.fl. ({len(names)} köpare)"
