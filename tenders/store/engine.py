"""Engine factory and the migration lock for the store (SQLite by default, PostgreSQL for scale-out).

Several processes write one database (loads, crawls, the scheduler, the API): they wait for each other, never fail.

- Migrations run under a lock, one process at a time (:func:`migrate`): a file lock next to a SQLite file, a
  transaction-scoped advisory lock on PostgreSQL. ``tenders.store.schema`` and the ``alembic`` command
  (``tenders/store/migrations/env.py``) both take it, so two processes never both create a table.
- SQLite connections wait up to SQLITE_BUSY_TIMEOUT_MS for a lock, and a write that reads first starts with
  ``BEGIN IMMEDIATE`` (:func:`begin_write`), so no other writer commits between its read and its write.
"""

from __future__ import annotations

import fcntl
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

SQLITE_BUSY_TIMEOUT_MS = 30_000  # crawler, scheduler, loads and API write the same file; wait rather than fail
MIGRATION_LOCK_KEY = 2_376_305_736_895_408_096  # pg_advisory_xact_lock key: sha256("anbudsvakt migrations") >> 1


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    # First the busy timeout: switching a new file to WAL takes a lock that another process may hold.
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # WAL lets the API read while a crawl writes; NORMAL sync is safe in WAL mode and much faster.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def create_store_engine(url: str) -> sa.Engine:
    """An engine for ``url``; SQLite files get WAL, foreign keys and a busy timeout on every connection."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(url, pool_pre_ping=True)
    database = parsed.database or ""
    if database in ("", ":memory:"):
        # One shared connection, or every checkout would see its own empty in-memory database.
        engine = sa.create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(url, connect_args={"check_same_thread": False})
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def begin_write(connection: sa.Connection) -> None:
    """Start a write transaction that holds SQLite's write lock from its first statement (``BEGIN IMMEDIATE``,
    waiting up to the busy timeout for another writer), so what it reads stays true until it commits. No-op on
    PostgreSQL, and when the connection is already in a transaction."""
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.dbapi_connection
    if raw is not None and not getattr(raw, "in_transaction", True):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_file(url: sa.URL) -> Path | None:
    database = url.database or ""
    if url.get_backend_name() != "sqlite" or database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser()


@contextmanager
def migration_lock(engine: sa.Engine) -> Iterator[None]:
    """One process at a time: an exclusive file lock on ``<database>.migrate.lock`` beside a SQLite file (nothing
    for in-memory databases and PostgreSQL, which :func:`migrate` locks inside the transaction)."""
    database = _sqlite_file(engine.url)
    if database is None:
        yield
        return
    database.parent.mkdir(parents=True, exist_ok=True)
    with database.with_name(f"{database.name}.migrate.lock").open("a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # blocks until the process that holds it has migrated (or died)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def migrate(engine: sa.Engine, upgrade: Callable[[sa.Connection], None]) -> None:
    """Run ``upgrade`` on a connection in a transaction while holding the database's migration lock."""
    with migration_lock(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        upgrade(connection)

