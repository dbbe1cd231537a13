"""A search corpus of IndexDocuments from real Swedish procurements (UHM 2021), grown by recombining real fields.

Every text a document carries is real: its title is a real procurement title (with that procurement's main CPV
code, so text and sector agree), its buyer a real buyer, its description the titles of two other real
procurements of the same CPV division. What the statistics do not hold (municipality in Dalarna, NUTS, deadline,
value, SME suitability, notice form) is drawn from a seeded generator, so the same size and seed always give
the same corpus. Used by bench/search.py and the index contract tests.
"""

from __future__ import annotations

import csv
import gzip
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tenders.codelists import dalarna_municipalities
from tenders.index.base import IndexDocument

PROCUREMENTS = Path(__file__).resolve().parents[1] / "datasets" / "uhm-2021" / "procurements.csv.gz"
# Notice forms in roughly the proportions TED shows for Swedish buyers.
FORM_TYPES = ("competition",) * 6 + ("result",) * 3 + ("planning", "change")
OTHER_NUTS = ("SE110", "SE121", "SE224", "SE232", "SE313", "SE321", "SE331")


@dataclass(frozen=True)
class Procurement:
    """The fields of one UHM row that the corpus uses."""

    procurement_id: str
    title: str
    buyer_name: str
    buyer_orgnr: str
    cpv: str | None
    procedure: str
    published: date


def _cpv(value: str) -> str | None:
    code = value.split(" ", 1)[0]
    return code if len(code) == 8 and code.isdigit() and code != "00000000" else None


def read_procurements(path: Path = PROCUREMENTS) -> list[Procurement]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Procurement(
            procurement_id=row["Upphandlings-ID"], title=row["Upphandlingens titel"].strip(),
            buyer_name=row["Namn för köpare"].title(), buyer_orgnr=row["Organisationsnummer för köpare"],
            cpv=_cpv(row["Huvudsaklig CPV-kod"]), procedure=row["Förfarande"],
            published=date.fromisoformat(row["Publiceringsdatum"]),
        )
        for row in rows
        if row["Upphandlingens titel"].strip()
    ]


def _description(rng: random.Random, siblings: list[Procurement]) -> str:
    picks = rng.sample(siblings, k=min(2, len(siblings)))
    return ". ".join(p.title for p in picks)


def _document(number: int, rng: random.Random, subject: Procurement, buyer: Procurement,
              siblings: list[Procurement], municipalities: list[str]) -> IndexDocument:
    in_dalarna = rng.random() < 0.6
    form_type = rng.choice(FORM_TYPES)
    published = subject.published + timedelta(days=365 * rng.randint(0, 4))
    deadline = None
    if form_type == "competition" or rng.random() < 0.2:
        deadline = datetime(published.year, published.month, published.day, 12, tzinfo=UTC) + timedelta(
            days=rng.randint(10, 60), minutes=rng.choice((0, 30)))
    return IndexDocument(
        tender_id=f"{subject.procurement_id}-{number}", notice_id=f"{number:08d}-2021", version="1",
        title=subject.title, description=_description(rng, siblings),
        buyer_names=[buyer.buyer_name], buyer_orgnrs=[buyer.buyer_orgnr],
        cpv_codes=[subject.cpv] if subject.cpv else [],
        cpv_divisions=[subject.cpv[:2]] if subject.cpv else [],
        municipalities=[rng.choice(municipalities)] if in_dalarna else [],
        nuts=["SE312"] if in_dalarna else [rng.choice(OTHER_NUTS)],
        form_type=form_type, procedure_type=subject.procedure or None,
        value_sek=round(rng.lognormvariate(14.5, 1.5), -3) if rng.random() < 0.7 else None,
        deadline=deadline, published=published,
        sme_suitable=rng.choice((True, False, None)),
        lots=rng.choice((0, 0, 0, 2, 3, 5)), source="uhm-2021",
    )


def build_corpus(size: int, seed: int = 2021, procurements: list[Procurement] | None = None) -> Iterator[IndexDocument]:
    """``size`` documents: the real procurements first as they are, then recombinations of them."""
    rows = procurements if procurements is not None else read_procurements()
    rng = random.Random(seed)
    by_division: dict[str, list[Procurement]] = defaultdict(list)
    for row in rows:
        by_division[row.cpv[:2] if row.cpv else ""].append(row)
    municipalities = sorted(dalarna_municipalities())
    for number in range(size):
        subject = rows[number % len(rows)] if number < len(rows) else rng.choice(rows)
        buyer = subject if number < len(rows) else rng.choice(rows)
        siblings = by_division[subject.cpv[:2] if subject.cpv else ""]
        yield _document(number, rng, subject, buyer, siblings, municipalities)
