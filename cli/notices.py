"""Commands for notices: ``load`` XML files into the store and index, ``search`` the index, ``reindex`` it.

``load --examples`` loads the example notices bundled with the repository, found relative to this package in
a source checkout (they are not shipped as package data): the official eForms examples (tests/fixtures/eforms)
and two real Swedish TED notices in the R2.0.9 schema (tests/fixtures/ted/r209). Their eForms conversions in
tests/fixtures/ted/eforms-converted are left out: the converter kept the placeholder notice id of the SDK
example pin-only_24 (f252f386-…), so all three share one (notice id, version) and would overwrite each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.ingest import Ingestor, RawNotice
from cli.notices_search import search

if TYPE_CHECKING:
    from rich.console import Console

    from tenders.index.base import TenderIndex
    from tenders.store import TenderStore

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "tests" / "fixtures"
EXAMPLE_DIRS = (FIXTURES / "eforms", FIXTURES / "ted" / "r209")


def example_files() -> list[Path]:
    files = sorted(path for folder in EXAMPLE_DIRS for path in folder.glob("*.xml"))
    if not files:
        raise typer.BadParameter(f"inga exempelannonser i {EXAMPLE_DIRS[0]} (kör från en utcheckning av källkoden)")
    return files


def _open() -> tuple[TenderStore, TenderIndex]:
    from tenders.index import open_index
    from tenders.settings import get_settings
    from tenders.store import TenderStore

    settings = get_settings()
    return TenderStore.from_settings(settings), open_index(settings)


def _raw_notices(files: list[Path], source: str, unreadable: dict[str, str]) -> Iterator[RawNotice]:
    """The files' bytes, one at a time (a year of notices never sits in memory at once)."""
    for path in files:
        try:
            yield RawNotice(raw=path.read_bytes(), name=str(path), source=source)
        except OSError as error:
            unreadable[str(path)] = error.strerror or str(error)


def load_files(files: list[Path], source: str, console: Console) -> Counter[str]:
    """Parse, classify, store and index the files in batches (app.ingest); each failure is named on one line."""
    from rich.progress import Progress

    from nlp.annotate import annotate_many

    store, index = _open()
    unreadable: dict[str, str] = {}
    try:
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Läser in", total=len(files))
            report = Ingestor(store, index, classify=annotate_many).ingest(
                _raw_notices(files, source, unreadable), progress=lambda n: progress.advance(task, n))
    finally:
        index.close()
        store.close()
    reasons = {**unreadable, **{f.name: f.reason for f in report.failures}}
    order = {str(path): position for position, path in enumerate(files)}
    for name in sorted(reasons, key=lambda name: order.get(name, len(order))):  # index failures name a notice
        console.print(f"[red]misslyckades[/red] {name}: {reasons[name]}", highlight=False, soft_wrap=True)
    counts = report.counts
    counts["failed"] += len(unreadable)
    return counts


def load(
    files: Annotated[list[Path] | None, typer.Argument(help="Annonser som eForms- eller TED R2.0.9-XML")] = None,
    examples: Annotated[bool, typer.Option("--examples", help="Läs in förrådets exempelannonser (XML)")] = False,
    source: Annotated[str, typer.Option(help="Källans namn som sparas med varje annons")] = "file",
    demo: Annotated[
        bool, typer.Option("--demo", help="Läs in exempeldata (UHM 2021, märkt Exempeldata) i en tom databas")
    ] = False,
    remove_demo: Annotated[
        bool, typer.Option("--remove-demo", help="Ta bort exempeldata ur lagret och sökindexet, med aviseringar, "
                           "bevakningar och bedömningar av dem (före riktiga annonser)")
    ] = False,
) -> None:
    """Tolka annonsfiler (XML) och spara och indexera dem (idempotent: två inläsningar ändrar inget)."""
    from rich.console import Console

    from cli.demo import exit_if_demo_stored, load_demo, remove_demo_data, summary

    if remove_demo:
        typer.echo(remove_demo_data())
        return
    console = Console()
    paths = [*(files or []), *(example_files() if examples else [])]
    if not paths and not demo:
        raise typer.BadParameter("ange annonsfiler, --examples, --demo eller --remove-demo")
    if not demo:
        exit_if_demo_stored("Inläsningen")
    try:
        counts = load_demo(console) if demo else load_files(paths, source, console)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--demo") from None
    console.print(summary(counts))
    if counts["failed"]:
        raise typer.Exit(code=1)


def reindex() -> None:
    """Bygg om sökindexet från lagret (lagret är sanningen) bredvid det gamla indexet och byt sedan till det nya.

    Sökningar använder det gamla indexet tills det nya är klart; en upphandling som inte går att indexera nämns
    med sitt skäl och utelämnas, och kommandot avslutas då med status 1."""
    from rich.console import Console
    from rich.progress import Progress

    from tenders.index.rebuild import rebuild_from_store

    store, index = _open()
    try:
        with Progress(console=Console(stderr=True)) as progress:
            task = progress.add_task("Indexerar", total=store.count_tenders())
            report = rebuild_from_store(store, index, advance=lambda n: progress.advance(task, n))
        for tender_id, reason in report.failed:
            typer.echo(f"misslyckades {tender_id}: {reason}", err=True)
        typer.echo(reindex_summary(index.count(), len(report.failed)))
    finally:
        index.close()
        store.close()
    if report.failed:
        raise typer.Exit(code=1)


def reindex_summary(indexed: int, failed: int) -> str:
    """``reindex``'s last line: how many procurements the new index holds and how many were left out."""
    return f"indexerade {indexed} upphandlingar, misslyckade {failed}"


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    app.command()(load)
    app.command()(search)
    app.command()(reindex)
