"""Password hashing: Argon2id (argon2-cffi) for every new hash; older scrypt hashes still verify and are replaced.

Stored forms: Argon2's own PHC string (``$argon2id$v=19$m=…,t=…,p=…$salt$hash``, parameters included) and, from
before, ``scrypt$<n>$<r>$<p>$<salt b64>$<hash b64>``. :func:`needs_rehash` says when a stored hash should be
replaced at the next successful sign-in (an scrypt hash, or Argon2 parameters below the current ones).
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

# argon2-cffi's defaults are RFC 9106's second recommended option (Argon2id, t=3, 64 MiB, p=4), ~50 ms here.
_HASHER = PasswordHasher()
_DUMMY_HASH = _HASHER.hash("a password nobody has")
MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password: str, stored: str) -> bool:
    if stored.startswith("scrypt$"):
        return _verify_scrypt(password, stored)
    try:
        return _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    """True for a hash made with an older scheme or weaker parameters than :func:`hash_password` uses now."""
    if not stored.startswith("$argon2id$"):
        return True
    try:
        return _HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True


def dummy_verify(password: str) -> None:
    """Spend the same time as a real check, so a sign-in does not reveal whether the e-mail exists."""
    verify_password(password, _DUMMY_HASH)


def _verify_scrypt(password: str, stored: str) -> bool:
    try:
        _scheme, n, r, p, salt, expected = stored.split("$")
        digest = hashlib.scrypt(password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
                                maxmem=256 * 1024 * 1024, dklen=len(_unb64(expected)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, _unb64(expected))


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode(), validate=True)
