"""Example notices ("Exempeldata") for a store with nothing real in it yet: every page, search and digest can be
tried offline.

They are built from Upphandlingsmyndigheten's 2021 statistics (CC0, ``datasets/uhm-2021``): the titles, CPV codes,
procedures, contract types, lot counts, winners and contracted values are real, but all those procurements were
by buyers outside Dalarna. To show what a Dalarna user would see, most of them are given a Dalarna buyer and place
of performance (SE312), and every date is moved into the weeks around today. Each notice says so in its
description and carries ``source="demo"``; the pages show an "Exempeldata" banner while any is stored, and the
store never mixes them with crawled notices (:func:`mixing_problem`: loads and crawls refuse, and say how to remove
them; :func:`demo_ids` and :func:`remove_demo_notices` are the store's part of ``anbudsvakt load --remove-demo``).
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tenders import demo_codes as uhm_codes
from tenders.codelists import dalarna_buyers, municipality_code
from tenders.model import Buyer, FormType, LotResult, Money, Tender, Winner
from tenders.stats import uhm
from tenders.store import TenderStore
from tenders.store.engine import begin_write
from tenders.store.tables import NoticeRow, ProcurementKeyRow, TenderRow

DEMO_SOURCE = "demo"
REMOVE_DEMO_COMMAND = "anbudsvakt load --remove-demo"
_SWEDEN = ZoneInfo("Europe/Stockholm")
DEMO_DIR = Path(__file__).resolve().parents[1] / "datasets" / "uhm-2021"
DEMO_COUNT = 300
DALARNA_NUTS = "SE312"
# Words a new user tries first: each theme gets this many notices so that every one of them finds something.
THEMES = {
    r"snöröjning": 12, r"vinterväghållning|halkbekämpning": 6, r"skol": 22, r"bygg": 22, r"städ|lokalvård": 16,
    r"livsmedel": 14, r"\btak|takbyte|yttertak": 12, r"fönsterputs": 8, r"måleri|målning": 8,
    r"\bvvs|rörarbeten": 6, r"\bel\b|elinstallation|belysning": 8, r"transport|skolskjuts": 10,
    r"markarbete|markentreprenad|grönyt|parkskötsel": 10, r"möbler|inredning": 6, r"konsult": 10,
}
DALARNA_SHARE = 0.7  # the rest keep their real buyer, so the "whole Sweden" view is not empty
_TITLE_WORDS = re.compile(r"[A-ZÅÄÖ][a-zåäö]+")


@dataclass
class _Facts:
    """What the four exports say about one procurement."""

    row: uhm.ExportRow
    lots: list[str] = field(default_factory=list)
    tenders: dict[str, int] = field(default_factory=dict)
    winners: dict[str, list[Winner]] = field(default_factory=lambda: defaultdict(list))
    value: float | None = None


def _read(uhm_dir: Path) -> dict[str, _Facts]:
    facts: dict[str, _Facts] = {}
    for row in uhm.ExportFile.in_dir(uhm_dir, uhm.PROCUREMENTS, [uhm.TITLE, uhm.PROCUREMENT_ID]):
        if row.title and row.procurement_id:
            facts.setdefault(row.procurement_id, _Facts(row))
    for row in uhm.ExportFile.in_dir(uhm_dir, uhm.TENDERS_PER_LOT, [uhm.LOT_ID, uhm.TENDERS]):
        if (found := facts.get(row.procurement_id)) is not None and (count := row.count(uhm.TENDERS)) is not None:
            found.tenders[row.text(uhm.LOT_ID)] = count
    for row in uhm.ExportFile.in_dir(uhm_dir, uhm.CONTRACTED_VALUE, [uhm.CONTRACTED_VALUE_SEK]):
        if (found := facts.get(row.procurement_id)) is not None:
            found.value = row.number(uhm.CONTRACTED_VALUE_SEK)
    for row in uhm.ExportFile.in_dir(uhm_dir, uhm.CONTRACTED_SUPPLIERS, [uhm.LOT_ID, uhm.SUPPLIER_SIZE]):
        if (found := facts.get(row.procurement_id)) is not None:
            size = uhm_codes.COMPANY_SIZES.get(row.text(uhm.SUPPLIER_SIZE))
            found.winners[row.text(uhm.LOT_ID)].append(Winner(name=row.text("Namn för leverantör"), size=size))
    return facts


def _pick(facts: dict[str, _Facts], count: int, rng: random.Random) -> list[_Facts]:
    """The themed notices first, then a random fill; titles that name their own town are left out because
    most notices get a Dalarna buyer."""
    pool = [f for f in facts.values() if not _names_its_town(f.row)]
    rng.shuffle(pool)
    chosen: dict[str, _Facts] = {}
    for pattern, wanted in THEMES.items():
        matching = [f for f in pool if re.search(pattern, f.row.title, re.IGNORECASE)]
        chosen.update((f.row.procurement_id, f) for f in matching[:wanted])
    for found in pool:
        if len(chosen) >= count:
            break
        chosen.setdefault(found.row.procurement_id, found)
    return list(chosen.values())[:count]


def _names_its_town(row: uhm.ExportRow) -> bool:
    town = row.buyer_name.split(" ")[0].casefold().rstrip("s")
    return len(town) > 3 and town in row.title.casefold()


def _dalarna_buyer(rng: random.Random) -> Buyer:
    orgnr, name = rng.choice(sorted(dalarna_buyers().items()))
    code = municipality_code(None, name)
    return Buyer(name=buyer_display_name(name), orgnr=orgnr, country="SWE", nuts=DALARNA_NUTS, municipality_code=code)


def buyer_display_name(name: str) -> str:
    """'MALUNG-SÄLENS KOMMUN' → 'Malung-Sälens kommun', 'DALA ENERGI AB (PUBL)' → 'Dala Energi AB (publ)'."""
    lower = {"kommun", "i", "och", "län", "för", "(publ)", "&"}
    words: list[str] = []
    for word in name.split():
        folded = word.casefold()
        if folded in lower or (words and folded in {"kommun", "region"}):
            words.append(folded)
        elif folded == "ab":
            words.append("AB")
        else:
            words.append("-".join(part[:1].upper() + part[1:].casefold() for part in word.split("-")))
    return " ".join(words)


def _form_type(rng: random.Random, facts: _Facts) -> FormType:
    if any(facts.winners.values()) and rng.random() < 0.3:
        return FormType.RESULT
    return FormType.PLANNING if rng.random() < 0.08 else FormType.COMPETITION


def _results(facts: _Facts, award_day: date) -> list[LotResult]:
    lot_ids = sorted(facts.winners) or ["1"]
    results = []
    for number, lot_id in enumerate(lot_ids, start=1):
        results.append(LotResult(
            lot_id=str(number), status="selec-w", tenders_received=facts.tenders.get(lot_id),
            winners=facts.winners.get(lot_id, []), award_date=award_day,
            value=Money(amount=facts.value) if facts.value and len(lot_ids) == 1 else None,
        ))
    return results


def _build(facts: _Facts, today: date, rng: random.Random) -> Tender:
    row = facts.row
    dalarna = rng.random() < DALARNA_SHARE
    real_buyer = buyer_display_name(row.buyer_name)
    buyer = _dalarna_buyer(rng) if dalarna else Buyer(name=real_buyer, orgnr=row.buyer_orgnr, country="SWE")
    form = _form_type(rng, facts)
    published = today - timedelta(days=_age_days(rng, form))
    deadline = datetime.combine(published + timedelta(days=rng.randint(14, 55)), time(23, 59), tzinfo=_SWEDEN)
    cpv = uhm_codes.main_cpv(row.text(uhm.MAIN_CPV))
    lots = uhm_codes.lots(len(facts.tenders) if len(facts.tenders) > 1 else 0, cpv)
    return Tender(
        notice_id=f"demo-{row.procurement_id}", procedure_id=f"demo-{row.procurement_id}",
        publication_date=published, issue_date=published, language="SWE", form_type=form,
        procedure_type=uhm_codes.PROCEDURES.get(row.text("Förfarande")), buyers=[buyer],
        title={"swe": moved_years(row.title, today.year - RECORD_YEAR)},
        description={"swe": _description(row, real_buyer, dalarna)},
        main_cpv=cpv, contract_nature=uhm_codes.NATURES.get(row.text("Upphandlingsslag")),
        place_of_performance=[DALARNA_NUTS] if dalarna else [],
        estimated_value=Money(amount=facts.value) if facts.value and form != FormType.RESULT else None,
        framework_agreement=row.text("Typ av avtal") == "Ramavtal", lots=lots,
        submission_deadline=deadline if form == FormType.COMPETITION else None,
        results=_results(facts, published - timedelta(days=7)) if form == FormType.RESULT else [],
        source=DEMO_SOURCE, retrieved_at=datetime.combine(today, time(), tzinfo=UTC), raw_format=DEMO_SOURCE,
    )


RECORD_YEAR = 2021  # the statistics' year; the notices' dates are moved to today, and so are years in titles
_YEAR = re.compile(r"(?<!\d)(20[12]\d)(?!\d)")


def moved_years(title: str, years: int) -> str:
    """Years in a title moved as the dates were ("Snöröjning 2021" published this week reads "Snöröjning 2026"),
    so an example notice does not look years out of date; only plausible contract years (2015–2029) move."""
    return _YEAR.sub(lambda found: str(int(found.group(1)) + years) if int(found.group(1)) >= 2015 else found.group(1),
                     title)


def _age_days(rng: random.Random, form: FormType) -> int:
    """A third published this week: the daily matching alerts only on notices at most 7 days old when first seen,
    so a company registered before ``load --demo`` gets a real digest."""
    if form == FormType.RESULT:
        return rng.randint(0, 30)
    return rng.randint(0, 6) if rng.random() < 0.33 else rng.randint(7, 60)


def _description(row: uhm.ExportRow, real_buyer: str, dalarna: bool) -> str:
    moved = f" Beställaren var {real_buyer}; här visas en beställare i Dalarna." if dalarna else ""
    return (
        "Exempeldata: titel, CPV-kod, förfarande och resultat kommer från en verklig upphandling 2021 "
        f"(Upphandlingsmyndighetens statistik, CC0), med datum och årtal flyttade till i dag.{moved} "
        "Annonsen finns inte att lämna anbud på."
    )


def demo_tenders(today: date | None = None, count: int = DEMO_COUNT, uhm_dir: Path = DEMO_DIR) -> list[Tender]:
    """The example notices, the same selection every time (a fixed seed); only the dates follow ``today``."""
    rng = random.Random(2021)
    today = today or datetime.now(UTC).date()
    return [_build(found, today, rng) for found in _pick(_read(uhm_dir), count, rng)]


def stored_sources(store: TenderStore) -> set[str]:
    with store.engine.connect() as connection:
        return set(connection.scalars(sa.select(NoticeRow.source).distinct()))


def mixing_problem(store: TenderStore, loading_demo: bool) -> str | None:
    """Why loading (or crawling) now would mix example notices with real ones, one line; None when it would not."""
    sources = stored_sources(store)
    if loading_demo and sources - {DEMO_SOURCE}:
        return "Databasen har redan riktiga annonser; exempeldata läses bara in i en tom databas."
    if not loading_demo and DEMO_SOURCE in sources:
        return (f"Databasen har exempeldata, som aldrig blandas med riktiga annonser; ta bort dem först med "
                f"`{REMOVE_DEMO_COMMAND}`.")
    return None


@dataclass(frozen=True)
class DemoIds:
    """The example notices in the store and the procurements (current views) built from them."""

    notice_ids: list[str]
    tender_ids: list[str]


def demo_ids(store: TenderStore) -> DemoIds:
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(NoticeRow.notice_id, NoticeRow.tender_id)
                                  .where(NoticeRow.source == DEMO_SOURCE)).all()
    return DemoIds(sorted({row.notice_id for row in rows}), sorted({row.tender_id for row in rows}))


def remove_demo_notices(store: TenderStore) -> int:
    """Delete every example notice, its procurement keys and the current views built from them, in one transaction;
    how many notices. Example notices never share a procurement with a real one (:func:`mixing_problem`), so their
    procurements go whole."""
    demo_notices = sa.select(NoticeRow.id).where(NoticeRow.source == DEMO_SOURCE)
    demo_tenders = sa.select(NoticeRow.tender_id).where(NoticeRow.source == DEMO_SOURCE)
    with store.engine.begin() as connection:
        begin_write(connection)
        connection.execute(sa.delete(ProcurementKeyRow).where(ProcurementKeyRow.notice_pk.in_(demo_notices)))
        connection.execute(sa.delete(TenderRow).where(TenderRow.tender_id.in_(demo_tenders)))
        return connection.execute(sa.delete(NoticeRow).where(NoticeRow.source == DEMO_SOURCE)).rowcount
