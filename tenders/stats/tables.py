"""Statistics as tables: columns with a kind that says how to show and export each value, rows, and what to chart.

One table feeds the staff page (with its chart), its CSV and XLSX exports and ``anbudsvakt stats``, so none of
them computes a figure of its own and they cannot disagree. A chart is described here (:class:`ChartSpec`) and
drawn by the page (``api/routes/staff/charts.py``): what to plot is a statistics decision, how to draw it is not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from tenders import formatting
from tenders.stats.figures import Figures

ColumnKind = Literal["text", "int", "decimal", "share", "sek"]
MISSING = "–"
Series = Sequence[tuple[str, Sequence[float | None]]]


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: ColumnKind = "text"


@dataclass(frozen=True)
class ChartSpec:
    """What a chart shows: one value per label for each named series; shares (0–1) when ``percent``."""

    kind: Literal["bar", "line"]
    title: str
    labels: Sequence[str]
    series: Series
    percent: bool = True
    horizontal: bool = False


@dataclass
class Table:
    key: str  # also the export file name
    title: str
    caption: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    note: str = ""
    empty: str = "Inga uppgifter för det här urvalet."
    chart: ChartSpec | None = None
    highlight: set[str] = field(default_factory=set)  # values of the first column to mark as chosen


MEASURE_COLUMNS = [
    Column("procurements", "Upphandlingar", "int"),
    Column("lots", "Delområden", "int"),
    Column("avg_tenders_per_procurement", "Anbud per upphandling", "decimal"),
    Column("avg_tenders_per_lot", "Anbud per delområde", "decimal"),
    Column("single_tender_lot_share", "Andel delområden med ett anbud", "share"),
    Column("sme_tender_share", "SME-andel av anbuden", "share"),
    Column("sme_winner_share", "SME-andel av vinnarna", "share"),
    Column("lots_per_procurement", "Delområden per upphandling", "decimal"),
    Column("value_sek", "Värde (kr)", "sek"),
]


def measure_row(figures: Figures | None, **identity: Any) -> dict[str, Any]:
    values = figures.model_dump() if figures else {c.key: None for c in MEASURE_COLUMNS}
    return {**identity, **{c.key: values[c.key] for c in MEASURE_COLUMNS}}


def decimal_sv(value: float, places: int = 2) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def display(value: Any, kind: ColumnKind) -> str:
    """A value as people read it (page and command line alike), in Swedish number format."""
    if value is None or value == "":
        return MISSING
    if kind == "int":
        return f"{value:,}".replace(",", "\u00a0")
    if kind == "decimal":
        return decimal_sv(value)
    if kind == "share":
        return decimal_sv(value * 100, 1) + "\u00a0%"
    if kind == "sek":
        return formatting.money(value)
    return str(value)


def bar_chart(title: str, labels: Sequence[str], series: Series, *, percent: bool = True,
              horizontal: bool = False) -> ChartSpec:
    return ChartSpec("bar", title, list(labels), series, percent=percent, horizontal=horizontal)


def line_chart(title: str, labels: Sequence[str], series: Series, *, percent: bool = True) -> ChartSpec:
    return ChartSpec("line", title, list(labels), series, percent=percent)
