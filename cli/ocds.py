"""``anbudsvakt export ocds``: an OCDS 1.1 release package of the stored notices, for Kingfisher, ocdskit, Cove
and the other OCDS tools (one day, one year or everything)."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["export"].command("ocds")(export_ocds)


def publication_period(day: str | None, year: int | None, everything: bool) -> tuple[date | None, date | None]:
    """The first and last publication date to export; exactly one of the three choices must be given."""
    if sum((day is not None, year is not None, everything)) != 1:
        raise typer.BadParameter("ange precis ett av --day, --year och --all")
    if day is not None:
        try:
            first = datetime.strptime(day, "%Y-%m-%d").date()
        except ValueError as error:
            raise typer.BadParameter(f"--day ska vara ett datum ÅÅÅÅ-MM-DD, inte {day!r}") from error
        return first, first
    if year is not None:
        return date(year, 1, 1), date(year, 12, 31)
    return None, None


def export_ocds(
    day: Annotated[str | None, typer.Option("--day", help="Kungörelser publicerade denna dag (ÅÅÅÅ-MM-DD)")] = None,
    year: Annotated[int | None, typer.Option("--year", help="Kungörelser publicerade detta år")] = None,
    everything: Annotated[bool, typer.Option("--all", help="Alla lagrade kungörelser")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Fil att skriva (annars standard ut)")] = None,
) -> None:
    """Skriv ett OCDS-paket (release package) med en release per lagrad kungörelseversion."""
    from tenders.ocds import iter_releases, stream_release_package
    from tenders.settings import get_settings
    from tenders.store import TenderStore

    first, last = publication_period(day, year, everything)
    settings = get_settings()
    scope = day or (str(year) if year is not None else "all")
    uri = f"{settings.base_url.rstrip('/')}/api/ocds/packages/{scope}"
    store = TenderStore.from_settings(settings)
    try:
        pieces = stream_release_package(iter_releases(store, settings.ocds_prefix, first, last), uri)
        if output is None:
            sys.stdout.writelines(pieces)
        else:
            with output.open("w", encoding="utf-8") as file:
                file.writelines(pieces)
    finally:
        store.close()
