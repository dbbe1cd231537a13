"""``anbudsvakt stats dashboard`` and the staff page "Deltagande" give the same figures on the same data: every table
the CLI prints as JSON equals the page's CSV export of it, with and without filters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from api.deps import get_principal
from api.routes.staff.export import csv_value
from cli.main import build_app
from tenders.settings import Settings
from tenders.stats.tables import Column
from tests.api.test_staff_dashboard import STAFF, build_data_dir

FILTERS: tuple[dict[str, str], ...] = ({}, {"year": "2024"}, {"municipality": "2062", "cpv": "45"})


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return build_data_dir(tmp_path / "data")


def cli_tables(settings: Settings, filters: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    for name, value in settings.model_dump().items():
        text = value.get_secret_value() if isinstance(value, SecretStr) else value
        monkeypatch.setenv(f"ANBUDSVAKT_{name.upper()}", str(text))
    options = [part for key, value in filters.items() for part in (f"--{key}", value)]
    printed = CliRunner().invoke(build_app(), ["stats", "dashboard", "--format", "json", *options])
    assert printed.exit_code == 0, printed.output
    return list(json.loads(printed.output)["tabeller"])


@pytest.mark.parametrize("filters", FILTERS, ids=["alla", "ar", "kommun-och-bransch"])
def test_cli_and_page_exports_agree(app: FastAPI, client: TestClient, settings: Settings,
                                    filters: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    app.dependency_overrides[get_principal] = lambda: STAFF
    tables = cli_tables(settings, filters, monkeypatch)
    assert {t["nyckel"] for t in tables} >= {"jamforelse", "over-tid", "kommuner", "bestallare", "cpv", "utfall"}
    assert any(t["rader"] for t in tables)
    for table in tables:
        response = client.get(f"/personal/statistik/{table['nyckel']}.csv", params=filters)
        assert response.status_code == 200, table["nyckel"]
        header, *rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
        assert [h.removesuffix(" (%)") for h in header] == table["kolumner"]
        kinds = table["kolumnslag"]
        from_cli = [[csv_value(value, Column("", "", kind)) for value, kind in zip(row, kinds, strict=True)]
                    for row in table["rader"]]
        assert from_cli == rows, table["nyckel"]



def test_cli_refuses_a_bad_filter_in_swedish(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(settings.data_dir))
    printed = CliRunner().invoke(build_app(), ["stats", "dashboard", "--year", "tjugo"])
    assert printed.exit_code == 1
    assert "--year är ett år med fyra siffror" in printed.output
