import json

import typer
from typer.testing import CliRunner

from cli import match as match_cli

PROFILES = [
    {"id": "tak", "sni": ["43910"], "company_size": "micro"},
    {"id": "mora", "sni": None, "cpv": ["4526"], "keywords": None, "municipalities": ["Mora"], "nuts": [],
     "company_size": None},
    {"id": "it", "sni": ["62010"], "cpv": [], "keywords": [], "municipalities": [], "nuts": [],
     "company_size": "large"},
]
NOTICES = [
    {"id": "n1", "title": "Takbyte på skola", "description": None, "cpv": ["45261210-9"], "buyer_name": "Mora kommun",
     "buyer_orgnr": "2120002213", "nuts": ["SE312"], "estimated_value_sek": None},
    {"id": "n2", "title": "Verksamhetssystem", "cpv": []},
    {"id": "n3"},
]


def app() -> typer.Typer:
    built = typer.Typer()
    groups = {"eval": typer.Typer()}
    match_cli.register(built, groups)
    built.add_typer(groups["eval"], name="eval")
    return built


def run(tmp_path, profile_lines: list[str], notice_lines: list[str]):
    (tmp_path / "p.jsonl").write_text("\n".join(profile_lines) + "\n", encoding="utf-8")
    (tmp_path / "n.jsonl").write_text("\n".join(notice_lines) + "\n", encoding="utf-8")
    return CliRunner().invoke(app(), ["match", "--profiles", str(tmp_path / "p.jsonl"),
                                      "--notices", str(tmp_path / "n.jsonl")])


def test_match_writes_one_json_line_per_alert(tmp_path):
    result = run(tmp_path, [json.dumps(p) for p in PROFILES], [json.dumps(n) for n in NOTICES])
    assert result.exit_code == 0, result.output
    alerts = [json.loads(line) for line in result.stdout.splitlines()]
    pairs = {(a["profile_id"], a["notice_id"]) for a in alerts}
    assert {("tak", "n1"), ("mora", "n1"), ("it", "n2")} <= pairs
    assert ("it", "n1") not in pairs and not any(a["notice_id"] == "n3" for a in alerts)
    for alert in alerts:
        assert set(alert) == {"profile_id", "notice_id", "score", "reasons"}
        assert 0 < alert["score"] <= 1 and alert["reasons"]
    mora = next(a for a in alerts if a["profile_id"] == "mora")
    assert "Utförs i Mora kommun" in mora["reasons"]


def test_malformed_lines_are_reported_and_skipped(tmp_path):
    result = run(tmp_path, ["{not json", json.dumps({"sni": ["43910"]}), json.dumps(PROFILES[0])],
                 [json.dumps(NOTICES[0]), "[1, 2]", json.dumps({"id": None})])
    assert result.exit_code == 0
    assert [json.loads(line)["profile_id"] for line in result.stdout.splitlines()] == ["tak"]
    errors = result.stderr.splitlines()
    assert len(errors) == 4
    assert errors[0].startswith(f"{tmp_path / 'p.jsonl'}:1: hoppade över profilraden")
    assert all("hoppade över" in line for line in errors)
