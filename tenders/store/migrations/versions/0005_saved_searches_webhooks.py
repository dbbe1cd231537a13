"""Saved searches (each with its own feed) and a company's webhook signing secret.

Revision ID: 0005
Revises: 0004
(formerly p0002 of the companies' own chain)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _company_fk() -> sa.ForeignKey:
    return sa.ForeignKey("profile_companies.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "profile_saved_searches",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("company_id", sa.String(64), _company_fk(), nullable=False, index=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("query", sa.Text, nullable=False),
        sa.Column("in_digest", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "profile_webhook_secrets",
        sa.Column("company_id", sa.String(64), _company_fk(), primary_key=True),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("profile_webhook_secrets")
    op.drop_table("profile_saved_searches")
