"""One migration tree for the whole database, on SQLite and a real PostgreSQL: a fresh database gets every table; a
database left by the three old chains (recorded in ``legacy_chains/``) is taken over with its rows; the ``alembic``
command works from the repository root."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from tenders.store import TenderStore
from tenders.store.engine import create_store_engine
from tenders.store.legacy_chains import OLD_VERSION_TABLES
from tenders.store.schema import current_revision, head_revision, schema_problem, upgrade_schema

REPOSITORY = Path(__file__).resolve().parents[2]
RECORDED = Path(__file__).parent / "legacy_chains"
EVERY_TABLE = {"notices", "tenders", "crawl_runs", "procurement_keys", "profile_companies", "profile_channels",
               "profile_consents", "profile_follows", "profile_feedback", "profile_saved_searches",
               "profile_webhook_secrets", "alert_outbox", "auth_users", "auth_api_keys", "auth_sessions",
               "auth_used_tokens", "alembic_version"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db.sqlite3'}"
    return str(request.getfixturevalue("empty_postgresql_url"))


@pytest.fixture
def engine(empty_url: str):
    created = create_store_engine(empty_url)
    yield created
    created.dispose()


def load_recorded_three_chains(engine: sa.Engine) -> None:
    """The recorded dump of a database the old code migrated (three chains, sign-in tables from create_all)."""
    dialect = engine.dialect.name
    script = (RECORDED / f"three_chains.{dialect}.sql").read_text()
    if dialect == "sqlite":
        with sqlite3.connect(str(engine.url.database)) as connection:
            connection.executescript(script)
        return
    plain_url = engine.url.render_as_string(hide_password=False).replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain_url, autocommit=True) as connection:
        connection.execute(script.encode())  # a whole script: no parameters, so psycopg sends it as it is


def tables(engine: sa.Engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def revision(engine: sa.Engine) -> str | None:
    with engine.connect() as connection:
        return current_revision(connection)


def count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_a_fresh_database_gets_every_table_at_the_newest_revision(engine: sa.Engine) -> None:
    assert "inte migrerad" in (schema_problem(engine) or "")
    upgrade_schema(engine)
    assert revision(engine) == head_revision() and schema_problem(engine) is None
    assert tables(engine) == EVERY_TABLE


def test_a_database_of_the_three_old_chains_is_taken_over_with_its_rows(engine: sa.Engine) -> None:
    load_recorded_three_chains(engine)
    assert set(OLD_VERSION_TABLES) <= tables(engine)
    problem = schema_problem(engine) or ""
    assert "gamla tre migreringskedjorna" in problem and "anbudsvakt db upgrade" in problem
    upgrade_schema(engine)
    assert revision(engine) == head_revision() and schema_problem(engine) is None
    assert tables(engine) == EVERY_TABLE  # the old version tables are gone
    assert [count(engine, t) for t in ("notices", "profile_companies", "auth_users")] == [1, 1, 1]
    upgrade_schema(engine)  # again: nothing to do
    store = TenderStore(engine)
    assert store.tender("legacy-1") is not None and store.count_tenders() == 1


def test_an_old_database_without_companies_gets_them_and_keeps_its_sign_in_tables(engine: sa.Engine) -> None:
    """A mix the old chains could leave: the store's chain and create_all ran, the companies' and outbox's never."""
    load_recorded_three_chains(engine)
    with engine.begin() as connection:
        for table in ("alert_outbox", "profile_webhook_secrets", "profile_saved_searches", "profile_feedback",
                      "profile_follows", "profile_consents", "profile_channels", "profile_companies",
                      *OLD_VERSION_TABLES):
            connection.execute(sa.text(f"DROP TABLE {table}"))
    assert revision(engine) == "0003"
    upgrade_schema(engine)
    assert revision(engine) == head_revision() and tables(engine) == EVERY_TABLE
    assert count(engine, "auth_users") == 1 and count(engine, "profile_companies") == 0


def _alembic(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANBUDSVAKT_")}
    env["ANBUDSVAKT_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "alembic", *args], cwd=REPOSITORY, env=env, capture_output=True,
                          text=True, check=False, timeout=120)


def test_the_alembic_command_works_from_the_repository_root_on_the_configured_database(tmp_path: Path) -> None:
    upgraded = _alembic(tmp_path, "upgrade", "head")
    assert upgraded.returncode == 0, upgraded.stderr
    current = _alembic(tmp_path, "current")
    assert f"{head_revision()} (head)" in current.stdout, current.stderr
    history = _alembic(tmp_path, "history").stdout
    assert "<base> -> 0001" in history and f"-> {head_revision()} (head)" in history
    assert revision(create_store_engine(f"sqlite:///{tmp_path / 'anbudsvakt.sqlite3'}")) == head_revision()
    checked = _alembic(tmp_path, "check")  # the models named in alembic.ini match what the revisions build
    assert checked.returncode == 0 and "No new upgrade operations detected" in checked.stdout + checked.stderr, (
        checked.stdout + checked.stderr)


def test_the_alembic_command_sends_a_database_of_the_old_chains_to_db_upgrade(tmp_path: Path) -> None:
    engine = create_store_engine(f"sqlite:///{tmp_path / 'anbudsvakt.sqlite3'}")
    load_recorded_three_chains(engine)
    refused = _alembic(tmp_path, "upgrade", "head")
    assert refused.returncode != 0 and "anbudsvakt db upgrade" in refused.stderr
    assert revision(engine) == "0003"
