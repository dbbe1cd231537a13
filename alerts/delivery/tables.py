"""The alert outbox (``alert_outbox``): each alert to each channel of a company, recorded once.

The unique constraint ``(company_id, channel, kind, event_key)`` makes "record this alert" idempotent: the
matching job can run twice over the same notices and a follow check twice over the same change, and the second
insert is a no-op. ``kind`` is ``match`` (a notice in the daily digest; ``event_key`` = notice id) or ``follow``
(a change to a followed procurement; ``event_key`` = procurement id + the change's fingerprint).

States: ``pending`` → ``sending`` (claimed, Message-ID fixed and committed BEFORE the transport is called) →
``sent`` | ``failed`` (refused for good or out of attempts) | ``review`` (the outcome is unknown: never resent
automatically, see :mod:`alerts.delivery.sender`).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from tenders.store.tables import UTCDateTime


class AlertState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    REVIEW = "review"


class AlertKind(StrEnum):
    MATCH = "match"
    FOLLOW = "follow"


class AlertBase(DeclarativeBase):
    pass


class OutboxRow(AlertBase):
    __tablename__ = "alert_outbox"
    __table_args__ = (
        sa.UniqueConstraint("company_id", "channel", "kind", "event_key", name="uq_alert_outbox_once"),
        sa.Index("ix_alert_outbox_state_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    # The migration adds the foreign key to profile_companies (ON DELETE CASCADE: erasing a company erases its
    # alerts); it is left out here because that table lives in another metadata.
    company_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    channel: Mapped[str] = mapped_column(sa.String(40))  # "email" or "apprise:<profile_channels.id>"
    kind: Mapped[str] = mapped_column(sa.String(10))
    event_key: Mapped[str] = mapped_column(sa.String(250))
    notice_id: Mapped[str] = mapped_column(sa.String(100))
    tender_id: Mapped[str] = mapped_column(sa.String(100))
    score: Mapped[float] = mapped_column(sa.Float)
    reasons: Mapped[list[str]] = mapped_column(sa.JSON)
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON)  # a follow alert's change (old/new deadline, award)
    state: Mapped[str] = mapped_column(sa.String(10))
    attempts: Mapped[int] = mapped_column(sa.Integer)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    message_id: Mapped[str | None] = mapped_column(sa.String(250), index=True)
    digest_date: Mapped[date | None] = mapped_column(sa.Date)  # local date of the digest the alert went out in
    last_error: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
