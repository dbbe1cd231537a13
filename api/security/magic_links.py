"""Magic links for companies: signed (itsdangerous), expiring, single-use.

The token carries the company id, the e-mail it was sent to and a random id (``jti``). Spending it records
the ``jti`` in ``auth_used_tokens``; the primary key makes a second use fail even when two requests race.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.security.tables import used_tokens

MAGIC_LINK_MAX_AGE = timedelta(minutes=20)
MAGIC_LINK_SALT = "anbudsvakt.magic-link.v1"


class MagicLinkError(Exception):
    """Why a link was refused: ``expired``, ``invalid`` or ``used`` (the page says it in Swedish)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"magic link refused: {reason}")
        self.reason = reason


@dataclass(frozen=True)
class MagicLinkClaims:
    company_id: str
    email: str
    jti: str


def issue_magic_link_token(secret_key: str, company_id: str, email: str) -> str:
    payload = {"c": company_id, "e": email, "j": secrets.token_urlsafe(16)}
    return _serializer(secret_key).dumps(payload)


def read_magic_link_token(secret_key: str, token: str, max_age: timedelta = MAGIC_LINK_MAX_AGE) -> MagicLinkClaims:
    """Check signature and age without spending the token (the confirm page shows before the sign-in)."""
    try:
        payload = _serializer(secret_key).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as err:
        raise MagicLinkError("expired") from err
    except BadSignature as err:
        raise MagicLinkError("invalid") from err
    if not isinstance(payload, dict) or not all(isinstance(payload.get(k), str) for k in ("c", "e", "j")):
        raise MagicLinkError("invalid")
    return MagicLinkClaims(company_id=payload["c"], email=payload["e"], jti=payload["j"])


def consume_magic_link_token(
    db: Session, secret_key: str, token: str, max_age: timedelta = MAGIC_LINK_MAX_AGE
) -> MagicLinkClaims:
    """Verify and spend the token; a second call with the same token raises ``MagicLinkError("used")``."""
    claims = read_magic_link_token(secret_key, token, max_age)
    now = datetime.now(UTC)
    # Spent ids only need keeping while the token could still verify; prune those first.
    db.execute(delete(used_tokens).where(used_tokens.c.expires_at < now))
    try:
        with db.begin_nested():
            db.execute(insert(used_tokens).values(jti=claims.jti, used_at=now, expires_at=now + max_age))
    except IntegrityError as err:
        raise MagicLinkError("used") from err
    return claims


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=MAGIC_LINK_SALT)
