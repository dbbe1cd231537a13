"""The dashboard's tables: columns with a kind that says how to show and export each value, and rows.

One table feeds the page (with its chart), the CSV and the XLSX export, so the three never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from api.labels import sek
from api.routes.staff.figures import Figures

ColumnKind = Literal["text", "int", "decimal", "share", "sek"]
MISSING = "–"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: ColumnKind = "text"


@dataclass
class Chart:
    """A rendered chart: the SVG as a data URI for an <img>, and its text alternative."""

    data_uri: str
    alt: str


@dataclass
class Table:
    key: str  # also the export file name
    title: str
    caption: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    note: str = ""
    empty: str = "Inga uppgifter för det här urvalet."
    chart: Chart | None = None
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
    """A value as the page shows it, in Swedish number format."""
    if value is None or value == "":
        return MISSING
    if kind == "int":
        return f"{value:,}".replace(",", "\u00a0")
    if kind == "decimal":
        return decimal_sv(value)
    if kind == "share":
        return decimal_sv(value * 100, 1) + "\u00a0%"
    if kind == "sek":
        return sek(value)
    return str(value)
