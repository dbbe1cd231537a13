"""``anbudsvakt export ocds`` over a store holding the example notices (``anbudsvakt load --examples``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import build_app
from tenders.ocds.validate import package_errors


@pytest.fixture
def loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(build_app(), ["load", "--examples"])
    assert result.exit_code == 0, result.output
    return tmp_path


def test_export_all_and_one_year_write_valid_packages(loaded: Path) -> None:
    app = build_app()
    everything = loaded / "all.json"
    result = CliRunner().invoke(app, ["export", "ocds", "--all", "--output", str(everything)])
    assert result.exit_code == 0, result.output
    package = json.loads(everything.read_text(encoding="utf-8"))
    assert len(package["releases"]) >= 20 and package_errors(package) == []
    year = package["releases"][0]["date"][:4]  # the issue date: these examples carry no publication date
    one_year = CliRunner().invoke(app, ["export", "ocds", "--year", year])
    assert one_year.exit_code == 0
    assert 0 < len(json.loads(one_year.stdout)["releases"]) <= len(package["releases"])


def test_export_wants_exactly_one_period(loaded: Path) -> None:
    app = build_app()
    assert CliRunner().invoke(app, ["export", "ocds"]).exit_code != 0
    assert CliRunner().invoke(app, ["export", "ocds", "--all", "--year", "2024"]).exit_code != 0
    bad_day = CliRunner().invoke(app, ["export", "ocds", "--day", "2024-13-40"])
    assert bad_day.exit_code != 0
    empty_day = CliRunner().invoke(app, ["export", "ocds", "--day", "1999-01-01"])
    assert empty_day.exit_code == 0 and json.loads(empty_day.stdout)["releases"] == []
