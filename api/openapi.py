"""The OpenAPI document as a reader meets it: stable operation ids, Swedish summaries, and the two ways to be
allowed in (an API key as HTTP Bearer, or the browser's session cookie plus the CSRF header) as security schemes,
so /docs offers "Authorize".

The summaries live in one table here rather than in each route's docstring: the docstrings stay the developers'
notes (English, like the code), and the table is the public text, checked complete by tests/api/test_openapi.py.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.security import APIKeyHeader, HTTPBearer

from api.security.csrf import CSRF_HEADER
from api.security.sessions import SESSION_COOKIE

API_KEY = "ApiKey"
SESSION = "Session"
CSRF = "CsrfToken"

# auto_error=False: both only declare the schemes. api/deps.py still decides, so a wrong key and a missing CSRF
# token answer exactly as before (401 with the failed-attempt count per address, 403).
api_key_scheme = HTTPBearer(
    scheme_name=API_KEY, auto_error=False, bearerFormat="API-nyckel",
    description="En API-nyckel, skickad som `Authorization: Bearer <nyckel>`: ett företags nyckel (`avc_…`, från "
                "Mina uppgifter → API-nyckel) når företagets egna anrop under /api/companies/me/…; en "
                "näringslivsutvecklares eller personals nyckel (`avk_…`, från sidan API-nycklar) övriga. För många "
                "felaktiga nycklar från samma adress spärras en stund (429).",
)
csrf_scheme = APIKeyHeader(
    name=CSRF_HEADER, scheme_name=CSRF, auto_error=False,
    description="Webbläsare som är inloggade med sessionskaka skickar CSRF-token i denna rubrik vid ändringar "
                "(POST, PUT, PATCH, DELETE). Anrop med API-nyckel behöver den inte.",
)
_SESSION_SCHEME = {
    "type": "apiKey", "in": "cookie", "name": SESSION_COOKIE,
    "description": "Sessionskakan från inloggningslänken (företag) eller lösenordsinloggningen (personal).",
}


def operation_id(route: APIRoute) -> str:
    """``<tag>-<route name>``, e.g. ``companies-give-feedback``: stable while the function keeps its name."""
    tag = str(route.tags[0]) if route.tags else "api"
    return f"{tag}-{route.name.replace('_', '-')}"


# operation id -> (summary, description). Descriptions are optional; a missing one keeps the route's own.
SUMMARIES: dict[str, tuple[str, str]] = {
    "health-health": ("Lever tjänsten", "Svarar så länge processen kör."),
    "health-ready": ("Är tjänsten redo", "Svarar 503 om lagringen eller sökindexet inte svarar."),
    "tenders-search": ("Sök upphandlingar", "Fritext med svensk ordstamning och filter (OCH mellan fält, ELLER "
                       "inom ett fält), med fasetter och sidor."),
    "tenders-export-csv": ("Sökresultat som CSV", "Samma sökning som en CSV-fil (alla sidor, högst 10 000 rader)."),
    "tenders-export-xlsx": ("Sökresultat som Excel", "Samma sökning och kolumner som CSV-filen, som Excel-fil "
                            "(XLSX) med svenska rubriker och svensk tid."),
    "tenders-detail": ("En upphandling", "Den aktuella annonsen i sin helhet och alla versioner av den."),
    "accounts-request-magic-link": ("Begär inloggningslänk", "Skickar en länk om adressen hör till ett företag. "
                                    "Svaret är detsamma oavsett, så att ingen kan pröva vilka adresser som finns."),
    "accounts-get-users": ("Lista användare", "Näringslivsutvecklare och personal (endast personal)."),
    "accounts-add-user": ("Lägg till användare", "Endast personal."),
    "accounts-who-am-i": ("Vem är inloggad", "Den inloggade användaren eller API-nyckelns ägare."),
    "accounts-get-api-keys": ("Lista API-nycklar", "Användarens egna nycklar (utan själva nyckeln)."),
    "accounts-add-api-key": ("Skapa API-nyckel", "Nyckeln visas bara i detta svar – spara den."),
    "accounts-delete-api-key": ("Ta bort API-nyckel", "Nyckeln slutar gälla direkt."),
    "companies-register-company": ("Registrera företag", "En inloggningslänk skickas till företagets e-postadress; "
                                   "bevakningen börjar när länken har använts."),
    "companies-my-company": ("Vilket företag är inloggat", ""),
    "companies-company-profile": ("Företagets profil", ""),
    "companies-update-company": ("Ändra företagets profil", "Bara de fält som skickas ersätts."),
    "companies-erase-company": ("Radera företaget", "Raderar företaget och allt om det (GDPR art. 17)."),
    "companies-export-company": ("Exportera företagets uppgifter", "Allt som finns sparat om företaget, som "
                                 "JSON-fil (GDPR art. 15 och 20)."),
    "companies-list-matches": ("Företagets träffar", "Annonser från de senaste 90 dagarna som matchar profilen, "
                               "bäst först, var och en med skälen."),
    "companies-give-feedback": ("Bedöm en träff", "Relevant eller inte; en ny bedömning ersätter den förra."),
    "companies-list-follows": ("Följda upphandlingar", ""),
    "companies-follow-tender": ("Följ en upphandling", "Ni får besked när sista anbudsdag ändras och vid tilldelning."),
    "companies-unfollow-tender": ("Sluta följa en upphandling", ""),
    "feeds-my-feeds": ("Företagets flödesadresser", "Hemliga adresser till Atom, RSS och kalender. Adressen är "
                       "nyckeln: dela den inte."),
    "feeds-match-feed-xml": ("Träffar som Atom eller RSS", "`atom.xml` eller `rss.xml`: träffarna från de senaste "
                             "90 dagarna. Okänd adress svarar 404."),
    "feeds-deadlines-ics": ("Sista anbudsdagar som kalender", "iCalendar med påminnelse två dagar före."),
    "feeds-saved-search-feed": ("En sparad söknings Atomflöde", "Nya annonser som motsvarar den sparade sökningen. "
                                "Okänd adress svarar 404."),
    "ocds-releases": ("En upphandlings releaser", "OCDS 1.1 release package."),
    "ocds-records": ("En upphandlings record", "OCDS 1.1 record package: releaser och aktuellt läge."),
    "ocds-year-package": ("Alla kungörelser ett år", "OCDS 1.1 release package, strömmad."),
    "saved-searches-list-saved-searches": ("Företagets sparade sökningar", "Var och en med sitt hemliga Atomflöde."),
    "saved-searches-create-saved-search": ("Spara en sökning", "Sökningen får ett namn och ett eget Atomflöde."),
    "saved-searches-update-saved-search": ("Ta med i sammanställningen eller inte", "Om sökningens nya annonser "
                                           "ska komma med i den dagliga sammanställningen."),
    "saved-searches-delete-saved-search": ("Ta bort en sparad sökning", "Flödet slutar svara direkt."),
    "webhooks-get-webhook": ("Företagets webhook", "Adressen (hemligheten visas aldrig igen)."),
    "webhooks-put-webhook": ("Registrera webhook", "Varje träff skickas som JSON, signerad med HMAC-SHA256. "
                             "Hemligheten visas bara i detta svar."),
    "webhooks-delete-webhook": ("Ta bort webhook", "Inga fler leveranser; hemligheten slutar gälla."),
    "webhooks-send-webhook-test": ("Skicka testhändelse", "En signerad testhändelse skickas direkt till adressen; "
                                   "svaret säger om den togs emot."),
    "companies-list-company-api-keys": ("Företagets API-nycklar", "Utan själva nycklarna."),
    "companies-create-company-api-key": ("Skapa API-nyckel för företaget", "Nyckeln visas bara i detta svar. "
                                         "Kräver inloggning (inte en annan nyckel). Högst fem, var och en gäller "
                                         "ett år."),
    "companies-revoke-company-api-key": ("Spärra en API-nyckel", "Nyckeln slutar gälla direkt."),
}


def _swedish_text(schema: dict[str, Any]) -> None:
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            text = SUMMARIES.get(operation.get("operationId", ""))
            if text is None:
                continue
            operation["summary"] = text[0]
            if text[1]:
                operation["description"] = text[1]
            else:  # the route's docstring is a developer's note in English, not public text
                operation.pop("description", None)


def _session_or_key(schema: dict[str, Any]) -> None:
    """Say what the dependencies mean: an API key alone, or the session cookie (with the CSRF header when the
    operation changes something). FastAPI lists each scheme as an alternative of its own."""
    schema.setdefault("components", {}).setdefault("securitySchemes", {})[SESSION] = _SESSION_SCHEME
    for methods in schema.get("paths", {}).values():
        for operation in methods.values():
            names = {name for requirement in operation.get("security", []) for name in requirement}
            if API_KEY in names:
                browser: dict[str, list[str]] = {SESSION: [], CSRF: []} if CSRF in names else {SESSION: []}
                # A company's own routes take its session or its own API key (avc_…); the rest a user's key.
                operation["security"] = [{API_KEY: []}, browser]


def install(app: FastAPI) -> None:
    """Wrap ``app.openapi`` so the document it builds (and caches) gets the Swedish text and the session
    alternative. Both steps are idempotent, so running them on the cached document again changes nothing."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        _swedish_text(schema)
        _session_or_key(schema)
        return schema

    setattr(app, "openapi", openapi)  # noqa: B010 - mypy refuses assigning to a method
