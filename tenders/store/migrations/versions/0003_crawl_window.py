"""The crawl window as data: each crawl run's window start/end and whether it is a backfill.

Eligibility ("backfills never alert") used to read ``since=YYYY-MM-DD`` back out of the free-text note; runs
recorded before this revision get their window from that note once, here, and a run whose note holds no window
is marked a backfill (the old rule's reading of it).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_SINCE = re.compile(r"since=(\d{4}-\d{2}-\d{2})")
_REACH_DAYS = 9  # the old rule: the alert window (7 days) plus a daily crawl's overlap (2 days)


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.add_column(sa.Column("window_start", sa.Date, nullable=True))
        batch.add_column(sa.Column("window_end", sa.Date, nullable=True))
        batch.add_column(sa.Column("backfill", sa.Boolean, nullable=False, server_default=sa.true()))
    runs = sa.table("crawl_runs", sa.column("id", sa.Integer), sa.column("started_at", sa.DateTime),
                    sa.column("note", sa.Text), sa.column("window_start", sa.Date),
                    sa.column("backfill", sa.Boolean))
    connection = op.get_bind()
    for run_id, started_at, note in connection.execute(sa.select(runs.c.id, runs.c.started_at, runs.c.note)).all():
        found = _SINCE.search(note or "")
        if found is None or started_at is None:
            continue
        start = date.fromisoformat(found.group(1))
        reach_limit = _day(started_at) - timedelta(days=_REACH_DAYS)
        connection.execute(sa.update(runs).where(runs.c.id == run_id)
                           .values(window_start=start, backfill=start < reach_limit))


def _day(moment: object) -> date:
    """The calendar day of a stored timestamp (a datetime on PostgreSQL, ISO text on SQLite)."""
    if isinstance(moment, datetime):
        return moment.date()
    return date.fromisoformat(str(moment)[:10])


def downgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch:
        batch.drop_column("backfill")
        batch.drop_column("window_end")
        batch.drop_column("window_start")
