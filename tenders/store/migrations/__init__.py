"""Alembic migrations of the store, run on open by :func:`tenders.store.engine.upgrade_schema`."""
