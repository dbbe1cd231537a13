"""``anbudsvakt load``, ``search`` and ``reindex`` on the repository's real example notices."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import build_app
from cli.notices import example_files
from cli.notices_search import cpv_prefix

runner = CliRunner()
SUMMARY = re.compile(r"nya (\d+), oförändrade (\d+), uppdaterade (\d+), misslyckade (\d+)")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ANBUDSVAKT_DATABASE_URL", "")
    monkeypatch.setenv("ANBUDSVAKT_INDEX_BACKEND", "sqlite")
    return tmp_path / "data"


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(build_app(), list(args))
    return result.exit_code, result.output


def summary(output: str) -> tuple[int, ...]:
    match = SUMMARY.search(output)
    assert match, output
    return tuple(int(n) for n in match.groups())


def _notices_table(data_dir: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(data_dir / "anbudsvakt.sqlite3") as db:
        return db.execute("SELECT * FROM notices ORDER BY id").fetchall()


def test_load_examples_twice_changes_nothing(data_dir: Path) -> None:
    files = example_files()
    code, output = invoke("load", "--examples")
    assert code == 0, output
    assert summary(output) == (len(files), 0, 0, 0)
    before = _notices_table(data_dir)
    code, output = invoke("load", "--examples")
    assert code == 0 and summary(output) == (0, len(files), 0, 0)
    assert _notices_table(data_dir) == before


def test_a_broken_file_is_reported_and_the_rest_loaded(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>")
    missing = tmp_path / "missing.xml"
    good = [p for p in example_files() if p.name == "cn_24_multilingual.xml"]
    code, output = invoke("load", str(broken), str(missing), *map(str, good))
    assert code == 1
    assert summary(output) == (1, 0, 0, 2)
    reasons = [line for line in output.splitlines() if line.startswith("misslyckades")]
    assert len(reasons) == 2 and "broken.xml" in reasons[0] and "missing.xml" in reasons[1]


def test_search_json_with_filters_and_reindex_gives_the_same(data_dir: Path) -> None:
    invoke("load", "--examples")
    code, output = invoke("search", "", "--form-type", "result", "--json")
    assert code == 0, output
    result = json.loads(output)
    assert result["total"] == len(result["hits"]) > 0
    assert {h["document"]["form_type"] for h in result["hits"]} == {"result"}
    assert result["facets"]["form_type"] == [{"value": "result", "count": result["total"]}]
    uppsala = json.loads(invoke("search", "inredning", "--json")[1])
    assert [h["document"]["tender_id"] for h in uppsala["hits"]] == ["352907-2021"]
    (data_dir / "index.sqlite3").unlink()
    for suffix in ("-wal", "-shm"):
        Path(f"{data_dir / 'index.sqlite3'}{suffix}").unlink(missing_ok=True)
    assert json.loads(invoke("search", "", "--json")[1])["total"] == 0
    code, output = invoke("reindex")
    assert code == 0 and "indexerade" in output
    assert json.loads(invoke("search", "", "--form-type", "result", "--json")[1]) == result


def test_search_prints_a_table_and_facets() -> None:
    invoke("load", "--examples")
    code, output = invoke("search", "inredning", "--sort", "deadline")
    assert code == 0 and "1 träffar" in output and "Typ av annons" in output and "Anbud kan lämnas" in output
    code, output = invoke("search", "x", "--sort", "sideways")
    assert code != 0


def test_load_without_files_is_refused() -> None:
    code, _ = invoke("load")
    assert code != 0


def test_cpv_prefix_strips_the_level_zeros() -> None:
    assert [cpv_prefix(v) for v in ("45000000", "45210000-2", "4521", "00000000")] == ["45", "4521", "4521", "00000000"]


def test_examples_resolve_inside_the_repository() -> None:
    files = example_files()
    assert files and all(p.suffix == ".xml" and p.is_file() and p.is_absolute() for p in files)
    assert {p.parent.name for p in files} == {"eforms", "r209"}
