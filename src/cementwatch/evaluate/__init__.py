"""Scoring the reader against flat gold labels: :func:`load_gold` reads a gold file,
:func:`evaluate` scores a reader over its items. See ``gold`` (the format) and ``score`` (the rules).
"""

from cementwatch.evaluate.gold import GoldItem, load_gold
from cementwatch.evaluate.score import CaseScore, Counts, Miss, Report, evaluate, score_case

__all__ = ["CaseScore", "Counts", "GoldItem", "Miss", "Report", "evaluate", "load_gold", "score_case"]
