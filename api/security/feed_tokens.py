"""Secret feed addresses: ``<company id>.<HMAC>`` so a feed reader or calendar can poll without signing in.

The MAC is HMAC-SHA256 over the company id with the service's secret key (its own purpose prefix, so it can
never double as another token). A wrong MAC, another company's id with this MAC, or an erased company all
answer 404. Why not random tokens in a table: nothing to store, nothing to leak from the database; the price is
that a company cannot change its address other than by the service rotating its secret key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

_PURPOSE = b"anbudsvakt.feed.v1:"
_MAC_CHARS = 32  # 192 bits


def _mac(secret_key: str, company_id: str) -> str:
    digest = hmac.new(secret_key.encode(), _PURPOSE + company_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:_MAC_CHARS]


def feed_token(secret_key: str, company_id: str) -> str:
    return f"{company_id}.{_mac(secret_key, company_id)}"


def company_for_feed_token(secret_key: str, token: str) -> str | None:
    company_id, _, mac = token.rpartition(".")
    if not company_id or len(mac) != _MAC_CHARS:
        return None
    return company_id if hmac.compare_digest(mac, _mac(secret_key, company_id)) else None
