"""The first registry schema: cases and their leaks, deficits, treatments and levels.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_CHILDREN: dict[str, tuple[list[sa.Column[Any]], list[str]]] = {
    "case_leaks": (
        [
            sa.Column("location", sa.String(16), nullable=False),
            sa.Column("status", sa.String(8), nullable=False),
        ],
        ["location", "status"],
    ),
    "case_deficits": (
        [sa.Column("kind", sa.String(24), nullable=False), sa.Column("status", sa.String(8), nullable=False)],
        ["kind", "status"],
    ),
    "case_treatments": (
        [
            sa.Column("kind", sa.String(24), nullable=False),
            sa.Column("status", sa.String(12), nullable=False),
            sa.Column("day", sa.Float()),
        ],
        ["kind", "status"],
    ),
    "case_levels": (
        [sa.Column("level", sa.String(3), nullable=False), sa.Column("role", sa.String(12), nullable=False)],
        ["level"],
    ),
}


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("source", sa.Text()),
        sa.Column("case_json", sa.Text(), nullable=False),
        sa.Column("source_text", sa.Text()),
        sa.Column("reader_version", sa.String(32)),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("urgency", sa.String(16)),
        sa.Column("procedure", sa.String(32)),
        sa.Column("indication", sa.String(32)),
        sa.Column("age", sa.Integer()),
        sa.Column("sex", sa.String(8)),
        sa.Column("deficit_severity", sa.Float()),
        sa.Column("onset_days", sa.Float()),
        sa.Column("presentation_days", sa.Float()),
        sa.Column("decompression_days", sa.Float()),
        sa.Column("followup_days", sa.Float()),
        sa.Column("outcome", sa.String(16)),
        sa.Column("citation", sa.Text()),
        sa.Column("citation_ref", sa.String(256)),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.UniqueConstraint("content_hash", name="uq_cases_content_hash"),
    )
    for pair in (("kind", "id"), ("urgency", "id"), ("procedure", "id"), ("outcome", "id")):
        op.create_index("ix_cases_" + "_".join(pair), "cases", list(pair))
    op.create_index("ix_cases_decompression_days", "cases", ["decompression_days"])
    op.create_index("ix_cases_deficit_severity", "cases", ["deficit_severity"])
    for table, (columns, index) in _CHILDREN.items():  # each child: case_id, its columns, two indexes
        op.create_table(
            table,
            sa.Column("case_id", sa.Integer(), nullable=False),
            *columns,
            sa.ForeignKeyConstraint(
                ["case_id"], ["cases.id"], name=f"fk_{table}_case_id_cases", ondelete="CASCADE"
            ),
        )
        op.create_index(f"ix_{table}_{'_'.join(index)}_case_id", table, [*index, "case_id"])
        op.create_index(f"ix_{table}_case_id", table, ["case_id"])


def downgrade() -> None:
    for table in _CHILDREN:
        op.drop_table(table)
    op.drop_table("cases")
