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
procurement they share a key with: before they are stored they take its id as their procedure id
(:func:`join_procurement`), and when a structured
notice arrives later it pulls the web notices that share its keys into its procedure
(:func:`absorb_mirrors`). The keys live in the store's ``procurement_keys`` table, one row per key.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenders.model import Tender
from tenders.store import TenderStore
from tenders.store.tables import NoticeRow, ProcurementKeyRow

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


def join_procurement(tender: Tender, store: TenderStore) -> Tender:
    """Before storing: a web-page notice takes the id of the procurement it mirrors (structured ones first)."""
    if not joins_others(tender):
        return tender
    matches = _matching_notices(store, match_keys(tender), exclude=tender.notice_id)
    owners = sorted(tender_id for tender_id, joins in matches if not joins)
    mirrors = sorted(tender_id for tender_id, joins in matches if joins)
    chosen = (owners or mirrors)[0] if owners or mirrors else None
    if chosen is None:  # no match now: stay where an earlier match put it (a later title edit must not split it)
        chosen = store.tender_id_for_notice(tender.notice_id, tender.version)
    if chosen is None or chosen == tender.notice_id:
        return tender
    return tender.model_copy(update={"procedure_id": chosen})


def absorb_mirrors(tender: Tender, store: TenderStore) -> list[str]:
    """After storing: record the notice's keys; a structured notice pulls in the web notices that mirror it.

    Returns the procurements the pulled notices left (to re-index, or to drop from the index when empty).
    """
    keys = match_keys(tender)
    _record_keys(store, tender, keys)
    if joins_others(tender):
        return []
    own_id = tender.procedure_id or tender.notice_id
    left = []
    for notice_id, version, tender_id in _mirror_notices(store, keys, exclude=tender.notice_id):
        if tender_id == own_id:
            continue
        mirror, raw = store.get_notice(notice_id, version), store.raw_document(notice_id, version)
        if mirror is None or raw is None:
            continue
        store.upsert_notice(mirror.model_copy(update={"procedure_id": own_id}), raw)
        left.append(tender_id)
    return list(dict.fromkeys(left))


def _record_keys(store: TenderStore, tender: Tender, keys: set[str]) -> None:
    with Session(store.engine) as session, session.begin():
        notice_pk = session.scalars(
            sa.select(NoticeRow.id).where(NoticeRow.notice_id == tender.notice_id, NoticeRow.version == tender.version)
        ).one()
        session.execute(sa.delete(ProcurementKeyRow).where(ProcurementKeyRow.notice_pk == notice_pk))
        session.add_all(ProcurementKeyRow(notice_pk=notice_pk, key=key) for key in sorted(keys))


def _keyed_notices(session: Session, keys: set[str], exclude: str) -> list[NoticeRow]:
    query = (
        sa.select(NoticeRow)
        .join(ProcurementKeyRow, ProcurementKeyRow.notice_pk == NoticeRow.id)
        .where(ProcurementKeyRow.key.in_(sorted(keys)), NoticeRow.notice_id != exclude)
    )
    # one row per shared key: keep each notice once (DISTINCT cannot compare PostgreSQL's json column)
    return list({row.id: row for row in session.scalars(query)}.values())


def _matching_notices(store: TenderStore, keys: set[str], exclude: str) -> set[tuple[str, bool]]:
    """(tender id, is a web-page notice) of every stored notice sharing a key."""
    if not keys:
        return set()
    with Session(store.engine) as session:
        rows = _keyed_notices(session, keys, exclude)
        return {(row.tender_id, row.data.get("raw_format") in JOINING_FORMATS) for row in rows}


def _mirror_notices(store: TenderStore, keys: set[str], exclude: str) -> list[tuple[str, str, str]]:
    if not keys:
        return []
    with Session(store.engine) as session:
        rows = _keyed_notices(session, keys, exclude)
        return [(r.notice_id, r.version, r.tender_id) for r in rows if r.data.get("raw_format") in JOINING_FORMATS]
