"""Tolerant Swedish dates: "2026-12-01", "1 december 2026", "01.12.2026 kl 12:00", "1 dec. 2026 kl. 12.00".

The notice databases and municipal pages write dates by hand or by many CMS templates; a definition may
name strptime formats to try first, and what they miss falls back to the patterns every Swedish page uses.
Times are Swedish local time (Europe/Stockholm), which is what every such page means.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

SWEDISH_TIME = ZoneInfo("Europe/Stockholm")
# A deadline given as a day only ("Sista anbudsdag 2026-12-01") runs to the end of that day.
END_OF_DAY = time(23, 59)

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
    "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")
_WORDS = re.compile(r"(?<!\d)(\d{1,2})\s*\.?\s+([a-zåäö]+)\.?\s+(\d{4})(?!\d)", re.IGNORECASE)
# "kl 12:00", "kl. 12.00", "12:00", "T12:00" after the date; a lone "12.00" only after "kl".
_TIME = re.compile(r"^[\sT,]*(?:(?:kl\.?|klockan)\s*(\d{1,2})[:.](\d{2})|(\d{1,2}):(\d{2}))", re.IGNORECASE)


def parse_date_time(text: str | None, formats: Sequence[str] = ()) -> tuple[date, time | None] | None:
    """The first date in ``text`` and the time of day written after it, if any."""
    if not text:
        return None
    cleaned = " ".join(text.split())
    for fmt in formats:
        parsed = _strptime(cleaned, fmt)
        if parsed is not None:
            return parsed.date(), (parsed.time() if ("%H" in fmt or "%I" in fmt) else None)
    found = _first_date(cleaned)
    if found is None:
        return None
    day, end = found
    match = _TIME.match(cleaned[end:])
    if match is None:
        return day, None
    hour, minute = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    if int(hour) > 23 or int(minute) > 59:
        return day, None
    return day, time(int(hour), int(minute))


def parse_date(text: str | None, formats: Sequence[str] = ()) -> date | None:
    parsed = parse_date_time(text, formats)
    return parsed[0] if parsed else None


def parse_deadline(text: str | None, formats: Sequence[str] = ()) -> datetime | None:
    """A deadline as an aware Swedish-time datetime; a day without a time means the end of that day."""
    parsed = parse_date_time(text, formats)
    if parsed is None:
        return None
    day, clock = parsed
    return datetime.combine(day, clock or END_OF_DAY, tzinfo=SWEDISH_TIME)


def _strptime(text: str, fmt: str) -> datetime | None:
    try:
        return datetime.strptime(text, fmt)
    except ValueError:
        return None


def _first_date(text: str) -> tuple[date, int] | None:
    """The earliest date in the text by position, with where it ends."""
    candidates = []
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_WORDS, "dMy")):
        for match in pattern.finditer(text):
            day = _build(match.groups(), order)
            if day is not None:
                candidates.append((match.start(), day, match.end()))
                break
    if not candidates:
        return None
    _, day, end = min(candidates, key=lambda c: c[0])
    return day, end


def _build(parts: tuple[str, ...], order: str) -> date | None:
    if order == "ymd":
        year, month, day = int(parts[0]), int(parts[1]), int(parts[2])
    elif order == "dmy":
        day, month, year = int(parts[0]), int(parts[1]), int(parts[2])
    else:
        month_number = MONTHS.get(parts[1].casefold())
        if month_number is None:
            return None
        day, month, year = int(parts[0]), month_number, int(parts[2])
    try:
        return date(year, month, day)
    except ValueError:
        return None
