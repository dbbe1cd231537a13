"""``anbudsvakt parse FILE``: print a notice (eForms or TED R2.0.9 XML) as the normalised Tender JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer


def parse_command(
    file: Annotated[Path, typer.Argument(help="Kungörelse som XML (eForms eller TED R2.0.9); '-' läser stdin.")],
    max_mb: Annotated[float, typer.Option(help="Största tillåtna dokument i MB.")] = 10.0,
) -> None:
    """Tolka en kungörelse och skriv ut den normaliserade Tender-modellen som JSON."""
    from tenders.parse import NoticeParseError, parse_notice

    try:
        data = typer.get_binary_stream("stdin").read() if str(file) == "-" else file.read_bytes()
    except OSError as err:
        typer.echo(f"fel: kan inte läsa {file}: {err.strerror or err}", err=True)
        raise typer.Exit(1) from None
    try:
        tender = parse_notice(data, max_bytes=int(max_mb * 1024 * 1024))
    except NoticeParseError as err:
        typer.echo(f"fel: {err}", err=True)
        raise typer.Exit(1) from None
    typer.echo(json.dumps(tender.model_dump(mode="json"), indent=2, ensure_ascii=False))


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    app.command("parse")(parse_command)
