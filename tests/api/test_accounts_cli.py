"""``anbudsvakt user add|list``: the first staff account is made on the command line, then signs in on the web."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from cli import accounts
from tenders.settings import Settings
from tests.api.conftest import TEST_SECRET, csrf_token


def user_cli() -> typer.Typer:
    app = typer.Typer()
    accounts.register(app, {})
    return app


def test_a_user_added_on_the_command_line_can_sign_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(tmp_path))
    runner = CliRunner()
    added = runner.invoke(user_cli(), ["user", "add", "--email", "Bo@UDD.se", "--role", "staff",
                                       "--password", "ett-långt-lösenord"])
    assert added.exit_code == 0, added.output
    again = runner.invoke(user_cli(), ["user", "add", "--email", "bo@udd.se", "--role", "staff",
                                       "--password", "ett-långt-lösenord"])
    assert again.exit_code == 1 and "finns redan" in again.output
    short = runner.invoke(user_cli(), ["user", "add", "--email", "x@udd.se", "--role", "staff", "--password", "kort"])
    assert short.exit_code == 1 and "minst 12 tecken" in short.output
    listed = runner.invoke(user_cli(), ["user", "list"])
    assert "bo@udd.se\tstaff\taktiv" in listed.output and "x@udd.se" not in listed.output

    settings = Settings(environment="test", data_dir=tmp_path, secret_key=TEST_SECRET)
    with TestClient(create_app(settings)) as client:
        signed_in = client.post("/personal/logga-in", follow_redirects=False, data={
            "email": "bo@udd.se", "password": "ett-långt-lösenord",
            "csrf_token": csrf_token(client, "/personal/logga-in")})
        assert signed_in.status_code == 303
        assert client.get("/api/users").json()["count"] == 1
