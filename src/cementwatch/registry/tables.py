"""The registry's tables (SQLAlchemy Core). Alembic migrations create them; this module describes them.

One row in ``cases`` per stored case: the case JSON as validated (the truth), optionally the source
text, a content hash that makes storing idempotent, provenance, and normalised columns for querying.
What a case holds in lists (leaks, deficits, treatments, levels) is in child tables, one row per item,
so that filters are indexed lookups. Child rows go with their case (ON DELETE CASCADE).

A test checks that the migrations at head produce exactly this schema.
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

__all__ = ["case_deficits", "case_leaks", "case_levels", "case_treatments", "cases", "metadata"]

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # sha256 of the document's bytes (ingest) or of the canonical case JSON (add, import)
    Column("content_hash", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),  # literature | document | case
    Column("source", Text),
    Column("case_json", Text, nullable=False),
    Column("source_text", Text),
    Column("reader_version", String(32)),
    Column("stored_at", DateTime(timezone=True), nullable=False),
    # normalised columns (derived from case_json by registry.columns; never edited by hand)
    Column("urgency", String(16)),
    Column("procedure", String(32)),
    Column("indication", String(32)),
    Column("age", Integer),
    Column("sex", String(8)),
    Column("deficit_severity", Float),
    Column("onset_days", Float),
    Column("presentation_days", Float),
    Column("decompression_days", Float),
    Column("followup_days", Float),
    Column("outcome", String(16)),
    Column("citation", Text),
    Column("citation_ref", String(256)),
    Column("profile", Text),  # assess.features.Profile as JSON (columns.profile_json); migration 0002
    Index(None, "kind", "id"),
    Index(None, "urgency", "id"),
    Index(None, "procedure", "id"),
    Index(None, "outcome", "id"),
    Index(None, "decompression_days"),
    Index(None, "deficit_severity"),
)


def _child(name: str, *columns: Column[object], index: tuple[str, ...]) -> Table:
    return Table(
        name,
        metadata,
        Column("case_id", Integer, ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        *columns,
        Index(None, *index, "case_id"),
        Index(None, "case_id"),
    )


case_leaks = _child(
    "case_leaks",
    Column("location", String(16), nullable=False),
    Column("status", String(8), nullable=False),
    index=("location", "status"),
)
case_deficits = _child(
    "case_deficits",
    Column("kind", String(24), nullable=False),
    Column("status", String(8), nullable=False),
    index=("kind", "status"),
)
case_treatments = _child(
    "case_treatments",
    Column("kind", String(24), nullable=False),
    Column("status", String(12), nullable=False),
    Column("day", Float),
    index=("kind", "status"),
)
# role: "procedure" (a treated level of a current augmentation) or "leak" (a level cement leaked at)
case_levels = _child(
    "case_levels",
    Column("level", String(3), nullable=False),
    Column("role", String(12), nullable=False),
    index=("level",),
)
