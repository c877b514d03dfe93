"""The text of a PDF (pypdf) and of a .docx (its WordprocessingML walked here).

Contract: ``load_pdf(data, source)`` and ``load_docx(data, source)`` give the :class:`Document` of
the bytes of one file, or raise :class:`DocumentError`; ``is_docx(data)`` tells a .docx from another
zip. What each keeps and drops (pages joined with ``PAGE_SEPARATOR``, control characters removed,
paragraphs and table rows in document order, tracked deletions left out) is listed in
``read/documents.py``, which is where documents are loaded from. pypdf and python-docx are imported
when first needed.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

from cementwatch.read.document_text import (
    MAX_DOCX_UNPACKED_BYTES,
    MAX_PDF_PAGES,
    PAGE_SEPARATOR,
    Document,
    DocumentError,
    describe,
    normalise_newlines,
    plural,
)

# Control characters removed from PDF text (everything but tab and line feed), so the page
# separator's form feed only ever separates pages.
_PDF_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
PDF_MAGIC = b"%PDF-"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc and other OLE files


# --- PDF ----------------------------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def load_pdf(data: bytes, source: str) -> Document:
    # pypdf reports damage through the "pypdf" logger and through warnings. Both are kept off the
    # console while it runs (the log messages are collected into one warning below). This swaps
    # process-wide state for the duration, so PDFs are not to be loaded from several threads.
    logger = logging.getLogger("pypdf")
    collect = _Collect()
    saved = logger.propagate, logger.level
    logger.addHandler(collect)
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            pages = _pdf_pages(data, source)
    finally:
        logger.removeHandler(collect)
        logger.propagate, level = saved
        logger.setLevel(level)

    notes: list[str] = []
    texts: list[str] = []
    removed = 0
    for number, raw in enumerate(pages, start=1):
        page, count = _PDF_CONTROLS.subn("", normalise_newlines(raw))
        removed += count
        if not page.strip():
            notes.append(f"page {number} has no text layer")
        texts.append(page)
    if not any(page.strip() for page in texts):
        raise DocumentError(source, "PDF has no text layer (scanned?): OCR is not supported")
    if removed:
        notes.append(f"{removed} control {plural(removed, 'character')} removed from the PDF text")
    if collect.messages:
        count = len(collect.messages)
        notes.append(
            f"the PDF reader reported {count} {plural(count, 'problem')} (text may be incomplete); "
            f"first: {collect.messages[0]}"
        )
    return Document(source=source, text=PAGE_SEPARATOR.join(texts), kind="pdf", warnings=tuple(notes))


def _pdf_pages(data: bytes, source: str) -> list[str]:
    """The raw text of each page, or DocumentError. Runs with pypdf's logging and warnings muted."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    if not data.strip():
        raise DocumentError(source, "empty document")
    if PDF_MAGIC not in data[:1024]:
        raise DocumentError(source, "not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(source, "PDF is encrypted with a password; it cannot be read")
        count = len(reader.pages)
        if count == 0:
            raise DocumentError(source, "PDF has no pages")
        if count > MAX_PDF_PAGES:
            raise DocumentError(source, f"PDF has {count} pages (limit {MAX_PDF_PAGES})")
        return [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (DependencyError, FileNotDecryptedError) as error:
        raise DocumentError(source, f"PDF is encrypted and cannot be decrypted here ({error})") from None
    except Exception as error:  # pypdf raises many kinds of error on damaged files
        raise DocumentError(source, f"corrupt or unreadable PDF ({describe(error)})") from None


# --- DOCX ---------------------------------------------------------------------------------------


def is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except Exception:  # a damaged zip: not recognised as .docx, so read as text (and refused)
        return False


def load_docx(data: bytes, source: str) -> Document:
    import docx  # imported when first needed, as pypdf is: together they take ~0.3 s to import

    if not data.strip():
        raise DocumentError(source, "empty document")
    if data.startswith(_OLE_MAGIC):
        raise DocumentError(source, "a Word 97-2003 (.doc) or other OLE file, not .docx: save it as .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except zipfile.BadZipFile:
        raise DocumentError(source, "corrupt or unreadable .docx (not a zip archive)") from None
    except Exception as error:  # zipfile also raises NotImplementedError, EOFError, ... on damage
        raise DocumentError(source, f"corrupt or unreadable .docx ({describe(error)})") from None
    if unpacked > MAX_DOCX_UNPACKED_BYTES:
        raise DocumentError(
            source, f".docx unpacks to {unpacked:,} bytes (limit {MAX_DOCX_UNPACKED_BYTES:,})"
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            body = docx.Document(io.BytesIO(data)).element.find(_W + "body")
            lines = _block_lines(body) if body is not None else []
    except Exception as error:  # python-docx, lxml and zipfile raise many kinds of error
        raise DocumentError(source, f"corrupt or unreadable .docx ({describe(error)})") from None
    text = normalise_newlines("\n".join(lines))
    if not text.strip():
        raise DocumentError(source, "empty document")
    return Document(source=source, text=text, kind="docx")


# python-docx's own paragraph and table lists leave out whatever sits inside a wrapper element:
# content controls (w:sdt, common in letters made from templates), tracked insertions (w:ins),
# smart tags, simple fields. The walk below reads the WordprocessingML itself, going through those
# wrappers and leaving out deleted text (w:del, w:moveFrom). Elements are lxml elements.
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_WRAPPERS = frozenset(
    _W + name
    for name in (
        "sdt",
        "sdtContent",
        "customXml",
        "ins",
        "moveTo",
        "hyperlink",
        "smartTag",
        "fldSimple",
        "dir",
        "bdo",
    )
)


def _children(element: Any, tag: str) -> Iterator[Any]:
    """The children of `element` with `tag`, in order, looking through wrapper elements."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _block_lines(container: Any) -> list[str]:
    """One line per paragraph, one line per table row with text, in document order."""
    lines: list[str] = []
    for child in container:
        if child.tag == _W + "p":
            lines.append(_paragraph_text(child))
        elif child.tag == _W + "tbl":
            lines.extend(_table_rows(child))
        elif child.tag in _WRAPPERS:
            lines.extend(_block_lines(child))
    return lines


def _paragraph_text(element: Any) -> str:
    parts: list[str] = []
    for child in element:
        if child.tag == _W + "r":
            parts.append(_run_text(child))
        elif child.tag in _WRAPPERS:
            parts.append(_paragraph_text(child))
    return "".join(parts)


def _run_text(run: Any) -> str:
    """A run's text as python-docx reads it: tabs, line breaks (not page or column breaks)."""
    parts: list[str] = []
    for child in run:
        tag = child.tag
        if tag == _W + "t":
            parts.append(str(child.text or ""))
        elif tag in (_W + "tab", _W + "ptab"):
            parts.append("\t")
        elif tag == _W + "cr" or (
            tag == _W + "br" and child.get(_W + "type", "textWrapping") == "textWrapping"
        ):
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _table_rows(table: Any) -> list[str]:
    """The rows of a table that have text, cells joined with " | "."""
    rows: list[str] = []
    for row in _children(table, _W + "tr"):
        cells = [_cell_text(cell) for cell in _children(row, _W + "tc")]
        if any(cells):
            rows.append(" | ".join(cells))
    return rows


def _cell_text(cell: Any) -> str:
    """A cell's paragraphs and nested tables (rows joined with "; ") on one line, spaces collapsed."""
    parts: list[str] = []
    for child in cell:
        if child.tag == _W + "p":
            parts.append(_paragraph_text(child))
        elif child.tag == _W + "tbl":
            parts.append("; ".join(_table_rows(child)))
        elif child.tag in _WRAPPERS:
            parts.append(_cell_text(child))
    return " ".join(" ".join(parts).split())
