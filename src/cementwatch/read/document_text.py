"""A loaded document, the error for one that cannot be loaded, the limits, and plain text decoded.

Contract: ``load_text(data, source, kind)`` decodes the bytes of a .txt or .md file (or of standard
input read as text) into a :class:`Document`, or raises :class:`DocumentError`; what it does to the
bytes (UTF-8, a UTF-16 byte-order mark, cp1252 for an old Windows export, binary content refused,
line endings normalised) is listed in ``read/documents.py``, which is where documents are loaded from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 20 * 1024 * 1024
"""The largest file read, in bytes. Checked from the file's size before reading it."""

MAX_PDF_PAGES = 500
"""The most pages a PDF may have; a longer one is refused before any text is extracted."""

MAX_DOCX_UNPACKED_BYTES = 200 * 1024 * 1024
"""The most bytes a .docx may unpack to (a guard against zip bombs)."""

PAGE_SEPARATOR = "\n\f\n"
"""Joins the pages of a PDF: a line break, a form feed (the classic page break), a line break."""

STDIN_SOURCE = "<stdin>"

SUPPORTED_SUFFIXES: dict[str, str] = {".txt": "text", ".md": "markdown", ".pdf": "pdf", ".docx": "docx"}

# Control bytes that do not occur in text. Tab, LF, VT, FF, CR and ESC (ANSI colour codes in
# saved terminal output) are allowed; NUL is refused on its own.
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_CONTROL_SHARE_LIMIT = 0.05
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # one per invalid byte, from "surrogateescape"
_VALID_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
_NEWLINES = re.compile(r"\r\n?")


@dataclass(frozen=True)
class Document:
    """A loaded document. ``text`` is the text as read: offsets of extracted facts point into it."""

    source: str
    """The path as given, or ``"<stdin>"``."""
    text: str
    kind: str
    """``"text"``, ``"markdown"``, ``"pdf"`` or ``"docx"``."""
    warnings: tuple[str, ...] = ()
    """Anything the reader should know about how the text was obtained."""


class DocumentError(Exception):
    """A document that cannot be loaded. ``str(error)`` is ``"<source>: <reason>"``."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(source, reason)
        self.source = source
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` and a lone ``\\r`` as ``\\n``."""
    return _NEWLINES.sub("\n", text)


def load_text(data: bytes, source: str, kind: str) -> Document:
    """The document of a text file's bytes (``kind``: ``"text"`` or ``"markdown"``), or DocumentError."""
    if not data.strip():
        raise DocumentError(source, "empty document")
    notes: list[str] = []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _decode_utf16(data, notes)
        if "\x00" in text or _control_share(text.encode("utf-8", "replace")) > _CONTROL_SHARE_LIMIT:
            raise DocumentError(source, "binary file, not text")
    else:
        if b"\x00" in data or _control_share(data) > _CONTROL_SHARE_LIMIT:
            raise DocumentError(source, "binary file, not text")
        text = _decode_utf8(data, notes)
    text = normalise_newlines(text)
    if not text.strip():
        raise DocumentError(source, "empty document")
    return Document(source=source, text=text, kind=kind, warnings=tuple(notes))


def _control_share(data: bytes) -> float:
    if not data:
        return 0.0
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    return controls / len(data)


def _decode_utf8(data: bytes, notes: list[str]) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    escaped = data.decode("utf-8", "surrogateescape")
    text, replaced = _ESCAPED_BYTE.subn("\ufffd", escaped)
    if not replaced:
        return text
    if _looks_cp1252(escaped, data):
        notes.append("not valid UTF-8: decoded as Windows-1252 (cp1252)")
        return data.decode("cp1252")
    notes.append(f"invalid UTF-8: {replaced} {plural(replaced, 'byte')} replaced with U+FFFD")
    return text


def _looks_cp1252(escaped: str, data: bytes) -> bool:
    """True when no character decoded as UTF-8 is non-ASCII and all bytes are valid cp1252."""
    if _VALID_NON_ASCII.search(escaped):
        return False  # some valid multi-byte UTF-8: the file is UTF-8 with damage
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    return True


def _decode_utf16(data: bytes, notes: list[str]) -> str:
    text = data.decode("utf-16", "replace")  # the BOM picks the byte order and is dropped
    damaged = text.count("\ufffd") - data.decode("utf-16", "ignore").count("\ufffd")
    if damaged:
        notes.append(f"invalid UTF-16: {damaged} {plural(damaged, 'sequence')} replaced with U+FFFD")
    return text


def describe(error: BaseException) -> str:
    """An error as its type and message, for a reason shown to the user."""
    message = str(error).strip()
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"
