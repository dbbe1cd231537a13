"""Reading UHM exports: file discovery, gzip/BOM/delimiter handling, odd numbers, one-line errors.

``write_export`` and the column tuples here are also used by the participation and CLI tests to build
small hand-made export directories.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Sequence
from pathlib import Path

import pytest

from tenders.stats import uhm
from tenders.stats.uhm import ExportFile, UhmExportError, cpv_division, find_export, parse_count, parse_number

# The smallest headers the reader accepts, in the exports' own column names (plus a few context columns).
PROCUREMENT_COLUMNS = ("År", "Namn för köpare", "Organisationsnummer för köpare", "CPV-Huvudgrupp",
                       "Huvudsaklig CPV-kod", "Upphandlings-ID", "Upphandlingens titel")
LOT_COLUMNS = (*PROCUREMENT_COLUMNS[:6], "Anbudsområdes-ID", "Antal anbud, Summa")
VALUE_COLUMNS = (*PROCUREMENT_COLUMNS[:6], "Kontrakterat värde, Summa")
SUPPLIER_COLUMNS = (*PROCUREMENT_COLUMNS[:6], "Anbudsområdes-ID", "Namn för leverantör",
                    "Företagsstorlek för leverantör", "Antal kontrakterade anbud*, Summa")


def write_export(
    directory: Path,
    name: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    gz: bool = False,
    bom: bool = False,
    delimiter: str = ",",
) -> Path:
    """Write one export as the agency's tool does: quoted where needed, UTF-8, optionally BOM and gzip."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")
    path = directory / (f"{name}.csv.gz" if gz else f"{name}.csv")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _read(path: Path, *columns: str) -> tuple[ExportFile, list[uhm.ExportRow]]:
    export = ExportFile(path, columns or uhm.COMMON_COLUMNS)
    return export, list(export)


ROW = ("2021", "ALFA KOMMUN", "212000-0001", "45000000 Bygg- och anläggningsarbete",
       "45233140 Vägarbeten", "AV1", "Vägunderhåll")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", 1.0), ("1.0", 1.0), ("", None), ("  ", None), ("1 234", 1234.0), ("1\u00a0234\u202f567", 1234567.0),
     ("12,5", 12.5), ("1,234.5", 1234.5), (" 7 ", 7.0), ("nan", None), ("-", None)],
)
def test_parse_number_reads_the_forms_exports_take(text: str, expected: float | None) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["abc", "1.2.3", "inf", "12 kr"])
def test_parse_number_refuses_what_is_not_a_number(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_parse_count_wants_whole_non_negative_numbers() -> None:
    assert parse_count("3.0") == 3
    assert parse_count("") is None
    for bad in ("2.5", "-1"):
        with pytest.raises(ValueError):
            parse_count(bad)


@pytest.mark.parametrize(
    ("main_cpv", "division"),
    [("45233140 Vägarbeten", "45"), ("00000000 Uppgift saknas", "00"), ("", "00"), ("4523 kort", "00"),
     ("79624000-4 Förmedling av vårdpersonal", "79"), ("Uppgift saknas", "00")],
)
def test_cpv_division_is_the_first_two_digits_or_00(main_cpv: str, division: str) -> None:
    assert cpv_division(main_cpv) == division


def test_plain_file_with_bom_reads_like_gzip_without(tmp_path: Path) -> None:
    plain_dir, gz_dir = tmp_path / "plain", tmp_path / "gz"
    plain_dir.mkdir()
    gz_dir.mkdir()
    write_export(plain_dir, "procurements", PROCUREMENT_COLUMNS, [ROW], bom=True)
    write_export(gz_dir, "procurements", PROCUREMENT_COLUMNS, [ROW], gz=True)
    _, plain_rows = _read(find_export(plain_dir, "procurements"))
    _, gz_rows = _read(find_export(gz_dir, "procurements"))
    assert [r.values for r in plain_rows] == [r.values for r in gz_rows]
    row = plain_rows[0]
    # The BOM must not stick to the first column's name, or "År" would not be found.
    assert (row.year, row.buyer_orgnr, row.cpv_division, row.cpv_division_label) == (
        "2021", "2120000001", "45", "Bygg- och anläggningsarbete")


def test_gzip_is_recognised_by_content_not_name(tmp_path: Path) -> None:
    gz_path = write_export(tmp_path, "procurements", PROCUREMENT_COLUMNS, [ROW], gz=True)
    misnamed = gz_path.rename(tmp_path / "procurements.csv")
    _, rows = _read(misnamed)
    assert rows[0].procurement_id == "AV1"


def test_semicolon_delimited_export_is_read(tmp_path: Path) -> None:
    path = write_export(tmp_path, "procurements", PROCUREMENT_COLUMNS, [ROW], delimiter=";")
    _, rows = _read(path)
    assert rows[0].buyer_name == "ALFA KOMMUN"


def test_missing_file_is_one_line_naming_it(tmp_path: Path) -> None:
    with pytest.raises(UhmExportError) as caught:
        find_export(tmp_path, "tenders_per_lot")
    message = str(caught.value)
    assert "\n" not in message
    assert str(tmp_path / "tenders_per_lot.csv") in message


def test_missing_column_is_named(tmp_path: Path) -> None:
    path = write_export(tmp_path, "procurements", PROCUREMENT_COLUMNS[:5], [ROW[:5]])
    with pytest.raises(UhmExportError, match="Upphandlings-ID"):
        _read(path)


def test_bad_number_names_file_line_and_column(tmp_path: Path) -> None:
    rows = [(*ROW[:6], "L1", "3"), (*ROW[:6], "L2", "tre")]
    path = write_export(tmp_path, "tenders_per_lot", LOT_COLUMNS, rows)
    _, read = _read(path, "Antal anbud, Summa")
    assert read[0].count("Antal anbud, Summa") == 3
    with pytest.raises(UhmExportError) as caught:
        read[1].count("Antal anbud, Summa")
    # Line 3 of the file: the header is line 1, the bad row the second data row.
    assert str(caught.value) == "tenders_per_lot.csv rad 3: kolumnen 'Antal anbud, Summa' har ett ogiltigt tal: 'tre'"


def test_exact_repeated_rows_are_dropped_and_counted(tmp_path: Path) -> None:
    other = (*ROW[:5], "AV2", "Snöröjning")
    path = write_export(tmp_path, "procurements", PROCUREMENT_COLUMNS, [ROW, other, ROW])
    export, rows = _read(path)
    assert [r.procurement_id for r in rows] == ["AV1", "AV2"]
    assert (export.rows, export.duplicate_rows) == (2, 1)


def test_text_that_is_not_utf8_is_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "procurements.csv"
    path.write_bytes((",".join(PROCUREMENT_COLUMNS) + "\n" + ",".join(ROW) + "\n").encode("latin-1"))
    with pytest.raises(UhmExportError) as caught:
        _read(path)
    assert "procurements.csv" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_short_row_reads_blanks_not_shifted_columns(tmp_path: Path) -> None:
    path = tmp_path / "tenders_per_lot.csv"
    path.write_text(",".join(f'"{c}"' for c in LOT_COLUMNS) + "\n2021,ALFA KOMMUN,2120000001\n", encoding="utf-8")
    _, rows = _read(path, "Antal anbud, Summa")
    assert rows[0].count("Antal anbud, Summa") is None
    assert rows[0].cpv_division == "00"


def test_uppgift_saknas_reads_as_blank(tmp_path: Path) -> None:
    rows = [(*ROW[:6], "Uppgift saknas", "Uppgift saknas")]
    path = write_export(tmp_path, "tenders_per_lot", LOT_COLUMNS, rows, delimiter=";")
    _, read = _read(path, "Antal anbud, Summa")
    assert read[0].text("Anbudsområdes-ID") == ""
    assert read[0].count("Antal anbud, Summa") is None
