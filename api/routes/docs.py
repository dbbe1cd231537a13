"""The API documentation, self-hosted: Swagger UI at /docs and ReDoc at /redoc, their files from the pinned
``fastapi-offline`` package (no CDN, so it works offline and under the Content-Security-Policy's
``script-src 'self'``: the start-up code is in api/static/docs/*.js, not inline)."""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api.demo_flag import holds_demo
from api.middleware import CONTENT_SECURITY_POLICY

ASSETS_DIR = Path(fastapi_offline.__file__).parent / "static"
ASSETS_PATH = "/docs-assets"

# ReDoc styles itself with injected <style> elements (styled-components), which style-src 'self' blocks. This one
# page allows inline styles (never inline scripts); the middleware keeps a CSP a route has already set.
REDOC_CSP = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'") + (
    "; worker-src 'self' blob:")

OUR_STYLES = '<link rel="stylesheet" href="/static/docs/docs.css">'  # contrast and helpers, after theirs
# The API answers with the example notices too ("source": "demo"), so its pages say so like every other page.
DEMO_BANNER = ('<div class="demo-banner" role="note"><strong>Exempeldata</strong> – API:t svarar med exempelannonser '
               'byggda på verkliga upphandlingar från 2021 med ändrade datum och beställare.</div>')

router = APIRouter(include_in_schema=False)

_PAGE = """<!doctype html>
<html lang="sv">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} – Anbudsvakt</title>
  <link rel="icon" href="{assets}/favicon.png">
  {head}
</head>
<body>
  {banner}
  <main>{body}</main>
  {scripts}
</body>
</html>"""


@router.get("/docs", response_class=HTMLResponse)
def swagger_ui(request: Request) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(
        title="API-dokumentation", assets=ASSETS_PATH, banner=DEMO_BANNER if holds_demo(request) else "",
        head=f'<link rel="stylesheet" href="{ASSETS_PATH}/swagger-ui.css">{OUR_STYLES}',
        body='<h1 class="visually-hidden">API-dokumentation</h1><div id="swagger-ui"></div>',
        scripts=f'<script src="{ASSETS_PATH}/swagger-ui-bundle.js"></script>'
                '<script src="/static/docs/swagger-init.js"></script>',
    ))


@router.get("/redoc", response_class=HTMLResponse)
def redoc(request: Request) -> HTMLResponse:
    return HTMLResponse(_PAGE.format(
        title="API-referens", assets=ASSETS_PATH, head=OUR_STYLES, banner=DEMO_BANNER if holds_demo(request) else "",
        body='<div id="redoc"></div>',
        scripts=f'<script src="{ASSETS_PATH}/redoc.standalone.js"></script>'
                '<script src="/static/docs/redoc-init.js"></script>',
    ), headers={"Content-Security-Policy": REDOC_CSP})


def mount_assets(app: FastAPI) -> None:
    """Serve the package's Swagger UI and ReDoc files (Apache 2.0 and MIT, see the package's licence)."""
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS_DIR), name="docs-assets")
