"""Reading clinical text into cases: ``read_case(text, source=...) -> Case``.

Every extracted item carries ``evidence`` spans (offsets into the text as given). Terms, ConText
modifiers and sections are data in ``read/data``; see ``read/extract.py`` for how they combine.
"""

from cementwatch.read.extract import read_case

__all__ = ["read_case"]
