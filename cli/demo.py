"""``anbudsvakt load --demo`` and ``load --remove-demo``: the example notices of ``tenders.demo`` into an empty store
and its index, and out again with all that was derived from them; crawls and loads refuse while they are stored."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from tenders.settings import Settings

# A first start must not wait long for TED: after this the crawl is stopped and what it stored is kept.
CRAWL_TIMEOUT_S = 60.0


def load_demo(console: Console) -> Counter[str]:
    """Classify, store and index the example notices; refuses (raises ValueError) when real notices are stored."""
    from rich.progress import Progress

    from app.ingest import Ingestor, RawNotice
    from nlp.annotate import annotate_many
    from tenders.demo import demo_tenders, mixing_problem
    from tenders.index import open_index
    from tenders.settings import get_settings
    from tenders.store import TenderStore

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store, index = TenderStore.from_settings(settings), open_index(settings)
    try:
        if problem := mixing_problem(store, loading_demo=True):
            raise ValueError(problem)
        tenders = demo_tenders()
        # The "raw document" of an example notice is its own JSON: there is no source document to keep.
        notices = [RawNotice(raw=json.dumps(t.model_dump(mode="json"), ensure_ascii=False).encode(),
                             name=t.notice_id, source=t.source, tender=t) for t in tenders]
        with Progress(console=console, transient=True) as progress:
            task = progress.add_task("Läser in exempeldata", total=len(notices))
            report = Ingestor(store, index, classify=annotate_many).ingest(
                notices, progress=lambda n: progress.advance(task, n))
    finally:
        index.close()
        store.close()
    return report.counts


def remove_demo_data() -> str:
    """Remove the example notices from the store and the index, with their alerts, follows and verdicts; what went."""
    from app.demo import remove_demo
    from tenders.index import open_index
    from tenders.settings import get_settings
    from tenders.store import TenderStore

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store, index = TenderStore.from_settings(settings), open_index(settings)
    try:
        return remove_demo(store, index).summary()
    finally:
        index.close()
        store.close()


def exit_if_demo_stored(action: str) -> None:
    """Real notices never mix with example ones: while any example notice is stored, ``action`` ("Hämtningen",
    "Inläsningen") does not run; one line says why and how to remove them (exit status 2)."""
    from cli.db import exit_unless_migrated
    from tenders.demo import mixing_problem
    from tenders.settings import get_settings
    from tenders.store import TenderStore

    settings = get_settings()
    exit_unless_migrated(settings)
    store = TenderStore.from_settings(settings)
    try:
        problem = mixing_problem(store, loading_demo=False)
    finally:
        store.close()
    if problem:
        typer.echo(f"{action} körs inte: {problem}", err=True)
        raise typer.Exit(2)


def summary(counts: Counter[str]) -> str:
    """'nya 300, oförändrade 0, uppdaterade 0, misslyckade 0' for ``load``'s last line."""
    return (
        f"nya {counts['inserted']}, oförändrade {counts['unchanged']}, "
        f"uppdaterade {counts['updated']}, misslyckade {counts['failed']}"
    )


def fill_empty_store(settings: Settings, crawl_timeout_s: float = CRAWL_TIMEOUT_S) -> str | None:
    """On an empty store: a TED crawl of the last 90 days, else the example notices. Says which, or None when the
    store already held notices."""
    from rich.console import Console

    from tenders.store import TenderStore

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = TenderStore.from_settings(settings)
    try:
        if store.count_tenders():
            return None
        reason = _crawl_ted(crawl_timeout_s)
        crawled = store.count_tenders()
    finally:
        store.close()
    if crawled:
        return f"Hämtade {crawled} riktiga annonser från TED (senaste 90 dagarna){reason}."
    counts = load_demo(Console(stderr=True))
    return (f"TED-hämtningen gav inga annonser{reason}; läste in {counts['inserted']} exempelannonser "
            "(Exempeldata från Upphandlingsmyndighetens statistik 2021, märkta på varje sida).")


def _crawl_ted(timeout_s: float) -> str:
    """Run ``anbudsvakt crawl ted`` in its own process (Twisted's reactor runs once per process) with a time limit;
    returns a note for the message ('' when it ran to the end)."""
    since = (datetime.now(UTC).date() - timedelta(days=90)).isoformat()
    command = [sys.executable, "-c", "from cli.main import run; run()", "crawl", "ted", "--since", since]
    try:
        finished = subprocess.run(command, timeout=timeout_s, capture_output=True, text=True, check=False)
    except subprocess.TimeoutExpired:
        return f" (avbröts efter {timeout_s:.0f} s; kör anbudsvakt crawl ted för resten)"
    if finished.returncode:
        last = (finished.stderr.strip().splitlines() or ["okänt fel"])[-1]
        return f" (TED svarade inte: {last[:120]})"
    return ""
