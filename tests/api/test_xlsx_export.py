"""XLSX beside CSV: the same search gives the same rows and columns, Swedish headers, deadlines in Swedish time,
and a title that starts like a formula stays text."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.export import CSV_COLUMNS
from api.export_xlsx import XLSX_MEDIA_TYPE, search_xlsx
from tenders.formatting import local_wall_clock as stockholm_time
from tenders.index.base import IndexDocument


def test_xlsx_has_the_csv_rows_and_swedish_headers(client: TestClient) -> None:
    division = client.get("/api/tenders").json()["facets"]["cpv_division"][0]
    params = {"cpv": division["value"]}
    response = client.get("/api/tenders.xlsx", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == XLSX_MEDIA_TYPE
    assert 'filename="upphandlingar.xlsx"' in response.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None and sheet.title == "Upphandlingar"
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [title for _, title in CSV_COLUMNS]
    assert rows[0][:3] == ("Upphandlings-ID", "Rubrik", "Beställare")
    csv_text = client.get("/api/tenders.csv", params=params).text.lstrip("\ufeff")
    csv_rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    assert len(rows) == len(csv_rows) == division["count"] + 1
    assert [row[0] for row in rows[1:]] == [row[0] for row in csv_rows[1:]]


def test_deadlines_are_swedish_local_time_and_values_numbers() -> None:
    summer = IndexDocument(tender_id="t1", notice_id="n1", version="01", title="=HYPERLINK(\"http://x\")",
                           deadline=datetime(2026, 6, 15, 10, 0, tzinfo=UTC), value_sek=1_250_000.0,
                           sme_suitable=True, buyer_names=["Mora kommun", "Orsa kommun"])
    winter = summer.model_copy(update={"tender_id": "t2", "title": "Vinter",
                                       "deadline": datetime(2026, 1, 15, 10, 0)})  # naive: UTC in the store
    sheet = load_workbook(io.BytesIO(search_xlsx([summer, winter]))).active
    assert sheet is not None
    header = [cell.value for cell in sheet[1]]
    first, second = sheet[2], sheet[3]
    deadline = header.index("Sista anbudsdag")
    assert first[deadline].value == datetime(2026, 6, 15, 12, 0)  # CEST, UTC+2
    assert second[deadline].value == datetime(2026, 1, 15, 11, 0)  # CET, UTC+1
    assert first[deadline].number_format == "yyyy-mm-dd hh:mm"
    assert first[header.index("Uppskattat värde (kr)")].value == 1_250_000
    assert first[header.index("Lämplig för SMF")].value == "ja"
    assert first[header.index("Beställare")].value == "Mora kommun, Orsa kommun"
    title = first[header.index("Rubrik")]
    assert title.value == "=HYPERLINK(\"http://x\")" and title.data_type == "s"  # text, never a formula


def test_stockholm_time_of_naive_and_aware() -> None:
    assert stockholm_time(datetime(2026, 3, 1, 23, 30)) == datetime(2026, 3, 2, 0, 30)
