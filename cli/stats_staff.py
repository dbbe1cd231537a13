"""``anbudsvakt stats dashboard`` and ``anbudsvakt stats reach``: the staff pages' figures on the command line.

Both call the functions the pages call (``tenders.stats.dashboard``, ``app.staff_reach``) and print the same
tables with the same Swedish number format, so a figure in a terminal is the figure on /personal. The imports
of the store and the statistics sit inside the commands: ``anbudsvakt --help`` must start fast (cli/main.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from app.staff_reach import Reach
    from tenders.stats.tables import Table


class OutputFormat(StrEnum):
    JSON = "json"
    TABLE = "table"


# What each filter accepts, said in Swedish when a value is refused (pydantic's own messages are English).
FILTER_RULES = {
    "year": "--year är ett år med fyra siffror, t.ex. 2024",
    "municipality": "--municipality är en kommunkod med fyra siffror (t.ex. 2080) eller regional",
    "buyer": "--buyer är ett organisationsnummer (högst 220 tecken)",
    "cpv": "--cpv är en CPV-huvudgrupp med två siffror, t.ex. 45",
}
FormatOption = Annotated[OutputFormat, typer.Option("--format", help="table (som sidan) eller json (för program).")]


def register(groups: dict[str, typer.Typer]) -> None:
    groups["stats"].command("dashboard")(dashboard)
    groups["stats"].command("reach")(reach)


def dashboard(
    year: Annotated[str, typer.Option("--year", help="Bara detta år, t.ex. 2024.")] = "",
    municipality: Annotated[str, typer.Option("--municipality", help="Kommunkod (t.ex. 2080) eller regional.")] = "",
    buyer: Annotated[str, typer.Option("--buyer", help="Beställarens organisationsnummer.")] = "",
    cpv: Annotated[str, typer.Option("--cpv", help="CPV-huvudgrupp, två siffror (t.ex. 45).")] = "",
    table: Annotated[str, typer.Option("--table", help="Bara denna tabell (t.ex. kommuner, cpv, over-tid).")] = "",
    output_format: FormatOption = OutputFormat.TABLE,
) -> None:
    """Deltagande i Dalarna jämfört med Sverige: samma tabeller som personalsidan Deltagande (/personal/statistik)."""
    from pydantic import ValidationError

    from tenders.settings import get_settings
    from tenders.stats.dalarna import DashboardFilters, load_procurements
    from tenders.stats.dashboard import build_dashboard, filters_text
    from tenders.stats.sweden import SwedenData
    from tenders.store import TenderStore

    try:
        filters = DashboardFilters(year=year, municipality=municipality, buyer=buyer, cpv=cpv)
    except ValidationError as error:
        _fail("ogiltigt urval: " + "; ".join(FILTER_RULES[str(e["loc"][0])] for e in error.errors()))
    settings = get_settings()
    store = TenderStore.from_settings(settings)
    try:
        built = build_dashboard(load_procurements(store), SwedenData.open(settings), filters)
    finally:
        store.close()
    tables = [t for t in built.tables if not table or t.key == table]
    if not tables:
        _fail(f"tabellen {table} finns inte; välj bland {', '.join(t.key for t in built.tables)}")
    if output_format is OutputFormat.JSON:
        typer.echo(json.dumps({"urval": filters_text(filters, built.options), "uhm_fel": built.sweden_error,
                               "tabeller": [table_json(t) for t in tables]}, ensure_ascii=False, indent=2))
        return
    typer.echo(f"Urval: {filters_text(filters, built.options)}")
    if built.sweden_error:
        typer.echo(f"Sverige saknas: {built.sweden_error}")
    print_tables(tables)


def reach(output_format: FormatOption = OutputFormat.TABLE) -> None:
    """Tjänstens räckvidd: utskick, nådda företag, återkoppling, annonser utan matchande företag (personalsidan)."""
    from app.staff_reach import NO_FEEDBACK, NOTHING_SENT, reach_report
    from profiles.repository import ProfileRepository
    from tenders.settings import get_settings
    from tenders.store import TenderStore

    settings = get_settings()
    store = TenderStore.from_settings(settings)
    try:
        report = reach_report(store, ProfileRepository(store.engine, settings.secret_key.get_secret_value()),
                              datetime.now(UTC))
    finally:
        store.close()
    if output_format is OutputFormat.JSON:
        typer.echo(json.dumps(reach_json(report), ensure_ascii=False, indent=2))
        return
    for label, value in key_figures(report):
        typer.echo(f"{label}: {value}")
    for empty, why in ((report.outbox.empty, NOTHING_SENT), (report.feedback.empty, NO_FEEDBACK)):
        if empty:
            typer.echo(why)
    print_tables([report.weeks, report.municipalities, report.sectors])


def key_figures(report: Reach) -> list[tuple[str, str]]:
    """The page's key figures with its labels, in the page's number format."""
    from tenders.stats.tables import display

    outbox, feedback = report.outbox, report.feedback
    figures = [("Registrerade företag", report.registered_companies),
               ("Skickade sammanställningar", outbox.digests_sent),
               ("Misslyckade sammanställningar", outbox.digests_failed),
               ("Företag som fått utskick", outbox.companies_reached),
               ("Annonser i utskicken", outbox.notices_alerted),
               ("Meddelanden om följda upphandlingar", outbox.follow_messages_sent),
               ("Väntar på utskick", outbox.waiting), ("Okänt utfall, att granska", outbox.in_review),
               ("Markerade ”Inte relevant”", feedback.not_relevant), ("Markerade ”Relevant”", feedback.relevant),
               ("Företag som gett återkoppling", feedback.companies_with_verdicts),
               ("Följda upphandlingar", feedback.follows),
               ("Företag som följer upphandlingar", feedback.companies_following)]
    return [(label, display(value, "int")) for label, value in figures]


def reach_json(report: Reach) -> dict[str, Any]:
    outbox, feedback = report.outbox, report.feedback
    return {
        "registrerade_foretag": report.registered_companies,
        "utskick": {key: getattr(outbox, key) for key in (
            "digests_sent", "digests_failed", "follow_messages_sent", "companies_reached", "notices_alerted",
            "waiting", "in_review")},
        "aterkoppling": {key: getattr(feedback, key) for key in (
            "not_relevant", "relevant", "companies_with_verdicts", "follows", "companies_following")},
        "tabeller": [table_json(t) for t in (report.weeks, report.municipalities, report.sectors)],
    }


def table_json(table: Table) -> dict[str, Any]:
    return {"nyckel": table.key, "rubrik": table.title, "kolumner": [c.header for c in table.columns],
            "kolumnslag": [c.kind for c in table.columns],  # text, int, decimal, share (0–1) or sek
            "rader": [[row.get(c.key) for c in table.columns] for row in table.rows]}


def print_tables(tables: Iterable[Table]) -> None:
    from rich.console import Console
    from rich.table import Table as RichTable

    from tenders.stats.tables import display

    # A pipe or file gets a wide console: rich's 80-column default would fold every name.
    console = Console() if Console().is_terminal else Console(width=200)
    for table in tables:
        shown = RichTable(title=table.title, caption=table.note or None)
        for column in table.columns:
            # A text column is at least as wide as its longest word, so rich wraps names between words.
            words = [w for row in table.rows for w in str(row.get(column.key) or "").split()]
            shown.add_column(column.header, justify="left" if column.kind == "text" else "right", overflow="fold",
                             min_width=min(40, max(map(len, words), default=0)) or None)
        for row in table.rows:
            shown.add_row(*(display(row.get(c.key), c.kind) for c in table.columns))
        if table.rows:
            console.print(shown)
        else:
            console.print(f"[bold]{table.title}[/bold]\n{table.empty}\n")


def _fail(message: str) -> None:
    typer.echo(f"Fel: {message}", err=True)
    raise typer.Exit(code=1)
