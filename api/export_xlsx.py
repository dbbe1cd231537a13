"""A search as an Excel file (XLSX): the CSV export's columns and Swedish headers, with real numbers and dates.

Times are Swedish local time (Europe/Stockholm), written without a zone because Excel has none: a deadline of
12:00 UTC in June reads 14:00, as on the notice's page.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from api.export import CSV_COLUMNS
from api.labels import FORM_TYPE_LABELS
from tenders.formatting import local_wall_clock
from tenders.index.base import IndexDocument

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMATS = {"deadline": "yyyy-mm-dd hh:mm", "published": "yyyy-mm-dd", "value_sek": "# ##0"}
_WIDTHS = {"title": 60, "buyer_names": 35, "deadline": 17, "published": 12, "source_url": 40}


def _value(document: IndexDocument, key: str) -> Any:
    value = getattr(document, key)
    if key == "form_type":
        return FORM_TYPE_LABELS.get(value or "", value)
    if key == "deadline" and value is not None:
        return local_wall_clock(value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return value


def _cell(sheet: Worksheet, key: str, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl stores a string starting with "=" as a formula, which Excel would run: keep it text.
        cell.data_type = "s"
    if key in _FORMATS and value is not None:
        cell.number_format = _FORMATS[key]
    return cell


def search_xlsx(documents: Iterable[IndexDocument]) -> bytes:
    """One sheet "Upphandlingar": a bold header row, then one row per tender."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Upphandlingar")
    for index, (key, _) in enumerate(CSV_COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = _WIDTHS.get(key, 16)
    sheet.freeze_panes = "A2"
    header = []
    for _, title in CSV_COLUMNS:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for document in documents:
        sheet.append([_cell(sheet, key, _value(document, key)) for key, _ in CSV_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
