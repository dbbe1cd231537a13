"""``anbudsvakt db upgrade`` migrates a fresh database (and takes over one of the three old chains), on SQLite and on
a real PostgreSQL; running it again changes nothing; ``db current`` shows the revision and what to do."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from cli.main import build_app
from tenders.store.engine import create_store_engine
from tenders.store.schema import head_revision
from tests.tenders.test_migrations import load_recorded_three_chains

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
        url = request.getfixturevalue("empty_postgresql_url")  # a database of its own: fresh, shared with no one
    monkeypatch.setenv("ANBUDSVAKT_DATABASE_URL", url)
    monkeypatch.setenv("ANBUDSVAKT_DATA_DIR", str(tmp_path))
    return url


def test_db_upgrade_migrates_a_fresh_database_and_is_idempotent(database_url: str) -> None:
    assert "inte migrerad" in _db("current") and "anbudsvakt db upgrade" in _db("current")
    first = _db("upgrade")
    assert f"Databasen är uppdaterad: schema: {head_revision()} (senaste)" in first
    assert _db("upgrade") == first  # again: nothing to do, same revision
    assert _db("current").strip() == f"schema: {head_revision()} (senaste)"
    tables = set(sa.inspect(sa.create_engine(database_url)).get_table_names())
    assert {"notices", "crawl_runs", "profile_companies", "alert_outbox", "auth_users"} <= tables


def test_db_upgrade_takes_over_a_database_of_the_three_old_chains(database_url: str) -> None:
    load_recorded_three_chains(create_store_engine(database_url))
    assert "de gamla migreringskedjorna" in _db("current")
    upgraded = _db("upgrade")
    assert "profile_alembic_version, alert_alembic_version) är överförda" in upgraded
    assert f"schema: {head_revision()} (senaste)" in upgraded
