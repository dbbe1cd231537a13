"""Alembic environment of the one migration tree; two ways in.

- From :mod:`tenders.store.schema`: the caller passes an open connection that already holds the migration lock
  (``config.attributes["connection"]``). No logging configuration, so opening a store never reconfigures the
  application's logging, and no table models: upgrading needs only the revisions.
- From the ``alembic`` command at the repository root (``alembic.ini``): the URL comes from the project settings
  (``ANBUDSVAKT_DATABASE_URL``, else the SQLite file in ``ANBUDSVAKT_DATA_DIR``), the migration lock is taken here,
  and the table models named in ``alembic.ini``'s ``target_metadata`` are loaded for ``--autogenerate`` and
  ``alembic check``. They are named there rather than imported, because this package is the lowest layer and the
  models of ``profiles``, ``alerts`` and ``api`` sit above it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from logging.config import fileConfig

import sqlalchemy as sa
from alembic import context
from alembic.util import CommandError

from tenders.settings import get_settings
from tenders.store.engine import create_store_engine, migrate
from tenders.store.legacy_chains import old_version_tables
from tenders.store.schema import UPGRADE_COMMAND


def run_on(connection: sa.Connection, target_metadata: list[sa.MetaData] | None) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        include_object=without_foreign_keys_across(target_metadata or []),
    )
    with context.begin_transaction():
        context.run_migrations()


def without_foreign_keys_across(target_metadata: list[sa.MetaData]) -> Callable[..., bool]:
    """For autogenerate: leave out a foreign key that the database has and no model can declare, because it joins
    tables of two layers' separate metadata (``alert_outbox.company_id`` → ``profile_companies``)."""
    owner = {name: metadata for metadata in target_metadata for name in metadata.tables}

    def include(item: object, _name: str | None, type_: str, reflected: bool, compare_to: object | None) -> bool:
        if type_ != "foreign_key_constraint" or not reflected or compare_to is not None:
            return True
        assert isinstance(item, sa.ForeignKeyConstraint)
        return owner.get(item.table.name) is owner.get(item.referred_table.name)

    return include


def named_metadata(names: str) -> list[sa.MetaData]:
    """``module:attribute.path`` names, separated by whitespace, loaded to their MetaData objects."""
    found = []
    for name in names.split():
        module_name, _, path = name.partition(":")
        value: object = importlib.import_module(module_name)
        for attribute in path.split("."):
            value = getattr(value, attribute)
        assert isinstance(value, sa.MetaData), name
        found.append(value)
    return found


def run_from_the_alembic_command() -> None:
    config = context.config
    if config.config_file_name is not None:
        fileConfig(config.config_file_name, disable_existing_loggers=False)
    target_metadata = named_metadata(config.get_main_option("target_metadata", ""))
    url = get_settings().sqlalchemy_url
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    def run_locked(connection: sa.Connection) -> None:
        if old_version_tables(connection):
            raise CommandError(f"Databasen har de gamla tre migreringskedjorna: kör `{UPGRADE_COMMAND}` en gång, "
                               f"sedan fungerar alembic. / The database still has the three old migration chains: "
                               f"run `{UPGRADE_COMMAND}` once, then alembic works.")
        run_on(connection, target_metadata)

    engine = create_store_engine(url)
    try:
        migrate(engine, run_locked)
    finally:
        engine.dispose()


if (given := context.config.attributes.get("connection")) is not None:
    run_on(given, target_metadata=None)
else:
    run_from_the_alembic_command()
