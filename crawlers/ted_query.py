"""The TED Search API v3 expert query for Dalarna, and the request body around it. Pure functions.

Field names are those of the API's field list (tests/fixtures/ted/search-api-v3-fields.tsv). Print the
query with ``anbudsvakt crawl ted --print-query`` and paste it into TED's expert search, or send the body
with ``"checkQuerySyntax": true``, to have TED check it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from stdnum.se import orgnr as se_orgnr

from tenders.codelists import DALARNA_NUTS, dalarna_buyers

# What the crawl needs from the listing: the XML link and what identifies the notice in messages.
SEARCH_FIELDS = (
    "publication-number",
    "notice-identifier",
    "notice-version",
    "publication-date",
    "notice-type",
    "links",
)
PAGE_SIZE = 250  # the API's maximum per page; 250 × 6 fields stays far below its 10,000 fields per page
# A notice whose XML link is missing from the listing is still at TED's documented address.
NOTICE_XML_URL = "https://ted.europa.eu/en/notice/{publication_number}/xml"


def orgnr_variants(orgnr: str) -> list[str]:
    """A Swedish org.nr as buyers write it in eForms: ten digits, with the hyphen (212000-2270), and as the VAT
    number (SE212000227001) that many Swedish buyers put in BT-501 instead.

    A number that fails the org.nr check digit is left out: it can only match a typo (the statistics list Region
    Dalarna also as 233100-0180, a misspelling of 232100-0180; the buyer list keeps it for the coverage ledger)."""
    digits = "".join(ch for ch in orgnr if ch.isdigit())
    if len(digits) != 10:
        return [orgnr.strip()] if orgnr.strip() else []
    if not se_orgnr.is_valid(digits):
        return []
    return [digits, f"{digits[:6]}-{digits[6:]}", f"SE{digits}01"]


def _quoted(values: Iterable[str]) -> str:
    return " ".join(f'"{value}"' for value in values)


def build_dalarna_query(since: date | None, *, nuts: str, buyer_orgnrs: Iterable[str]) -> str:
    """Notices performed in ``nuts`` (any level), or bought by a buyer there (NUTS or org.nr).

    ``since`` limits to notices published on or after that day (incremental runs and backfills)."""
    identifiers = sorted({variant for orgnr in buyer_orgnrs for variant in orgnr_variants(orgnr)})
    places = [
        # BT-5071 of each lot: where a contract notice's or award notice's lot is performed
        f"place-of-performance-subdiv-lot IN ({nuts})",
        # BT-5071 of the procedure: notices that state the place once, for the whole procurement
        f"place-of-performance-subdiv-proc IN ({nuts})",
        # BT-5071 of a part: prior-information notices are divided in parts, not lots
        f"place-of-performance-subdiv-part IN ({nuts})",
        # TED's own summary of every level; also set on notices converted from the pre-eForms schema
        f"place-of-performance IN ({nuts})",
        # BT-507 of the buyer: a Dalarna buyer's notice performed elsewhere or with no place stated
        f"buyer-country-sub IN ({nuts})",
    ]
    if identifiers:
        # BT-501 of the buyer: Dalarna's buyers by org.nr, for notices that give no NUTS code at all
        places.append(f"buyer-identifier IN ({_quoted(identifiers)})")
    query = "(" + " OR ".join(places) + ")"
    if since is not None:
        query += f" AND publication-date >= {since:%Y%m%d}"
    return query


def dalarna_query(since: date | None) -> str:
    """The query the TED spider sends: Dalarna's NUTS code and the buyers in tenders/data/dalarna_buyers.csv."""
    return build_dalarna_query(since, nuts=DALARNA_NUTS, buyer_orgnrs=dalarna_buyers())


def search_request_body(
    query: str, *, token: str | None = None, page_size: int = PAGE_SIZE, check_syntax: bool = False
) -> dict[str, Any]:
    """The JSON body of POST /v3/notices/search in ITERATION mode (no 15,000-notice cap, consistent pages)."""
    body: dict[str, Any] = {
        "query": query,
        "fields": list(SEARCH_FIELDS),
        "limit": page_size,
        "scope": "ALL",  # award and expired notices too: the default ACTIVE would miss results for statistics
        "paginationMode": "ITERATION",
    }
    if check_syntax:
        body["checkQuerySyntax"] = True
    if token:
        body["iterationNextToken"] = token
    return body


def notice_xml_url(notice: Mapping[str, Any]) -> str | None:
    """The notice's XML address: ``links.xml.MUL`` as the API gives it, else built from the publication number."""
    links = notice.get("links")
    if isinstance(links, Mapping):
        xml = links.get("xml")
        if isinstance(xml, Mapping) and isinstance(xml.get("MUL"), str):
            return str(xml["MUL"])
    number = publication_number(notice)
    return NOTICE_XML_URL.format(publication_number=number) if number else None


def publication_number(notice: Mapping[str, Any]) -> str:
    value = notice.get("publication-number") or notice.get("ND") or ""
    return str(value[0] if isinstance(value, list) and value else value)
