"""`anbudsvakt parse FILE`: the Tender as JSON, or "fel: <reason>" on stderr and exit code 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from cli.parse import register

FIXTURES = Path(__file__).parents[1] / "fixtures"
REQUIRED_KEYS = {
    "notice_id", "version", "form_type", "notice_type", "procedure_type", "title", "description", "main_cpv",
    "additional_cpv", "buyers", "lots", "estimated_value", "submission_deadline",
}  # fmt: skip


@pytest.fixture
def run() -> CliRunner:
    return CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()
    register(app, {})

    @app.callback()
    def main() -> None:
        """Keeps 'parse' a named sub-command, as in the real app."""

    return app


def test_prints_the_tender_as_json(run: CliRunner) -> None:
    result = run.invoke(_app(), ["parse", str(FIXTURES / "eforms" / "cn_24_multilingual.xml")])

    assert result.exit_code == 0, result.output
    tender = json.loads(result.stdout)
    assert set(tender) >= REQUIRED_KEYS
    assert (tender["notice_id"], tender["form_type"], tender["notice_type"]) == (
        "55aae64f-88a8-44a5-b2fb-8228e97fe6ee", "competition", "cn-standard",
    )  # fmt: skip
    assert tender["title"]["swe"].startswith("Tillhandahållande av IT-tjänster")
    assert tender["estimated_value"] == {"amount": 4500000.0, "currency": "EUR"}
    assert tender["submission_deadline"] == "2020-02-03T13:00:00Z"
    assert [(b["name"], b["orgnr"]) for b in tender["buyers"]] == [
        ("Publications Office of the European Union", "EU-PO")
    ]
    assert [(lot["id"], lot["main_cpv"]) for lot in tender["lots"]] == [("LOT-0000", "72230000")]


def test_r209_notice_through_the_command(run: CliRunner) -> None:
    result = run.invoke(_app(), ["parse", str(FIXTURES / "ted" / "r209" / "21-364236-001-EXP.xml")])

    tender = json.loads(result.stdout)
    assert (tender["notice_id"], tender["buyers"][0]["orgnr"]) == ("352907-2021", "2021002932")
    assert tender["submission_deadline"] == "2021-08-18T23:59:00+02:00"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        (FIXTURES / "hostile" / "billion_laughs.xml", "fel: XML refused: entity declarations are not allowed"),
        (FIXTURES / "hostile" / "not_a_notice.xml", "fel: not an eForms or TED notice: root <rss>"),
        (FIXTURES / "hostile" / "no-such-file.xml", "fel: kan inte läsa"),
    ],
)
def test_failure_is_one_line_on_stderr_and_exit_1(run: CliRunner, path: Path, reason: str) -> None:
    result = run.invoke(_app(), ["parse", str(path)])

    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(reason)
    assert result.stderr.count("\n") == 1


def test_size_limit_option(run: CliRunner) -> None:
    result = run.invoke(_app(), ["parse", "--max-mb", "0.001", str(FIXTURES / "eforms" / "cn_24_minimal.xml")])

    assert result.exit_code == 1
    assert "over the 1.0 KB limit" in result.stderr


def test_reads_stdin(run: CliRunner) -> None:
    data = (FIXTURES / "eforms" / "can_24_minimal.xml").read_bytes()
    result = run.invoke(_app(), ["parse", "-"], input=data)

    assert json.loads(result.stdout)["results"][0]["tenders_received"] == 3
