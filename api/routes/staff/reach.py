"""Reach of the service: registered companies by municipality and sector, digests, opened links, feedback,
and the notices per sector that matched no company — where UDD should recruit companies.

Companies, digests and feedback belong to ``profiles/`` and ``matcher/``; this page reads them only through
:class:`ReachSource`, and ``get_reach_source`` is the one place to point it at their tables. Until then every
part it cannot know says so ("Inga uppgifter ännu") instead of showing zeros. The notices per sector come from
the store, which exists now.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from api.deps import ResourcesDep, StoreDep, TemplatesDep
from api.routes.staff.tables import Column, Table, display
from profiles.repository import Company
from tenders.codelists import cpv_divisions, dalarna_municipalities
from tenders.model import FormType, Tender
from tenders.stats.groups import MISSING_CPV_DIVISION, MISSING_CPV_LABEL
from tenders.store import TenderStore

router = APIRouter()


@dataclass(frozen=True)
class DigestActivity:
    digests_sent: int
    links_opened: int
    feedback_useful: int
    feedback_not_useful: int


class ReachSource(Protocol):
    """What the reach page asks of the company and digest tables; None means "not known yet"."""

    def companies_by_municipality(self) -> dict[str, int] | None:
        """kommunkod → registered companies."""

    def companies_by_sector(self) -> dict[str, int] | None:
        """CPV division → companies with an interest in it."""

    def digest_activity(self) -> DigestActivity | None: ...

    def unmatched_notices_by_sector(self) -> dict[str, int] | None:
        """CPV division → notices that matched no company."""


class NoReachData:
    """Before profiles/ and matcher/ keep companies and digests: nothing is known, and the page says so."""

    def companies_by_municipality(self) -> dict[str, int] | None:
        return None

    def companies_by_sector(self) -> dict[str, int] | None:
        return None

    def digest_activity(self) -> DigestActivity | None:
        return None

    def unmatched_notices_by_sector(self) -> dict[str, int] | None:
        return None


class ProfilesReach(NoReachData):
    """Companies from ``profiles/`` (their seat and chosen CPV interests); digests, opened links, feedback and
    unmatched notices stay unknown until the delivery side counts them."""

    def __init__(self, companies: Callable[[], Iterable[Company]]) -> None:
        self._companies = companies

    def companies_by_municipality(self) -> dict[str, int] | None:
        return dict(Counter(c.profile.municipality_code for c in self._companies() if c.profile.municipality_code))

    def companies_by_sector(self) -> dict[str, int] | None:
        # A company counts once per CPV division it chose, however many codes in that division.
        return dict(Counter(d for c in self._companies() for d in {code[:2] for code in c.profile.interests.cpv}))


def get_reach_source(resources: ResourcesDep) -> ReachSource:
    profiles = getattr(resources, "profiles", None)  # present once the app opens the profile repository
    return ProfilesReach(profiles.companies) if profiles is not None else NoReachData()


ReachDep = Annotated[ReachSource, Depends(get_reach_source)]


def tender_division(tender: Tender) -> str:
    codes = tender.all_cpv()
    return codes[0][:2] if codes and codes[0][:2] != "00" else MISSING_CPV_DIVISION


def notices_by_sector(store: TenderStore, now: datetime) -> tuple[Counter[str], Counter[str]]:
    """(procurements, procurements open for tenders now) per CPV division, from the store."""
    total: Counter[str] = Counter()
    open_now: Counter[str] = Counter()
    for tender in store.iter_tenders():
        division = tender_division(tender)
        total[division] += 1
        deadline = tender.submission_deadline
        if tender.form_type == FormType.COMPETITION and deadline and deadline.astimezone(UTC) > now:
            open_now[division] += 1
    return total, open_now


def sector_table(store: TenderStore, reach: ReachSource, now: datetime) -> Table:
    total, open_now = notices_by_sector(store, now)
    companies, unmatched = reach.companies_by_sector(), reach.unmatched_notices_by_sector()
    labels = cpv_divisions()
    divisions = sorted(set(total) | set(companies or {}) | set(unmatched or {}))
    rows: list[dict[str, Any]] = [{
        "division": d, "label": MISSING_CPV_LABEL if d == MISSING_CPV_DIVISION else labels.get(d, ""),
        "procurements": total[d], "open": open_now[d],
        "companies": None if companies is None else companies.get(d, 0),
        "unmatched": None if unmatched is None else unmatched.get(d, 0),
    } for d in divisions]
    rows.sort(key=lambda r: (-(r["unmatched"] or 0), -r["procurements"], r["division"]))
    return Table("branscher", "Annonser och företag per bransch",
                 "Upphandlingar, registrerade företag och annonser utan matchande företag per CPV-huvudgrupp",
                 [Column("division", "CPV-huvudgrupp"), Column("label", "Bransch"),
                  Column("procurements", "Upphandlingar i databasen", "int"),
                  Column("open", "Öppna för anbud nu", "int"),
                  Column("companies", "Registrerade företag", "int"),
                  Column("unmatched", "Annonser utan matchande företag", "int")], rows,
                 note="Branscher med många annonser men få företag är där UDD bör värva företag.",
                 empty="Databasen har inga upphandlingar ännu.")


def municipality_table(reach: ReachSource) -> Table | None:
    companies = reach.companies_by_municipality()
    if companies is None:
        return None
    rows = [{"municipality": m.name, "companies": companies.get(code, 0)}
            for code, m in dalarna_municipalities().items()]
    return Table("foretag-kommun", "Registrerade företag per kommun", "Registrerade företag per kommun",
                 [Column("municipality", "Kommun"), Column("companies", "Företag", "int")], rows)


@router.get("/rackvidd", response_class=HTMLResponse)
def reach_page(request: Request, store: StoreDep, reach: ReachDep, templates: TemplatesDep) -> HTMLResponse:
    context = {
        "sectors": sector_table(store, reach, datetime.now(UTC)),
        "municipalities": municipality_table(reach),
        "activity": reach.digest_activity(),
        "display": display,
    }
    return templates.TemplateResponse(request, "staff/rackvidd.html", context)
