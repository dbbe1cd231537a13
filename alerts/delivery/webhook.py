"""The signed webhook transport: an alert as JSON, POSTed with an HMAC-SHA256 signature a receiver can check.

Headers: ``X-Anbudsvakt-Timestamp`` (Unix seconds) and ``X-Anbudsvakt-Signature: sha256=<hex>``, the HMAC of
``<timestamp>.<raw body>`` with the company's secret. Signing the timestamp with the body lets a receiver refuse
a replayed delivery (older than, say, five minutes) without a store of seen deliveries.

Failures map onto the outbox's two kinds (alerts/delivery/transport.py): no connection, a 429 or a 5xx is a
definite, temporary refusal; another 4xx is permanent; a connection that breaks after the request was sent is
ambiguous (the receiver may have acted on it), so it is never resent automatically.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from alerts.delivery.transport import AmbiguousSendError, DefiniteSendError

SIGNATURE_HEADER = "X-Anbudsvakt-Signature"
TIMESTAMP_HEADER = "X-Anbudsvakt-Timestamp"
TIMEOUT_SECONDS = 10.0
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}


def new_webhook_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def webhook_url_allowed(url: str, *, allow_loopback_http: bool) -> bool:
    """https only; plain http only to this machine, and only where the settings allow it (tests, development)."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return True
    return allow_loopback_http and parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, header: str, now: float, tolerance: float = 300.0) -> bool:
    """What a receiver does (also used by the tests): the signature matches and the timestamp is recent."""
    if not timestamp.isdigit() or abs(now - int(timestamp)) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, int(timestamp), body), header)


@dataclass(frozen=True)
class WebhookDelivery:
    url: str
    secret: str
    payload: dict[str, Any]  # {"event": "alerts", "company": ..., "alerts": [{notice_id, title, ...}]}


class WebhookTransport:
    def __init__(self, clock: Callable[[], float] = time.time, timeout: float = TIMEOUT_SECONDS) -> None:
        self.clock, self.timeout = clock, timeout

    def send(self, delivery: WebhookDelivery) -> None:
        body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(self.clock())
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Anbudsvakt-webhook/1",
                   TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: signature(delivery.secret, timestamp, body)}
        try:
            response = httpx.post(delivery.url, content=body, headers=headers, timeout=self.timeout,
                                  follow_redirects=False)
        except (httpx.ConnectError, httpx.ConnectTimeout) as err:
            raise DefiniteSendError(f"webhook: ingen anslutning ({type(err).__name__})") from err
        except httpx.HTTPError as err:  # sent, then the connection broke or the answer never came
            raise AmbiguousSendError(f"webhook: svaret uteblev ({type(err).__name__})") from err
        if response.status_code == 429 or response.status_code >= 500:
            raise DefiniteSendError(f"webhook: HTTP {response.status_code}")
        if response.status_code >= 300:
            raise DefiniteSendError(f"webhook: HTTP {response.status_code}", permanent=True)
