"""User accounts (business developers and UDD staff) and their API keys for machine clients."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.security.passwords import MIN_PASSWORD_LENGTH, dummy_verify, hash_password, needs_rehash, verify_password
from api.security.sessions import aware
from api.security.tables import api_keys, users

API_KEY_PREFIX = "avk_"


class Role(StrEnum):
    DEVELOPER = "developer"  # näringslivsutvecklare in a municipality
    STAFF = "staff"  # UDD staff: everything a developer can, plus the staff pages and user management


class AccountError(ValueError):
    """A refused account change; the message is one line for the user."""


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    role: Role
    active: bool
    created_at: datetime


@dataclass(frozen=True)
class ApiKey:
    id: int
    user_id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def normalise_email(email: str) -> str:
    return email.strip().casefold()


def create_user(db: Session, email: str, password: str, role: Role, name: str = "") -> User:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"lösenordet måste ha minst {MIN_PASSWORD_LENGTH} tecken")
    values = {
        "email": normalise_email(email), "name": name.strip(), "role": Role(role).value,
        "password_hash": hash_password(password), "active": True, "created_at": datetime.now(UTC),
    }
    try:
        with db.begin_nested():
            new_id = db.execute(insert(users).values(**values).returning(users.c.id)).scalar_one()
    except IntegrityError as err:
        raise AccountError(f"det finns redan ett konto för {values['email']}") from err
    user = get_user(db, int(new_id))
    assert user is not None
    return user


def get_user(db: Session, user_id: int) -> User | None:
    row = db.execute(select(users).where(users.c.id == user_id)).mappings().first()
    return _user(row) if row else None


def list_users(db: Session) -> list[User]:
    return [_user(row) for row in db.execute(select(users).order_by(users.c.id)).mappings()]


def authenticate(db: Session, email: str, password: str) -> User | None:
    row = db.execute(select(users).where(users.c.email == normalise_email(email))).mappings().first()
    if row is None:
        dummy_verify(password)
        return None
    if not verify_password(password, row["password_hash"]) or not row["active"]:
        return None
    if needs_rehash(row["password_hash"]):
        # The only moment the plain password is at hand: upgrade an old scrypt (or weaker Argon2) hash now.
        db.execute(update(users).where(users.c.id == row["id"]).values(password_hash=hash_password(password)))
    return _user(row)


def create_api_key(db: Session, user_id: int, name: str) -> tuple[ApiKey, str]:
    """A new key for ``user_id``; the plain key is returned once and only its hash is stored."""
    plain = API_KEY_PREFIX + secrets.token_urlsafe(32)
    values = {
        "user_id": user_id, "name": name.strip(), "prefix": plain[:10],
        "key_hash": _key_hash(plain), "created_at": datetime.now(UTC),
    }
    new_id = db.execute(insert(api_keys).values(**values).returning(api_keys.c.id)).scalar_one()
    key = next(k for k in list_api_keys(db, user_id) if k.id == new_id)
    return key, plain


def list_api_keys(db: Session, user_id: int) -> list[ApiKey]:
    rows = db.execute(select(api_keys).where(api_keys.c.user_id == user_id).order_by(api_keys.c.id)).mappings()
    return [_api_key(row) for row in rows]


def revoke_api_key(db: Session, user_id: int, key_id: int) -> bool:
    """Revoke one of the user's own keys; another user's key id is treated as not found."""
    result = db.execute(
        update(api_keys)
        .where(api_keys.c.id == key_id, api_keys.c.user_id == user_id, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def user_for_api_key(db: Session, plain: str) -> User | None:
    # API keys carry 256 random bits, so a fast hash is enough: no dictionary attack can reach them.
    if not plain.startswith(API_KEY_PREFIX):
        return None
    row = db.execute(
        select(api_keys.c.id, api_keys.c.user_id).where(
            api_keys.c.key_hash == _key_hash(plain), api_keys.c.revoked_at.is_(None)
        )
    ).first()
    if row is None:
        return None
    user = get_user(db, row.user_id)
    if user is None or not user.active:
        return None
    db.execute(update(api_keys).where(api_keys.c.id == row.id).values(last_used_at=datetime.now(UTC)))
    return user


def _key_hash(plain: str) -> str:
    return hashlib.sha256(plain.encode()).hexdigest()


def _user(row: object) -> User:
    r = dict(row)  # type: ignore[call-overload]
    return User(r["id"], r["email"], r["name"], Role(r["role"]), bool(r["active"]), r["created_at"])


def _api_key(row: object) -> ApiKey:
    r = dict(row)  # type: ignore[call-overload]
    created, used, revoked = (aware(r[k]) if r[k] else None for k in ("created_at", "last_used_at", "revoked_at"))
    assert created is not None
    return ApiKey(r["id"], r["user_id"], r["name"], r["prefix"], created, used, revoked)
