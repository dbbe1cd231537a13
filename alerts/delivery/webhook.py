"""The signed webhook transport: an alert as JSON, POSTed with an HMAC-SHA256 signature a receiver can check.

Headers: ``X-Anbudsvakt-Timestamp`` (Unix seconds) and ``X-Anbudsvakt-Signature: sha256=<hex>``, the HMAC of
``<timestamp>.<raw body>`` with the company's secret. Signing the timestamp with the body lets a receiver refuse
a replayed delivery (older than, say, five minutes) without a store of seen deliveries.

Failures map onto the outbox's two kinds (alerts/delivery/transport.py): no connection, a 429 or a 5xx is a
definite, temporary refusal; another 4xx is permanent; a connection that breaks after the request was sent is
ambiguous (the receiver may have acted on it), so it is never resent automatically.

Bounds: the address is checked again when sending (the name may now resolve to an internal address: SSRF) and the
connection goes to exactly the IP address checked (:func:`pinned_request`), the body is at most ``MAX_BODY_BYTES``
(alerts beyond it are left out and counted), each network step has a timeout, redirects are not followed and the
receiver's answer is never read beyond its status line and headers.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

from alerts.delivery.transport import AmbiguousSendError, DefiniteSendError
from tenders.settings import Settings

SIGNATURE_HEADER = "X-Anbudsvakt-Signature"
TIMESTAMP_HEADER = "X-Anbudsvakt-Timestamp"
TIMEOUT_SECONDS = 10.0
CONNECT_TIMEOUT_SECONDS = 5.0
MAX_BODY_BYTES = 256_000  # a day's alerts fit many times over; a receiver should not need to stream
MAX_URL_CHARS = 2000
LOOPBACK_HOSTS = {"127.0.0.1", "::1", "localhost"}
# What the refusals a company's developer most often causes mean, in the words its staff will read.
STATUS_HINTS = {
    401: " (nekad: kontrollerar mottagaren signaturen med den senaste hemligheten?)",
    403: " (nekad: kontrollerar mottagaren signaturen med den senaste hemligheten?)",
    404: " (adressen finns inte hos mottagaren)",
}
Resolver = Callable[[str, int], list[str]]


@dataclass(frozen=True)
class WebhookPolicy:
    """Which addresses may be called: see ``Settings.webhook_private_addresses`` for why."""

    allow_loopback_http: bool = False
    allow_private: bool = False

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookPolicy:
        relaxed = settings.environment != "production"
        return cls(allow_loopback_http=relaxed, allow_private=relaxed or settings.webhook_private_addresses)


def resolve_addresses(host: str, port: int) -> list[str]:
    return [str(info[4][0]) for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


@dataclass(frozen=True)
class CheckedAddress:
    """What the checks found: the IP address to connect to, or why not (``temporary`` for a failed lookup)."""

    address: str | None = None
    problem: str | None = None
    temporary: bool = False


def check_address(url: str, policy: WebhookPolicy, resolve: Resolver = resolve_addresses) -> CheckedAddress:
    parts = urlsplit(url)
    if len(url) > MAX_URL_CHARS:
        return CheckedAddress(problem=f"adressen är för lång (högst {MAX_URL_CHARS} tecken)")
    if parts.username or parts.password:
        return CheckedAddress(problem="adressen får inte innehålla användarnamn eller lösenord (hemligheten visar "
                                      "vem som skickar)")
    if not webhook_url_allowed(url, allow_loopback_http=policy.allow_loopback_http):
        return CheckedAddress(problem="adressen måste börja med https:// (till exempel https://exempel.se/anbudsvakt)")
    try:
        addresses = resolve(parts.hostname or "", parts.port or 443)
    except (OSError, UnicodeError, ValueError):
        return CheckedAddress(problem="adressen går inte att slå upp – stämmer domännamnet?", temporary=True)
    if not addresses:
        return CheckedAddress(problem="adressen går inte att slå upp – stämmer domännamnet?", temporary=True)
    if not policy.allow_private and not all(ipaddress.ip_address(a.split("%")[0]).is_global for a in addresses):
        return CheckedAddress(problem="adressen pekar på ett internt eller privat nät – dit skickar Anbudsvakt inte")
    return CheckedAddress(address=addresses[0])


def address_problem(url: str, policy: WebhookPolicy, resolve: Resolver = resolve_addresses) -> str | None:
    """Why the service will not call ``url`` (one Swedish line for the company), or None when it will."""
    return check_address(url, policy, resolve).problem


def pinned_request(url: str, address: str) -> tuple[str, str, dict[str, Any]]:
    """The URL with the checked IP address in place of the name, the Host header, and the TLS name to ask for and
    verify the certificate against: the connection goes where the check looked, even if the name has since been
    pointed elsewhere (DNS rebinding)."""
    parts = urlsplit(url)
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    extensions = {"sni_hostname": parts.hostname} if parts.scheme == "https" else {}
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, "")), parts.netloc, extensions


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
    # Decided by whoever read the settings (the composer, the test-event page); the strictest by default.
    policy: WebhookPolicy = WebhookPolicy()


def encode_body(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


class WebhookTransport:
    def __init__(self, clock: Callable[[], float] = time.time, timeout: float = TIMEOUT_SECONDS,
                 resolve: Resolver = resolve_addresses, verify: ssl.SSLContext | bool = True) -> None:
        self.clock, self.timeout, self.resolve = clock, timeout, resolve
        self.verify = verify  # tests pass a context trusting their own certificate authority

    def send(self, delivery: WebhookDelivery) -> None:
        checked = check_address(delivery.url, delivery.policy, self.resolve)
        if checked.address is None:
            raise DefiniteSendError(f"webhook: {checked.problem}", permanent=not checked.temporary)
        url, host, extensions = pinned_request(delivery.url, checked.address)
        try:
            body = encode_body(delivery.payload)
        except (TypeError, ValueError) as err:  # a bug of ours, not the receiver's: nothing was sent
            raise DefiniteSendError(f"webhook: meddelandet gick inte att skapa ({err})", permanent=True) from err
        if len(body) > MAX_BODY_BYTES:
            raise DefiniteSendError(f"webhook: meddelandet är större än {MAX_BODY_BYTES} byte", permanent=True)
        timestamp = int(self.clock())
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "Anbudsvakt-webhook/1",
                   "Host": host, TIMESTAMP_HEADER: str(timestamp),
                   SIGNATURE_HEADER: signature(delivery.secret, timestamp, body)}
        timeout = httpx.Timeout(self.timeout, connect=min(self.timeout, CONNECT_TIMEOUT_SECONDS))
        try:
            # Streamed and closed unread: only the status counts, and a receiver answering with an endless body
            # cannot hold the sender.
            with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, verify=self.verify) as client, \
                    client.stream("POST", url, content=body, headers=headers, extensions=extensions) as response:
                status = response.status_code
        except (httpx.ConnectError, httpx.ConnectTimeout) as err:
            raise DefiniteSendError(f"webhook: ingen anslutning ({type(err).__name__})") from err
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as err:
            raise DefiniteSendError(f"webhook: adressen går inte att använda ({err})", permanent=True) from err
        except httpx.HTTPError as err:  # sent, then the connection broke or the answer never came
            raise AmbiguousSendError(f"webhook: svaret uteblev ({type(err).__name__})") from err
        except Exception as err:  # anything else: it may have gone out, and it must not stop the other deliveries
            raise AmbiguousSendError(f"webhook: oväntat fel ({type(err).__name__})") from err
        if status == 429 or status >= 500:
            raise DefiniteSendError(f"webhook: mottagaren svarade HTTP {status}")
        if status >= 300:
            hint = STATUS_HINTS.get(status, "")
            raise DefiniteSendError(f"webhook: mottagaren svarade HTTP {status}{hint}", permanent=True)
