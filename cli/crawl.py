"""``anbudsvakt crawl ted [--since DATE]``: fetch notices from a source into the store and the index."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Annotated

import typer

from cli.crawl_uhm import crawl_uhm
from cli.sources import SaveFixturesOption, register_crawls

SinceOption = Annotated[
    datetime | None,
    typer.Option(
        "--since",
        formats=["%Y-%m-%d"],
        help="Hämta notiser publicerade från och med detta datum (återfyllnad). "
        "Utan: från senaste kompletta körning minus två dagar, första gången 90 dagar bakåt.",
    ),
]


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    crawl_app = typer.Typer(
        help="Hämta upphandlingsnotiser från en källa till lagret och sökindexet.", no_args_is_help=True
    )
    crawl_app.command("ted")(crawl_ted)
    register_crawls(crawl_app)  # eavrop, kommersannons, source NAME (cli/sources.py)
    crawl_app.command("uhm")(crawl_uhm)
    app.add_typer(crawl_app, name="crawl")


def crawl_ted(
    since: SinceOption = None,
    print_query: Annotated[
        bool, typer.Option("--print-query", help="Skriv bara ut TED-frågan och anropets JSON (för checkQuerySyntax).")
    ] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Visa Scrapys logg på INFO-nivå.")] = False,
    setting: Annotated[
        list[str] | None,
        typer.Option("--setting", "-s", help="Scrapy-inställning NAMN=VÄRDE för just den här körningen."),
    ] = None,
    save_fixtures: SaveFixturesOption = None,
) -> None:
    """Hämta TED-notiser för Dalarna (Search API v3 och eForms-XML) till lagret och sökindexet."""
    from cli.demo import exit_if_demo_stored
    from crawlers import run

    since_day = since.date() if since else None
    if print_query:
        _print_query(since_day)
        return
    exit_if_demo_stored("Hämtningen")
    try:
        overrides = {**({"LOG_LEVEL": "INFO"} if verbose else {}), **run.parse_overrides(setting or [])}
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--setting") from err
    if save_fixtures is not None:
        overrides["ANBUDSVAKT_SAVE_FIXTURES"] = str(save_fixtures.resolve())
    raise typer.Exit(run.report(run.run_crawl("ted", since=since_day, overrides=overrides)))


def _print_query(since: date | None) -> None:
    """The query and body exactly as the crawl would send them now, ready to paste into TED's expert search."""
    from crawlers import run, ted_query
    from tenders.settings import get_settings
    from tenders.store import TenderStore

    settings = get_settings()
    if since is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        store = TenderStore.from_settings(settings)
        try:
            since = run.resolve_since(store, "ted", None, datetime.now(UTC).date())
        finally:
            store.close()
    query = ted_query.dalarna_query(since)
    typer.echo(query)
    typer.echo(json.dumps(ted_query.search_request_body(query, check_syntax=True), ensure_ascii=False, indent=2))
