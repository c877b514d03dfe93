"""``Registry.similar`` on SQLite and PostgreSQL: the same answer as the pure ``similar`` over the
stored candidates, and the stored profiles it ranks by (filled by migration 0002 for old rows)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, update

from cementwatch.assess.prognosis import profile, similar
from cementwatch.case import Case, Status
from cementwatch.registry.columns import deficit_severity, profile_from_json, profile_json
from cementwatch.registry.literature import literature_cases
from cementwatch.registry.store import Registry
from cementwatch.registry.tables import cases
from tests.registry.test_store import FIXTURES


def _could_score(query: Case, candidate: Case) -> bool:
    """The registry's candidate filter: a shared active leak location, or a severity within one
    (every case when the query has neither)."""
    active = {leak.location for leak in query.leaks if leak.status is not Status.ABSENT}
    theirs = {leak.location for leak in candidate.leaks if leak.status in (Status.PRESENT, Status.POSSIBLE)}
    a, b = deficit_severity(query), deficit_severity(candidate)
    if not active and a is None:
        return True
    return bool(active & theirs) or (a is not None and b is not None and abs(a - b) <= 1)


def _answer(matches: list) -> list[tuple[float, str | None, str | None]]:
    return [(round(m.score, 9), m.case.source, m.citation.case_id if m.citation else None) for m in matches]


def test_registry_similar_is_the_pure_similar_over_the_stored_candidates(registry: Registry) -> None:
    stored: list[Case] = []
    literature = literature_cases()
    # copies of some cases under another source make ties and near-duplicates at the cut
    copies = [
        c.model_copy(update={"source": f"copy-{i}", "citation": None}) for i, c in enumerate(literature[:12])
    ]
    for case in [*literature, *FIXTURES, *copies, *copies[:3]]:
        if registry.add(case).new:
            stored.append(case)
    assert len(stored) > 60
    for query in [*literature[::3], *FIXTURES]:
        candidates = [c for c in stored if _could_score(query, c)]
        for k in (1, 5, 12):
            assert _answer(registry.similar(query, k=k)) == _answer(similar(query, candidates, k)), (
                query.source,
                k,
            )


def test_every_stored_case_has_its_profile(registry: Registry) -> None:
    for case in FIXTURES:
        registry.add(case)
    with registry.engine.connect() as connection:
        rows = connection.execute(select(cases.c.profile, cases.c.case_json)).all()
    assert rows and all(row.profile is not None for row in rows)
    assert [row.profile for row in rows] == [
        profile_json(Case.model_validate_json(r.case_json)) for r in rows
    ]
    for row in rows:  # the stored JSON reads back as the profile it was written from
        assert profile_from_json(row.profile) == profile(Case.model_validate_json(row.case_json))


def test_a_case_without_a_stored_profile_is_still_ranked(registry: Registry) -> None:
    """Rows whose profile is empty (written by hand, or an interrupted backfill) are read from JSON."""
    for case in [*literature_cases(), *FIXTURES]:
        registry.add(case)
    query = literature_cases()[-1]
    before = _answer(registry.similar(query, k=5))
    with registry.engine.begin() as connection:
        connection.execute(update(cases).values(profile=None))
    assert _answer(registry.similar(query, k=5)) == before


def test_migration_0002_fills_the_profiles_of_existing_cases(tmp_path: Path) -> None:
    from alembic import command
    from alembic.config import Config

    from cementwatch.registry.db import _migrations
    from cementwatch.registry.tables import case_leaks

    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = create_engine(url)
    config = Config()
    config.set_main_option("script_location", str(_migrations()))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
        for i, case in enumerate(FIXTURES[:5], 1):
            connection.exec_driver_sql(
                "INSERT INTO cases (id, content_hash, kind, case_json, stored_at) "
                "VALUES (?, ?, 'case', ?, ?)",
                (i, f"{i:064d}", case.to_json(), "2026-11-22 00:00:00"),
            )
    engine.dispose()
    with Registry(url) as registry, registry.engine.connect() as connection:  # opening migrates
        profiles = connection.execute(select(cases.c.profile).order_by(cases.c.id)).scalars().all()
        assert connection.execute(select(case_leaks)).all() == []
    assert profiles == [profile_json(case) for case in FIXTURES[:5]]


@pytest.mark.parametrize("k", [0, -1])
def test_k_must_be_positive(registry: Registry, k: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        registry.similar(FIXTURES[0], k=k)


def test_the_registry_prognosis_counts_every_candidate_compared(registry: Registry) -> None:
    """``assess --similar registry``: the count is the registry's, not that of the k shortlisted."""
    from cementwatch.assess.prognosis import prognosis

    stored = literature_cases()
    for case in stored:
        registry.add(case)
    registry.add(stored[0].model_copy(update={"source": "a copy", "citation": None}))
    checked = 0
    for query in stored[::5]:
        candidates = [c for c in stored if _could_score(query, c)]
        want = prognosis(query, candidates, 5)
        got = prognosis(query, registry.shortlist(query, k=5), 5)
        if want is None:
            continue
        checked += 1
        assert got is not None and got.matches == want.matches
        extra_copy = _could_score(query, stored[0]) and query is not stored[0]
        assert got.candidates_compared == want.candidates_compared + extra_copy, query.source
    assert checked >= 5  # the loop compared real prognoses, not only cases with nothing to compare
