"""``anbudsvakt db upgrade`` and ``db current``: migrations as a step of their own.

In a deployment (docker-compose.yml) one short-lived ``migrate`` container runs ``db upgrade`` and the service and
the scheduler start only when it has finished, so no two containers race to migrate a fresh PostgreSQL database.
The schema has three Alembic chains, each with its own version table (the store's notices, the companies, the
alert outbox; the outbox refers to companies, so that order), plus the sign-in tables created from their models.
Each chain runs under the store's migration lock (tenders.store.engine.migrate), so a second caller waits.
"""

from __future__ import annotations

import sqlalchemy as sa
import typer

from alerts.delivery.outbox import upgrade_alert_schema
from alerts.delivery.tables import VERSION_TABLE as ALERT_VERSIONS
from api.security.tables import create_auth_tables
from profiles.tables import VERSION_TABLE as PROFILE_VERSIONS
from tenders.settings import get_settings
from tenders.store import TenderStore

CHAINS = (("annonser", "alembic_version"), ("företag", PROFILE_VERSIONS), ("utskick", ALERT_VERSIONS))


def revisions(engine: sa.Engine) -> dict[str, str | None]:
    """Each chain's current revision (None: never migrated)."""
    found: dict[str, str | None] = {}
    tables = set(sa.inspect(engine).get_table_names())
    with engine.connect() as connection:
        for name, table in CHAINS:
            found[name] = (connection.execute(sa.text(f"SELECT version_num FROM {table}")).scalar()  # noqa: S608
                           if table in tables else None)
    return found


def upgrade() -> None:
    """Migrate the database to the newest schema (all chains, in order); safe to run again."""
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    store = TenderStore.from_settings(settings)  # the store's chain runs when the store opens
    try:
        upgrade_alert_schema(store.engine)  # the companies' chain first, then the outbox's
        create_auth_tables(store.engine)
        typer.echo("Databasen är uppdaterad: " + ", ".join(f"{k} {v}" for k, v in revisions(store.engine).items()))
    finally:
        store.close()


def current() -> None:
    """Show each migration chain's revision without changing anything."""
    engine = sa.create_engine(get_settings().sqlalchemy_url)
    try:
        for name, revision in revisions(engine).items():
            typer.echo(f"{name}: {revision or 'inte migrerad'}")
    finally:
        engine.dispose()


def register(app: typer.Typer, groups: dict[str, typer.Typer]) -> None:
    groups["db"].command("upgrade")(upgrade)
    groups["db"].command("current")(current)
