"""``anbudsvakt serve``: the web app and API on uvicorn, on the embedded store and index by default."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from tenders.settings import Settings


def load_examples_if_store_empty(settings: Settings) -> int:
    """Load the bundled example notices when the store holds no tender; returns how many were loaded."""
    from rich.console import Console

    from cli.notices import example_files, load_files
    from tenders.store import TenderStore

    store = TenderStore.from_settings(settings)
    try:
        if store.count_tenders():
            return 0
    finally:
        store.close()
    counts = load_files(example_files(), "example", Console(stderr=True))
    return counts["inserted"] + counts["updated"]


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; 0.0.0.0 in a container")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    load_examples_if_empty: Annotated[
        bool, typer.Option("--load-examples-if-empty", help="Load the bundled example notices into an empty store")
    ] = False,
) -> None:
    """Serve the pages (/) and the API (/api/, docs at /docs) until stopped with Ctrl+C."""
    import uvicorn

    from api.app import create_app
    from tenders.settings import get_settings

    settings = get_settings()
    if load_examples_if_empty:
        loaded = load_examples_if_store_empty(settings)
        if loaded:
            typer.echo(f"Läste in {loaded} exempelannonser i den tomma databasen.", err=True)
    typer.echo(f"Anbudsvakt svarar på http://{host}:{port}/ (API-dokumentation på /docs)", err=True)
    # proxy_headers: behind a reverse proxy on this host, rate limits must see the client's address, not the proxy's.
    uvicorn.run(create_app(settings), host=host, port=port, proxy_headers=True, forwarded_allow_ips="127.0.0.1")


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    app.command()(serve)
