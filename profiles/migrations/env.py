"""Alembic environment of the ``profile_*`` tables (version table ``profile_alembic_version``)."""

from __future__ import annotations

from profiles.alembic_runner import run_migrations_online
from profiles.tables import ProfileBase

run_migrations_online(ProfileBase.metadata)
