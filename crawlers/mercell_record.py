"""One record of Mercell's public search API as a Tender, and whether it is a Dalarna notice. Pure functions.

Field names are those public clients of the API read (see crawlers/spiders/mercell.py for who and when).
The buyer's name and org.nr are not among the fields those clients list: ``authorityName`` and
``authorityNationalId`` below are guesses to check against the first recorded session; without them the buyer
is named by its town and, where the town is a Dalarna municipality's seat, resolved from the Dalarna buyers.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from crawlers.sources.dates import parse_date, parse_deadline
from crawlers.sources.tender import cpv_codes
from tenders.codelists import (
    DALARNA_NUTS,
    dalarna_buyers,
    dalarna_municipalities,
    municipality_code,
    names_place_in_dalarna,
)
from tenders.model import Buyer, FormType, Tender
from tenders.orgnr import swedish_orgnr

RAW_FORMAT = "mercell-json"  # a web database's record: it joins the procurement it mirrors (tenders/dedup.py)
TED_SOURCE_ID = "TED"  # sourceId of Mercell's copies of TED notices; TED itself is crawled directly
# Guessed keys (see the module docstring); the first one present wins.
BUYER_NAME_KEYS = ("authorityName", "buyerName", "organisationName")
BUYER_ID_KEYS = ("authorityNationalId", "authorityOrganisationNumber", "buyerNationalId")
_TAGS = re.compile(r"<[^>]+>")


def reps_id(record: Mapping[str, Any]) -> str:
    """The stable notice number; ``id`` changes whenever Mercell re-indexes, so it is never a key."""
    value = record.get("repsNoticeId")
    return str(value).strip() if value not in (None, "") else ""


def is_ted_copy(record: Mapping[str, Any]) -> bool:
    return str(record.get("sourceId") or "").upper() == TED_SOURCE_ID


def _first(record: Mapping[str, Any], keys: Iterable[str]) -> str:
    return next((str(record[k]).strip() for k in keys if record.get(k)), "")


def buyer_orgnr(record: Mapping[str, Any]) -> str | None:
    return swedish_orgnr(_first(record, BUYER_ID_KEYS))


def _place_names(record: Mapping[str, Any]) -> list[str]:
    names = record.get("deliveryPlaceNames") or []
    return [str(name) for name in names] if isinstance(names, list) else [str(names)]


def is_dalarna(record: Mapping[str, Any]) -> bool:
    """A Dalarna buyer (org.nr), a buyer whose town is in Dalarna, or delivery in Dalarna."""
    if str(record.get("authorityCountryCode") or "SE").upper() != "SE":
        return False
    if buyer_orgnr(record) in dalarna_buyers():
        return True
    town = str(record.get("authorityTown") or "").strip()
    if town and municipality_code(city=town) is not None:
        return True
    return any(names_place_in_dalarna(name) for name in _place_names(record))


def _buyer(record: Mapping[str, Any]) -> Buyer:
    town = str(record.get("authorityTown") or "").strip() or None
    orgnr = buyer_orgnr(record)
    name = _first(record, BUYER_NAME_KEYS)
    if not orgnr and name:
        folded = " ".join(name.casefold().split())
        orgnr = next((nr for nr, known in dalarna_buyers().items() if known.casefold() == folded), None)
    if not name:
        name = dalarna_buyers().get(orgnr or "") or (f"Köpare i {town}" if town else "Okänd köpare")
    code = municipality_code(city=town, buyer_name=name)
    nuts = dalarna_municipalities()[code].nuts3 if code in dalarna_municipalities() else None
    return Buyer(name=name, orgnr=orgnr, country="SWE", city=town, municipality_code=code, nuts=nuts)


def _text(value: Any) -> str:
    """Mercell's descriptions are HTML-escaped HTML: unescape, drop the tags, keep the paragraphs."""
    unescaped = html.unescape(str(value or ""))
    return _TAGS.sub(" ", unescaped.replace("\r\n", "\n")).strip()


def _moment(value: Any) -> datetime | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return parse_deadline(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def publication_day(record: Mapping[str, Any]) -> datetime | None:
    return _moment(record.get("publicationDate"))


def record_to_tender(record: Mapping[str, Any], *, human_url: str, retrieved_at: datetime) -> Tender:
    """The notice a Dalarna record describes, keyed ``mercell:<repsNoticeId>``, linked to its human page."""
    title = str(record.get("title") or "").strip()
    description = _text(record.get("description"))
    codes = cpv_codes(" ".join(str(code) for code in record.get("cpvCodes") or []))
    published = publication_day(record)
    buyer = _buyer(record)
    return Tender(
        notice_id=f"mercell:{reps_id(record)}",
        publication_date=published.date() if published else parse_date(str(record.get("publicationDate") or "")),
        language="swe",
        form_type=FormType.COMPETITION,
        buyers=[buyer],
        title={"swe": title} if title else {},
        description={"swe": description} if description else {},
        main_cpv=codes[0] if codes else None,
        additional_cpv=codes[1:],
        place_of_performance=[DALARNA_NUTS],
        submission_deadline=_moment(record.get("deadline")),
        source="mercell",
        source_url=human_url,
        source_urls=[human_url],
        retrieved_at=retrieved_at,
        raw_format=RAW_FORMAT,
    )
