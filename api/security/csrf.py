"""CSRF protection for forms: a signed double-submit token bound to the browser's sign-in session.

A random value lives in an HttpOnly cookie; each form carries a token signed with the secret key over that value
and the session. A cross-site page can make the browser send the cookie but can neither read it nor forge the
signature, and a token from another browser or another session does not verify.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from itsdangerous import BadSignature, URLSafeSerializer

CSRF_COOKIE = "anbudsvakt_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
_SALT = "anbudsvakt.csrf.v1"


def new_csrf_secret() -> str:
    return secrets.token_urlsafe(24)


def session_binding(session_token: str | None) -> str:
    return hashlib.sha256(session_token.encode()).hexdigest()[:16] if session_token else ""


def csrf_token_for(secret_key: str, cookie_value: str, session_token: str | None) -> str:
    return URLSafeSerializer(secret_key, salt=_SALT).dumps([cookie_value, session_binding(session_token)])


def csrf_token_valid(secret_key: str, token: str | None, cookie_value: str | None, session_token: str | None) -> bool:
    if not token or not cookie_value:
        return False
    try:
        value, binding = URLSafeSerializer(secret_key, salt=_SALT).loads(token)
    except (BadSignature, ValueError, TypeError):
        return False
    return hmac.compare_digest(str(value), cookie_value) and hmac.compare_digest(
        str(binding), session_binding(session_token)
    )
