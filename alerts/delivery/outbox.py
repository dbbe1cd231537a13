"""Writing to the outbox (once per alert, whatever runs twice) and the staff's view of it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from alerts.delivery.tables import AlertKind, AlertState, OutboxRow

INSERT_CHUNK = 500  # rows per INSERT: SQLite limits the bound parameters of one statement


@dataclass(frozen=True)
class NewAlert:
    company_id: str
    channel: str
    kind: AlertKind
    event_key: str
    notice_id: str
    tender_id: str
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)


def _insert_ignoring_duplicates(dialect_name: str, values: list[dict[str, Any]]) -> Any:
    # The unique constraint decides what "once" means; a duplicate is silently skipped, never an error.
    # RETURNING counts what was really inserted; rowcount of a multi-row insert is -1 on psycopg.
    if dialect_name == "postgresql":
        pg_insert = postgresql.insert(OutboxRow).values(values)
        return pg_insert.on_conflict_do_nothing(constraint="uq_alert_outbox_once").returning(OutboxRow.id)
    return sqlite.insert(OutboxRow).values(values).on_conflict_do_nothing().returning(OutboxRow.id)


def record_alerts(session: Session, alerts: Iterable[NewAlert], now: datetime) -> int:
    """Add alerts to the outbox in the caller's transaction; returns how many were new."""
    values = [
        {
            "company_id": a.company_id, "channel": a.channel, "kind": a.kind.value, "event_key": a.event_key,
            "notice_id": a.notice_id, "tender_id": a.tender_id, "score": a.score, "reasons": list(a.reasons),
            "detail": dict(a.detail), "state": AlertState.PENDING.value, "attempts": 0, "next_attempt_at": now,
            "last_error": "", "created_at": now,
        }
        for a in alerts
    ]
    dialect_name = session.get_bind().dialect.name
    added = 0
    for start in range(0, len(values), INSERT_CHUNK):
        result = session.execute(_insert_ignoring_duplicates(dialect_name, values[start : start + INSERT_CHUNK]))
        added += len(result.all())
    return added


def requeue_for_review(engine: sa.Engine, message_id: str, now: datetime) -> int:
    """Staff decided a ``review`` message was NOT delivered (relay log): send it again on the next run."""
    with engine.begin() as connection:
        return connection.execute(
            sa.update(OutboxRow)
            .where(OutboxRow.message_id == message_id, OutboxRow.state == AlertState.REVIEW)
            .values(state=AlertState.PENDING, next_attempt_at=now, claimed_at=None, digest_date=None,
                    last_error="återlagd efter granskning")
        ).rowcount


def state_counts(engine: sa.Engine) -> dict[str, int]:
    with Session(engine) as session:
        rows = session.execute(sa.select(OutboxRow.state, sa.func.count()).group_by(OutboxRow.state)).all()
    return {state: int(count) for state, count in rows}


def rows_in_review(engine: sa.Engine) -> list[OutboxRow]:
    with Session(engine, expire_on_commit=False) as session:
        query = sa.select(OutboxRow).where(OutboxRow.state == AlertState.REVIEW).order_by(OutboxRow.id)
        return list(session.scalars(query).all())
