"""``anbudsvakt source try DEFINITION [URL|FILE]`` and ``anbudsvakt crawl mercell|eavrop|kommersannons|source NAME``.

``source try`` shows what a declarative source definition extracts from a page (the definition's first
start address when none is given), as a table or JSON, without storing anything; a bad definition or a
page whose structure does not match is one clear line and a non-zero exit status.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from crawlers.sources.definition import SourceDefinition
    from tenders.model import Tender

SinceOption = Annotated[
    datetime | None,
    typer.Option("--since", formats=["%Y-%m-%d"], help="Hämta annonser publicerade från och med detta datum. "
                 "Utan: från senaste kompletta körning minus två dagar, första gången 90 dagar bakåt."),
]
SaveFixturesOption = Annotated[
    Path | None,
    typer.Option("--save-fixtures", help="Spara varje hämtat svar (HTML) och en manifest.jsonl i DIR/<källa>/ "
                 "som testfixturer."),
]
VerboseOption = Annotated[bool, typer.Option("--verbose", "-v", help="Visa Scrapys logg på INFO-nivå.")]
SettingOption = Annotated[
    list[str] | None, typer.Option("--setting", "-s", help="Scrapy-inställning NAMN=VÄRDE för just den här körningen.")
]


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["source"].command("try")(try_source)


def register_crawls(crawl_app: typer.Typer) -> None:
    """The crawl commands of the Swedish sources, added to ``anbudsvakt crawl`` by cli.crawl."""
    crawl_app.command("mercell")(crawl_mercell)
    crawl_app.command("eavrop")(crawl_eavrop)
    crawl_app.command("kommersannons")(crawl_kommersannons)
    crawl_app.command("source")(crawl_source)


DefinitionArgument = Annotated[
    str, typer.Argument(help="Källdefinitionens YAML-fil eller namn (crawlers/sources/definitions).")
]
TargetArgument = Annotated[
    str | None, typer.Argument(help="Sidans adress eller en sparad HTML-fil; utan: första start_urls.")
]
DetailsOption = Annotated[
    bool, typer.Option("--details/--no-details", help="Hämta detaljsidorna (bara för adresser).")
]


def try_source(
    definition: DefinitionArgument,
    target: TargetArgument = None,
    as_json: Annotated[bool, typer.Option("--json", help="Skriv ut resultatet som JSON.")] = False,
    details: DetailsOption = True,
) -> None:
    """Visa vad en källdefinition extraherar från en sida, utan att spara något."""
    from crawlers.sources.definition import DefinitionError, load_definition
    from crawlers.sources.extract import extract_list, page_of

    try:
        source = load_definition(definition)
        body, url, fetched = _page(source, target)
    except (DefinitionError, OSError, ValueError) as err:
        typer.echo(f"fel: {err}", err=True)
        raise typer.Exit(2) from err
    listing = extract_list(page_of(body, url), source.layout.list, url)
    problem = listing.structure_problem(source.layout.list, url)
    records = [_with_details(source, record) if fetched and details else record for record in listing.records]
    tenders = [_tender(source, record, url) for record in records if record.get("title")]
    if as_json:
        typer.echo(json.dumps(_as_json(source, tenders, listing.next_url, problem), ensure_ascii=False, indent=2))
    else:
        _print_table(source, tenders, listing.next_url)
    if problem:
        typer.echo(f"varning: {problem}", err=True)
        raise typer.Exit(1)


def _page(source: SourceDefinition, target: str | None) -> tuple[bytes, str, bool]:
    """(body, the address it stands for, whether it was fetched); a file stands for the first start address."""
    if target and not target.startswith(("http://", "https://")):
        path = Path(target)
        if not path.is_file():
            raise ValueError(f"{target}: ingen sådan fil (ange en sparad HTML-fil eller en http(s)-adress)")
        return path.read_bytes(), source.start_urls[0], False
    url = target or source.start_urls[0]
    return _fetch(url), url, True


def _fetch(url: str) -> bytes:
    import httpx

    from tenders.settings import get_settings

    try:
        response = httpx.get(url, headers={"User-Agent": get_settings().user_agent}, follow_redirects=True, timeout=30)
    except httpx.HTTPError as err:
        raise ValueError(f"{url} är inte nåbar: {err}") from err
    if response.status_code != 200:
        raise ValueError(f"{url} svarade HTTP {response.status_code}")
    return response.content


def _with_details(source: SourceDefinition, record: dict[str, str]) -> dict[str, str]:
    from crawlers.sources.extract import extract_fields, page_of

    if source.layout.detail is None or not record.get("url"):
        return record
    try:
        body = _fetch(record["url"])
    except ValueError as err:
        typer.echo(f"varning: {err}", err=True)
        return record
    return {**record, **extract_fields(page_of(body, record["url"]), source.layout.detail.fields, record["url"])}


def _tender(source: SourceDefinition, record: dict[str, str], page_url: str) -> Tender:
    from crawlers.sources.tender import record_to_tender

    return record_to_tender(
        record, source=source.name, source_url=record.get("url") or page_url, retrieved_at=datetime.now(UTC),
        buyer=source.buyer, date_formats=source.layout.date_formats,
    )


def _as_json(source: SourceDefinition, tenders: list[Tender], next_url: str | None, problem: str) -> dict[str, Any]:
    fields = ("notice_id", "title", "buyers", "publication_date", "submission_deadline", "main_cpv",
              "additional_cpv", "description", "documents_url", "source_url")
    return {
        "source": source.name, "count": len(tenders), "next_page": next_url, "problem": problem,
        "tenders": [t.model_dump(mode="json", include=set(fields)) for t in tenders],
    }


def _print_table(source: SourceDefinition, tenders: list[Tender], next_url: str | None) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{source.label}: {len(tenders)} upphandlingar", show_lines=False)
    for column in ("Titel", "Köpare", "Publicerad", "Sista anbudsdag", "CPV", "Länk"):
        table.add_column(column, overflow="fold")
    for tender in tenders:
        deadline = tender.submission_deadline
        table.add_row(
            next(iter(tender.title.values()), ""), ", ".join(b.name for b in tender.buyers),
            str(tender.publication_date or ""), deadline.strftime("%Y-%m-%d %H:%M") if deadline else "",
            ", ".join(tender.all_cpv()), tender.source_url or "",
        )
    console = Console(file=sys.stdout, width=200)
    console.print(table)
    if next_url:
        console.print(f"Nästa sida: {next_url}")


def crawl_mercell(save_fixtures: SaveFixturesOption = None, verbose: VerboseOption = False,
                  setting: SettingOption = None, since: SinceOption = None) -> None:
    """Hämta Dalarnas upphandlingar från Mercells öppna annonssökning (utom kopior av TED-annonser)."""
    _crawl("mercell", save_fixtures, verbose, setting, since.date() if since else None)


def crawl_eavrop(save_fixtures: SaveFixturesOption = None, verbose: VerboseOption = False,
                 setting: SettingOption = None) -> None:
    """Hämta pågående upphandlingar från e-Avrop-portalerna i Dalarna till lagret och sökindexet."""
    _crawl("eavrop", save_fixtures, verbose, setting)


def crawl_kommersannons(save_fixtures: SaveFixturesOption = None, verbose: VerboseOption = False,
                        setting: SettingOption = None) -> None:
    """Hämta köparnas annonslistor på KommersAnnons till lagret och sökindexet."""
    _crawl("kommersannons", save_fixtures, verbose, setting)


def crawl_source(
    definition: Annotated[str, typer.Argument(help="Källdefinitionens namn eller YAML-fil.")],
    save_fixtures: SaveFixturesOption = None, verbose: VerboseOption = False, setting: SettingOption = None,
) -> None:
    """Hämta en deklarativ källa (en köpares egen sida) till lagret och sökindexet."""
    path = Path(definition)
    extra = [f"SOURCE_DEFINITIONS_DIR={path.parent.resolve()}"] if path.suffix in (".yaml", ".yml") else []
    _crawl(path.stem if extra else definition, save_fixtures, verbose, [*extra, *(setting or [])])


def _crawl(source: str, save_fixtures: Path | None, verbose: bool, setting: list[str] | None,
           since: date | None = None) -> None:
    from cli.demo import exit_if_demo_stored
    from crawlers import run

    exit_if_demo_stored("Hämtningen")
    try:
        overrides = run.parse_overrides(setting or [])
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint="--setting") from err
    if verbose:
        overrides["LOG_LEVEL"] = "INFO"
    if save_fixtures is not None:
        overrides["ANBUDSVAKT_SAVE_FIXTURES"] = str(save_fixtures.resolve())
    try:
        result = run.run_crawl(source, since=since, overrides=overrides)
    except (KeyError, ValueError) as err:  # unknown source, a definition that cannot be used
        typer.echo(f"crawl {source}: {' '.join(str(err).split())}", err=True)
        raise typer.Exit(2) from err
    raise typer.Exit(run.report(result))
