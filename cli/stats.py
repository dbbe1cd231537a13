"""``anbudsvakt stats participation``: SME participation figures from Upphandlingsmyndigheten's exports."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from cli import stats_staff

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from tenders.stats.participation import ParticipationFigures, ParticipationReport


class OutputFormat(StrEnum):
    JSON = "json"
    TABLE = "table"


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["stats"].command("participation")(participation)
    stats_staff.register(groups)  # the staff pages' dashboard and reach figures


def participation(
    uhm_dir: Annotated[
        Path,
        typer.Option(
            "--uhm-dir",
            help="Katalog med UHM-exporterna procurements, tenders_per_lot, contracted_value och "
            "contracted_suppliers (.csv eller .csv.gz).",
        ),
    ],
    output_format: Annotated[OutputFormat, typer.Option("--format", help="json eller table.")] = OutputFormat.TABLE,
    year: Annotated[int | None, typer.Option("--year", help="Bara detta år (kolumnen År).")] = None,
    buyers: Annotated[
        list[str] | None, typer.Option("--buyer", help="Bara denna köpare (org.nr); kan upprepas.")
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, help="Antal köpare i tabellen (JSON har alla).")] = 20,
) -> None:
    """Anbud per anbudsområde, andel områden med ett enda anbud, SME-andel av kontrakten och kontrakterat värde."""
    from tenders.stats import UhmExportError, participation_report

    if not uhm_dir.is_dir():
        _fail(f"UHM-katalogen finns inte: {uhm_dir}")
    try:
        report = participation_report(uhm_dir, year=year, buyer_orgnrs=buyers or None)
    except UhmExportError as error:
        _fail(str(error))
    if output_format is OutputFormat.JSON:
        typer.echo(report.model_dump_json(indent=2))
    else:
        _print_tables(report, top)


def _fail(message: str) -> None:
    typer.echo(f"Fel: {message}", err=True)
    raise typer.Exit(code=1)


# (JSON key, Swedish column heading, formatter) for the figures every table shows.
_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("procurements", "Upphandlingar", "int"),
    ("lots", "Anbudsområden", "int"),
    ("avg_tenders_per_lot", "Anbud per område", "dec"),
    ("single_tender_lot_share", "Andel med ett anbud", "pct"),
    ("sme_share_of_contracts", "SME-andel av kontrakt", "pct"),
    ("contracted_value_sek", "Kontrakterat värde (kr)", "int"),
)


# The overall table's rows in Swedish (the JSON output keeps the keys, for programs).
MEASURE_NAMES = {
    "procurements": "Upphandlingar", "lots": "Anbudsområden", "tenders": "Anbud",
    "avg_tenders_per_lot": "Anbud per anbudsområde (medel)",
    "avg_tenders_per_procurement": "Anbud per upphandling (medel)",
    "single_tender_lots": "Anbudsområden med ett enda anbud", "single_tender_lot_share": "Andel med ett enda anbud",
    "contracted_tenders": "Kontrakterade anbud", "contracted_tenders_known_size": "… med känd företagsstorlek",
    "sme_contracted_tenders": "… vunna av små och medelstora företag",
    "sme_share_of_contracts": "SME-andel av kontrakten", "contracted_tenders_by_size": "Kontrakt per företagsstorlek",
    "contracted_value_sek": "Kontrakterat värde (kr)", "procurements_with_value": "Upphandlingar med känt värde",
}
SIZE_NAMES = {"micro": "mikro", "small": "små", "medium": "medelstora", "large": "stora", "unknown": "okänd storlek"}


def format_figure(value: object, kind: str) -> str:
    """Swedish number formatting: space between thousands, decimal comma; '–' when there is no figure."""
    if value is None:
        return "–"
    if not isinstance(value, int | float):
        return str(value)
    if kind == "pct":
        text = f"{value * 100:,.1f} %"
    elif kind == "dec":
        text = f"{value:,.2f}"
    else:
        text = f"{value:,.0f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def _print_tables(report: ParticipationReport, top: int) -> None:
    from rich.console import Console

    # A pipe or file gets a wide console: rich's 80-column default would fold every buyer name.
    console = Console() if Console().is_terminal else Console(width=180)
    console.print(_overall_table(report.overall))
    console.print(_breakdown_table("Per CPV-huvudgrupp", ("CPV", "Huvudgrupp"), [
        ((d.division, d.label), d) for d in report.by_cpv_division
    ]))
    shown = report.by_buyer[:top]
    title = f"Per köpare (de {len(shown)} med flest upphandlingar av {len(report.by_buyer)})"
    console.print(_breakdown_table(title, ("Org.nr", "Köpare"), [((b.orgnr, b.name), b) for b in shown]))
    _print_inputs(console, report)


def _overall_table(figures: ParticipationFigures) -> Table:
    from rich.table import Table

    table = Table(title="Totalt")
    table.add_column("Mått")
    table.add_column("Värde", justify="right")
    for key, value in figures.model_dump().items():
        if isinstance(value, dict):
            value = ", ".join(f"{SIZE_NAMES.get(size, size)} {count}" for size, count in value.items())
        table.add_row(MEASURE_NAMES.get(key, key), format_figure(value, _kind(key)))
    return table


def _kind(key: str) -> str:
    """How to show a figure, from its JSON key: shares as percent, averages with decimals, the rest whole."""
    if key.endswith("_share") or key.startswith("sme_share"):
        return "pct"
    return "dec" if key.startswith("avg_") else "int"


def _breakdown_table(
    title: str, headings: tuple[str, str], rows: Sequence[tuple[tuple[str, str], ParticipationFigures]]
) -> Table:
    from rich.table import Table

    table = Table(title=title)
    for heading in headings:
        table.add_column(heading, overflow="fold")
    for _, heading, _kind in _COLUMNS:
        table.add_column(heading, justify="right")
    for labels, figures in rows:
        table.add_row(*labels, *(format_figure(getattr(figures, key), kind) for key, _, kind in _COLUMNS))
    return table


def _print_inputs(console: Console, report: ParticipationReport) -> None:
    for source in report.inputs:
        console.print(
            f"[dim]{source.file}: {source.rows} rader, {source.rows_used} använda, "
            f"{source.duplicate_rows} dubbletter, {source.blank_values} tomma värden[/dim]"
        )
