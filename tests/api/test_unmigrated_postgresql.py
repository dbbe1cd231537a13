"""Migrations are a step: on a PostgreSQL database that is empty or behind, the service (``anbudsvakt serve``, the app's
start-up with its scheduler) and the crawls refuse to start with a Swedish and English message naming
``anbudsvakt db upgrade``; after that step they start. Real PostgreSQL, real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from fastapi.testclient import TestClient

from api.app import create_app
from tenders.settings import Settings
from tenders.store.engine import create_store_engine, migrate
from tenders.store.schema import SchemaNotCurrentError, alembic_config
from tests.api.conftest import TEST_SECRET

pytestmark = pytest.mark.services
ANBUDSVAKT = str(Path(sys.executable).parent / "anbudsvakt")
REFUSAL = ("Kör `anbudsvakt db upgrade` först.", "Run `anbudsvakt db upgrade` first.")


def _anbudsvakt(url: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANBUDSVAKT_DATABASE_URL": url, "ANBUDSVAKT_DATA_DIR": str(data_dir),
           "ANBUDSVAKT_INDEX_BACKEND": "sqlite", "ANBUDSVAKT_SECRET_KEY": TEST_SECRET}
    return subprocess.run([ANBUDSVAKT, *args], env=env, capture_output=True, text=True, timeout=120, check=False)


def _settings(url: str, data_dir: Path) -> Settings:
    return Settings(environment="test", data_dir=data_dir, database_url=url, secret_key=TEST_SECRET,
                    index_backend="sqlite")


def _migrate_to(url: str, revision: str) -> None:
    engine = create_store_engine(url)
    try:
        migrate(engine, lambda connection: command.upgrade(alembic_config(connection), revision))
    finally:
        engine.dispose()


@pytest.mark.parametrize("command_line", [("serve", "--port", "8799"), ("scheduler",), ("crawl", "ted"),
                                          ("crawl", "eavrop")])
def test_the_service_and_the_crawls_refuse_an_unmigrated_database(
        empty_postgresql_url: str, tmp_path: Path, command_line: tuple[str, ...]) -> None:
    refused = _anbudsvakt(empty_postgresql_url, tmp_path, *command_line)
    assert refused.returncode == 2, refused.stderr
    assert all(line in refused.stderr for line in REFUSAL) and "Traceback" not in refused.stderr
    assert "inte migrerad (tom)" in refused.stderr


def test_the_app_refuses_to_start_on_a_database_behind_and_starts_after_db_upgrade(
        empty_postgresql_url: str, tmp_path: Path) -> None:
    _migrate_to(empty_postgresql_url, "0006")  # a database one revision behind this code
    settings = _settings(empty_postgresql_url, tmp_path)
    with pytest.raises(SchemaNotCurrentError, match="schemaversion 0006") as refused, TestClient(create_app(settings)):
        pass
    assert all(line in str(refused.value) for line in REFUSAL)
    assert "0006" in _anbudsvakt(empty_postgresql_url, tmp_path, "db", "current").stdout

    upgraded = _anbudsvakt(empty_postgresql_url, tmp_path, "db", "upgrade")
    assert upgraded.returncode == 0 and "(senaste)" in upgraded.stdout, upgraded.stderr
    with TestClient(create_app(settings)) as client:
        assert client.get("/api/ready").json()["checks"]["store"] == "ok"


def test_any_other_command_on_an_unmigrated_database_says_the_same_without_a_traceback(
        empty_postgresql_url: str, tmp_path: Path) -> None:
    refused = _anbudsvakt(empty_postgresql_url, tmp_path, "reindex")
    assert refused.returncode == 2 and all(line in refused.stderr for line in REFUSAL), refused.stderr
