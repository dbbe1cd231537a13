"""``anbudsvakt company add|list|show|export|delete|follow|unfollow``: companies and what they want to hear about."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from profiles.repository import ProfileRepository
    from profiles.service import CompanyService



def _open() -> tuple[CompanyService, ProfileRepository]:
    from profiles.repository import ProfileRepository
    from profiles.service import CompanyService
    from tenders.settings import get_settings
    from tenders.store import TenderStore

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = TenderStore.from_settings(settings)  # the store's schema first; the process ends with the command
    repository = ProfileRepository(store.engine, settings.secret_key.get_secret_value())
    return CompanyService(repository), repository


def _fail(message: str) -> typer.Exit:
    typer.echo(f"Fel: {message}", err=True)
    return typer.Exit(2)


def add(
    orgnr: Annotated[str, typer.Option(help="Organisationsnummer, t.ex. 556036-0793")],
    name: Annotated[str, typer.Option(help="Företagets namn")],
    email: Annotated[str, typer.Option(help="E-postadress som utskicken går till")],
    municipality: Annotated[str | None, typer.Option(help="Kommunkod för företagets säte, t.ex. 2062")] = None,
    sni: Annotated[list[str] | None, typer.Option(help="SNI-kod för företagets verksamhet; kan upprepas")] = None,
    size: Annotated[str | None, typer.Option(help="micro | small | medium | large")] = None,
    cpv: Annotated[list[str] | None, typer.Option(help="CPV-kod eller början, t.ex. 45; kan upprepas")] = None,
    keyword: Annotated[list[str] | None, typer.Option(help="Sökord som ska ge träff; kan upprepas")] = None,
    negative_keyword: Annotated[
        list[str] | None, typer.Option(help="Ord som utesluter en annons; kan upprepas")
    ] = None,
    place: Annotated[list[str] | None, typer.Option(help="Kommun (kod eller namn) där uppdraget utförs")] = None,
    nuts: Annotated[list[str] | None, typer.Option(help="NUTS-kod där uppdraget utförs, t.ex. SE312")] = None,
    apprise: Annotated[list[str] | None, typer.Option(help="Ytterligare kanal som Apprise-URL")] = None,
    never_bid: Annotated[bool, typer.Option("--never-bid", help="Företaget har aldrig lämnat anbud")] = False,
    consent: Annotated[bool, typer.Option("--consent/--no-consent", help="Samtycke till utskick nu")] = True,
) -> None:
    """Registrera ett företag och dess bevakning; skriver ut företagets id."""
    from pydantic import ValidationError

    from profiles.model import CompanyProfile
    from profiles.service import CompanyError

    channels = [{"kind": "email", "address": email}, *({"kind": "apprise", "address": a} for a in apprise or [])]
    raw = {
        "orgnr": orgnr, "name": name, "municipality_code": municipality, "sni": sni or [], "size": size,
        "interests": {"cpv": cpv or [], "keywords": keyword or [], "negative_keywords": negative_keyword or [],
                      "municipalities": place or [], "nuts": nuts or []},
        "channels": channels, "consent_at": datetime.now(UTC) if consent else None,
    }
    try:
        profile = CompanyProfile.model_validate(raw)
    except ValidationError as err:
        first = err.errors()[0]
        raise _fail(f"{'.'.join(str(p) for p in first['loc'])}: {first['msg'].removeprefix('Value error, ')}") from err
    service, _ = _open()
    try:
        company = service.register(profile, has_bid_before=False if never_bid else None)
    except CompanyError as err:
        raise _fail(str(err)) from err
    typer.echo(company.id)


def list_companies() -> None:
    """Lista registrerade företag: id, org.nr, namn, samtycke."""
    _, repository = _open()
    for company in repository.companies():
        consent = company.consent_at.date().isoformat() if company.consent_at else "inget samtycke"
        typer.echo(f"{company.id}\t{company.profile.orgnr}\t{company.profile.name}\t{consent}")


def export(company_id: str) -> None:
    """Allt som sparats om företaget, som JSON (dataskyddsförordningen: rätt till tillgång)."""
    from profiles.service import CompanyError

    service, _ = _open()
    try:
        typer.echo(json.dumps(service.export(company_id), ensure_ascii=False, indent=2))
    except CompanyError as err:
        raise _fail(str(err)) from err


def delete(company_id: str, yes: Annotated[bool, typer.Option("--yes", help="Bekräfta radering")] = False) -> None:
    """Radera företaget och allt om det (profil, kanaler, samtycken, följda upphandlingar, utskick)."""
    from profiles.service import CompanyError

    if not yes:
        raise _fail("lägg till --yes för att radera")
    service, _ = _open()
    try:
        service.erase(company_id)
    except CompanyError as err:
        raise _fail(str(err)) from err
    typer.echo(f"Raderade {company_id}")


def follow(company_id: str, tender_id: str) -> None:
    """Följ en upphandling: ett meddelande när sista dag ändras, en rättelse kommer eller den tilldelas."""
    from alerts.follow import start_following
    from tenders.settings import get_settings
    from tenders.store import TenderStore

    _, repository = _open()
    if repository.get(company_id) is None:
        raise _fail(f"inget företag med id {company_id}")
    store = TenderStore.from_settings(get_settings())
    try:
        if not start_following(store, repository, company_id, tender_id):
            raise _fail(f"ingen upphandling med id {tender_id}")
    finally:
        store.close()
    typer.echo(f"{company_id} följer {tender_id}")


def unfollow(company_id: str, tender_id: str) -> None:
    """Sluta följa en upphandling."""
    _, repository = _open()
    if not repository.unfollow(company_id, tender_id):
        raise _fail(f"{company_id} följer inte {tender_id}")
    typer.echo(f"{company_id} följer inte längre {tender_id}")


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    company_app = typer.Typer(help="Företag, deras bevakning och följda upphandlingar.", no_args_is_help=True)
    company_app.command("add")(add)
    company_app.command("list")(list_companies)
    company_app.command("export")(export)
    company_app.command("delete")(delete)
    company_app.command("follow")(follow)
    company_app.command("unfollow")(unfollow)
    app.add_typer(company_app, name="company")
