"""Reach of the service, for UDD staff: registered companies by municipality and sector, digests sent and failed,
companies reached, notices alerted, the companies' verdicts and follows, and the open notices per sector that
matched no company — where UDD should recruit companies.

Each layer counts its own: ``profiles/`` the companies, ``alerts.outbox_figures`` the outbox,
``matcher.feedback_figures`` the verdicts and follows, the store the notices. This use case puts them side by side
for the "Räckvidd" page and ``anbudsvakt stats reach``, which therefore show the same figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from alerts.outbox_figures import OutboxFigures, alerted_tenders, outbox_figures
from matcher.feedback_figures import FeedbackFigures, feedback_figures
from profiles.repository import Company, ProfileRepository
from tenders.codelists import cpv_divisions, dalarna_municipalities
from tenders.formatting import to_local
from tenders.model import FormType, Tender
from tenders.stats.groups import MISSING_CPV_DIVISION, MISSING_CPV_LABEL
from tenders.stats.tables import Column, Table
from tenders.stats.weeks import recent_weeks
from tenders.store import TenderStore

WEEKS_SHOWN = 12
NOTHING_SENT = ("Inga utskick ännu. Sammanställningar skickas varje vardagsmorgon till företag som gett sitt samtycke, "
                "när nya annonser matchar deras profil; de räknas här när de har skickats.")
NO_FEEDBACK = ("Ingen återkoppling ännu. Företagen kan markera en annons som ”Inte relevant” eller följa en "
               "upphandling från sina sidor och utskick; det räknas här.")
NO_COMPANIES = "Inga registrerade företag ännu. Företag registrerar sig under ”Registrera företag” (/registrera)."


@dataclass(frozen=True)
class Reach:
    registered_companies: int
    outbox: OutboxFigures
    feedback: FeedbackFigures
    weeks: Table  # digests, companies reached, notices alerted and feedback per week
    municipalities: Table
    sectors: Table


def _open_now(tender: Tender, now: datetime) -> bool:
    deadline = tender.submission_deadline
    return tender.form_type == FormType.COMPETITION and deadline is not None and deadline.astimezone(UTC) > now


def tender_division(tender: Tender) -> str:
    codes = tender.all_cpv()
    return codes[0][:2] if codes and codes[0][:2] != "00" else MISSING_CPV_DIVISION


def notices_by_sector(tenders: Iterable[tuple[str, Tender]], alerted: set[str],
                      now: datetime) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """Per CPV division: procurements, procurements open for tenders now, and open ones that alerted no company;
    ``tenders`` are (the store's tender id, the procurement's current view), ``alerted`` such tender ids."""
    total: Counter[str] = Counter()
    open_now: Counter[str] = Counter()
    unmatched: Counter[str] = Counter()
    for tender_id, tender in tenders:
        division = tender_division(tender)
        total[division] += 1
        if _open_now(tender, now):
            open_now[division] += 1
            unmatched[division] += tender_id not in alerted
    return total, open_now, unmatched


def companies_by_sector(companies: Iterable[Company]) -> Counter[str]:
    # A company counts once per CPV division it chose, however many codes in that division.
    return Counter(d for c in companies for d in {code[:2] for code in c.profile.interests.cpv})


def sector_table(store: TenderStore, companies: list[Company], alerted: set[str], now: datetime) -> Table:
    total, open_now, unmatched = notices_by_sector(
        ((tender_id, Tender.model_validate(data)) for tender_id, data in store.iter_tender_data()), alerted, now)
    interested = companies_by_sector(companies)
    labels = cpv_divisions()
    rows: list[dict[str, Any]] = [{
        "division": d, "label": MISSING_CPV_LABEL if d == MISSING_CPV_DIVISION else labels.get(d, ""),
        "procurements": total[d], "open": open_now[d], "companies": interested[d], "unmatched": unmatched[d],
    } for d in sorted(set(total) | set(interested))]
    rows.sort(key=lambda r: (-r["unmatched"], -r["procurements"], r["division"]))
    return Table("branscher", "Annonser och företag per bransch",
                 "Upphandlingar, registrerade företag och öppna annonser utan matchande företag per CPV-huvudgrupp",
                 [Column("division", "CPV-huvudgrupp"), Column("label", "Bransch"),
                  Column("procurements", "Upphandlingar i databasen", "int"),
                  Column("open", "Öppna för anbud nu", "int"),
                  Column("companies", "Registrerade företag", "int"),
                  Column("unmatched", "Öppna annonser utan matchande företag", "int")], rows,
                 note="”Utan matchande företag”: ingen registrerad profil matchade annonsen, så ingen fick den i sitt "
                      "utskick. Branscher med många sådana annonser men få företag är där UDD bör värva företag.",
                 empty="Databasen har inga upphandlingar ännu.")


def municipality_table(companies: list[Company]) -> Table:
    seats = Counter(c.profile.municipality_code for c in companies if c.profile.municipality_code)
    rows: list[dict[str, Any]] = [{"municipality": m.name, "companies": seats.get(code, 0)}
                                  for code, m in dalarna_municipalities().items()]
    elsewhere = len(companies) - sum(seats.get(code, 0) for code in dalarna_municipalities())
    if elsewhere:
        rows.append({"municipality": "Utanför Dalarna eller okänd kommun", "companies": elsewhere})
    return Table("foretag-kommun", "Registrerade företag per kommun", "Registrerade företag per kommun (säte)",
                 [Column("municipality", "Kommun"), Column("companies", "Företag", "int")],
                 rows if companies else [], empty=NO_COMPANIES)


def weeks_table(outbox: OutboxFigures, feedback: FeedbackFigures, today: date) -> Table:
    sent = {w.week: w for w in outbox.weeks}
    rows = []
    for week, _ in recent_weeks(today, len(outbox.weeks)):
        w = sent[week]
        rows.append({"week": week, "sent": w.digests_sent, "failed": w.digests_failed,
                     "follow": w.follow_messages_sent, "companies": w.companies_reached,
                     "notices": w.notices_alerted, "not_relevant": feedback.not_relevant_by_week[week],
                     "relevant": feedback.relevant_by_week[week], "follows": feedback.follows_by_week[week]})
    nothing = outbox.empty and feedback.empty
    return Table("utskick-per-vecka", "Utskick och återkoppling per vecka",
                 f"Utskick och återkoppling de senaste {len(rows)} veckorna, senaste veckan först",
                 [Column("week", "Vecka"), Column("sent", "Skickade sammanställningar", "int"),
                  Column("failed", "Misslyckade sammanställningar", "int"),
                  Column("follow", "Meddelanden om följda upphandlingar", "int"),
                  Column("companies", "Företag som nåtts", "int"), Column("notices", "Annonser i utskicken", "int"),
                  Column("not_relevant", "Markerade ”Inte relevant”", "int"),
                  Column("relevant", "Markerade ”Relevant”", "int"),
                  Column("follows", "Nya följda upphandlingar", "int")],
                 [] if nothing else rows,
                 empty=f"Inga utskick och ingen återkoppling de senaste {len(rows)} veckorna (se ovan varför).",
                 note="Veckorna är ISO-veckor efter svensk tid. En sammanställning räknas i den vecka den skickades; "
                      "en markering i den vecka den senast ändrades.")


def reach_report(store: TenderStore, profiles: ProfileRepository, now: datetime,
                 weeks: int = WEEKS_SHOWN) -> Reach:
    """The reach figures at ``now``; the outbox and verdicts live in the store's database (``profiles.engine``)."""
    today = to_local(now).date()
    companies = profiles.companies()
    outbox = outbox_figures(profiles.engine, today, weeks)
    feedback = feedback_figures(profiles.engine, recent_weeks(today, weeks)[-1][1])
    return Reach(
        registered_companies=len(companies), outbox=outbox, feedback=feedback,
        weeks=weeks_table(outbox, feedback, today), municipalities=municipality_table(companies),
        sectors=sector_table(store, companies, alerted_tenders(profiles.engine), now),
    )
