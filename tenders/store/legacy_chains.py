"""Databases migrated before the one migration tree: which of its revisions they already have.

Until December 2026 the schema had three Alembic chains in one database, each with its own version table, and the
sign-in tables were created from their models at start-up:

| old chain | version table | its revisions are now |
| --- | --- | --- |
| the store's (``tenders/store/migrations``) | ``alembic_version`` | 0001–0003, unchanged (same ids, same table) |
| the companies' (``profiles/migrations``) | ``profile_alembic_version`` | p0001 → 0004, p0002 → 0005 |
| the outbox's (``alerts/delivery/migrations``) | ``alert_alembic_version`` | a0001 → 0006 |
| sign-in tables (``create_all``) | none | 0007 |

:func:`applied_outside_the_tree` reads all of that into one set, so :func:`tenders.store.schema.upgrade_schema`
can stamp what a database has and run only what it lacks, whatever mix of old chains it was left with.
"""

from __future__ import annotations

import sqlalchemy as sa

STORE_VERSION_TABLE = "alembic_version"  # the old store chain's table is the one tree's table

# Each old chain's version table → {its revision: the one tree's revisions that revision stands for}.
OLD_VERSION_TABLES: dict[str, dict[str, tuple[str, ...]]] = {
    "profile_alembic_version": {"p0001": ("0004",), "p0002": ("0004", "0005")},
    "alert_alembic_version": {"a0001": ("0006",)},
}
# Revisions whose tables were created without a version table: applied when all their tables exist.
UNVERSIONED: dict[str, tuple[str, ...]] = {
    "0007": ("auth_users", "auth_api_keys", "auth_sessions", "auth_used_tokens"),
}


def old_version_tables(connection: sa.Connection) -> list[str]:
    """The old chains' version tables still in the database (none once it has been upgraded)."""
    tables = set(sa.inspect(connection).get_table_names())
    return [name for name in OLD_VERSION_TABLES if name in tables]


def applied_outside_the_tree(connection: sa.Connection) -> set[str]:
    """The one tree's revisions that the old chains' version tables, or tables made without one, say are done."""
    tables = set(sa.inspect(connection).get_table_names())
    applied: set[str] = set()
    for version_table, revisions in OLD_VERSION_TABLES.items():
        if version_table in tables:
            for (old,) in connection.execute(sa.text(f"SELECT version_num FROM {version_table}")):  # noqa: S608
                applied.update(revisions[old])
    for revision, needed in UNVERSIONED.items():
        if set(needed) <= tables:
            applied.add(revision)
    return applied


def drop_old_version_tables(connection: sa.Connection) -> None:
    for version_table in old_version_tables(connection):
        connection.execute(sa.text(f"DROP TABLE {version_table}"))
