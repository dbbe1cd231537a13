"""Example notices out, and never mixed in: removing them with all that was derived from them, and the crawl guard.

Example notices (``tenders.demo``, ``source="demo"``) live only in a store without real ones. Before real notices can
come in they must go, and so must what the service derived from them: their procurements' index documents, the
alerts in the outbox, companies' follows and "inte relevant" verdicts. Companies, their profiles and saved searches
stay: they are the users' own.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from alerts.delivery.tables import OutboxRow
from profiles.tables import FeedbackRow, FollowRow
from tenders.demo import demo_ids, mixing_problem, remove_demo_notices
from tenders.index.base import TenderIndex
from tenders.store import TenderStore


@dataclass(frozen=True)
class DemoRemoval:
    notices: int
    procurements: int
    alerts: int
    follows: int
    feedback: int

    def summary(self) -> str:
        if not self.notices:
            return "Databasen har ingen exempeldata; inget togs bort."
        return (f"Tog bort exempeldata: {self.notices} annonser i {self.procurements} upphandlingar (lagret och "
                f"sökindexet), {self.alerts} aviseringar, {self.follows} bevakningar och {self.feedback} bedömningar.")


def remove_demo(store: TenderStore, index: TenderIndex) -> DemoRemoval:
    """Remove every example notice and what was derived from it. What derives goes first, the notices last, so an
    interrupted removal is finished by running it again."""
    ids = demo_ids(store)
    with Session(store.engine) as session, session.begin():
        alerts = _delete(session, sa.delete(OutboxRow).where(
            OutboxRow.tender_id.in_(ids.tender_ids) | OutboxRow.notice_id.in_(ids.notice_ids)))
        follows = _delete(session, sa.delete(FollowRow).where(FollowRow.tender_id.in_(ids.tender_ids)))
        feedback = _delete(session, sa.delete(FeedbackRow).where(
            FeedbackRow.notice_id.in_([*ids.notice_ids, *ids.tender_ids])))
    index.delete(ids.tender_ids)
    notices = remove_demo_notices(store)
    return DemoRemoval(notices, len(ids.tender_ids), alerts, follows, feedback)


def _delete(session: Session, statement: sa.Delete) -> int:
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]  # a DML result has a row count


def refuse_crawls_into_demo(store: TenderStore, sources: tuple[str, ...]) -> str | None:
    """The daily pipeline's guard: while example notices are stored no crawl runs. Each skipped source gets a
    finished, incomplete run in the crawl log with the reason (what source health and the staff pages read), and the
    one-line reason is returned; None when crawls may run."""
    refusal = mixing_problem(store, loading_demo=False)
    if refusal is None:
        return None
    for source in sources:
        run_id = store.start_run(source)
        store.finish_run(run_id, requests=0, items=0, errors=0, complete=False, note=f"hoppades över: {refusal}")
    return refusal
