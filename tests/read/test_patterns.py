"""The wording patterns as data (read/data/patterns/*.yaml): strict keys, examples that match, every
name used by the code, and no wording left in the code's own regular expressions."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from cementwatch.read.patterns import PATTERNS, build, data_files
from cementwatch.read.rules import RulesError
from tests.conftest import ROOT

READ = ROOT / "src" / "cementwatch" / "read"
SOURCES = {path.name: path.read_text(encoding="utf-8") for path in sorted(READ.glob("*.py"))}
CODE = "\n".join(text for name, text in SOURCES.items() if name != "patterns.py")
YAML = data_files()

GOOD = """\
schema: cementwatch.read.patterns/1
words:
  colours: {means: 'colour words', values: {red: 1, green: 2}}
fragments:
  colour: {means: 'a colour', pattern: '(?:{{demo.colours}})'}
patterns:
  word:
    means: 'a colour word'
    flags: [ignorecase]
    pattern: ['\\b{{demo.colour}}', '\\b']
    examples: ['a Red car']
"""


def test_the_files_load_and_name_their_entries_by_file() -> None:
    assert set(YAML) >= {"signs", "time", "dates", "people", "outcome", "levels", "case"}
    assert len(PATTERNS.entries) >= 100
    assert all(name.split(".")[0] in YAML for name in PATTERNS.entries)
    assert PATTERNS.get("signs.power_full") is PATTERNS.get("signs.power_full")  # compiled once


def test_a_good_file_builds() -> None:
    built = build({"demo": GOOD})
    assert built.get("demo.word").pattern == r"\b(?:red|green)\b"
    assert built.get("demo.word").flags & re.I
    assert built.ints("demo.colours") == {"red": 1, "green": 2}


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    means: 'a colour word'\n", "    means: 'a colour word'\n    colour: red\n", "colour"),
        ("schema: cementwatch.read.patterns/1\n", "schema: cementwatch.read.patterns/1\nextra: 1\n", "extra"),
        ("    means: 'a colour word'\n", "", "means"),
        ("    examples: ['a Red car']\n", "    examples: []\n", "examples"),
        ("[ignorecase]", "[caseless]", "flags"),
        ("{{demo.colour}}", "{{demo.color}}", "unknown placeholder {{demo.color}}"),
        ("'(?:{{demo.colours}})'", "'(?:{{demo.colour}})'", "contains itself"),
        ("'\\b'", "'(\\b'", "demo.word"),
        ("cementwatch.read.patterns/1", "cementwatch.read.patterns/2", "schema_"),
    ],
)
def test_a_wrong_file_is_an_error_naming_it(old: str, new: str, message: str) -> None:
    assert old in GOOD
    with pytest.raises(RulesError, match=re.escape(message)) as raised:
        build({"demo": GOOD.replace(old, new)})
    assert "read/data/patterns/demo.yaml" in str(raised.value)


def test_an_unknown_name_or_a_table_of_another_type_is_an_error() -> None:
    with pytest.raises(RulesError, match=re.escape("no pattern named 'signs.no_such_thing'")):
        PATTERNS.get("signs.no_such_thing")
    with pytest.raises(RulesError, match="no word table"):
        PATTERNS.ints("time.no_such_table")
    with pytest.raises(RulesError, match="wrong type"):
        PATTERNS.ints("time.unit_abbreviations")  # its values are unit names


@pytest.mark.parametrize("name", sorted(PATTERNS.entries))
def test_examples_match_and_non_examples_do_not(name: str) -> None:
    entry = PATTERNS.entries[name]
    for example in entry.rule.examples:
        assert entry.regex.search(example), f"{name}: example {example!r} does not match"
        if entry.rule.gate:  # the code would never search a text without a gate word
            assert any(word in example.lower() for word in entry.rule.gate), f"{name}: {example!r} not gated"
    for text in entry.rule.non_examples:
        assert not entry.regex.search(text), f"{name}: non-example {text!r} matches"


def test_every_named_pattern_and_word_table_is_used_by_the_code() -> None:
    unused = [name for name in [*PATTERNS.entries, *PATTERNS.tables] if f'"{name}"' not in CODE]
    placeholders = set(re.findall(r"\{\{([\w.]+)\}\}", "\n".join(YAML.values())))
    unused = [name for name in unused if name not in placeholders]  # a word table may serve only patterns
    assert unused == []
    assert sorted(PATTERNS.fragments - placeholders) == []  # every fragment is put in somewhere


def test_every_name_the_code_asks_for_exists_and_gates_are_used_where_written() -> None:
    asked = re.findall(r'PATTERNS\.(get|gate|ints|numbers|texts)\("([\w.]+)"\)', CODE)
    assert asked
    for kind, name in asked:
        known = PATTERNS.tables if kind in ("ints", "numbers", "texts") else PATTERNS.entries
        assert name in known, f"PATTERNS.{kind}({name!r}) names nothing"
        if kind == "gate":
            assert PATTERNS.entries[name].rule.gate, f"{name} has no gate: the code would never search"
    gated = {name for name, entry in PATTERNS.entries.items() if entry.rule.gate}
    assert gated == {name for kind, name in asked if kind == "gate"}


def _literal_patterns(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "compile"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def test_no_wording_is_left_in_the_code_regular_expressions() -> None:
    """A regular expression written in the code holds no word (three letters or more): wordings go to
    data/patterns, so that a clinician reviewing data/ sees every wording the reader recognises."""
    worded = []
    for path in sorted(READ.glob("*.py")):
        for line, pattern in _literal_patterns(path):
            bare = re.sub(r"\(\?P[<=]\w+>?|\\[A-Za-z]", " ", pattern)  # group names, escapes (\b, \d)
            if re.search(r"[A-Za-z]{3,}", bare):
                worded.append(f"{path.name}:{line}: {pattern}")
    assert worded == []
    assert _literal_patterns(READ / "signs.py"), "the scan finds the patterns the code keeps"


def test_a_gate_never_hides_a_match_in_the_corpus() -> None:
    """A gate is a cheap word test before a search: a sentence of the corpus that the pattern matches
    must hold one of its gate words (a missing word once hid "sensation has largely returned")."""
    corpus = ROOT / "tests" / "corpus"
    files = [
        json.loads(line)["file"]
        for split in ("dev.jsonl", "test.jsonl")  # not the held-out split, which is read once
        for line in (corpus / split).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    sentences = [
        sentence
        for file in files
        for sentence in re.split(r"(?<=[.!?])\s+", (corpus / file).read_text(encoding="utf-8"))
    ]
    hidden = []
    for name, entry in PATTERNS.entries.items():
        if not entry.rule.gate:
            continue
        for sentence in sentences:
            low = sentence.lower()
            if not any(word in low for word in entry.rule.gate) and (match := entry.regex.search(sentence)):
                hidden.append(f"{name}: {match.group()!r}")
                break
    assert not hidden, hidden
