"""What the outbox says about the service's reach: digests sent and failed per week, companies reached, notices
alerted. Read-only; for the staff's "Räckvidd" page and ``anbudsvakt stats reach``.

A digest is one message: the rows the sender claimed together share a Message-ID (``alerts.delivery.sender``), so
digests are counted as distinct Message-IDs of ``match`` rows. A row that failed before it was ever claimed (its
channel was closed in between) has no Message-ID; it counts as one failed digest per company, channel and day.
Weeks are ISO weeks of the digest's Swedish date (``digest_date``), or of the day the alert was recorded when it
never got one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute, Session

from alerts.delivery.outbox import state_counts
from alerts.delivery.tables import AlertKind, AlertState, OutboxRow
from tenders.formatting import to_local
from tenders.stats.weeks import iso_week, recent_weeks

DONE = (AlertState.SENT, AlertState.FAILED)


@dataclass
class OutboxWeek:
    week: str
    digests_sent: int = 0
    digests_failed: int = 0
    follow_messages_sent: int = 0
    companies_reached: int = 0  # companies sent at least one message that week
    notices_alerted: int = 0  # notices in the digests sent that week


@dataclass(frozen=True)
class OutboxFigures:
    digests_sent: int
    digests_failed: int
    follow_messages_sent: int
    companies_reached: int  # ever sent a message
    notices_alerted: int  # ever in a sent digest
    waiting: int  # alerts recorded, not yet sent (pending or being sent)
    in_review: int  # the outcome of sending is unknown; staff decide (``anbudsvakt digest review``)
    weeks: list[OutboxWeek] = field(default_factory=list)  # the newest week first

    @property
    def empty(self) -> bool:
        return not (self.digests_sent or self.digests_failed or self.follow_messages_sent or self.waiting
                    or self.in_review)


def _distinct(session: Session, column: QueryableAttribute[Any], *where: sa.ColumnElement[bool]) -> int:
    return int(session.execute(sa.select(sa.func.count(sa.distinct(column))).where(*where)).scalar_one())


def _messages(kind: AlertKind, state: AlertState) -> list[sa.ColumnElement[bool]]:
    return [OutboxRow.kind == kind, OutboxRow.state == state, OutboxRow.message_id.is_not(None)]


def _never_claimed_failures(session: Session) -> int:
    keys = sa.select(OutboxRow.company_id, OutboxRow.channel, OutboxRow.created_at).where(
        OutboxRow.kind == AlertKind.MATCH, OutboxRow.state == AlertState.FAILED, OutboxRow.message_id.is_(None))
    return len({(company, channel, to_local(at).date()) for company, channel, at in session.execute(keys)})


def outbox_figures(engine: sa.Engine, today: date, weeks: int = 12) -> OutboxFigures:
    """Totals since the start, and the last ``weeks`` ISO weeks up to the one holding ``today``."""
    with Session(engine) as session:
        sent = OutboxRow.state == AlertState.SENT
        totals = {
            "digests_sent": _distinct(session, OutboxRow.message_id, *_messages(AlertKind.MATCH, AlertState.SENT)),
            "digests_failed": _distinct(session, OutboxRow.message_id, *_messages(AlertKind.MATCH, AlertState.FAILED))
            + _never_claimed_failures(session),
            "follow_messages_sent": _distinct(session, OutboxRow.message_id,
                                              *_messages(AlertKind.FOLLOW, AlertState.SENT)),
            "companies_reached": _distinct(session, OutboxRow.company_id, sent),
            "notices_alerted": _distinct(session, OutboxRow.notice_id, sent, OutboxRow.kind == AlertKind.MATCH),
        }
        by_week = _weeks(session, today, weeks)
    states = state_counts(engine)
    return OutboxFigures(**totals, waiting=states.get(AlertState.PENDING, 0) + states.get(AlertState.SENDING, 0),
                         in_review=states.get(AlertState.REVIEW, 0), weeks=by_week)


def _weeks(session: Session, today: date, weeks: int) -> list[OutboxWeek]:
    first_day = recent_weeks(today, weeks)[-1][1]
    since = datetime.combine(first_day - timedelta(days=1), time(0), tzinfo=UTC)  # a day early: UTC vs Swedish
    # Only the rows of the window are read, and only the columns counted; the totals above are counted in SQL.
    rows = session.execute(
        sa.select(OutboxRow.kind, OutboxRow.state, OutboxRow.digest_date, OutboxRow.created_at,
                  OutboxRow.company_id, OutboxRow.channel, OutboxRow.message_id, OutboxRow.notice_id)
        .where(OutboxRow.state.in_(DONE),
               sa.or_(OutboxRow.digest_date >= first_day,
                      sa.and_(OutboxRow.digest_date.is_(None), OutboxRow.created_at >= since)))
    ).all()
    messages: dict[tuple[str, str, str], set[object]] = defaultdict(set)  # (week, kind, state) → messages
    companies: dict[str, set[str]] = defaultdict(set)
    notices: dict[str, set[str]] = defaultdict(set)
    for kind, state, digest_date, created_at, company, channel, message_id, notice in rows:
        day = digest_date or to_local(created_at).date()
        if not first_day <= day <= today:
            continue
        week = iso_week(day)
        messages[(week, kind, state)].add(message_id or (company, channel, day))
        if state == AlertState.SENT:
            companies[week].add(company)
            if kind == AlertKind.MATCH:
                notices[week].add(notice)
    return [OutboxWeek(
        week, digests_sent=len(messages[(week, AlertKind.MATCH, AlertState.SENT)]),
        digests_failed=len(messages[(week, AlertKind.MATCH, AlertState.FAILED)]),
        follow_messages_sent=len(messages[(week, AlertKind.FOLLOW, AlertState.SENT)]),
        companies_reached=len(companies[week]), notices_alerted=len(notices[week]),
    ) for week, _ in recent_weeks(today, weeks)]


def alerted_tenders(engine: sa.Engine) -> set[str]:
    """Procurements that matched at least one company: a digest alert was recorded for it, sent or not yet."""
    with Session(engine) as session:
        query = sa.select(OutboxRow.tender_id).distinct().where(OutboxRow.kind == AlertKind.MATCH)
        return set(session.scalars(query))
