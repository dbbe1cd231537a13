"""The CSRF cookie and the security headers on every response, as plain ASGI middleware.

Why not ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware wraps every request in a task group and
re-streams the response through memory channels; under load that cost more CPU than the search route's own
Python code. This does the same work on the ``http.response.start`` message instead.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.security.csrf import CSRF_COOKIE, new_csrf_secret

# Pages load nothing from other origins; inline scripts and styles are not needed, so none are allowed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
_NO_CSRF_COOKIE_PREFIXES = ("/api/", "/static/")  # JSON clients and files never post a form


class CsrfCookieAndSecurityHeaders:
    """Gives each page visitor a CSRF cookie (``request.state.csrf_cookie``) and every response the headers."""

    def __init__(self, app: ASGIApp, *, secure_cookies: bool) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = HTTPConnection(scope).cookies.get(CSRF_COOKIE)
        page = not scope["path"].startswith(_NO_CSRF_COOKIE_PREFIXES)
        # Only pages render forms, so only they need a fresh secret for a visitor without the cookie.
        secret = cookie or (new_csrf_secret() if page else "")
        scope.setdefault("state", {})["csrf_cookie"] = secret
        new_cookie = self._set_cookie_header(secret) if page and cookie is None else None

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if new_cookie is not None:
                    headers.append("set-cookie", new_cookie)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _set_cookie_header(self, secret: str) -> str:
        # Starlette's own cookie formatting, so the attributes are exactly those Response.set_cookie writes.
        response = Response()
        response.set_cookie(CSRF_COOKIE, secret, path="/", httponly=True, samesite="lax", secure=self.secure_cookies)
        return next(value.decode("latin-1") for name, value in response.raw_headers if name == b"set-cookie")
