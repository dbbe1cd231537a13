"""What companies told the matcher, counted: verdicts ("Relevant" / "Inte relevant") and followed procurements.

Read-only, for the staff's "Räckvidd" page and ``anbudsvakt stats reach``. The verdicts and follows are kept by
``profiles/`` (``profile_feedback``, ``profile_follows``); :mod:`matcher.feedback` is what they do to the
ranking. A verdict row holds its latest time only, so a verdict changed later counts in the week of the change.
Weeks are ISO weeks of the Swedish date.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from profiles.tables import FeedbackRow, FollowRow
from tenders.formatting import to_local
from tenders.stats.weeks import iso_week


@dataclass(frozen=True)
class FeedbackFigures:
    not_relevant: int  # procurements marked "Inte relevant" (hidden from the company)
    relevant: int
    companies_with_verdicts: int
    follows: int  # procurements followed now
    companies_following: int
    # ISO week → count, for the weeks asked for (weeks without any are left out)
    not_relevant_by_week: Counter[str] = field(default_factory=Counter)
    relevant_by_week: Counter[str] = field(default_factory=Counter)
    follows_by_week: Counter[str] = field(default_factory=Counter)

    @property
    def empty(self) -> bool:
        return not (self.not_relevant or self.relevant or self.follows)


def _week(moment: datetime) -> str:
    return iso_week(to_local(moment).date())


def feedback_figures(engine: sa.Engine, since: date) -> FeedbackFigures:
    """Totals now, and per ISO week from ``since`` (a Swedish date) on."""
    start = datetime.combine(since - timedelta(days=1), time(0), tzinfo=UTC)  # a day early: UTC vs Swedish dates
    with Session(engine) as session:
        verdicts = Counter(bool(r) for r in session.scalars(sa.select(FeedbackRow.relevant)))
        judges = session.execute(sa.select(sa.func.count(sa.distinct(FeedbackRow.company_id)))).scalar_one()
        follows = session.execute(sa.select(sa.func.count()).select_from(FollowRow)).scalar_one()
        followers = session.execute(sa.select(sa.func.count(sa.distinct(FollowRow.company_id)))).scalar_one()
        recent_verdicts = session.execute(
            sa.select(FeedbackRow.relevant, FeedbackRow.at).where(FeedbackRow.at >= start)).all()
        recent_follows = session.scalars(sa.select(FollowRow.followed_at).where(FollowRow.followed_at >= start))
        follows_by_week = Counter(_week(at) for at in recent_follows if to_local(at).date() >= since)
    in_window = [(relevant, at) for relevant, at in recent_verdicts if to_local(at).date() >= since]
    return FeedbackFigures(
        not_relevant=verdicts[False], relevant=verdicts[True], companies_with_verdicts=int(judges),
        follows=int(follows), companies_following=int(followers),
        not_relevant_by_week=Counter(_week(at) for relevant, at in in_window if not relevant),
        relevant_by_week=Counter(_week(at) for relevant, at in in_window if relevant),
        follows_by_week=follows_by_week,
    )
