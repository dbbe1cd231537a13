"""``anbudsvakt match`` (alerts for profiles × notices, as JSON lines) and ``anbudsvakt eval matcher``."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from pydantic import BaseModel, ValidationError

Line = TypeVar("Line", bound=BaseModel)


def read_lines(path: Path, model: type[Line], what: str) -> Iterator[Line]:
    """Valid lines as models; a malformed line gets one stderr line (in Swedish) and is skipped."""
    with path.open(encoding="utf-8") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                yield model.model_validate(json.loads(text))
            except (json.JSONDecodeError, ValidationError, TypeError) as error:
                reason = str(error).splitlines()[0] if not isinstance(error, ValidationError) else \
                    "; ".join(f"{'.'.join(map(str, e['loc'])) or 'raden'}: {e['msg']}" for e in error.errors())
                print(f"{path}:{number}: hoppade över {what}: {reason}", file=sys.stderr)


def match_command(
    profiles: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="Profiler, en JSON per rad.")],
    notices: Annotated[Path, typer.Option(exists=True, dir_okay=False, help="Annonser, en JSON per rad.")],
) -> None:
    """Skriv en JSON-rad per avisering som matchningen skulle skicka (samma matchning som sammanställningarna)."""
    from matcher.backends import open_matcher
    from matcher.match import MatchNotice, MatchProfile
    from matcher.sni_tables import SniTables
    from tenders.settings import get_settings

    matcher = open_matcher(get_settings(), list(read_lines(profiles, MatchProfile, "profilraden")), SniTables.load())
    write = sys.stdout.write
    for notice in read_lines(notices, MatchNotice, "annonsraden"):
        for match in matcher.match_many([notice])[0]:
            write(json.dumps(match.as_json(), ensure_ascii=False) + "\n")


def eval_matcher_command(
    data: Annotated[Path, typer.Option(help="Katalog med UHM 2021-filerna.")] = Path("datasets/uhm-2021"),
    folds: Annotated[int, typer.Option(min=2, help="Antal köpargrupper (hålls ut en i taget).")] = 5,
    threshold: Annotated[float | None, typer.Option(help="Tröskel; standard är den kalibrerade.")] = None,
    show_curve: Annotated[bool, typer.Option("--curve", help="Visa träffsäkerhet mot aviseringsgrad.")] = False,
    out: Annotated[Path | None, typer.Option(help="Skriv resultatet som JSON.")] = None,
) -> None:
    """Andel vinnare som aviseras (winner recall) och aviseringsgrad för profiler med bara SNI-kod och storlek,
    utvärderat per köpare och leverantör (tabellerna byggs utan provgruppens köpare och leverantörer)."""
    from matcher.match.evaluate import evaluate

    grid = [round(0.6 + 0.2 * i, 1) for i in range(8)] if show_curve else []
    report = evaluate(data, folds, threshold, grid)
    typer.echo(f"{report.folds} provgrupper, hållna ute per köpare och leverantör: {report.notices} annonser, "
               f"{report.profiles} profiler, {report.pairs} par (upphandling, vinnare)")
    typer.echo(f"matchning (tröskel {report.threshold:.2f}): winner recall {report.matcher.recall:.3f}, "
               f"aviseringsgrad {report.matcher.alert_rate:.3f}")
    typer.echo(f"baslinje (CPV-huvudgrupper, 70 % av SNI-avdelningen): winner recall {report.baseline.recall:.3f}, "
               f"aviseringsgrad {report.baseline.alert_rate:.3f}")
    for point, outcome in report.curve:
        typer.echo(f"  tröskel {point:.1f}: winner recall {outcome.recall:.3f}, "
                   f"aviseringsgrad {outcome.alert_rate:.3f}")
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(dataclasses.asdict(report), indent=2) + "\n", encoding="utf-8")


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    command: Callable[..., None] = match_command
    app.command("match")(command)
    groups["eval"].command("matcher")(eval_matcher_command)
