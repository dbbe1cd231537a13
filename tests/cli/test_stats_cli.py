"""``anbudsvakt stats participation`` on a hand-made export directory and on the real 2021 exports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import build_app
from tests.tenders.test_stats_uhm_files import (
    LOT_COLUMNS,
    PROCUREMENT_COLUMNS,
    SUPPLIER_COLUMNS,
    VALUE_COLUMNS,
    write_export,
)

UHM_2021 = Path(__file__).resolve().parents[2] / "datasets" / "uhm-2021"

BUYER = ("2021", "GAMMA KOMMUN", "2120000003")
WORKS = ("45000000 Bygg- och anläggningsarbete", "45233140 Vägarbeten")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(build_app(), ["stats", "participation", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def uhm_dir(tmp_path: Path) -> Path:
    """One buyer, two procurements: lots with 1 and 4 tenders, two winners (one small, one large)."""
    write_export(tmp_path, "procurements", PROCUREMENT_COLUMNS,
                 [(*BUYER, *WORKS, "G1", "Vägar"), (*BUYER, *WORKS, "G2", "Broar")])
    write_export(tmp_path, "tenders_per_lot", LOT_COLUMNS,
                 [(*BUYER, *WORKS, "G1", "G1_1", "1"), (*BUYER, *WORKS, "G2", "G2_1", "4")], gz=True)
    write_export(tmp_path, "contracted_value", VALUE_COLUMNS, [(*BUYER, *WORKS, "G1", "2 500 000")])
    write_export(tmp_path, "contracted_suppliers", SUPPLIER_COLUMNS, [
        (*BUYER, *WORKS, "G1", "G1_1", "Liten AB", "Små företag", "1"),
        (*BUYER, *WORKS, "G2", "G2_1", "Stor AB", "Stora företag", "1"),
    ], bom=True)
    return tmp_path


def test_json_output_has_the_figures_as_numbers(uhm_dir: Path) -> None:
    code, out, _ = _run("--uhm-dir", str(uhm_dir), "--format", "json")
    assert code == 0
    data = json.loads(out)
    overall = data["overall"]
    assert overall["procurements"] == 2
    assert overall["avg_tenders_per_lot"] == (1 + 4) / 2
    assert overall["single_tender_lot_share"] == 1 / 2
    assert overall["sme_share_of_contracts"] == 1 / 2
    assert overall["contracted_value_sek"] == 2_500_000
    assert [b["orgnr"] for b in data["by_buyer"]] == ["2120000003"]
    assert [(d["division"], d["procurements"]) for d in data["by_cpv_division"]] == [("45", 2)]


def test_table_output_shows_the_figures(uhm_dir: Path) -> None:
    code, out, _ = _run("--uhm-dir", str(uhm_dir), "--format", "table")
    assert code == 0
    expected = ("Anbud per anbudsområde (medel)", "2,50", "50,0 %", "2\u00a0500\u00a0000", "GAMMA KOMMUN", "Bygg- och")
    for text in expected:
        assert text in out


def test_missing_file_is_one_clear_line(uhm_dir: Path) -> None:
    (uhm_dir / "tenders_per_lot.csv.gz").unlink()
    code, out, err = _run("--uhm-dir", str(uhm_dir), "--format", "json")
    assert code == 1
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "tenders_per_lot.csv" in err


def test_missing_directory_is_one_clear_line(tmp_path: Path) -> None:
    code, _, err = _run("--uhm-dir", str(tmp_path / "finns-inte"))
    assert code == 1
    assert err.strip() == f"Fel: UHM-katalogen finns inte: {tmp_path / 'finns-inte'}"


def test_real_2021_exports_in_json() -> None:
    code, out, _ = _run("--uhm-dir", str(UHM_2021), "--format", "json", "--buyer", "2021006297")
    assert code == 0
    data = json.loads(out)
    # Trafikverket, 2021, checked with gawk on the raw files: 510 procurements, 333 lots, 1,196 tenders, 53 single.
    assert (data["overall"]["procurements"], data["overall"]["lots"]) == (510, 333)
    assert data["overall"]["avg_tenders_per_lot"] == pytest.approx(1_196 / 333)
    assert data["overall"]["single_tender_lot_share"] == pytest.approx(53 / 333)
    assert data["overall"]["sme_share_of_contracts"] == pytest.approx(383 / 727)
