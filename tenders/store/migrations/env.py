"""Alembic environment, run programmatically by :func:`tenders.store.engine.upgrade_schema`.

The caller passes an open connection in ``config.attributes["connection"]``; there is no alembic.ini
and no logging configuration here, so opening a store never reconfigures the application's logging.
"""

from __future__ import annotations

from alembic import context

from tenders.store.tables import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
