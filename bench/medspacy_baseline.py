"""The baseline: medSpaCy 1.3.1 with a TargetMatcher built from CementWatch's own terms.

``build("default")`` is ``medspacy.load()`` (medSpaCy tokenizer, PyRuSH sentence splitter,
TargetMatcher, ConText with medSpaCy's default English rules); ``build("sentencizer")`` is the same
with spaCy's rule-based ``sentencizer`` in place of PyRuSH. Both start from ``spacy.blank("en")``
and read only rule files shipped in the wheels: nothing is downloaded.

The TargetMatcher gets one ``TargetRule`` per (phrase, category) of ``read/data/terms.yaml``, the
category as the label, so both readers look for exactly the same words.

Leaks are read off a Doc the way CementWatch reads them off a sentence: a ``leak_location`` entity
in a sentence that also holds a ``cement`` entity; status ``absent`` when ConText negates it,
``possible`` when it marks it uncertain, else ``present``. "Canal" phrases are epidural unless the
sentence names intradural cement, and a canal-only epidural leak is dropped when the document names
intradural cement, as in CementWatch.
"""

from __future__ import annotations

import re
import warnings
from importlib import resources
from typing import Any

import yaml

Pair = tuple[str, str]
_FOLD = re.compile(r"[\s\-‐‑–—_]+")


def fold(text: str) -> str:
    return _FOLD.sub(" ", text.lower()).strip()


def load_terms() -> dict[str, set[tuple[str, str]]]:
    """Folded phrase -> {(category, value)} from CementWatch's installed terms.yaml."""
    raw = resources.files("cementwatch.read").joinpath("data", "terms.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(raw)
    out: dict[str, set[tuple[str, str]]] = {}
    for term in data["terms"]:
        for phrase in term["phrases"]:
            out.setdefault(fold(phrase), set()).add((term["category"], term["value"]))
    return out


def quiet() -> None:
    """PyRuSH logs a loguru DEBUG line per token by default; a benchmark must not time a log flood."""
    from loguru import logger

    logger.disable("PyRuSH")
    # TargetMatcher warns when two rules claim the same tokens (a phrase in two categories)
    warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"medspacy\..*")


def build(kind: str, terms: dict[str, set[tuple[str, str]]]) -> Any:
    """A medSpaCy pipeline: ``default`` (medspacy.load()) or ``sentencizer`` (PyRuSH swapped out)."""
    import medspacy
    from medspacy.target_matcher import TargetRule

    quiet()
    if kind == "default":
        nlp = medspacy.load()
    elif kind == "sentencizer":
        nlp = medspacy.load(
            medspacy_enable={"medspacy_tokenizer", "medspacy_target_matcher", "medspacy_context"}
        )
        nlp.add_pipe("sentencizer", first=True)
    else:
        raise ValueError(kind)
    rules = [
        TargetRule(literal=phrase, category=category)
        for phrase, values in sorted(terms.items())
        for category in sorted({c for c, _ in values})
    ]
    nlp.get_pipe("medspacy_target_matcher").add(rules)
    return nlp


def pairs(doc: Any, terms: dict[str, set[tuple[str, str]]], *, drop_hypothetical: bool) -> dict[Pair, str]:
    """(location, status) pairs read off a processed Doc, each with the first sentence it came from.

    ``drop_hypothetical``: also drop entities ConText marks hypothetical, historical or family (as
    CementWatch drops hypothetical, generic and historical ones); without it, the plain mapping
    (negated -> absent, uncertain -> possible, else present)."""
    by_sentence: dict[int, list[Any]] = {}
    for ent in doc.ents:
        by_sentence.setdefault(ent.sent.start, []).append(ent)
    found: dict[Pair, bool] = {}  # pair -> read only from canal phrases
    where: dict[Pair, str] = {}
    for ents in by_sentence.values():
        cats = [terms.get(fold(ent._.target_rule.literal), set()) for ent in ents]
        if not any(c == "cement" for values in cats for c, _ in values):
            continue
        named = {v for values in cats for c, v in values if c == "leak_location"}
        for ent, values in zip(ents, cats, strict=True):
            for category, value in values:
                if category != "leak_location":
                    continue
                if drop_hypothetical and (ent._.is_hypothetical or ent._.is_historical or ent._.is_family):
                    continue
                canal = value == "canal"
                if canal:
                    if "intradural" in named:
                        continue
                    value = "epidural"
                status = "absent" if ent._.is_negated else "possible" if ent._.is_uncertain else "present"
                key = (value, status)
                found[key] = found.get(key, True) and canal
                where.setdefault(key, " ".join(ent.sent.text.split())[:160])
    intradural = any(loc == "intradural" and st != "absent" for loc, st in found)
    return {
        p: where[p]
        for p, only_canal in found.items()
        if not (intradural and p[0] == "epidural" and only_canal)
    }
