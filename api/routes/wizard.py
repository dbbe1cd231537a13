"""The profile wizard (``/registrera``): org.nr → SNI codes and a sentence → suggested CPV interests and
municipalities → a preview of the notices of the last 90 days that would have matched → save and get a link.

One POST endpoint; the pressed button (``steg``) says where to go, and every step validates all before it, so
the wizard works without JavaScript and a reloaded or tampered form can never skip a check."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from pydantic import ValidationError

from api.company_data import profile_matches
from api.company_deps import CompanyServiceDep, ModelsDep, NowDep, ProfilesDep
from api.deps import (
    CsrfProtected,
    IndexDep,
    OptionalPrincipal,
    RateLimitsDep,
    SettingsDep,
    StoreDep,
    TemplatesDep,
    client_key,
    rate_limited,
)
from api.routes.signin import send_magic_link
from api.security.mail import MAIL_UNAVAILABLE
from api.suggestions import CpvChoice, cpv_choices, municipality_options
from api.wizard_form import SIZE_LABELS, WizardForm, split_list
from profiles.service import CompanyError

ALREADY_REGISTERED = "Organisationsnumret är redan registrerat. Logga in med företagets e-postadress."
router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
PREVIEW_SHOWN = 20
TEMPLATES = {1: "company/wizard_about.html", 2: "company/wizard_work.html", 3: "company/wizard_interests.html",
             4: "company/wizard_preview.html"}


def _render(request: Request, templates: TemplatesDep, step: int, form: WizardForm,
            errors: dict[str, str] | None = None, status_code: int = 200, **extra: Any) -> HTMLResponse:
    context = {"form": form, "errors": errors or {}, "step": step, "size_labels": SIZE_LABELS,
               "municipalities": municipality_options(), **extra}
    return templates.TemplateResponse(request, TEMPLATES[step], context, status_code=status_code)


@router.get("/registrera")
def wizard_start(request: Request, templates: TemplatesDep, _who: OptionalPrincipal) -> HTMLResponse:
    return _render(request, templates, 1, WizardForm())


def first_invalid_step(form: WizardForm, target: int) -> tuple[int, dict[str, str]] | None:
    checks = ((1, form.errors_about), (2, form.errors_work), (3, form.errors_interests))
    for step, check in checks:
        if step >= target:
            return None
        errors = check()
        if errors:
            return step, errors
    return None


def already_registered(form: WizardForm, profiles: ProfilesDep) -> tuple[int, dict[str, str]] | None:
    """Step 1 says at once that the org.nr is taken (it said so only after all four steps). A registration that
    still waits for its e-mail link, from the same address, may go on: saving again re-sends the link."""
    company = profiles.by_orgnr(form.orgnr)
    if company is None:
        return None
    waiting = profiles.consent_pending(company.id) and any(
        c.address.casefold() == form.email.casefold() for c in company.profile.channels)
    return None if waiting else (1, {"orgnr": ALREADY_REGISTERED})


def interest_choices(form: WizardForm, models: ModelsDep) -> list[CpvChoice]:
    """Suggestions for step 3; once the company has answered it, its own ticks (and codes) win."""
    suggested = cpv_choices(split_list(form.sni), form.description, form.size or None, models)
    if not form.interests_chosen:
        return suggested
    chosen = set(form.cpv)
    choices = [CpvChoice(c.prefix, c.label, c.why, c.prefix in chosen) for c in suggested]
    known = {c.prefix for c in choices}
    return choices + [CpvChoice(p, "", "Ert val", True) for p in form.cpv if p not in known]


@router.post("/registrera", dependencies=[CsrfProtected, Depends(rate_limited("search"))])
async def wizard_step(request: Request, templates: TemplatesDep, models: ModelsDep, index: IndexDep,
                      store: StoreDep, profiles: ProfilesDep, now: NowDep, _who: OptionalPrincipal) -> HTMLResponse:
    form = WizardForm.from_form(await request.form())
    action = str((await request.form()).get("steg", "1"))
    target = {"1": 1, "2": 2, "3": 3, "4": 4, "spara": 5}.get(action, 1)
    invalid = first_invalid_step(form, target) or (already_registered(form, profiles) if target > 1 else None)
    if invalid is not None:
        step, errors = invalid
        extra = {"choices": interest_choices(form, models)} if step == 3 else {}
        return _render(request, templates, step, form, errors, status_code=422, **extra)
    if target == 3:
        if not form.interests_chosen and form.municipality_code and not form.municipalities:
            form.municipalities = [form.municipality_code]  # suggest the home municipality
        return _render(request, templates, 3, form, choices=interest_choices(form, models))
    if target >= 4:
        return _render(request, templates, 4, form, **_preview(form, index, store, models, now))
    return _render(request, templates, target, form)


def _preview(form: WizardForm, index: IndexDep, store: StoreDep, models: ModelsDep, now: NowDep) -> dict[str, Any]:
    found = profile_matches(index, store, models, "forhandsvisning", form.profile(now), {}, now)
    return {"preview": found[:PREVIEW_SHOWN], "preview_count": len(found)}


@router.post("/registrera/spara", dependencies=[CsrfProtected])
async def wizard_save(request: Request, templates: TemplatesDep, models: ModelsDep, index: IndexDep,
                      store: StoreDep, service: CompanyServiceDep, settings: SettingsDep, limits: RateLimitsDep,
                      now: NowDep, _who: OptionalPrincipal) -> HTMLResponse:
    form = WizardForm.from_form(await request.form())
    invalid = first_invalid_step(form, 4)
    if invalid is not None:
        step, errors = invalid
        extra = {"choices": interest_choices(form, models)} if step == 3 else {}
        return _render(request, templates, step, form, errors, status_code=422, **extra)
    if not limits.magic_link_per_client.allow(client_key(request)):
        errors = {"save": "Ni har registrerat för många gånger. Vänta en stund och försök igen."}
        return _render(request, templates, 4, form, errors, 429, **_preview(form, index, store, models, now))
    try:
        company = service.register(form.profile(now), has_bid_before=form.bid_before, via="web",
                                   confirm_by_email=True)
    except (CompanyError, ValidationError):
        errors = {"save": ALREADY_REGISTERED}
        return _render(request, templates, 4, form, errors, 409, **_preview(form, index, store, models, now))
    address = form.email.casefold()
    if limits.magic_link_per_email.allow(address) and not send_magic_link(settings, company.id, address):
        # The company is saved; saving again (same org.nr and e-mail) sends the link (CompanyService.register).
        errors = {"save": MAIL_UNAVAILABLE}
        return _render(request, templates, 4, form, errors, 503, **_preview(form, index, store, models, now))
    return templates.TemplateResponse(request, "company/wizard_done.html", {"email": address,
                                                                            "consent": form.consent})
