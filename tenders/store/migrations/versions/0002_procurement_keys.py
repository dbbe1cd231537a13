"""Procurement keys: one tender, many sources (tenders.dedup matches notices across TED and the databases).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "procurement_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("notice_pk", sa.Integer, sa.ForeignKey("notices.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
    )
    op.create_index("ix_procurement_keys_notice_pk", "procurement_keys", ["notice_pk"])
    op.create_index("ix_procurement_keys_key", "procurement_keys", ["key"])


def downgrade() -> None:
    op.drop_table("procurement_keys")
