"""Server-side sign-in sessions: the cookie holds a random token, the table holds only its hash."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from api.security.tables import sessions

SESSION_COOKIE = "anbudsvakt_session"
SessionKind = Literal["company", "user"]
# The kinds a session cookie may carry; the table also holds companies' API keys (api/security/company_keys.py),
# which are good only as a Bearer key.
COOKIE_KINDS = ("company", "user")
# Companies sign in rarely (a link per visit is tedious); staff sessions are shorter because they can see more.
SESSION_LIFETIMES: dict[str, timedelta] = {"company": timedelta(days=14), "user": timedelta(hours=12)}


@dataclass(frozen=True)
class SessionRecord:
    kind: SessionKind
    subject_id: str
    email: str
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_session(db: Session, kind: SessionKind, subject_id: str, email: str) -> tuple[str, SessionRecord]:
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    record = SessionRecord(kind=kind, subject_id=subject_id, email=email, expires_at=now + SESSION_LIFETIMES[kind])
    db.execute(delete(sessions).where(sessions.c.expires_at < now))
    db.execute(
        insert(sessions).values(
            token_hash=token_hash(token), kind=kind, subject_id=subject_id, email=email,
            created_at=now, expires_at=record.expires_at,
        )
    )
    return token, record


def load_session(db: Session, token: str) -> SessionRecord | None:
    row = db.execute(select(sessions).where(sessions.c.token_hash == token_hash(token),
                                            sessions.c.kind.in_(COOKIE_KINDS))).mappings().first()
    if row is None:
        return None
    expires_at = aware(row["expires_at"])
    if expires_at <= datetime.now(UTC):
        return None
    return SessionRecord(kind=row["kind"], subject_id=row["subject_id"], email=row["email"], expires_at=expires_at)


def end_session(db: Session, token: str) -> None:
    db.execute(delete(sessions).where(sessions.c.token_hash == token_hash(token)))


def end_sessions_of(db: Session, kind: SessionKind, subject_id: str) -> None:
    """Sign a subject out everywhere (a revoked user, an erased company)."""
    db.execute(delete(sessions).where(sessions.c.kind == kind, sessions.c.subject_id == subject_id))


def aware(value: datetime) -> datetime:
    # SQLite returns naive datetimes even for timezone-aware columns; they were written in UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)
