"""The alert outbox.

Revision ID: 0006
Revises: 0005
(formerly a0001 of the outbox's own chain, version table alert_alembic_version)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alert_outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "company_id", sa.String(64), sa.ForeignKey("profile_companies.id", ondelete="CASCADE"),
            nullable=False, index=True,
        ),
        sa.Column("channel", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("event_key", sa.String(250), nullable=False),
        sa.Column("notice_id", sa.String(100), nullable=False),
        sa.Column("tender_id", sa.String(100), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("reasons", sa.JSON, nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True)),
        sa.Column("message_id", sa.String(250), index=True),
        sa.Column("digest_date", sa.Date),
        sa.Column("last_error", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("company_id", "channel", "kind", "event_key", name="uq_alert_outbox_once"),
    )
    op.create_index("ix_alert_outbox_state_due", "alert_outbox", ["state", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("alert_outbox")
