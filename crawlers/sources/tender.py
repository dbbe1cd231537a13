"""An extracted record (the strings a list row and its detail page gave) as a normalised Tender.

Web pages carry no notice id or version of their own: the notice id is ``<source>:<the site's id>``
(the id in the notice's address, else its reference number, else a digest of its address/title), the
version stays "01" and the store replaces the row when the page changes (deadline moved, text edited).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from datetime import datetime

from crawlers.sources.dates import parse_date, parse_deadline
from crawlers.sources.layout import BuyerInfo
from tenders.codelists import dalarna_buyers, municipality_code, normalise_cpv
from tenders.dedup import site_id
from tenders.model import Buyer, FormType, Tender
from tenders.orgnr import normalise_orgnr

_CPV = re.compile(r"(?<!\d)(\d{8})(?:-\d)?(?!\d)")
_NUTS = re.compile(r"\bSE[0-9]{1,3}\b")
def notice_key(record: Mapping[str, str]) -> str:
    found = site_id(record.get("url")) or record.get("reference")
    if found:
        return re.sub(r"\s+", "-", found.strip())
    basis = record.get("url") or f"{record.get('title', '')}|{record.get('deadline', '')}"
    return "h" + hashlib.sha256(basis.encode()).hexdigest()[:16]


def cpv_codes(text: str | None) -> list[str]:
    codes = (normalise_cpv(match) for match in _CPV.findall(text or ""))
    return list(dict.fromkeys(code for code in codes if code))


def buyer_of(record: Mapping[str, str], default: BuyerInfo | None) -> Buyer | None:
    """The row's buyer if it names one, else the list's; org.nr from the page, the list or the Dalarna buyers."""
    name = record.get("buyer_name") or (default.name if default else None)
    if not name:
        return None
    orgnr = normalise_orgnr(record.get("buyer_orgnr"))
    if orgnr is None and default is not None and _same_name(name, default.name):
        orgnr = normalise_orgnr(default.orgnr)
    if orgnr is None:
        orgnr = next((nr for nr, known in dalarna_buyers().items() if _same_name(known, name)), None)
    code = municipality_code(buyer_name=name)
    nuts = default.nuts if default else None
    return Buyer(name=name, orgnr=orgnr, country="SWE", municipality_code=code, nuts=nuts or None)


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def record_to_tender(
    record: Mapping[str, str],
    *,
    source: str,
    source_url: str,
    retrieved_at: datetime,
    buyer: BuyerInfo | None = None,
    date_formats: Sequence[str] = (),
) -> Tender:
    """The Tender a page describes: a competition notice in Swedish, with what the page states."""
    title = record.get("title", "").strip()
    description = record.get("description", "")
    category = record.get("category", "")
    codes = cpv_codes(" ".join((record.get("cpv", ""), category)))
    if category and not codes:  # no code on the page: keep the category's words for the classifier
        description = f"{description}\n\nKategori: {category}".strip()
    stated = list(dict.fromkeys(_NUTS.findall(record.get("place", ""))))
    place = stated or ([buyer.nuts] if buyer and buyer.nuts else [])
    found_buyer = buyer_of(record, buyer)
    return Tender(
        notice_id=f"{source}:{notice_key(record)}",
        publication_date=parse_date(record.get("published"), date_formats),
        language="swe",
        form_type=FormType.COMPETITION,
        buyers=[found_buyer] if found_buyer else [],
        title={"swe": title} if title else {},
        description={"swe": description} if description else {},
        main_cpv=codes[0] if codes else None,
        additional_cpv=codes[1:],
        place_of_performance=place,
        submission_deadline=parse_deadline(record.get("deadline"), date_formats),
        documents_url=record.get("documents_url") or None,
        source=source,
        source_url=source_url,
        source_urls=[source_url],
        retrieved_at=retrieved_at,
        raw_format="html",
    )
