"""Every data file the package reads at run time is declared as package data (a wheel install
would otherwise fail where an editable one works)."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch

from tests.conftest import ROOT


def test_every_data_file_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["cementwatch"]
    package = ROOT / "src" / "cementwatch"
    data = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*")
        if path.suffix in (".yaml", ".json", ".jsonl", ".mako") and "__pycache__" not in path.parts
    ]
    assert data, "no data files found"
    missing = [name for name in data if not any(fnmatch(name, pattern) for pattern in globs)]
    assert missing == []
