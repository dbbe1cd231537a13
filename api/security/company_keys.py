"""A company's API keys: a Bearer key for its own routes (``/api/companies/me/...``), shown once, stored hashed.

They are kept in ``auth_sessions`` with kind ``apikey``: a company key is what a sign-in session is (a random token
whose hash names a subject until it expires), only longer-lived and sent as ``Authorization: Bearer`` instead of a
cookie, so it needs no table of its own. The cookie path refuses this kind (api/security/sessions.py), and erasing a
company ends its keys with its sessions. A key's public id is the start of its hash: enough to revoke it, useless
to sign in with.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, func, insert, select
from sqlalchemy.orm import Session

from api.security.sessions import aware, token_hash
from api.security.tables import sessions

COMPANY_KEY_PREFIX = "avc_"  # beside the users' "avk_": the prefix says which table answers
KEY_KIND = "apikey"
KEY_LIFETIME = timedelta(days=365)  # a forgotten key stops working by itself; the page says when
MAX_KEYS_PER_COMPANY = 5
PUBLIC_ID_CHARS = 12


class TooManyCompanyKeysError(Exception):
    pass


@dataclass(frozen=True)
class CompanyKey:
    id: str
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class CompanyKeyOwner:
    company_id: str
    email: str


def _key(row: object) -> CompanyKey:
    r = dict(row)  # type: ignore[call-overload]
    return CompanyKey(r["token_hash"][:PUBLIC_ID_CHARS], aware(r["created_at"]), aware(r["expires_at"]))


def _live(company_id: str, now: datetime) -> ColumnElement[bool]:
    return and_(sessions.c.kind == KEY_KIND, sessions.c.subject_id == company_id, sessions.c.expires_at > now)


def create_company_key(db: Session, company_id: str, email: str) -> tuple[CompanyKey, str]:
    """A new key; the plain key is returned once and only its hash is stored."""
    now = datetime.now(UTC)
    count = db.execute(select(func.count()).select_from(sessions).where(_live(company_id, now))).scalar_one()
    if count >= MAX_KEYS_PER_COMPANY:
        raise TooManyCompanyKeysError(company_id)
    plain = COMPANY_KEY_PREFIX + secrets.token_urlsafe(32)
    values = {"token_hash": token_hash(plain), "kind": KEY_KIND, "subject_id": company_id, "email": email,
              "created_at": now, "expires_at": now + KEY_LIFETIME}
    db.execute(insert(sessions).values(**values))
    return _key(values), plain


def list_company_keys(db: Session, company_id: str) -> list[CompanyKey]:
    rows = db.execute(select(sessions).where(_live(company_id, datetime.now(UTC)))
                      .order_by(sessions.c.created_at)).mappings()
    return [_key(row) for row in rows]


def revoke_company_key(db: Session, company_id: str, key_id: str) -> bool:
    """Revoke one of the company's own keys; another company's key id is treated as not found."""
    if len(key_id) != PUBLIC_ID_CHARS:
        return False
    result = db.execute(delete(sessions).where(sessions.c.kind == KEY_KIND, sessions.c.subject_id == company_id,
                                               sessions.c.token_hash.startswith(key_id, autoescape=True)))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def owner_of_company_key(db: Session, plain: str) -> CompanyKeyOwner | None:
    # 256 random bits: a fast hash is enough, as for the users' keys (api/security/accounts.py).
    if not plain.startswith(COMPANY_KEY_PREFIX):
        return None
    row = db.execute(select(sessions.c.subject_id, sessions.c.email, sessions.c.expires_at).where(
        sessions.c.token_hash == token_hash(plain), sessions.c.kind == KEY_KIND)).first()
    if row is None or aware(row.expires_at) <= datetime.now(UTC):
        return None
    return CompanyKeyOwner(row.subject_id, row.email)


def end_company_keys(db: Session, company_id: str) -> None:
    """An erased company's keys go with it."""
    db.execute(delete(sessions).where(sessions.c.kind == KEY_KIND, sessions.c.subject_id == company_id))
