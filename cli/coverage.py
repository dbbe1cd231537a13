"""``anbudsvakt sources coverage``: the coverage ledger — the store against Upphandlingsmyndigheten's statistics."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from tenders.stats.coverage import CoverageLedger


class OutputFormat(StrEnum):
    JSON = "json"
    TABLE = "table"


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    sources_app = typer.Typer(help="Källorna som helhet: täcker lagret allt som annonserats?", no_args_is_help=True)
    sources_app.command("coverage")(coverage)
    app.add_typer(sources_app, name="sources")


def coverage(
    uhm_dir: Annotated[
        Path, typer.Option("--uhm-dir", help="Katalog med UHM-exporten procurements (.csv eller .csv.gz).")
    ],
    year: Annotated[int | None, typer.Option("--year", help="Statistikår; utan: senaste året i exporten.")] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format", help="json eller table.")] = OutputFormat.TABLE,
    buyers: Annotated[
        Path | None,
        typer.Option("--buyers", help="CSV med köpare (kolumnerna name,orgnr); utan: Dalarnas köpare."),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=0, help="Antal saknade upphandlingar i tabellen (JSON har alla).")]
    = 30,
) -> None:
    """Jämför lagret med Upphandlingsmyndighetens statistik: förväntat, hittat och andel per annonsdatabas."""
    from tenders.codelists import dalarna_buyers
    from tenders.settings import get_settings
    from tenders.stats.coverage import read_buyers, store_coverage
    from tenders.stats.uhm import UhmExportError
    from tenders.store import TenderStore

    if not uhm_dir.is_dir():
        _fail(f"UHM-katalogen finns inte: {uhm_dir}")
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = TenderStore.from_settings(settings)
    try:
        wanted = read_buyers(buyers) if buyers else dalarna_buyers()
        ledger = store_coverage(uhm_dir, store, wanted, str(year) if year else None)
    except (UhmExportError, OSError, ValueError) as error:
        _fail(str(error))
    finally:
        store.close()
    if output_format is OutputFormat.JSON:
        typer.echo(json.dumps(ledger.as_json(), ensure_ascii=False, indent=2))
    else:
        _print_table(ledger, top)


def _fail(message: str) -> None:
    typer.echo(f"Fel: {' '.join(message.split())}", err=True)
    raise typer.Exit(2)


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %".replace(".", ",")


def _print_table(ledger: CoverageLedger, top: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Täckning {ledger.year or ''}: lagret mot Upphandlingsmyndighetens statistik".strip())
    for column, justify in (("Annonsdatabas", "left"), ("Förväntat", "right"), ("Hittat", "right"),
                            ("Andel", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for name, tally in ledger.by_database.items():
        table.add_row(name, str(tally.expected), str(tally.found), _share(tally.share))
    overall = ledger.overall
    table.add_row("Totalt", str(overall.expected), str(overall.found), _share(overall.share), style="bold")
    console = Console(width=160)
    console.print(table)
    if ledger.missing and top:
        missing = Table(title=f"Saknas i lagret ({len(ledger.missing)}, de första {min(top, len(ledger.missing))})")
        for column in ("ID", "Annonsdatabas", "Köpare", "Titel"):
            missing.add_column(column, overflow="fold")
        for item in ledger.missing[:top]:
            missing.add_row(item.id, item.database, item.buyer, item.title)
        console.print(missing)
