"""`anbudsvakt classify`: JSON Lines in, one line out per input line, in order, whatever the input."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from cli.classify import classify_stream, parse_line

ROOT = Path(__file__).resolve().parents[2]


def test_stream_keeps_order_and_handles_bad_lines(cpv_classifier):
    lines = [
        json.dumps({"id": "a", "title": "Snöröjning"}),
        '{"id": "b", "title": "trasig',
        "",
        json.dumps({"id": 7, "title": None, "description": ["lista"]}),
        json.dumps(["inte", "ett", "objekt"]),
        json.dumps({"title": "Revision"}),
    ]
    out = io.StringIO()
    assert classify_stream(iter(lines), out, cpv_classifier) == 5
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == ["a", "b", 7, None, None]
    assert all(len(r["divisions"]) >= 3 for r in records)
    assert "error" in records[1] and "error" in records[3] and "error" not in records[0]


def test_parse_line_recovers_id_from_broken_json():
    assert parse_line('{"id": "x-1", "title": "a}')[0] == "x-1"
    assert parse_line('{"id": 12, "title": }')[0] == 12
    assert parse_line("nonsens")[0] is None


def test_command_end_to_end():
    stdin = "\n".join(json.dumps({"id": str(i), "title": t}) for i, t in enumerate(["Revision", "", "Asfaltering"]))
    run = subprocess.run(
        [sys.executable, "-c", "from cli.main import run; run()", "classify"],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120, check=True,
    )
    records = [json.loads(line) for line in run.stdout.splitlines()]
    assert [r["id"] for r in records] == ["0", "1", "2"]
    assert records[0]["divisions"][0]["code"] == "79"
    assert all(len(r["divisions"]) >= 3 for r in records)
