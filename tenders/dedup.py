"""One tender, many sources: the same procurement seen on TED and in a Swedish notice database (or mirrored
between databases) is stored once, as one procurement with every notice and every source link.

Each notice gets match keys, strongest first:

- ``ted:<publication number>``: a TED notice's own number, or one a web page cites ("2026/S 123-456789",
  "TED-nummer 456789-2026", a ted.europa.eu link);
- ``site:<host>:<id>``: the procurement's id on a notice database, from a notice's address or its
  documents link (e-Avrop ``?id=``, KommersAnnons ``ProcurementId=``);
- ``otd:<buyer org.nr>:<normalised title>:<deadline day>``: for pages that name no id.

Notices parsed from structured notices (eForms, TED R2.0.9) own their procedure id and never change it.
Notices read from web pages or a database's search records (``raw_format`` in ``JOINING_FORMATS``) JOIN the
procurement they share a key with: before they are stored they take its id as their procedure id, and when a
structured notice arrives later it pulls the web notices that share its keys into its procedure. The store applies
these rules as it writes a batch of notices (``tenders.store.plan``); the keys live in its ``procurement_keys``
table, one row per key.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from tenders.model import Tender

SWEDISH_TIME = ZoneInfo("Europe/Stockholm")
# Hosts whose addresses carry a procurement's own id (not a CMS page id shared by a whole list).
NOTICE_DATABASE_HOSTS = ("e-avrop.com", "kommersannons.se", "opic.com", "tendsign.com", "mercell.com")
# Query parameters that name a notice on the notice databases (e-Avrop: id/Id/UppId, Kommers: ProcurementId).
ID_PARAMETERS = ("procurementid", "uppid", "noticeid", "tenderid", "annonsid", "id")
# Formats of notices read from a notice database's pages or search records, not a structured notice of their own.
JOINING_FORMATS = frozenset({"html", "mercell-json"})
_OJS = re.compile(r"\b(20\d{2})\s*/\s*S\s*\d{1,3}\s*-\s*(\d{5,9})\b", re.IGNORECASE)
_TED_CITED = re.compile(r"(?:\bTED\b|ted\.europa\.eu)[^0-9]{0,40}?(\d{5,9})-(20\d{2})\b", re.IGNORECASE)


def site_id(url: str | None) -> str | None:
    """The notice's id in its address: a known query parameter, else a trailing number in the path."""
    if not url:
        return None
    parts = urlsplit(url)
    params = {key.casefold(): val for key, val in parse_qsl(parts.query) if val}
    for name in ID_PARAMETERS:
        if name in params:
            return params[name]
    match = re.search(r"/(\d{3,})/?$", parts.path)
    return match.group(1) if match else None


def site_key_id(url: str) -> str | None:
    """The id a ``site:`` key carries: e-Avrop numbers requests for information apart from procurements (RFI 4163
    is not procurement 4163), so an RFI page's id keeps its kind."""
    found = site_id(url)
    if found and re.search(r"/rfi\.aspx$", urlsplit(url).path, re.IGNORECASE):
        return f"rfi-{found}"
    return found


def joins_others(tender: Tender) -> bool:
    """Web-page notices join procurements; structured notices own their procedure id."""
    return tender.raw_format in JOINING_FORMATS


def normalised_title(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", folded).split())


def cited_ted_numbers(text: str) -> set[str]:
    numbers = {f"{int(number)}-{year}" for year, number in _OJS.findall(text)}
    return numbers | {f"{int(number)}-{year}" for number, year in _TED_CITED.findall(text)}


def match_keys(tender: Tender) -> set[str]:
    keys = {f"ted:{number}" for number in _ted_numbers(tender)}
    urls = [tender.source_url, tender.documents_url, tender.submission_url, *tender.source_urls]
    for url in filter(None, urls):
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        found = site_key_id(url)
        if found and any(host == known or host.endswith("." + known) for known in NOTICE_DATABASE_HOSTS):
            keys.add(f"site:{host}:{found}")
    deadline = tender.submission_deadline
    title = normalised_title(next(iter(tender.title.values()), "") if tender.title else "")
    if deadline is not None and title:
        aware = deadline if deadline.tzinfo else deadline.replace(tzinfo=UTC)
        day = aware.astimezone(SWEDISH_TIME).date().isoformat()
        keys |= {f"otd:{buyer.orgnr}:{title}:{day}" for buyer in tender.buyers if buyer.orgnr}
    return {key[:300] for key in keys}


def _ted_numbers(tender: Tender) -> set[str]:
    if not joins_others(tender):
        return {tender.publication_number} if tender.publication_number else set()
    texts = [*tender.title.values(), *tender.description.values(), tender.documents_url or ""]
    return cited_ted_numbers(" ".join(texts))
