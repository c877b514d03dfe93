"""The similarity profile of each case as a column, so similar cases are ranked without parsing JSON.

Existing rows are filled from their case JSON (``registry.columns.profile_json``), 500 at a time.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from cementwatch.case import parse_case
    from cementwatch.registry.columns import profile_json

    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("profile", sa.Text()))
    cases = sa.table("cases", sa.column("id", sa.Integer()), sa.column("case_json", sa.Text()))
    cases.append_column(sa.column("profile", sa.Text()))
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(cases.c.id, cases.c.case_json).where(cases.c.id > last).order_by(cases.c.id).limit(500)
        ).all()
        if not rows:
            return
        connection.execute(
            cases.update().where(cases.c.id == sa.bindparam("row_id")),
            [
                {"row_id": r.id, "profile": profile_json(parse_case(r.case_json, where=f"case {r.id}"))}
                for r in rows
            ],
        )
        last = rows[-1].id


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("profile")
