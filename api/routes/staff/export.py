"""CSV and XLSX files of the dashboard's tables, with the same numbers the page shows.

CSV follows the search export (semicolons, BOM, decimal comma, text cells that look like formulas quoted);
shares are written as percent with "(%)" in the header. XLSX keeps numbers as numbers (shares as fractions
formatted as percent) so staff can calculate on them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from api.export import CSV_DELIMITER, csv_cell
from tenders.stats.tables import Column, Table, decimal_sv

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_XLSX_FORMATS = {"int": "#,##0", "decimal": "0.00", "share": "0.0%", "sek": "#,##0"}


def csv_header(column: Column) -> str:
    return f"{column.header} (%)" if column.kind == "share" else column.header


def csv_value(value: Any, column: Column) -> str:
    if value is None:
        return ""
    if column.kind == "share":
        return decimal_sv(value * 100, 1)
    if column.kind == "decimal":
        return decimal_sv(value, 2)
    if column.kind in ("int", "sek"):
        return str(round(value))
    return csv_cell(value)


def table_csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([csv_header(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([csv_value(row.get(c.key), c) for c in table.columns])
    return "\ufeff" + buffer.getvalue()  # the BOM makes Excel read å, ä, ö


def _sheet_title(title: str, taken: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , unique in the workbook.
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")[:31]
    name, n = cleaned, 2
    while name in taken:
        name = f"{cleaned[:28]} {n}"
        n += 1
    taken.add(name)
    return name


def tables_xlsx(tables: Iterable[Table], filters_text: str) -> bytes:
    """One sheet per table; the first row says which filters produced it."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_title(table.title, taken))
        sheet.append([f"{table.caption}. Urval: {filters_text}"])
        sheet.append([c.header for c in table.columns])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_xlsx_value(row.get(c.key), c) for c in table.columns])
        for index, column in enumerate(table.columns, start=1):
            for (cell,) in sheet.iter_rows(min_row=3, min_col=index, max_col=index):
                cell.number_format = _XLSX_FORMATS.get(column.kind, "General")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_value(value: Any, column: Column) -> Any:
    if value is None or column.kind != "text":
        return value
    return csv_cell(value)  # a text that starts like a formula stays text in Excel too
