"""``anbudsvakt db upgrade`` migrates every chain of a fresh database, on SQLite and on a real PostgreSQL; running it
again changes nothing; ``db current`` shows the revisions."""

from __future__ import annotations

import psycopg
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from cli.main import build_app

runner = CliRunner()


def _db(*args: str) -> str:
    result = runner.invoke(build_app(), ["db", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    else:
        server = request.getfixturevalue("postgresql_server")  # a database of its own: fresh, shared with no one
        with psycopg.connect(server.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS anbudsvakt_db_cli")
            admin.execute("CREATE DATABASE anbudsvakt_db_cli")
        url = server.rsplit("/", 1)[0] + "/anbudsvakt_db_cli"
    monkeypatch.setenv("ANBUDSVAKT_DATABASE_URL", url)
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(tmp_path))
    return url


def test_db_upgrade_migrates_every_chain_and_is_idempotent(database_url: str) -> None:
    before = _db("current")
    assert before.count("inte migrerad") == 3
    first = _db("upgrade")
    assert "Databasen är uppdaterad" in first and "None" not in first
    assert _db("upgrade") == first  # again: nothing to do, same revisions
    after = _db("current")
    assert "inte migrerad" not in after
    tables = set(sa.inspect(sa.create_engine(database_url)).get_table_names())
    assert {"notices", "crawl_runs", "profile_companies", "alert_outbox", "auth_users"} <= tables
