"""Initial schema: notices, tenders (current views), crawl runs.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("notice_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(20), nullable=False),
        sa.Column("tender_id", sa.String(100), nullable=False),
        sa.Column("procedure_id", sa.String(100)),
        sa.Column("form_type", sa.String(30)),
        sa.Column("notice_type", sa.String(30)),
        sa.Column("publication_date", sa.Date),
        sa.Column("issue_date", sa.Date),
        sa.Column("source", sa.String(50), nullable=False),
        sa.Column("source_url", sa.Text),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("notice_id", "version", name="uq_notices_notice_version"),
    )
    op.create_index("ix_notices_tender_id", "notices", ["tender_id"])
    op.create_table(
        "tenders",
        sa.Column("tender_id", sa.String(100), primary_key=True),
        sa.Column("notice_id", sa.String(100), nullable=False),
        sa.Column("version", sa.String(20), nullable=False),
        sa.Column("form_type", sa.String(30)),
        sa.Column("publication_date", sa.Date),
        sa.Column("submission_deadline", sa.DateTime(timezone=True)),
        sa.Column("notice_count", sa.Integer, nullable=False),
        sa.Column("source_urls", sa.JSON, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_tenders_publication_date", "tenders", ["publication_date"])
    op.create_index("ix_tenders_submission_deadline", "tenders", ["submission_deadline"])
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("source", sa.String(50), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True)),
        sa.Column("requests", sa.Integer, nullable=False),
        sa.Column("items", sa.Integer, nullable=False),
        sa.Column("errors", sa.Integer, nullable=False),
        sa.Column("complete", sa.Boolean, nullable=False),
        sa.Column("expected", sa.Integer),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index("ix_crawl_runs_source_started", "crawl_runs", ["source", "started_at"])


def downgrade() -> None:
    op.drop_table("crawl_runs")
    op.drop_table("tenders")
    op.drop_table("notices")
