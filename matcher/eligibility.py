"""Which stored notices may alert a company at all — the rule that keeps backfills silent.

A notice (one row of the store's ``notices``) may alert company C only if ALL of these hold:

1. it invites suppliers: a contract notice, a prior information notice or a market consultation;
2. it was first seen by the store AFTER C gave consent (nobody is told about what happened before they asked);
3. it was first seen within the last ``window`` days (default 7): the daily job catches up after a few days'
   downtime but never digs into the past;
4. it was news when first seen: published (or issued) at most ``window`` days before the store first saw it.
   A ``--since`` backfill, the 90-day first crawl and ``anbudsvakt load`` of old files all bring in notices
   published long before they are first seen, so they fail here; a notice without any date fails too;
5. it was not first seen during a BACKFILL crawl run: a run whose window (``crawl_runs.window_start``) starts
   more than 7 + 2 days before the run did, decided when the run starts and kept in ``crawl_runs.backfill``.
   The normal daily crawl reaches back to its previous complete run minus two days, so it passes even after a
   week's downtime; an explicit ``--since`` reaching further is a backfill, and so is the first run on an empty
   store. A run recorded without a window counts as a backfill.

Rule 4 alone silences the old notices of a backfill; rule 5 also silences the fresh ones a backfill happens to
bring in, so "a backfill never alerts" holds without exception (the next daily crawl sees those notices as
UNCHANGED, so they never alert — the price of a rule with no exceptions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tenders.model import FormType
from tenders.store.runs import ALERT_WINDOW
from tenders.store.tables import CrawlRunRow, NoticeRow

ALERTABLE_FORMS = (FormType.COMPETITION.value, FormType.PLANNING.value, FormType.CONSULTATION.value)
DEFAULT_WINDOW = ALERT_WINDOW


@dataclass(frozen=True)
class CandidateNotice:
    notice_id: str
    version: str
    tender_id: str
    first_seen: datetime


@dataclass(frozen=True)
class BackfillWindow:
    started_at: datetime
    finished_at: datetime | None  # None: still running


def backfill_windows(session: Session, since: datetime) -> list[BackfillWindow]:
    """Crawl runs that count as backfills (rule 5), among those that may have added notices after ``since``.

    Whether a run is a backfill is decided when it starts, from its window, and kept in a typed column
    (``crawl_runs.backfill``, see :func:`tenders.store.runs.is_backfill`); nothing is parsed from notes."""
    runs = session.scalars(
        sa.select(CrawlRunRow).where(
            CrawlRunRow.backfill.is_(True),
            sa.or_(CrawlRunRow.finished_at.is_(None), CrawlRunRow.finished_at >= since),
        )
    ).all()
    return [BackfillWindow(run.started_at, run.finished_at) for run in runs]


def _during(first_seen: datetime, windows: list[BackfillWindow]) -> bool:
    return any(w.started_at <= first_seen and (w.finished_at is None or first_seen <= w.finished_at) for w in windows)


def alertable_notices(session: Session, now: datetime, window: timedelta = DEFAULT_WINDOW) -> list[CandidateNotice]:
    """Notices passing rules 1, 3, 4 and 5 (rule 2, consent, is per company: see :func:`consented`)."""
    since = now - window
    rows = session.execute(
        sa.select(
            NoticeRow.notice_id, NoticeRow.version, NoticeRow.tender_id, NoticeRow.first_seen,
            NoticeRow.publication_date, NoticeRow.issue_date,
        )
        .where(NoticeRow.first_seen >= since, NoticeRow.form_type.in_(ALERTABLE_FORMS))
        .order_by(NoticeRow.first_seen, NoticeRow.id)
    ).all()
    backfills = backfill_windows(session, since)
    chosen: dict[str, CandidateNotice] = {}
    for notice_id, version, tender_id, first_seen, published, issued in rows:
        day = published or issued
        if day is None or day < first_seen.date() - window or _during(first_seen, backfills):
            continue
        # The newest version stands for the notice: an alert is per notice, not per version.
        chosen[notice_id] = CandidateNotice(notice_id, version, tender_id, first_seen)
    return list(chosen.values())


def consented(notice: CandidateNotice, consent_at: datetime | None) -> bool:
    """Rule 2: first seen after the company's consent (no consent: no alerts)."""
    return consent_at is not None and notice.first_seen >= consent_at
