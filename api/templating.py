"""Jinja2 set-up for the server-rendered pages: filters for Swedish formats and a CSRF token in every form."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates

from api import labels
from api.demo_flag import DemoFlag
from api.security.csrf import CSRF_FIELD, csrf_token_for
from api.security.sessions import SESSION_COOKIE
from tenders import formatting
from tenders.settings import Settings
from tenders.sni import sni_text

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def build_templates(settings: Settings) -> Jinja2Templates:
    demo_flag = DemoFlag()

    def page_context(request: Request) -> dict[str, Any]:
        cookie = getattr(request.state, "csrf_cookie", "")
        return {
            "csrf_field": CSRF_FIELD,
            "csrf_token": csrf_token_for(settings.secret_key.get_secret_value(), cookie,
                                         request.cookies.get(SESSION_COOKIE)),
            "principal": getattr(request.state, "principal", None),
            "current_path": request.url.path,
            "demo_data": demo_flag.shown(request),
        }

    templates = Jinja2Templates(directory=TEMPLATES_DIR, context_processors=[page_context])
    environment = templates.env
    environment.filters.update(
        date_sv=lambda value: labels.date_sv(value, settings.timezone),
        sek=labels.sek,
        money=formatting.money_of,
        orgnr=formatting.orgnr,
        procedure_label=formatting.procedure,
        nature_label=lambda code: formatting.NATURE_LABELS.get(code or "", code or ""),
        size_label=lambda code: formatting.SIZE_LABELS.get(code or "", code or ""),
        winner_name=formatting.winner_name,
        number_sv=formatting.number,
        percent_sv=formatting.percent,
        deadline_passed=lambda moment: moment is not None and moment < datetime.now(UTC),
        human_link=formatting.human_source_link,
        machine_link=formatting.machine_source_link,
        cpv_text=labels.cpv_text,
        nuts_text=labels.nuts_text,
        form_type_label=lambda value: labels.FORM_TYPE_LABELS.get(value or "", value or ""),
        municipality_name=lambda code: labels.facet_label("municipality", code),
        sni_text=sni_text,
    )
    environment.globals["facet_titles"] = labels.FACET_TITLES
    return templates
