"""``anbudsvakt db upgrade`` and ``db current``: migrations as a step of their own.

In a deployment (docker-compose.yml) one short-lived ``migrate`` container runs ``db upgrade`` and the service and
the scheduler start only when it has finished; on PostgreSQL they refuse to start on a database that is behind
(``tenders.store.schema.prepare_schema``). The schema is one Alembic tree (``tenders/store/migrations``, also
reachable as ``alembic`` from the repository root); a database left by the three old chains is taken over the first
time (``tenders.store.legacy_chains``). The upgrade runs under the migration lock, so a second caller waits.
"""

from __future__ import annotations

import sqlalchemy as sa
import typer

from tenders.settings import Settings, get_settings
from tenders.store.engine import create_store_engine
from tenders.store.legacy_chains import old_version_tables
from tenders.store.schema import (
    UPGRADE_COMMAND,
    SchemaNotCurrentError,
    current_revision,
    head_revision,
    prepare_schema,
    upgrade_schema,
)


def describe(engine: sa.Engine) -> str:
    """One line: the recorded revision against the newest, and what to do when they differ."""
    head = head_revision()
    with engine.connect() as connection:
        old_chains = old_version_tables(connection)
        current = current_revision(connection)
    if old_chains:
        return f"schema: de gamla migreringskedjorna ({', '.join(old_chains)}); kör `{UPGRADE_COMMAND}`"
    if current == head:
        return f"schema: {current} (senaste)"
    return f"schema: {current or 'inte migrerad'}, senaste är {head}; kör `{UPGRADE_COMMAND}`"


def upgrade() -> None:
    """Migrera databasen till det senaste schemat; kan köras igen, och från flera ställen samtidigt."""
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_store_engine(settings.sqlalchemy_url)
    try:
        with engine.connect() as connection:
            old_chains = old_version_tables(connection)
        upgrade_schema(engine)
        if old_chains:
            typer.echo(f"De gamla migreringskedjorna ({', '.join(old_chains)}) är överförda till ett migreringsträd.")
        typer.echo(f"Databasen är uppdaterad: {describe(engine)}")
    finally:
        engine.dispose()


def current() -> None:
    """Visa schemats version utan att ändra något."""
    engine = create_store_engine(get_settings().sqlalchemy_url)
    try:
        typer.echo(describe(engine))
    finally:
        engine.dispose()


def exit_unless_migrated(settings: Settings) -> None:
    """Before a service starts: the embedded SQLite file is migrated now (a fresh clone just runs); a PostgreSQL
    database that is behind stops the start with the message naming the migration step (exit status 2)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = create_store_engine(settings.sqlalchemy_url)
    try:
        prepare_schema(engine)
    except SchemaNotCurrentError as error:
        typer.echo(f"Anbudsvakt startar inte / does not start:\n{error}", err=True)
        raise typer.Exit(2) from error
    finally:
        engine.dispose()


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["db"].command("upgrade")(upgrade)
    groups["db"].command("current")(current)
