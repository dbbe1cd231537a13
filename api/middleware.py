"""The CSRF cookie and the security headers on every response (errors included), as plain ASGI middleware.

Why not ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware wraps every request in a task group and
re-streams the response through memory channels; under load that cost more CPU than the search route's own
Python code. This does the same work on the ``http.response.start`` message instead.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.responses import JSONResponse, PlainTextResponse, Response
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
# Served over https only, the browser must never try plain http again (a year, as the HSTS preload list asks).
HSTS = "max-age=31536000; includeSubDomains"
_NO_CSRF_COOKIE_PREFIXES = ("/api/", "/static/")  # JSON clients and files never post a form


class CsrfCookieAndSecurityHeaders:
    """Gives each page visitor a CSRF cookie (``request.state.csrf_cookie``) and every response the headers.

    ``secure_cookies`` is set when the service is served over https (its base URL), which also turns on HSTS.
    """

    def __init__(self, app: ASGIApp, *, secure_cookies: bool) -> None:
        self.app = app
        self.secure_cookies = secure_cookies
        self.headers = SECURITY_HEADERS | ({"Strict-Transport-Security": HSTS} if secure_cookies else {})

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

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                if new_cookie is not None:
                    headers.append("set-cookie", new_cookie)
                for name, value in self.headers.items():
                    headers.setdefault(name, value)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Starlette's own 500 answer is written outside every middleware, without these headers: answer here
            # instead, then re-raise so the server still logs the traceback (it sees the response as started).
            if not started:
                await _server_error(scope)(scope, receive, send_with_headers)
            raise

    def _set_cookie_header(self, secret: str) -> str:
        # Starlette's own cookie formatting, so the attributes are exactly those Response.set_cookie writes.
        response = Response()
        response.set_cookie(CSRF_COOKIE, secret, path="/", httponly=True, samesite="lax", secure=self.secure_cookies)
        return next(value.decode("latin-1") for name, value in response.raw_headers if name == b"set-cookie")


def _server_error(scope: Scope) -> Response:
    if scope["path"].startswith("/api/"):
        return JSONResponse({"detail": "Internt fel – försök igen om en stund"}, status_code=500)
    return PlainTextResponse("Något gick fel hos Anbudsvakt. Försök igen om en stund.", status_code=500)
