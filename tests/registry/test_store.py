"""The SQL store on SQLite and PostgreSQL: schema, round trips, idempotence, filters, deletes, errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from cementwatch.case import Case, Status, TreatmentStatus, parse_case
from cementwatch.registry import store as store_module
from cementwatch.registry.columns import DECOMPRESSIVE, Indexed, index_case
from cementwatch.registry.db import HEAD, RegistryError, connect
from cementwatch.registry.store import Filters, Registry, case_hash
from cementwatch.registry.tables import (
    case_deficits,
    case_leaks,
    case_levels,
    case_treatments,
    cases,
    metadata,
)
from tests.conftest import CASES, SEEDS


def _fixtures() -> list[Case]:
    paths = sorted(CASES.glob("*.json")) + sorted(SEEDS.glob("*.case.json"))
    return [parse_case(p.read_text(encoding="utf-8")) for p in paths]


FIXTURES = _fixtures()


def _fill(registry: Registry) -> dict[int, Case]:
    return {registry.add(case).id: case for case in FIXTURES}


def test_the_migrations_build_exactly_the_described_schema(registry: Registry) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from cementwatch.registry.db import _migrations

    assert ScriptDirectory(str(_migrations())).get_current_head() == HEAD
    with registry.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []
    assert registry.info()["schema_revision"] == HEAD


def test_a_stored_case_comes_back_exactly(registry: Registry) -> None:
    for case_id, case in _fill(registry).items():
        stored = registry.get(case_id)
        assert stored is not None
        assert stored.case.to_json_dict() == case.to_json_dict()
        assert stored.content_hash == case_hash(case)
        assert stored.stored_at.tzinfo is not None


def test_storing_the_same_case_twice_keeps_one(registry: Registry) -> None:
    first = registry.add(FIXTURES[0])
    again = registry.add(parse_case(FIXTURES[0].to_json()))
    assert first.new and not again.new and again.id == first.id
    assert registry.count() == 1


def test_text_and_provenance_are_kept(registry: Registry) -> None:
    added = registry.add(
        FIXTURES[0],
        kind="document",
        source="a.txt",
        text="Report text.",
        content_hash="f" * 64,
        reader_version="9",
    )
    stored = registry.get(added.id)
    assert stored is not None
    assert (stored.kind, stored.source, stored.source_text, stored.reader_version) == (
        "document",
        "a.txt",
        "Report text.",
        "9",
    )
    assert registry.find_hash("f" * 64) == added.id


@pytest.mark.parametrize(
    ("filters", "holds"),
    [
        (
            Filters(leak="intradural"),
            lambda c: any(k.location.value == "intradural" and k.status is Status.PRESENT for k in c.leaks),
        ),
        (
            Filters(deficit="paraplegia"),
            lambda c: any(
                d.kind.value == "paraplegia" and d.status is Status.PRESENT for d in c.findings.deficits
            ),
        ),
        (
            Filters(outcome="improved"),
            lambda c: c.outcome.status is not None and c.outcome.status.value == "improved",
        ),
        (Filters(outcome="not_reported"), lambda c: c.outcome.status is None),
        (
            Filters(procedure="kyphoplasty"),
            lambda c: next((p.kind.value for p in c.procedures if not p.historical), None) == "kyphoplasty",
        ),
        (
            Filters(level="T12"),
            lambda c: (
                any("T12" in p.levels for p in c.procedures if not p.historical)
                or any("T12" in k.levels for k in c.leaks if k.status is not Status.ABSENT)
            ),
        ),
        (
            Filters(treatment="laminectomy"),
            lambda c: any(
                t.kind.value == "laminectomy" and t.status is TreatmentStatus.DONE for t in c.treatments
            ),
        ),
    ],
    ids=lambda v: v.describe() if isinstance(v, Filters) else "",
)
def test_filters_select_exactly_the_matching_cases(
    registry: Registry, filters: Filters, holds: object
) -> None:
    stored = _fill(registry)
    expected = {case_id for case_id, case in stored.items() if holds(case)}  # type: ignore[operator]
    assert expected, "the fixtures should hold some matching cases"
    page = registry.list(filters, limit=1000)
    assert {row.id for row in page.rows} == expected
    assert page.total == len(expected) == registry.count(filters)
    assert {s.id for s in registry.cases(filters, batch=7)} == expected


def _delay(case: Case) -> float | None:
    days = [
        t.day if t.day is not None else case.timeline.treatment_days
        for t in case.treatments
        if t.kind in DECOMPRESSIVE and t.status is TreatmentStatus.DONE
    ]
    known = [d for d in days if d is not None]
    return min(known) if known else None


def test_delay_filters_bound_the_days_to_decompression(registry: Registry) -> None:
    stored = _fill(registry)
    late = {i for i, c in stored.items() if (d := _delay(c)) is not None and d >= 30}
    early = {i for i, c in stored.items() if (d := _delay(c)) is not None and d <= 2}
    assert late and early
    assert {r.id for r in registry.list(Filters(min_delay_days=30), limit=1000).rows} == late
    assert {r.id for r in registry.list(Filters(max_delay_days=2), limit=1000).rows} == early


def test_combined_filters_all_hold(registry: Registry) -> None:
    _fill(registry)
    both = registry.list(Filters(leak="epidural", outcome="improved"), limit=1000)
    leak = {r.id for r in registry.list(Filters(leak="epidural"), limit=1000).rows}
    improved = {r.id for r in registry.list(Filters(outcome="improved"), limit=1000).rows}
    assert {r.id for r in both.rows} == leak & improved


def test_list_pages_newest_first(registry: Registry) -> None:
    ids = sorted(_fill(registry))
    first, second = registry.list(limit=5), registry.list(limit=5, offset=5)
    assert [r.id for r in first.rows] == ids[::-1][:5]
    assert [r.id for r in second.rows] == ids[::-1][5:10]
    assert first.total == len(ids)


def test_list_rows_show_present_leaks_and_deficits_only(registry: Registry) -> None:
    for case_id, case in _fill(registry).items():
        row = next(r for r in registry.list(limit=1000).rows if r.id == case_id)
        assert set(row.leaks) == {k.location.value for k in case.leaks if k.status is Status.PRESENT}
        assert set(row.deficits) == {
            d.kind.value for d in case.findings.deficits if d.status is Status.PRESENT
        }


def test_delete_removes_the_case_and_its_index_rows(registry: Registry) -> None:
    stored = _fill(registry)
    victim = next(i for i, c in stored.items() if c.leaks and c.findings.deficits and c.treatments)
    assert registry.delete(victim)
    assert registry.get(victim) is None
    assert not registry.delete(victim)
    with registry.engine.connect() as connection:
        for table in (case_leaks, case_deficits, case_treatments, case_levels):
            assert connection.execute(select(func.count()).where(table.c.case_id == victim)).scalar() == 0
    assert registry.count() == len(stored) - 1


def test_a_failed_write_leaves_nothing_half_stored(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = store_module.index_case

    def broken(case: Case, *, urgency: str | None) -> Indexed:
        good = real(case, urgency=urgency)
        return Indexed(columns=good.columns, leaks=[*good.leaks, {"location": None, "status": "present"}])

    monkeypatch.setattr(store_module, "index_case", broken)
    with pytest.raises(RegistryError, match="could not store"):
        registry.add(FIXTURES[0])
    with registry.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(cases)).scalar() == 0
        assert connection.execute(select(func.count()).select_from(case_leaks)).scalar() == 0


def test_index_rows_match_the_case(registry: Registry) -> None:
    stored = _fill(registry)
    with registry.engine.connect() as connection:
        for case_id, case in stored.items():
            indexed = index_case(case, urgency=None)
            leaks = connection.execute(
                select(case_leaks.c.location, case_leaks.c.status).where(case_leaks.c.case_id == case_id)
            ).all()
            assert sorted(map(tuple, leaks)) == sorted((r["location"], r["status"]) for r in indexed.leaks)


def test_info_counts_by_kind(registry: Registry) -> None:
    registry.add(FIXTURES[0], kind="literature")
    registry.add(FIXTURES[1], kind="document", content_hash="a" * 64)
    info = registry.info()
    assert info["cases"] == 2 and info["by_kind"] == {"document": 1, "literature": 1}
    assert info["backend"] in ("sqlite", "postgresql")


def test_an_unreachable_database_is_a_clear_error() -> None:
    with pytest.raises(
        RegistryError, match=r"cannot use the registry at postgresql\+psycopg://u:\*\*\*@127.0.0.1:9/x"
    ):
        connect("postgresql+psycopg://u:secret@127.0.0.1:9/x")


def test_a_bad_url_and_a_folder_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="not a database URL"):
        connect("not a url")
    with pytest.raises(RegistryError, match="is a folder"):
        connect(f"sqlite:///{tmp_path}")
    with pytest.raises(RegistryError, match="no driver"):
        connect("nosuchdb://x/y")


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not SQLite" * 100)
    with pytest.raises(RegistryError, match="registry"):
        connect(f"sqlite:///{junk}")


def test_the_default_registry_lives_in_the_user_data_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from cementwatch.registry.db import ENV_URL, default_url

    monkeypatch.delenv(ENV_URL, raising=False)
    assert default_url().startswith("sqlite:///") and default_url().endswith("cementwatch/registry.sqlite3")
    monkeypatch.setenv(ENV_URL, "postgresql+psycopg://x@h/db")
    assert default_url() == "postgresql+psycopg://x@h/db"


def test_a_duplicate_is_caught_by_the_unique_hash_even_unlooked(registry: Registry) -> None:
    first = registry.add(FIXTURES[0], content_hash="c" * 64)
    again = registry.add(FIXTURES[1], content_hash="c" * 64, known_new=True)
    assert again == type(first)(first.id, new=False)
    assert registry.count() == 1
