"""Swedish labels for codes shown to people: notice kinds, CPV divisions, municipalities, buyers."""

from __future__ import annotations

from datetime import date, datetime

from tenders import formatting
from tenders.codelists import cpv_divisions, cpv_label, dalarna_buyers, dalarna_municipalities, nuts_labels
from tenders.demo import buyer_display_name

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

def facet_label(field: str, value: str) -> str:
    if field == "cpv_division":
        return cpv_divisions().get(value, "") or value
    if field == "municipality":
        municipality = dalarna_municipalities().get(value)
        return municipality.name if municipality else value
    if field == "buyer":
        name = dalarna_buyers().get(value)
        return buyer_display_name(name) if name else formatting.orgnr(value)
    if field == "form_type":
        return FORM_TYPE_LABELS.get(value, value)
    return value


def cpv_name(code: str) -> str:
    """The Swedish label of a CPV code or prefix at its own level: 9091 → 'Städning', 909 → 'Städning och
    renhållning' (a prefix is its code padded with zeros), the division's label only when the level has none."""
    padded = code.ljust(8, "0") if code.isdigit() else code
    return cpv_label(padded) or cpv_divisions().get(code[:2], "")


def cpv_text(code: str) -> str:
    """'90910000 Städning', '9091 Städning'."""
    return f"{code} {cpv_name(code)}".strip()


def nuts_text(code: str) -> str:
    """'Dalarnas län (SE312)'; a foreign code as 'utanför Sverige (LU000)'."""
    label = nuts_labels().get(code)
    if label:
        return f"{label} ({code})"
    return f"utanför Sverige ({code})" if code[:2] != "SE" else code


def date_sv(value: date | datetime | None, timezone: str = formatting.TIMEZONE) -> str:
    """'15 september 2026', with the time ('kl. 23:59') when a datetime is given, in Swedish local time."""
    if isinstance(value, datetime):
        return formatting.moment(value, timezone)
    return formatting.day(value, timezone)


def sek(amount: float | None) -> str:
    """'2 400 000 kr' (Babel, sv_SE)."""
    return formatting.money(amount)
