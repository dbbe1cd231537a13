"""CSV export of search results, shaped for Swedish spreadsheets."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from api.labels import FORM_TYPE_LABELS
from tenders.formatting import local_wall_clock
from tenders.index.base import IndexDocument

# Semicolons: Swedish Excel uses the comma as decimal separator and opens comma-separated files as one column.
CSV_DELIMITER = ";"
CSV_COLUMNS = (
    ("tender_id", "Upphandlings-ID"),
    ("title", "Rubrik"),
    ("buyer_names", "Beställare"),
    ("buyer_orgnrs", "Organisationsnummer"),
    ("form_type", "Typ av annons"),
    ("cpv_codes", "CPV-koder"),
    ("municipalities", "Kommunkoder"),
    ("nuts", "NUTS"),
    ("value_sek", "Uppskattat värde (kr)"),
    ("deadline", "Sista anbudsdag"),
    ("published", "Publicerad"),
    ("sme_suitable", "Lämplig för SMF"),
    ("lots", "Delområden"),
    ("source_url", "Källa"),
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:.0f}"
    text = str(value)
    # A cell starting like a formula would run in the reader's spreadsheet (CSV injection): make it text.
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _row(document: IndexDocument) -> list[str]:
    values = document.model_dump()
    values["form_type"] = FORM_TYPE_LABELS.get(document.form_type or "", document.form_type)
    # Swedish time, as on the pages: a deadline of 12:00 reads 12:00, not 11:00 (UTC)
    values["deadline"] = f"{local_wall_clock(document.deadline):%Y-%m-%d %H:%M}" if document.deadline else None
    values["published"] = document.published.isoformat() if document.published else None
    return [csv_cell(values[key]) for key, _ in CSV_COLUMNS]


def csv_lines(documents: Iterable[IndexDocument]) -> Iterator[str]:
    """The file as text chunks, header first, so a large export streams instead of filling memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([title for _, title in CSV_COLUMNS])
    yield "\ufeff" + buffer.getvalue()  # the BOM makes Excel read UTF-8 (å, ä, ö) correctly
    for document in documents:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(_row(document))
        yield buffer.getvalue()
