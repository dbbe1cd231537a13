"""``anbudsvakt crawl uhm [--year YEAR]``: a year of Upphandlingsmyndigheten's statistics into data/uhm/<year>/."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from cli.sources import SaveFixturesOption, SettingOption, VerboseOption, _crawl


def crawl_uhm(
    year: Annotated[
        int | None,
        typer.Option("--year", min=2000, help="Statistikår. Utan: förra året (det senaste hela året)."),
    ] = None,
    save_fixtures: SaveFixturesOption = None,
    verbose: VerboseOption = False,
    setting: SettingOption = None,
) -> None:
    """Hämta ett års statistik (upphandlingar, anbud per anbudsområde, kontrakterat värde, leverantörer) från
    Upphandlingsmyndighetens statistiktjänst till datakatalogen (uhm/<år>/), för 'anbudsvakt stats participation'."""
    chosen = year or datetime.now(UTC).year - 1
    if chosen > datetime.now(UTC).year:
        raise typer.BadParameter(f"{chosen} har inte börjat än", param_hint="--year")
    _crawl("uhm", save_fixtures, verbose, [f"UHM_YEAR={chosen}", *(setting or [])])
