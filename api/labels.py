"""Swedish labels for codes shown to people: notice kinds, CPV divisions, municipalities, buyers."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from tenders.codelists import cpv_divisions, cpv_label, dalarna_buyers, dalarna_municipalities, nuts_labels

FORM_TYPE_LABELS = {
    "planning": "Förhandsinformation",
    "competition": "Upphandling – anbud kan lämnas",
    "result": "Tilldelat kontrakt",
    "change": "Rättelse",
    "cont-modif": "Ändrat kontrakt",
    "consultation": "Marknadsdialog",
    "dir-awa-pre": "Avsikt att direkttilldela",
    "completion": "Avslutat kontrakt",
    "bri": "Företagsregistrering",
}

FACET_TITLES = {
    "cpv_division": "Bransch (CPV)",
    "municipality": "Kommun",
    "buyer": "Beställare",
    "form_type": "Typ av annons",
}

_MONTHS = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
           "november", "december")


def facet_label(field: str, value: str) -> str:
    if field == "cpv_division":
        return cpv_divisions().get(value, "") or value
    if field == "municipality":
        municipality = dalarna_municipalities().get(value)
        return municipality.name if municipality else value
    if field == "buyer":
        return dalarna_buyers().get(value, value)
    if field == "form_type":
        return FORM_TYPE_LABELS.get(value, value)
    return value


def cpv_text(code: str) -> str:
    label = cpv_label(code) or cpv_divisions().get(code[:2], "")
    return f"{code} {label}".strip()


def nuts_text(code: str) -> str:
    return nuts_labels().get(code, code)


def date_sv(value: date | datetime | None, timezone: str = "Europe/Stockholm") -> str:
    """'15 september 2026', with the time ('kl. 23:59') when a datetime is given, in Swedish local time."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        local = value.astimezone(ZoneInfo(timezone)) if value.tzinfo else value
        return f"{local.day} {_MONTHS[local.month - 1]} {local.year} kl. {local:%H:%M}"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def sek(amount: float | None) -> str:
    """'2 400 000 kr' with a non-breaking thin space as Swedish typography wants it."""
    if amount is None:
        return ""
    return f"{round(amount):,}".replace(",", "\u00a0") + "\u00a0kr"
