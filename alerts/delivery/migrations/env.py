"""Alembic environment of the ``alert_*`` tables (version table ``alert_alembic_version``)."""

from __future__ import annotations

from alerts.delivery.tables import AlertBase
from profiles.alembic_runner import run_migrations_online

run_migrations_online(AlertBase.metadata)
