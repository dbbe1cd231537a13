"""``anbudsvakt serve``: the web app and API on uvicorn, on the embedded store and index by default."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from tenders.settings import Settings


def load_examples_if_store_empty(settings: Settings) -> str | None:
    """On an empty store: a short TED crawl, else the example notices (cli/demo.py); what it did, or None."""
    from cli.demo import fill_empty_store

    return fill_empty_store(settings)


def serve(
    host: Annotated[str, typer.Option(help="Adress att lyssna på; 0.0.0.0 i en container")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP-port")] = 8000,
    load_examples_if_empty: Annotated[
        bool, typer.Option("--load-examples-if-empty", help="Fyll en tom databas: TED (90 dagar), annars exempeldata")
    ] = False,
) -> None:
    """Visa webbsidorna (/) och API:t (/api/, dokumentation på /docs) tills det stoppas med Ctrl+C."""
    import uvicorn
    from pydantic import ValidationError

    from api.app import create_app
    from app.index_upkeep import rebuild_index_if_behind
    from cli.db import exit_unless_migrated
    from tenders.settings import SecretKeyError, get_settings

    try:
        settings = canonical_base_url(get_settings(), host, port)
        settings.require_secret_for_serving(host)
    except (SecretKeyError, ValidationError) as error:
        # One readable line instead of a traceback: the operator has a setting to fix, not a bug to report.
        reasons = [e["msg"] for e in error.errors()] if isinstance(error, ValidationError) else [str(error)]
        typer.echo(f"Anbudsvakt startar inte: {'; '.join(reasons)}", err=True)
        raise typer.Exit(2) from error
    exit_unless_migrated(settings)  # PostgreSQL: `anbudsvakt db upgrade` first; the embedded SQLite migrates itself
    if rebuilt := rebuild_index_if_behind(settings):  # an upgrade changed the text analysis: search must not go blind
        typer.echo(rebuilt, err=True)
    if load_examples_if_empty and (filled := load_examples_if_store_empty(settings)):
        typer.echo(filled, err=True)
    typer.echo(f"Anbudsvakt svarar på {settings.base_url.rstrip('/')}/ (API-dokumentation på /docs)", err=True)
    uvicorn.run(create_app(settings), **uvicorn_options(settings, host, port))


def canonical_base_url(settings: Settings, host: str, port: int) -> Settings:
    """In development without an explicit base URL, links point where this server listens: one address to open."""
    if settings.environment != "development" or "base_url" in settings.model_fields_set:
        return settings
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host  # noqa: S104 - compared, not bound
    return settings.model_copy(update={"base_url": f"http://{shown}:{port}"})


def uvicorn_options(settings: Settings, host: str, port: int) -> dict[str, Any]:
    # proxy_headers: behind the reverse proxies named in trusted_proxies, rate limits must see the client's
    # address (X-Forwarded-For), not the proxy's; anyone else's header is ignored.
    return {"host": host, "port": port, "proxy_headers": True, "forwarded_allow_ips": settings.trusted_proxies}


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    app.command()(serve)
