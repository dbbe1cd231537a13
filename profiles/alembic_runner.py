"""Alembic for the tables a package owns beside the store's, in the same database, with its own version table.

The store's migrations (``tenders/store/migrations``) know only the store's tables and keep their revision in
``alembic_version``. A package that adds tables to the same database (``profile_*``, ``alert_*``) keeps its own
chain of revisions and its own version table, so the chains never have to know about each other. Every chain runs
under the database's migration lock (``tenders.store.engine.migrate``), so concurrent processes never race.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command, context
from alembic.config import Config

from tenders.store.engine import migrate


def upgrade_chain(engine: sa.Engine, script_location: Path, version_table: str) -> None:
    """Bring one package's chain to its newest revision (creates its tables on a fresh database)."""
    config = Config()
    config.set_main_option("script_location", str(script_location))

    def upgrade(connection: sa.Connection) -> None:
        config.attributes["connection"] = connection
        config.attributes["version_table"] = version_table
        command.upgrade(config, "head")

    migrate(engine, upgrade)


def run_migrations_online(target_metadata: sa.MetaData) -> None:
    """The body of each chain's ``env.py``: run on the caller's connection, no logging configuration."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=context.config.attributes["version_table"],
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
    )
    with context.begin_transaction():
        context.run_migrations()
