"""The app factory. Nothing is opened at import time: the store, index and auth tables open in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlencode

from fastapi import FastAPI, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.middleware import CsrfCookieAndSecurityHeaders
from api.openapi import install as install_openapi
from api.openapi import operation_id
from api.resources import AppResources
from api.routes import (
    accounts,
    api_key_pages,
    companies,
    company_pages,
    docs,
    feeds,
    follows,
    health,
    matches,
    ocds,
    pages,
    saved_search_pages,
    saved_searches,
    signin,
    staff,
    tenders,
    webhook_pages,
    webhooks,
    wizard,
)
from api.templating import STATIC_DIR, build_templates
from app.daily import start_scheduler_if_enabled
from tenders.settings import Settings, get_settings

# Swagger UI and ReDoc render tag descriptions as Markdown: the receiver's half of the contract, where its
# builder will look for it.
WEBHOOKS_DESCRIPTION = """Ett företags webhook: varje dags träffar som JSON till företagets egen https-adress.
Varje leverans har rubrikerna `X-Anbudsvakt-Timestamp` (Unix-sekunder) och
`X-Anbudsvakt-Signature: sha256=<hex>`, HMAC-SHA256 av `<tidpunkt>.<meddelandets bytes>` med hemligheten.
Kontrollera så här och avvisa meddelanden äldre än fem minuter; svara 2xx när det är mottaget:

```python
import hashlib, hmac, time

def from_anbudsvakt(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > 300:
        return False
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return hmac.compare_digest("sha256=" + mac.hexdigest(), signature)
```"""

OPENAPI_TAGS = [
    {"name": "tenders", "description": "Sök och läs upphandlingar i Dalarna."},
    {"name": "accounts", "description": "Inloggningslänkar, konton och API-nycklar."},
    {"name": "companies", "description": "Registrering, och det inloggade företagets profil, träffar, "
     "bedömningar, följda upphandlingar och flöden. Ett företag ser och ändrar bara sig självt."},
    {"name": "feeds", "description": "Hemliga flödesadresser per företag och per sparad sökning: Atom, RSS och "
     "kalender, för flödesläsare och kalendrar som inte kan logga in."},
    {"name": "saved-searches", "description": "Ett inloggat företags sparade sökningar, var och en med ett "
     "eget hemligt Atomflöde."},
    {"name": "webhooks", "description": WEBHOOKS_DESCRIPTION},
    {"name": "health", "description": "Drift: lever tjänsten, svarar lagring och index."},
    {"name": "ocds", "description": "Upphandlingarna som Open Contracting Data Standard (OCDS 1.1): releaser, "
     "records och ett paket per år, för OCDS-verktyg som Kingfisher, ocdskit och Cove."},
]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.resources = AppResources.open(settings)
        scheduler = start_scheduler_if_enabled(settings)
        try:
            yield
        finally:
            if scheduler is not None:
                scheduler.shutdown(wait=False)
            app.state.resources.close()

    app = FastAPI(
        title="Anbudsvakt",
        summary="Offentliga upphandlingar i Dalarna för små och medelstora företag.",
        version="0.1.0",
        openapi_tags=OPENAPI_TAGS,
        generate_unique_id_function=operation_id,  # stable: '<tag>-<route name>'
        lifespan=lifespan,
        docs_url=None,  # self-hosted instead (api/routes/docs.py): no CDN, and allowed by the CSP
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.templates = build_templates(settings)
    for module in (health, tenders, accounts, companies, matches, follows, feeds, signin, pages, wizard,
                   company_pages, staff, ocds, docs, saved_searches, saved_search_pages, webhooks, webhook_pages,
                   api_key_pages):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    docs.mount_assets(app)
    app.add_middleware(CsrfCookieAndSecurityHeaders, secure_cookies=settings.base_url.startswith("https://"))
    _add_error_pages(app)
    install_openapi(app)
    return app


def _add_error_pages(app: FastAPI) -> None:
    """JSON errors under /api/; Swedish error pages elsewhere, and a sign-in redirect where one is needed."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = getattr(exc, "headers", None)
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
        if exc.status_code == 401:
            # Staff and developers sign in with a password; companies with an e-mail link.
            staff_area = request.url.path.startswith("/personal")
            login = "/personal/logga-in" if staff_area else "/logga-in"
            if request.method == "GET":  # come back to the page asked for after signing in
                asked = request.url.path + (f"?{request.url.query}" if request.url.query else "")
                login += "?" + urlencode({"tillbaka": asked})
            return RedirectResponse(login, status_code=303)
        message = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" else "Sidan finns inte."
        context = {"status": exc.status_code, "message": message}
        return app.state.templates.TemplateResponse(request, "error.html", context, status_code=exc.status_code,
                                                    headers=headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)
        context = {"status": 422, "message": "Några av uppgifterna i formuläret kunde inte läsas. Kontrollera dem."}
        return app.state.templates.TemplateResponse(request, "error.html", context, status_code=422)
