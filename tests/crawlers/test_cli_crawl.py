"""``anbudsvakt crawl ted``: the query it would send, and what a user sees when TED cannot be reached."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from typer.testing import CliRunner

from cli.main import build_app
from tests.crawlers.conftest import ROOT, crawl_env
from tests.crawlers.test_ted_crawl import closed_port


def test_print_query_shows_the_query_and_a_body_for_check_query_syntax(tmp_path, monkeypatch):
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(build_app(), ["crawl", "ted", "--since", "2026-03-01", "--print-query"])
    assert result.exit_code == 0, result.output
    query, _, body = result.output.partition("\n")
    assert query.startswith("(place-of-performance-subdiv-lot IN (SE312)")
    assert query.endswith("AND publication-date >= 20260301")
    request = json.loads(body)
    assert request["query"] == query and request["checkQuerySyntax"] is True


def test_crawl_without_network_exits_non_zero_with_one_clear_line(tmp_path: Path):
    executable = shutil.which("anbudsvakt", path=str(ROOT / ".venv" / "bin"))
    assert executable, "the anbudsvakt console script is not installed in .venv"
    api_url = f"http://127.0.0.1:{closed_port()}/v3/notices/search"
    result = subprocess.run(
        [executable, "crawl", "ted", "--since", "2026-01-01", "-s", "RETRY_BACKOFF_BASE=0.05"],
        cwd=tmp_path,
        env=crawl_env(tmp_path, api_url),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("TED är inte nåbar: Connection was refused")
    assert "komplett: nej" in result.stdout
