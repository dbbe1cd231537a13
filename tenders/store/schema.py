"""The database schema: one Alembic tree (``tenders/store/migrations``, ``alembic.ini`` at the repository root).

- :func:`upgrade_schema` brings any database to the newest revision under the migration lock, including one left by
  the three old chains (``tenders.store.legacy_chains``): what it has is stamped, what it lacks is run.
- :func:`prepare_schema` is what opening the store does: the embedded SQLite file migrates itself (a fresh clone
  just runs), a server database (PostgreSQL) must already be current — migrating it is a deployment step of its own
  (``anbudsvakt db upgrade``, the ``migrate`` service in docker-compose), so containers never migrate on start-up.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from tenders.store.engine import migrate
from tenders.store.legacy_chains import applied_outside_the_tree, drop_old_version_tables, old_version_tables

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
UPGRADE_COMMAND = "anbudsvakt db upgrade"


class SchemaNotCurrentError(RuntimeError):
    """A server database whose schema is behind (or empty, or still on the old chains): run the migration step."""


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@cache  # the revisions on disk do not change while a process runs; every store open asks
def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migration tree has revisions"
    return head


def current_revision(connection: sa.Connection) -> str | None:
    """The one tree's revision recorded in the database (None: never migrated)."""
    return MigrationContext.configure(connection).get_current_revision()


def schema_problem(engine: sa.Engine) -> str | None:
    """Why this database cannot be used as it is, in Swedish and English with the command that fixes it; None when
    it is at the newest revision."""
    head = head_revision()
    with engine.connect() as connection:
        old_chains = old_version_tables(connection)
        current = current_revision(connection)
    if not old_chains and current == head:
        return None
    if old_chains:
        state_sv, state_en = "har de gamla tre migreringskedjorna", "still has the three old migration chains"
    elif current is None:
        state_sv, state_en = "är inte migrerad (tom)", "is not migrated (empty)"
    else:
        state_sv, state_en = f"har schemaversion {current}", f"is at schema revision {current}"
    return (f"Databasen {state_sv}; den här versionen av Anbudsvakt behöver {head}. Kör `{UPGRADE_COMMAND}` först.\n"
            f"The database {state_en}; this version of Anbudsvakt needs {head}. Run `{UPGRADE_COMMAND}` first.")


def require_current_schema(engine: sa.Engine) -> None:
    if problem := schema_problem(engine):
        raise SchemaNotCurrentError(problem)


def prepare_schema(engine: sa.Engine) -> None:
    """On opening: the embedded SQLite default migrates itself; a server database must already be current."""
    if engine.dialect.name == "sqlite":
        upgrade_schema(engine)
    else:
        require_current_schema(engine)


def upgrade_schema(engine: sa.Engine) -> None:
    """Bring the schema to the newest revision (creates it on an empty database), under the migration lock."""
    migrate(engine, _upgrade_to_head)


def _upgrade_to_head(connection: sa.Connection) -> None:
    config = alembic_config(connection)
    script = ScriptDirectory.from_config(config)
    current = current_revision(connection)
    recorded = {r.revision for r in script.iterate_revisions(current, "base")} if current else set()
    done_elsewhere = applied_outside_the_tree(connection) - recorded
    if not done_elsewhere:
        command.upgrade(config, "head")
    else:
        # Walk the tree from the recorded revision: stamp what the old chains already did, run the rest, in order.
        oldest_first = [r.revision for r in script.iterate_revisions("head", current or "base")][::-1]
        for revision in oldest_first:
            if revision in recorded:
                continue
            if revision in done_elsewhere:
                command.stamp(config, revision)
            else:
                command.upgrade(config, revision)
    drop_old_version_tables(connection)
