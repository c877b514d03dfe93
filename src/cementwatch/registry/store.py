"""``Registry``: store, find, show and delete cases in the SQL registry.

Every write is one transaction: a case and all its index rows go in together or not at all. Storing is
idempotent by content hash: storing the same content again returns the existing id (``new=False``).
Reading streams (``cases()`` pages by id), so memory stays flat on any registry size.
"""

from __future__ import annotations

import builtins
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from sqlalchemy import ColumnElement, Select, and_, delete, func, insert, or_, select, true
from sqlalchemy import case as sql_case
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from cementwatch.case import Case, Status, parse_case
from cementwatch.registry.columns import index_case
from cementwatch.registry.db import RegistryError, connect, public_url, schema_revision
from cementwatch.registry.tables import case_deficits, case_leaks, case_levels, case_treatments, cases

if TYPE_CHECKING:
    from cementwatch.assess.prognosis import Match, Shortlist

__all__ = ["Added", "Filters", "Kind", "Page", "Registry", "Row", "StoredCase", "case_hash"]

Kind = Literal["literature", "document", "case"]


def case_hash(case: Case) -> str:
    """sha256 of the case's canonical JSON (keys sorted): the identity of a case stored without a file."""
    canonical = json.dumps(case.to_json_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass(frozen=True)
class Filters:
    """What ``list`` and ``cases`` select; every given filter must hold (AND). Vocabulary values as in
    the case contract; leaks and deficits match *present* items; ``outcome="not_reported"`` matches
    cases without one; the delay bounds are on ``decompression_days`` (see ``registry.columns``)."""

    leak: str | None = None
    deficit: str | None = None
    treatment: str | None = None
    procedure: str | None = None
    outcome: str | None = None
    urgency: str | None = None
    kind: str | None = None
    level: str | None = None
    min_delay_days: float | None = None
    max_delay_days: float | None = None

    def where(self) -> list[ColumnElement[bool]]:
        c = cases.c
        clauses: list[ColumnElement[bool]] = []
        if self.leak:
            clauses.append(_has(case_leaks, location=self.leak, status="present"))
        if self.deficit:
            clauses.append(_has(case_deficits, kind=self.deficit, status="present"))
        if self.treatment:
            clauses.append(_has(case_treatments, kind=self.treatment, status="done"))
        if self.level:
            clauses.append(_has(case_levels, level=self.level))
        for name in ("procedure", "urgency", "kind"):
            if value := getattr(self, name):
                clauses.append(c[name] == value)
        if self.outcome:
            clauses.append(
                c.outcome.is_(None) if self.outcome == "not_reported" else c.outcome == self.outcome
            )
        if self.min_delay_days is not None:
            clauses.append(c.decompression_days >= self.min_delay_days)
        if self.max_delay_days is not None:
            clauses.append(c.decompression_days <= self.max_delay_days)
        return clauses

    def describe(self) -> str:
        given = [
            f"{f.name}={getattr(self, f.name)}" for f in fields(self) if getattr(self, f.name) is not None
        ]
        return ", ".join(given) or "all cases"


def _has(table: Any, **values: str | list[str]) -> ColumnElement[bool]:
    # IN (subquery) rather than a correlated EXISTS: both SQLite and PostgreSQL then read the matching
    # ids once from the (value, …, case_id) index instead of probing it once per case.
    conditions = [
        table.c[name].in_(value) if isinstance(value, list) else table.c[name] == value
        for name, value in values.items()
    ]
    return cases.c.id.in_(select(table.c.case_id).where(*conditions))


@dataclass(frozen=True)
class Added:
    id: int
    new: bool


@dataclass(frozen=True)
class Row:
    """One line of ``registry list``: what a reader scans for, without the case JSON."""

    id: int
    kind: str
    source: str | None
    urgency: str | None
    procedure: str | None
    leaks: tuple[str, ...]
    deficits: tuple[str, ...]
    decompression_days: float | None
    outcome: str | None
    citation: str | None


@dataclass(frozen=True)
class Page:
    rows: list[Row]
    total: int


@dataclass(frozen=True)
class StoredCase:
    id: int
    case: Case
    kind: str
    source: str | None
    content_hash: str
    reader_version: str | None
    stored_at: datetime
    urgency: str | None
    source_text: str | None


class Registry:
    """A registry at a database URL (default: see ``registry.db``). Use as a context manager or call
    :meth:`close`. Raises :class:`RegistryError` for an unusable database, at once."""

    def __init__(self, url: str | None = None) -> None:
        self.engine = connect(url)
        self.url = public_url(self.engine.url)

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -----------------------------------------------------------------------------------

    def add(
        self,
        case: Case,
        *,
        kind: Kind = "case",
        source: str | None = None,
        text: str | None = None,
        content_hash: str | None = None,
        reader_version: str | None = None,
        urgency: str | None = None,
        known_new: bool = False,
    ) -> Added:
        """Store one case in one transaction; the same content hash again returns the stored id.
        ``known_new``: the caller has just looked the hash up (ingest), so skip the second look;
        a duplicate is still caught by the unique hash."""
        content_hash = content_hash or case_hash(case)
        if not known_new and (found := self.find_hash(content_hash)) is not None:
            return Added(found, new=False)
        if urgency is None:
            from cementwatch.assess import assess

            urgency = assess(case, with_case=False).urgency.value
        indexed = index_case(case, urgency=urgency)
        row = {
            "content_hash": content_hash,
            "kind": kind,
            "source": source if source is not None else case.source,
            "case_json": case.to_json(),
            "source_text": text,
            "reader_version": reader_version,
            "stored_at": datetime.now(UTC),
            **indexed.columns,
        }
        try:
            with self.engine.begin() as connection:
                new_id = connection.execute(insert(cases).returning(cases.c.id), row).scalar_one()
                for table, items in (
                    (case_leaks, indexed.leaks),
                    (case_deficits, indexed.deficits),
                    (case_treatments, indexed.treatments),
                    (case_levels, indexed.levels),
                ):
                    if items:
                        connection.execute(insert(table), [{"case_id": new_id, **item} for item in items])
        except SQLAlchemyError as error:
            # stored meanwhile by another writer: still idempotent
            if isinstance(error, IntegrityError) and (found := self.find_hash(content_hash)) is not None:
                return Added(found, new=False)
            reason = " ".join(str(getattr(error, "orig", error)).split())[:300]
            raise RegistryError(f"could not store the case: {reason}") from None
        return Added(new_id, new=True)

    def delete(self, case_id: int) -> bool:
        """Delete a case and its index rows; False if there was no such case."""
        with self.engine.begin() as connection:
            for table in (case_leaks, case_deficits, case_treatments, case_levels):
                connection.execute(delete(table).where(table.c.case_id == case_id))
            return connection.execute(delete(cases).where(cases.c.id == case_id)).rowcount > 0

    # -- reading -----------------------------------------------------------------------------------

    def find_hash(self, content_hash: str) -> int | None:
        with self.engine.connect() as connection:
            return connection.execute(
                select(cases.c.id).where(cases.c.content_hash == content_hash)
            ).scalar_one_or_none()

    def find_hashes(self, content_hashes: Sequence[str]) -> dict[str, int]:
        """The stored id of each of ``content_hashes`` that is in the registry (one query)."""
        if not content_hashes:
            return {}
        query = select(cases.c.content_hash, cases.c.id).where(cases.c.content_hash.in_(content_hashes))
        with self.engine.connect() as connection:
            return {digest: case_id for digest, case_id in connection.execute(query)}

    def get(self, case_id: int) -> StoredCase | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(cases).where(cases.c.id == case_id)).mappings().first()
        return _stored(row) if row is not None else None

    def count(self, filters: Filters | None = None) -> int:
        query = select(func.count()).select_from(cases).where(*(filters or Filters()).where())
        with self.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def list(self, filters: Filters | None = None, *, limit: int = 50, offset: int = 0) -> Page:
        """The newest cases first, ``limit`` at a time, with the total that match."""
        where = (filters or Filters()).where()
        c = cases.c
        query: Select[Any] = (
            select(
                c.id, c.kind, c.source, c.urgency, c.procedure, c.decompression_days, c.outcome, c.citation
            )
            .where(*where)
            .order_by(c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self.engine.connect() as connection:
            found = connection.execute(query).all()
            total = connection.execute(select(func.count()).select_from(cases).where(*where)).scalar_one()
            ids = [r.id for r in found]
            leaks = _present(connection, case_leaks, "location", ids)
            deficits = _present(connection, case_deficits, "kind", ids)
        rows = [
            Row(
                id=r.id,
                kind=r.kind,
                source=r.source,
                urgency=r.urgency,
                procedure=r.procedure,
                leaks=tuple(leaks.get(r.id, ())),
                deficits=tuple(deficits.get(r.id, ())),
                decompression_days=r.decompression_days,
                outcome=r.outcome,
                citation=r.citation,
            )
            for r in found
        ]
        return Page(rows=rows, total=int(total))

    def cases(self, filters: Filters | None = None, *, batch: int = 500) -> Iterator[StoredCase]:
        """Every matching case, oldest first, fetched ``batch`` at a time (keyset paging)."""
        where = (filters or Filters()).where()
        last = 0
        while True:
            query = select(cases).where(cases.c.id > last, *where).order_by(cases.c.id).limit(batch)
            with self.engine.connect() as connection:
                rows = connection.execute(query).mappings().all()
            if not rows:
                return
            for row in rows:
                yield _stored(row)
            last = rows[-1]["id"]

    def similar(self, case: Case, *, k: int = 5) -> builtins.list[Match]:
        """The ``k`` stored cases most like ``case``, best first (:meth:`shortlist`)."""
        return self._similar(case, k)[0]

    def shortlist(self, case: Case, *, k: int = 5) -> Shortlist:
        """The ``k`` stored cases most like ``case``, with how many stored cases could be compared:
        what ``assess --similar registry`` gives the prognosis section."""
        from cementwatch.assess.prognosis import Shortlist

        matches, compared = self._similar(case, k)
        return Shortlist([m.case for m in matches], compared)

    def _similar(self, case: Case, k: int) -> tuple[builtins.list[Match], int]:
        """The ``k`` stored cases most like ``case`` (``cementwatch.assess.prognosis.similar``), the same
        answer as that function over every stored case.

        To stay quick on a large registry, only cases that could score well are considered: those
        sharing an active (present or possible) leak location with ``case``, or with a deficit severity
        within one step of its own. They are ranked first on their stored profiles (the ``profile``
        column); only the best of them, with every tie at the cut, are read in full and ranked by
        ``similar`` itself, which also leaves out the case itself."""
        from cementwatch.assess.prognosis import rank
        from cementwatch.registry.columns import deficit_severity

        if k < 1:
            raise ValueError(f"k must be at least 1, got {k}")
        locations = sorted({k.location.value for k in case.leaks if k.status is not Status.ABSENT})
        severity = deficit_severity(case)
        clauses: list[ColumnElement[bool]] = []
        if severity is not None:
            clauses.append(cases.c.deficit_severity.between(severity - 1, severity + 1))
        if locations:
            clauses.append(_has(case_leaks, location=locations, status=["present", "possible"]))
        where = or_(*clauses) if clauses else true()
        ranked = self._ranked_by_profile(case, where)
        extra = 4  # room for the case itself and its copies, which similar() leaves out
        while True:
            cut = min(len(ranked), k + extra)
            bar = ranked[cut - 1][0] if cut else (0.0, 0.0)
            ids = [row_id for key, row_id in ranked if key >= bar]
            found, seen = rank(case, self._by_id(sorted(ids)), k)
            if len(found) == k or len(ids) == len(ranked):
                # the case itself and its copies score highest, so any left out were among the ids
                return found, len(ranked) - (len(ids) - seen)
            extra *= 4

    def _ranked_by_profile(self, case: Case, where: ColumnElement[bool]) -> builtins.list[tuple[Any, int]]:
        """Candidates as ((score, weight compared), id), best first, from the stored profiles."""
        from cementwatch.assess.prognosis import BASIS, compare, profile
        from cementwatch.registry.columns import profile_from_json

        query = profile(case)
        need = [name for name in BASIS if getattr(query, name) is not None]
        ranked: builtins.list[tuple[Any, int]] = []
        with self.engine.connect() as connection:
            unprofiled = sql_case((cases.c.profile.is_(None), cases.c.case_json), else_=None)
            rows = connection.execute(
                select(cases.c.id, cases.c.profile, unprofiled.label("case_json")).where(where)
            )
            for row in rows:
                stored = row.profile
                found = profile_from_json(stored) if stored else profile(parse_case(row.case_json))
                result = compare(query, found)
                if result is not None and all(name in result[3] for name in need):
                    ranked.append(((result[0], result[1]), row.id))
        ranked.sort(key=lambda item: item[0], reverse=True)
        return ranked

    def _by_id(self, ids: builtins.list[int], batch: int = 500) -> Iterator[Case]:
        """The stored cases with these ids, in the order given."""
        for start in range(0, len(ids), batch):
            chunk = ids[start : start + batch]
            with self.engine.connect() as connection:
                rows = dict(
                    connection.execute(
                        select(cases.c.id, cases.c.case_json).where(cases.c.id.in_(chunk))
                    ).all()
                )
            for row_id in chunk:
                yield parse_case(rows[row_id], where=f"registry case {row_id}")

    def info(self) -> dict[str, Any]:
        """Where the registry is, its schema revision, and how many cases of each kind it holds."""
        with self.engine.connect() as connection:
            kinds: dict[str, int] = dict(
                connection.execute(select(cases.c.kind, func.count()).group_by(cases.c.kind)).all()
            )
        return {
            "url": self.url,
            "backend": self.engine.dialect.name,
            "schema_revision": schema_revision(self.engine),
            "cases": sum(kinds.values()),
            "by_kind": {kind: int(n) for kind, n in sorted(kinds.items())},
        }


def _present(connection: Any, table: Any, column: str, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    if not ids:
        return found
    query = (
        select(table.c.case_id, table.c[column])
        .where(and_(table.c.case_id.in_(ids), table.c.status == "present"))
        .order_by(table.c.case_id, table.c[column])
    )
    for case_id, value in connection.execute(query):
        if value not in found.setdefault(case_id, []):
            found[case_id].append(value)
    return found


def _stored(row: Any) -> StoredCase:
    stored_at = row["stored_at"]
    if stored_at.tzinfo is None:  # SQLite keeps no zone; every time is written in UTC
        stored_at = stored_at.replace(tzinfo=UTC)
    return StoredCase(
        id=row["id"],
        case=parse_case(row["case_json"], where=f"registry case {row['id']}"),
        kind=row["kind"],
        source=row["source"],
        content_hash=row["content_hash"],
        reader_version=row["reader_version"],
        stored_at=stored_at,
        urgency=row["urgency"],
        source_text=row["source_text"],
    )
