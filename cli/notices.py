"""Commands for notices: ``load`` XML files into the store and index, ``search`` the index, ``reindex`` it.

``load --examples`` loads the example notices bundled with the repository, found relative to this package in
a source checkout (they are not shipped as package data): the official eForms examples (tests/fixtures/eforms)
and two real Swedish TED notices in the R2.0.9 schema (tests/fixtures/ted/r209). Their eForms conversions in
tests/fixtures/ted/eforms-converted are left out: the converter kept the placeholder notice id of the SDK
example pin-only_24 (f252f386-…), so all three share one (notice id, version) and would overwrite each other.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from tenders.index.base import SearchQuery, SearchResult, TenderIndex
    from tenders.store import TenderStore

REPO_ROOT = Path(__file__).resolve().parents[1]
FIXTURES = REPO_ROOT / "tests" / "fixtures"
EXAMPLE_DIRS = (FIXTURES / "eforms", FIXTURES / "ted" / "r209")
REINDEX_BATCH = 500


def example_files() -> list[Path]:
    files = sorted(path for folder in EXAMPLE_DIRS for path in folder.glob("*.xml"))
    if not files:
        raise typer.BadParameter(f"no example notices in {EXAMPLE_DIRS[0]} (run from a source checkout)")
    return files


def _open() -> tuple[TenderStore, TenderIndex]:
    from tenders.index import open_index
    from tenders.settings import get_settings
    from tenders.store import TenderStore

    settings = get_settings()
    return TenderStore.from_settings(settings), open_index(settings)


def _load_one(path: Path, source: str, store: TenderStore, index: TenderIndex) -> str:
    """The outcome ('inserted', 'unchanged', 'updated') or raises ValueError/OSError with a one-line reason."""
    from app.ingest import ingest
    from nlp.annotate import annotate
    from tenders.parse import parse_notice

    raw = path.read_bytes()
    try:
        tender = annotate(parse_notice(raw, source=source, retrieved_at=datetime.now(UTC)))
    except ValueError:
        raise
    except Exception as error:  # a parser bug must not stop the other files; say what it was
        raise ValueError(f"unexpected {type(error).__name__}: {error}") from error
    return ingest(tender, raw, store, index).value


def load_files(files: list[Path], source: str, console: Console) -> Counter[str]:
    from rich.progress import track

    counts: Counter[str] = Counter()
    store, index = _open()
    try:
        for path in track(files, description="Läser in", console=console, transient=True):
            try:
                counts[_load_one(path, source, store, index)] += 1
            except (ValueError, OSError) as error:
                counts["failed"] += 1
                reason = str(error).splitlines()[0] if str(error) else type(error).__name__
                console.print(f"[red]misslyckades[/red] {path}: {reason}", highlight=False, soft_wrap=True)
    finally:
        index.close()
        store.close()
    return counts


def load(
    files: Annotated[list[Path] | None, typer.Argument(help="eForms or TED R2.0.9 XML files")] = None,
    examples: Annotated[bool, typer.Option("--examples", help="Load the repository's example notices")] = False,
    source: Annotated[str, typer.Option(help="Source name stored with each notice")] = "file",
) -> None:
    """Parse notice XML files and store and index them (idempotent: loading twice changes nothing)."""
    from rich.console import Console

    console = Console()
    paths = [*(files or []), *(example_files() if examples else [])]
    if not paths:
        raise typer.BadParameter("give notice files or --examples")
    counts = load_files(paths, source, console)
    console.print(
        f"inserted {counts['inserted']}, unchanged {counts['unchanged']}, "
        f"updated {counts['updated']}, failed {counts['failed']}"
    )
    if counts["failed"]:
        raise typer.Exit(code=1)


def reindex() -> None:
    """Rebuild the search index from the store (the store is the truth)."""
    from rich.console import Console
    from rich.progress import Progress

    from tenders.index.documents import to_index_document

    store, index = _open()
    try:
        total = store.count_tenders()
        index.clear()
        with Progress(console=Console(stderr=True)) as progress:
            task = progress.add_task("Indexerar", total=total)
            batch = []
            for tender in store.iter_tenders(batch_size=REINDEX_BATCH):
                batch.append(to_index_document(tender))
                if len(batch) >= REINDEX_BATCH:
                    progress.advance(task, index.index(batch))
                    batch = []
            progress.advance(task, index.index(batch))
        optimize = getattr(index, "optimize", None)
        if callable(optimize):
            optimize()
        typer.echo(f"indexed {index.count()} tenders")
    finally:
        index.close()
        store.close()


def run_search(query: SearchQuery) -> SearchResult:
    from tenders.index import open_index
    from tenders.settings import get_settings

    index = open_index(get_settings())
    try:
        return index.search(query)
    finally:
        index.close()


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    from cli.notices_search import search

    app.command()(load)
    app.command()(search)
    app.command()(reindex)
