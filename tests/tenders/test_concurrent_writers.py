"""Concurrent writers wait or skip, never crash: four ``anbudsvakt load`` processes on the same files and a fresh store.

Before: of four concurrent loads on a fresh SQLite store, some died with Alembic's "alembic_version already exists"
(two processes migrating at once), "database is locked" (WAL switched on before the busy timeout was set) or "UNIQUE
constraint failed" (two processes inserting the same notice between their read and their write), and skipped their
remaining files. Now migrations take a lock, SQLite waits up to 30 s, and an upsert holds the write lock from its
first read (PostgreSQL: an advisory lock per procurement), so a lost race reads as "unchanged".
"""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa

from cli.notices import example_files
from tenders.index.sqlite import SqliteIndex
from tenders.store import TenderStore
from tenders.store.engine import create_store_engine
from tenders.store.schema import upgrade_schema

REPO = Path(__file__).resolve().parents[2]
ANBUDSVAKT = str(Path(sys.executable).parent / "anbudsvakt")
PROCESSES = 4


def _load_concurrently(data_dir: Path, database_url: str, *command: str) -> list[subprocess.CompletedProcess[str]]:
    """Run ``anbudsvakt load --examples`` (or another ``command``) in four processes at once."""
    environment = {**os.environ, "ANBUDSVAKT_DATA_DIR": str(data_dir), "ANBUDSVAKT_DATABASE_URL": database_url,
                   "ANBUDSVAKT_INDEX_BACKEND": "sqlite", "OPENBLAS_NUM_THREADS": "1"}
    arguments = [ANBUDSVAKT, *(command or ("load", "--examples"))]
    processes = [subprocess.Popen(arguments, cwd=REPO, env=environment, text=True, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE) for _ in range(PROCESSES)]
    done = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr))
    return done


def _assert_each_notice_once(data_dir: Path, database_url: str) -> None:
    files = example_files()
    store = TenderStore.from_url(database_url)
    try:
        with store.engine.connect() as connection:
            keys = connection.execute(sa.text("SELECT notice_id, version FROM notices")).all()
        assert len(keys) == len(set(keys)) == len(files)  # every example file is a distinct notice version
        tenders = store.count_tenders()
    finally:
        store.close()
    index = SqliteIndex(data_dir / "index.sqlite3")
    try:
        assert index.count() == tenders
    finally:
        index.close()


def _assert_all_succeeded(done: list[subprocess.CompletedProcess[str]]) -> None:
    for result in done:
        assert result.returncode == 0, f"{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
        assert "misslyckade 0" in result.stdout, result.stdout


def test_four_concurrent_loads_on_a_fresh_sqlite_store(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    done = _load_concurrently(data_dir, "")
    _assert_all_succeeded(done)
    _assert_each_notice_once(data_dir, f"sqlite:///{data_dir / 'anbudsvakt.sqlite3'}")


@pytest.mark.services
def test_four_concurrent_migrations_then_loads_on_a_fresh_postgresql_database(
        tmp_path: Path, empty_postgresql_url: str) -> None:
    """PostgreSQL is migrated as a step (``db upgrade``, which several deploys may start at once), then loaded."""
    url, data_dir = empty_postgresql_url, tmp_path / "data"
    for result in _load_concurrently(data_dir, url, "db", "upgrade"):
        assert result.returncode == 0 and "Databasen är uppdaterad" in result.stdout, result.stderr[-3000:]
    done = _load_concurrently(data_dir, url)
    _assert_all_succeeded(done)
    _assert_each_notice_once(data_dir, url)


def test_migrations_of_one_fresh_file_by_many_threads_run_once(tmp_path: Path) -> None:
    """The migration lock in one process too: eight engines upgrade the same fresh file at once."""
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    engines = [create_store_engine(url) for _ in range(8)]
    try:
        with ThreadPoolExecutor(len(engines)) as pool:
            list(pool.map(upgrade_schema, engines))
        with engines[0].connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 1
    finally:
        for engine in engines:
            engine.dispose()
