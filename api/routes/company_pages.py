"""The signed-in company's pages: "mina bevakningar" (matches, follow, verdicts, feeds), "mina uppgifter"
(profile, export, erase) and the unsubscribe link from the e-mails. Forms post and redirect back (PRG)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, HTTPException, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from api.company_data import company_matches, follow, follows, hidden, record_verdict
from api.company_deps import CompanyServiceDep, ModelsDep, NowDep, ProfilesDep, SignedInCompany
from api.company_profiles import company_email
from api.deps import CsrfProtected, IndexDep, SessionDep, SettingsDep, StoreDep, TemplatesDep
from api.labels import cpv_name
from api.local_paths import local_path
from api.routes.companies import erase, export_file
from api.routes.feeds import feed_urls
from api.security.sessions import SESSION_COOKIE
from api.suggestions import CpvChoice, municipality_options
from api.wizard_form import WizardForm
from app.matching import WINDOW_DAYS

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)
UNSUBSCRIBE_INVALID = "Länken är ogiltig. Logga in och ändra utskicken under Mina uppgifter."
TenderField = Annotated[str, Form(min_length=1, max_length=200)]


def back_to(target: str, fallback: str = "/mina-bevakningar") -> RedirectResponse:
    return RedirectResponse(local_path(target, fallback), status_code=status.HTTP_303_SEE_OTHER)


@router.get("/mina-bevakningar")
def my_matches(request: Request, company: SignedInCompany, index: IndexDep, store: StoreDep, profiles: ProfilesDep,
               models: ModelsDep, settings: SettingsDep, templates: TemplatesDep, now: NowDep) -> HTMLResponse:
    views = company_matches(index, store, profiles, models, company.id, company.profile, now)
    hidden_views = hidden(store, profiles, company.id)
    just_hidden = next((h for h in hidden_views if h.tender_id == request.query_params.get("dold")), None)
    context = {"company": company, "matches": views, "follows": follows(store, profiles, company.id),
               "hidden": hidden_views, "just_hidden": just_hidden,
               "feeds": feed_urls(settings, company.id), "window_days": WINDOW_DAYS}
    return templates.TemplateResponse(request, "company/bevakningar.html", context)


@router.post("/mina-bevakningar/folj", dependencies=[CsrfProtected])
def follow_page(company: SignedInCompany, tender_id: TenderField, store: StoreDep, profiles: ProfilesDep,
                tillbaka: Annotated[str, Form(max_length=300)] = "/mina-bevakningar") -> RedirectResponse:
    if not follow(store, profiles, company.id, tender_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Upphandlingen finns inte")
    return back_to(tillbaka)


@router.post("/mina-bevakningar/sluta-folja", dependencies=[CsrfProtected])
def unfollow_page(company: SignedInCompany, tender_id: TenderField, profiles: ProfilesDep,
                  tillbaka: Annotated[str, Form(max_length=300)] = "/mina-bevakningar") -> RedirectResponse:
    profiles.unfollow(company.id, tender_id)
    return back_to(tillbaka)


@router.post("/mina-bevakningar/bedomning", dependencies=[CsrfProtected])
def verdict_page(company: SignedInCompany, tender_id: TenderField, relevant: Annotated[str, Form(pattern="^(ja|nej)$")],
                 store: StoreDep, profiles: ProfilesDep) -> RedirectResponse:
    if not record_verdict(store, profiles, company.id, tender_id, relevant == "ja"):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "Upphandlingen finns inte")
    if relevant == "nej":  # say what happened and offer "Ångra" at once
        return back_to(f"/mina-bevakningar?{urlencode({'dold': tender_id})}#dold-nu")
    return back_to("/mina-bevakningar#traffar")


@router.post("/mina-bevakningar/angra", dependencies=[CsrfProtected])
def undo_verdict_page(company: SignedInCompany, tender_id: TenderField, profiles: ProfilesDep) -> RedirectResponse:
    """Undo "inte relevant" (or "relevant"): the procurement and its like are ranked as before."""
    profiles.forget_feedback(company.id, tender_id)
    return back_to("/mina-bevakningar#traffar")


def _details_context(company: SignedInCompany, profiles: ProfilesDep) -> dict[str, object]:
    profile = company.profile
    chosen = [CpvChoice(prefix, cpv_name(prefix), "Ert val", True) for prefix in profile.interests.cpv]
    return {"company": company, "email": company_email(profile), "choices": chosen,
            "active_channels": profiles.channels(company.id), "municipalities": municipality_options(),
            "consent_pending": profiles.consent_pending(company.id),
            "form": WizardForm(keywords=", ".join(profile.interests.keywords),
                               municipalities=profile.interests.municipalities, consent=profile.consent_at is not None)}


@router.get("/mina-uppgifter")
def my_details(request: Request, company: SignedInCompany, profiles: ProfilesDep,
               templates: TemplatesDep) -> HTMLResponse:
    return templates.TemplateResponse(request, "company/uppgifter.html", _details_context(company, profiles))


@router.post("/mina-uppgifter", dependencies=[CsrfProtected])
async def update_details(request: Request, company: SignedInCompany, profiles: ProfilesDep,
                         service: CompanyServiceDep, templates: TemplatesDep, now: NowDep) -> Response:
    form = WizardForm.from_form(await request.form())
    try:
        interests = form.interests()
    except ValidationError as error:
        context = {**_details_context(company, profiles), "form": form,
                   "errors": {"cpv_extra": "; ".join(e["msg"].removeprefix("Value error, ") for e in error.errors())}}
        return templates.TemplateResponse(request, "company/uppgifter.html", context, status_code=422)
    consent_at = (company.profile.consent_at or now) if form.consent else None
    profile = company.profile.model_copy(update={"interests": interests, "consent_at": consent_at})
    service.update(company.id, profile, via="web", confirm_by_email=True)
    return back_to("/mina-uppgifter?sparat=1")


@router.get("/mina-uppgifter/export.json")
def export_details(company: SignedInCompany, service: CompanyServiceDep, db: SessionDep) -> Response:
    return export_file(service, db, company.id)


@router.get("/mina-uppgifter/radera")
def erase_confirm(request: Request, company: SignedInCompany, templates: TemplatesDep) -> HTMLResponse:
    return templates.TemplateResponse(request, "company/radera.html", {"company": company})


@router.post("/mina-uppgifter/radera", dependencies=[CsrfProtected])
def erase_details(request: Request, company: SignedInCompany, service: CompanyServiceDep, db: SessionDep,
                  templates: TemplatesDep, bekrafta: Annotated[str, Form(max_length=10)] = "") -> HTMLResponse:
    if bekrafta != "ja":
        context = {"company": company, "error": "Kryssa i rutan för att bekräfta att allt ska raderas."}
        return templates.TemplateResponse(request, "company/radera.html", context, status_code=422)
    erase(service, db, company.id)
    response = templates.TemplateResponse(request, "company/raderad.html", {"name": company.profile.name})
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/avregistrera/{token}")
def unsubscribe_confirm(request: Request, token: str, templates: TemplatesDep) -> HTMLResponse:
    return templates.TemplateResponse(request, "company/avregistrera.html", {"token": token},
                                      headers={"Referrer-Policy": "no-referrer"})


@router.post("/avregistrera/{token}")
def unsubscribe(request: Request, token: str, profiles: ProfilesDep, templates: TemplatesDep) -> HTMLResponse:
    # No CSRF token: RFC 8058 one-click comes from the mail client without cookies; the signed token IS the
    # authorisation, and all it can do is stop mail.
    if not profiles.unsubscribe(token, via="unsubscribe-link"):
        raise HTTPException(status.HTTP_404_NOT_FOUND, UNSUBSCRIBE_INVALID)
    return templates.TemplateResponse(request, "company/avregistrerad.html", {})
