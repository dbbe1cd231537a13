"""Swedish formats for everything a person reads — pages, mails and the CLI use these and nothing else:
money, numbers and percentages (Babel, locale sv_SE), dates in Swedish time, org.nr, procedure names and the
links to a notice's source."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_currency, format_decimal, format_percent

from tenders.model import Money, Tender

LOCALE = "sv_SE"
TIMEZONE = "Europe/Stockholm"

# eForms procurement-procedure-type, as Swedish buyers name them (LOU's words, not the code list's long labels).
PROCEDURE_LABELS = {
    "open": "Öppet förfarande",
    "restricted": "Selektivt förfarande",
    "neg-w-call": "Förhandlat förfarande med föregående annonsering",
    "neg-wo-call": "Förhandlat förfarande utan föregående annonsering",
    "comp-dial": "Konkurrenspräglad dialog",
    "innovation": "Innovationspartnerskap",
    "oth-single": "Annat förfarande i ett steg (t.ex. förenklat förfarande)",
    "oth-mult": "Annat förfarande i flera steg (t.ex. urvalsförfarande)",
    "comp-tend": "Konkurrensutsatt anbudsförfarande",
    "exp-int-rail": "Begäran om intresseanmälan (järnväg)",
}
NATURE_LABELS = {"works": "Byggentreprenad", "supplies": "Varor", "services": "Tjänster"}
SIZE_LABELS = {"micro": "mikroföretag", "small": "litet företag", "medium": "medelstort företag",
               "large": "stort företag", "sme": "litet eller medelstort företag"}
# UHM and some notices publish a sole trader's name as this placeholder; say what it means.
HIDDEN_NAMES = {"Personuppgift": "Enskild firma (namnet publiceras inte)"}
TED_NOTICE_PAGE = "https://ted.europa.eu/en/notice/-/detail/{number}"


def money(amount: float | None, currency: str = "SEK") -> str:
    """'2 400 000 kr', '10 000 000 €', '9 999 999,99 €': whole amounts without decimals."""
    if amount is None:
        return ""
    whole = float(amount).is_integer()
    # A no-break space before the currency, as between the digit groups: "kr" never wraps onto a line of its own.
    pattern = "#,##0\u00a0¤" if whole else "#,##0.00\u00a0¤"
    return format_currency(amount, currency.upper(), format=pattern, locale=LOCALE, currency_digits=False)


def money_of(value: Money | None) -> str:
    return money(value.amount, value.currency) if value else ""


def number(value: float | None, decimals: int = 1) -> str:
    """'1 234', '2,5': Swedish grouping and decimal comma."""
    if value is None:
        return ""
    return format_decimal(round(value, decimals), format="#,##0.#" if decimals else "#,##0", locale=LOCALE)


def percent(share: float | None) -> str:
    """0.437 → '44 %'."""
    return "" if share is None else format_percent(share, locale=LOCALE)


def day(value: date | datetime | None, timezone: str = TIMEZONE) -> str:
    """'15 september 2026' (the day in Swedish time for a moment)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value, timezone).date()
    return format_date(value, format="d MMMM y", locale=LOCALE)


def moment(value: datetime | None, timezone: str = TIMEZONE) -> str:
    """'15 september 2026 kl. 23:59' in Swedish time."""
    if value is None:
        return ""
    return format_datetime(to_local(value, timezone), format="d MMMM y 'kl.' HH:mm", locale=LOCALE)


def short_moment(value: datetime | None, timezone: str = TIMEZONE) -> str:
    """'2026-12-26 23:59' in Swedish time, for narrow tables (the CLI)."""
    return f"{to_local(value, timezone):%Y-%m-%d %H:%M}" if value else ""


def to_local(value: datetime, timezone: str = TIMEZONE) -> datetime:
    return value.astimezone(ZoneInfo(timezone)) if value.tzinfo else value


def local_wall_clock(value: datetime, timezone: str = TIMEZONE) -> datetime:
    """Swedish wall-clock time without a zone, for spreadsheets (which have none); naive values are the store's UTC."""
    return to_local(value if value.tzinfo else value.replace(tzinfo=UTC), timezone).replace(tzinfo=None)


def orgnr(value: str | None) -> str:
    """'2120002221' → '212000-2221'; anything that is not ten digits as given."""
    if not value:
        return ""
    digits = re.sub(r"\D", "", value)
    return f"{digits[:6]}-{digits[6:]}" if len(digits) == 10 else value


def procedure(code: str | None) -> str:
    return PROCEDURE_LABELS.get(code or "", code or "")


def winner_name(name: str) -> str:
    return HIDDEN_NAMES.get(name, name)


def human_source_link(tender: Tender) -> str | None:
    """The page where a person reads the notice: TED's notice page by publication number, a Swedish database's
    notice page as crawled; never the machine-readable XML."""
    if tender.source == "ted" and tender.publication_number:
        return TED_NOTICE_PAGE.format(number=tender.publication_number)
    for url in (tender.source_url, *tender.source_urls):
        if url and not is_machine_readable(url):
            return url
    return None


def machine_source_link(tender: Tender) -> str | None:
    """The notice's XML (TED's links.xml.MUL), shown as 'Maskinläsbar annons'."""
    return next((u for u in (tender.source_url, *tender.source_urls) if u and is_machine_readable(u)), None)


def is_machine_readable(url: str) -> bool:
    return url.rstrip("/").lower().endswith(".xml") or "/xml" in url.lower()
