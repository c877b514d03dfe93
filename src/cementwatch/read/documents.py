"""Load a document (a file or standard input) as the text the reader extracts facts from.

The text in a returned :class:`Document` is *the text as read*: every character offset of a fact
extracted later points into exactly this string, so nothing may change it after it is returned.
Everything this module does to the raw bytes happens before that, and is listed here:

- **Line endings** are normalised for every kind: ``\\r\\n`` and a lone ``\\r`` become ``\\n``.
  The text as read is the normalised text (offsets do not point into the raw bytes).
- **.txt / .md** are decoded as UTF-8; a UTF-8 byte-order mark is dropped. A UTF-16 file with a
  byte-order mark (what Windows Notepad calls "Unicode") is decoded as UTF-16.
  Invalid UTF-8 is not an error: each invalid byte becomes one U+FFFD and a warning says how many
  bytes were replaced. One exception: when *no* byte sequence in the file is valid multi-byte UTF-8
  and the whole file is valid Windows-1252 (cp1252), the file is an old Windows/Latin-1 export
  (``Patient: J\\xe9r\\xf4me``), and it is decoded as cp1252 with a warning instead, which keeps
  its accents. A file that mixes valid UTF-8 with invalid bytes stays UTF-8 with replacements.
- **Binary content** is refused: a NUL byte, or control bytes (other than tab, line feed,
  vertical tab, form feed, carriage return and escape) making up more than 5% of the file.
- **.pdf** (pypdf): the text layer of every page, pages joined with ``PAGE_SEPARATOR``
  (``"\\n\\f\\n"``). Control characters other than tab and line feed are removed from the
  extracted page text (with a warning), so ``text.split(PAGE_SEPARATOR)`` gives exactly one
  entry per page, page 1 first, empty pages included. A page without text gets a warning; a PDF
  without any text is an error (no OCR). pypdf's own log messages and Python warnings never reach
  the console; if pypdf reported problems while reading, one warning says so.
- **.docx** (python-docx opens the package; the body's WordprocessingML is walked here): body
  paragraphs and tables in document order, including what sits inside content controls and
  tracked insertions (python-docx's own lists leave those out); tracked deletions are left out.
  Each paragraph is one line (an empty paragraph is an empty line; tabs and line breaks as
  python-docx reads them). Each table row with text is one line, its cells joined with ``" | "``;
  within a cell, paragraphs and nested tables (rows joined with ``"; "``) are joined with a space
  and runs of whitespace collapse to one space. A merged cell appears once: a cell spanning
  columns is one cell; a cell spanning rows has its text in its first row and is empty below.
  Headers, footers, footnotes, comments and text boxes are not read.
- **Standard input** is recognised by content (PDF, .docx, otherwise text).

A document whose text is empty or only whitespace is an error ("empty document").
"""

from __future__ import annotations

import io
import logging
import os
import re
import stat
import warnings
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_BYTES",
    "MAX_PDF_PAGES",
    "PAGE_SEPARATOR",
    "STDIN_SOURCE",
    "SUPPORTED_SUFFIXES",
    "Document",
    "DocumentError",
    "iter_paths",
    "load_document",
    "load_stdin",
]

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
_SUPPORTED_LIST = " ".join(SUPPORTED_SUFFIXES)

# Control bytes that do not occur in text. Tab, LF, VT, FF, CR and ESC (ANSI colour codes in
# saved terminal output) are allowed; NUL is refused on its own.
_CONTROL_BYTES = bytes([*range(0x01, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_CONTROL_SHARE_LIMIT = 0.05
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")  # one per invalid byte, from "surrogateescape"
_VALID_NON_ASCII = re.compile("[^\x00-\x7f\udc80-\udcff]")
_NEWLINES = re.compile(r"\r\n?")
# Control characters removed from PDF text (everything but tab and line feed), so the page
# separator's form feed only ever separates pages.
_PDF_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")
_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 .doc and other OLE files


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


def load_document(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """Load one file as text, choosing the reader from the extension (case-insensitive).

    Line endings in the result are ``\\n`` (``\\r\\n`` and ``\\r`` are normalised): the returned
    text, normalised, is the text as read. The module docstring lists every other choice.

    Raises :class:`DocumentError` for anything that makes the file unusable: missing, a folder,
    unreadable, too large (judged from its size before reading), an unsupported extension, binary
    content, an encrypted or corrupt PDF or .docx, a PDF without a text layer, no text at all.
    """
    source = str(path)
    file = Path(path)
    try:
        info = file.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise DocumentError(source, "no such file") from None
    except OSError as error:
        raise DocumentError(source, f"cannot read: {_os_reason(error)}") from None
    if stat.S_ISDIR(info.st_mode):
        raise DocumentError(source, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise DocumentError(source, "not a regular file")
    suffix = file.suffix.lower()
    kind = SUPPORTED_SUFFIXES.get(suffix)
    if kind is None:
        shown = f"file type '{file.suffix}'" if file.suffix else "file without an extension"
        raise DocumentError(source, f"unsupported {shown} (supported: {_SUPPORTED_LIST})")
    if info.st_size > max_bytes:
        raise DocumentError(source, _too_large(info.st_size, max_bytes))
    try:
        with file.open("rb") as handle:
            data = handle.read(max_bytes + 1)  # never more than the limit, even if the file grew
    except OSError as error:
        raise DocumentError(source, f"cannot read: {_os_reason(error)}") from None
    if len(data) > max_bytes:
        raise DocumentError(source, _too_large(len(data), max_bytes))
    if kind == "pdf":
        return _load_pdf(data, source)
    if kind == "docx":
        return _load_docx(data, source)
    return _load_text(data, source, kind)


def load_stdin(data: bytes, *, max_bytes: int = MAX_BYTES) -> Document:
    """Load bytes read from standard input; the source is ``"<stdin>"``.

    The kind is recognised from the content: a PDF (starts with ``%PDF-``), a .docx (a zip holding
    ``word/document.xml``), otherwise text, read exactly as a .txt file is.
    """
    if len(data) > max_bytes:
        raise DocumentError(STDIN_SOURCE, _too_large(len(data), max_bytes))
    if data.startswith(_PDF_MAGIC):
        return _load_pdf(data, STDIN_SOURCE)
    if data.startswith(_ZIP_MAGIC) and _is_docx(data):
        return _load_docx(data, STDIN_SOURCE)
    return _load_text(data, STDIN_SOURCE, "text")


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path | DocumentError]:
    """Expand the given paths into the files to load, in order.

    A file is yielded as given, whatever its extension (loading it reports an unsupported type).
    A folder is expanded recursively into its .txt, .md, .pdf and .docx files, sorted by path;
    hidden files and folders (name starting with ".") are skipped and symbolic links to folders
    are not followed. A missing path, an unreadable folder or a folder without any supported file
    yields a :class:`DocumentError` in its place instead of stopping.
    """
    for given in paths:
        source = str(given)
        path = Path(given)
        try:
            info = path.stat()
        except (FileNotFoundError, NotADirectoryError):
            yield DocumentError(source, "no such file or folder")
            continue
        except OSError:
            yield path  # loading it reports why it cannot be read
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _expand_folder(path, source)
        else:
            yield path


def _expand_folder(folder: Path, source: str) -> Iterator[Path | DocumentError]:
    errors: list[OSError] = []
    found: list[Path] = []
    for root, dirnames, filenames in os.walk(folder, onerror=errors.append):
        dirnames[:] = [name for name in dirnames if not name.startswith(".")]
        for name in filenames:
            if name.startswith("."):
                continue
            candidate = Path(root, name)
            if candidate.suffix.lower() in SUPPORTED_SUFFIXES and candidate.is_file():
                found.append(candidate)
    for error in errors:
        yield DocumentError(error.filename or source, f"cannot read folder: {_os_reason(error)}")
    if not found and not errors:
        yield DocumentError(source, f"folder has no {_SUPPORTED_LIST} files")
    yield from sorted(found)


# --- text ---------------------------------------------------------------------------------------


def _load_text(data: bytes, source: str, kind: str) -> Document:
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
    text = _NEWLINES.sub("\n", text)
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
    notes.append(f"invalid UTF-8: {replaced} {_plural(replaced, 'byte')} replaced with U+FFFD")
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
        notes.append(f"invalid UTF-16: {damaged} {_plural(damaged, 'sequence')} replaced with U+FFFD")
    return text


# --- PDF ----------------------------------------------------------------------------------------


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _load_pdf(data: bytes, source: str) -> Document:
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
        page, count = _PDF_CONTROLS.subn("", _NEWLINES.sub("\n", raw))
        removed += count
        if not page.strip():
            notes.append(f"page {number} has no text layer")
        texts.append(page)
    if not any(page.strip() for page in texts):
        raise DocumentError(source, "PDF has no text layer (scanned?): OCR is not supported")
    if removed:
        notes.append(f"{removed} control {_plural(removed, 'character')} removed from the PDF text")
    if collect.messages:
        count = len(collect.messages)
        notes.append(
            f"the PDF reader reported {count} {_plural(count, 'problem')} (text may be incomplete); "
            f"first: {collect.messages[0]}"
        )
    return Document(source=source, text=PAGE_SEPARATOR.join(texts), kind="pdf", warnings=tuple(notes))


def _pdf_pages(data: bytes, source: str) -> list[str]:
    """The raw text of each page, or DocumentError. Runs with pypdf's logging and warnings muted."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    if not data.strip():
        raise DocumentError(source, "empty document")
    if _PDF_MAGIC not in data[:1024]:
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
        raise DocumentError(source, f"corrupt or unreadable PDF ({_describe(error)})") from None


# --- DOCX ---------------------------------------------------------------------------------------


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except Exception:  # a damaged zip: not recognised as .docx, so read as text (and refused)
        return False


def _load_docx(data: bytes, source: str) -> Document:
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
        raise DocumentError(source, f"corrupt or unreadable .docx ({_describe(error)})") from None
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
        raise DocumentError(source, f"corrupt or unreadable .docx ({_describe(error)})") from None
    text = _NEWLINES.sub("\n", "\n".join(lines))
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


# --- helpers ------------------------------------------------------------------------------------


def _too_large(size: int, limit: int) -> str:
    return f"file too large: {size:,} bytes ({_mib(size)}); the limit is {limit:,} bytes ({_mib(limit)})"


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _describe(error: BaseException) -> str:
    message = str(error).strip()
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"
