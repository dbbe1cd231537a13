"""Small converters from notice text to model values: dates with time zones, amounts, languages, durations."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from tenders.model import Duration, Money

# xsd:date / xsd:time as eForms writes them: "2020-02-04+02:00", "2000-01-01Z", "10:00:00+01:00".
_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?\s*$")
_TIME = re.compile(r"^\s*(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?\s*$")
_COMPACT_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")  # TED R2.0.9 coded data: "20210713"

# TED R2.0.9 and eForms "2-letter" languages → the lower-case 3-letter codes eForms and the TED API use.
LANGUAGE_2_TO_3 = {
    "bg": "bul",
    "cs": "ces",
    "da": "dan",
    "de": "deu",
    "el": "ell",
    "en": "eng",
    "es": "spa",
    "et": "est",
    "fi": "fin",
    "fr": "fra",
    "ga": "gle",
    "hr": "hrv",
    "hu": "hun",
    "it": "ita",
    "lt": "lit",
    "lv": "lav",
    "mt": "mlt",
    "nl": "nld",
    "pl": "pol",
    "pt": "por",
    "ro": "ron",
    "sk": "slk",
    "sl": "slv",
    "sv": "swe",
    "no": "nor",
    "nb": "nob",
    "nn": "nno",
    "is": "isl",
}
_MONTHS_PER_UNIT = {"DAY": 12 / 365.25, "WEEK": 7 * 12 / 365.25, "MONTH": 1.0, "YEAR": 12.0}


_PUBLICATION_NUMBER = re.compile(r"^\s*0*(\d+)-(\d{4})\s*$")


def publication_number(value: str | None) -> str | None:
    """TED's OJ S number as the TED API writes it: '00475939-2026' → '475939-2026'."""
    if not value or not value.strip():
        return None
    match = _PUBLICATION_NUMBER.match(value)
    return f"{match.group(1)}-{match.group(2)}" if match else value.strip()


def language_code(value: str | None) -> str | None:
    """'SWE' → 'swe', 'SV' → 'swe'; None for nothing."""
    if not value or not value.strip():
        return None
    code = value.strip().lower()
    return LANGUAGE_2_TO_3.get(code, code)


def _offset(text: str | None) -> tzinfo | None:
    if not text:
        return None
    if text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def parse_date(value: str | None) -> date | None:
    """The calendar date of an xsd:date (its offset only says where that date is), or of 'YYYYMMDD'."""
    if not value:
        return None
    match = _DATE.match(value) or _COMPACT_DATE.match(value)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def parse_deadline(date_text: str | None, time_text: str | None, default_zone: tzinfo | None = None) -> datetime | None:
    """An aware datetime from an eForms EndDate + EndTime pair.

    The time's offset wins (it is what the buyer entered); else the date's; else ``default_zone``
    (R2.0.9 times carry none: they are the buyer's local time); else UTC. Without a time, the deadline
    is the start of that day: earlier is the safe side for someone who must submit in time.
    """
    day = parse_date(date_text)
    if day is None:
        return None
    date_match = _DATE.match(date_text or "")
    zone = _offset(date_match.group(4)) if date_match else None
    clock = time(0, 0)
    time_match = _TIME.match(time_text or "") if time_text else None
    if time_match:
        clock = time(int(time_match.group(1)), int(time_match.group(2)), int(time_match.group(3) or 0))
        zone = _offset(time_match.group(4)) or zone
    try:
        return datetime.combine(day, clock, tzinfo=zone or default_zone or UTC)
    except ValueError:
        return None


def zone_for_country(country: str | None) -> tzinfo:
    """Local time zone of a (mostly Nordic) buyer country, for times written without an offset."""
    zones = {
        "SE": "Europe/Stockholm",
        "SWE": "Europe/Stockholm",
        "FI": "Europe/Helsinki",
        "FIN": "Europe/Helsinki",
        "NO": "Europe/Oslo",
        "NOR": "Europe/Oslo",
        "DK": "Europe/Copenhagen",
        "DNK": "Europe/Copenhagen",
    }
    return ZoneInfo(zones.get((country or "").upper(), "Europe/Brussels"))


def parse_amount(value: str | None) -> float | None:
    if not value:
        return None
    try:
        amount = float(value.strip().replace(" ", "").replace(",", "."))
    except ValueError:
        return None
    return amount if amount == amount and amount not in (float("inf"), float("-inf")) else None


def money(value: str | None, currency: str | None) -> Money | None:
    amount = parse_amount(value)
    if amount is None:
        return None
    return Money(amount=amount, currency=(currency or "EUR").strip().upper())


def sum_money(values: list[Money]) -> Money | None:
    """The total of amounts in one currency; None when there are none or currencies differ."""
    if not values or len({v.currency for v in values}) != 1:
        return None
    return Money(amount=round(sum(v.amount for v in values), 2), currency=values[0].currency)


def parse_int(value: str | None) -> int | None:
    amount = parse_amount(value)
    return int(amount) if amount is not None and amount >= 0 else None


def parse_bool(value: str | None) -> bool | None:
    text = (value or "").strip().lower()
    if text in {"true", "1", "yes"}:
        return True
    if text in {"false", "0", "no"}:
        return False
    return None


def duration(value: str | None, unit: str | None) -> Duration | None:
    """BT-36: a number and a unit (DAY, WEEK, MONTH, YEAR); months derived for comparisons."""
    amount = parse_amount(value)
    if amount is None or not unit:
        return None
    unit = unit.strip().upper()
    factor = _MONTHS_PER_UNIT.get(unit)
    return Duration(value=amount, unit=unit, months=round(amount * factor, 2) if factor else None)
