"""Alembic environment: the registry runs migrations on a connection it already holds.

``cementwatch.registry.db.migrate`` passes the connection in ``config.attributes["connection"]``;
offline (SQL script) mode is not used.
"""

from __future__ import annotations

from alembic import context

from cementwatch.registry.tables import metadata

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
