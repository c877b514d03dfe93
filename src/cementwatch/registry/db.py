"""The one seam to the database: where the registry lives, connecting, and migrating.

The registry URL is, in order: the ``url`` argument, ``CEMENTWATCH_DATABASE_URL``, or an SQLite file
in the user's data folder (``platformdirs``; on Linux ``~/.local/share/cementwatch/registry.sqlite3``).
Any SQLAlchemy URL works in principle; SQLite and PostgreSQL (``postgresql+psycopg://…``) are tested.

SQLite runs in WAL mode with ``synchronous=NORMAL``: a commit survives a crash of CementWatch (what
resuming an ingest relies on); only a power cut may lose the last commits, and never corrupts the file.
Opening a registry brings its schema to the newest migration (Alembic) first.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SQLAlchemyError

__all__ = [
    "ENV_URL",
    "HEAD",
    "RegistryError",
    "connect",
    "default_url",
    "migrate",
    "public_url",
    "schema_revision",
]

ENV_URL = "CEMENTWATCH_DATABASE_URL"


class RegistryError(Exception):
    """The registry cannot be used: a bad URL, an unreachable or broken database. Says which and why."""


def default_url() -> str:
    """``CEMENTWATCH_DATABASE_URL`` if set, else the SQLite file in the user's data folder."""
    from_env = os.environ.get(ENV_URL, "").strip()
    if from_env:
        return from_env
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('cementwatch')) / 'registry.sqlite3'}"


def public_url(url: str | URL) -> str:
    """The URL with any password hidden, for messages and ``registry info``."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unreadable URL>"


def connect(url: str | None = None) -> Engine:
    """An engine for the registry at ``url``, schema migrated. Raises :class:`RegistryError`."""
    url = url or default_url()
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise RegistryError(f"{url!r} is not a database URL (e.g. sqlite:///path/registry.sqlite3)") from None
    options: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database).expanduser()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise RegistryError(f"cannot create {path.parent}: {error.strerror}") from None
            if path.is_dir():
                raise RegistryError(f"{path} is a folder, not a database file")
    else:
        options["pool_pre_ping"] = True
    try:
        engine = create_engine(parsed, **options)
    except (NoSuchModuleError, ImportError) as error:
        raise RegistryError(f"{public_url(parsed)}: no driver for this database ({error})") from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    try:
        migrate(engine)
    except OperationalError as error:
        engine.dispose()
        raise RegistryError(f"cannot use the registry at {public_url(parsed)}: {_reason(error)}") from None
    except SQLAlchemyError as error:
        engine.dispose()
        raise RegistryError(f"the registry at {public_url(parsed)} failed: {_reason(error)}") from None
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _reason(error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None)
    text = str(original if original is not None else error).strip()
    return " ".join(text.split())[:300] or type(error).__name__


HEAD = "0002"
"""The newest migration (a test checks it against the migrations folder, so opening a current
registry need not import Alembic)."""


def _migrations() -> Path:
    return Path(str(resources.files("cementwatch.registry") / "migrations"))


def schema_revision(engine: Engine) -> str | None:
    """The Alembic revision the database is at (None for an empty database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        from sqlalchemy import text

        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest migration; does nothing (and imports nothing) when it is there."""
    if schema_revision(engine) == HEAD:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_migrations()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
