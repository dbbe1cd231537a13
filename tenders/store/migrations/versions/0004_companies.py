"""Companies, channels, consent history, follows and alert feedback.

Revision ID: 0004
Revises: 0003
(formerly p0001 of the companies' own chain, version table profile_alembic_version)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _company_fk() -> sa.ForeignKey:
    # One ForeignKey object per column: SQLAlchemy binds it to the column it is given to.
    return sa.ForeignKey("profile_companies.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "profile_companies",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("orgnr", sa.String(10), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("municipality_code", sa.String(4)),
        sa.Column("size", sa.String(10)),
        sa.Column("has_bid_before", sa.Boolean),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("consent_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "profile_channels",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("company_id", sa.String(64), _company_fk(), nullable=False, index=True),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("unsubscribed_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("company_id", "kind", "address", name="uq_profile_channels_address"),
    )
    op.create_table(
        "profile_consents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("company_id", sa.String(64), _company_fk(), nullable=False, index=True),
        sa.Column("event", sa.String(20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("via", sa.String(30), nullable=False),
    )
    op.create_table(
        "profile_follows",
        sa.Column("company_id", sa.String(64), _company_fk(), primary_key=True),
        sa.Column("tender_id", sa.String(100), primary_key=True),
        sa.Column("followed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
    )
    op.create_table(
        "profile_feedback",
        sa.Column("company_id", sa.String(64), _company_fk(), primary_key=True),
        sa.Column("notice_id", sa.String(100), primary_key=True),
        sa.Column("relevant", sa.Boolean, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    for table in ("profile_feedback", "profile_follows", "profile_consents", "profile_channels", "profile_companies"):
        op.drop_table(table)
