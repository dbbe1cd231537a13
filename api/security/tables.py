"""Tables owned by the web app (users, API keys, sessions, spent magic links), prefixed ``auth_``.

They live in the same database as the store (``settings.sqlalchemy_url``) in their own metadata; their migration is
revision 0007 of the one tree (``tenders/store/migrations``), written out there because the tree sits in the lowest
layer. Change these models and a new revision together.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
)

metadata = MetaData()

users = Table(
    "auth_users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False, default=""),
    Column("role", String(20), nullable=False),  # developer | staff
    Column("password_hash", String(300), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

api_keys = Table(
    "auth_api_keys",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("auth_users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(200), nullable=False, default=""),
    Column("prefix", String(16), nullable=False),  # shown in lists so a key can be recognised, never enough to use
    Column("key_hash", String(64), nullable=False, unique=True),  # sha256 hex of the full key
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

# Server-side sessions so that signing out (or revoking a user) ends the session everywhere.
sessions = Table(
    "auth_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 hex of the cookie value
    Column("kind", String(10), nullable=False),  # company | user
    Column("subject_id", String(64), nullable=False),
    Column("email", String(320), nullable=False, default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)

# A magic link is single-use: its id goes here when spent; the primary key makes a second use fail atomically.
used_tokens = Table(
    "auth_used_tokens",
    metadata,
    Column("jti", String(64), primary_key=True),
    Column("used_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False, index=True),
)
