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

This module finds the files and reads their bytes; ``read/document_text.py`` holds :class:`Document`,
:class:`DocumentError`, the limits and the decoding of plain text, and ``read/pdf_docx.py`` the
reading of PDF and .docx files. Every public name is importable from here.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from cementwatch.read.document_text import (
    MAX_BYTES,
    MAX_DOCX_UNPACKED_BYTES,
    MAX_PDF_PAGES,
    PAGE_SEPARATOR,
    STDIN_SOURCE,
    SUPPORTED_SUFFIXES,
    Document,
    DocumentError,
    load_text,
)
from cementwatch.read.pdf_docx import PDF_MAGIC, is_docx, load_docx, load_pdf

__all__ = [
    "MAX_BYTES",
    "MAX_DOCX_UNPACKED_BYTES",
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

_SUPPORTED_LIST = " ".join(SUPPORTED_SUFFIXES)
_ZIP_MAGIC = b"PK\x03\x04"


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
        return load_pdf(data, source)
    if kind == "docx":
        return load_docx(data, source)
    return load_text(data, source, kind)


def load_stdin(data: bytes, *, max_bytes: int = MAX_BYTES) -> Document:
    """Load bytes read from standard input; the source is ``"<stdin>"``.

    The kind is recognised from the content: a PDF (starts with ``%PDF-``), a .docx (a zip holding
    ``word/document.xml``), otherwise text, read exactly as a .txt file is.
    """
    if len(data) > max_bytes:
        raise DocumentError(STDIN_SOURCE, _too_large(len(data), max_bytes))
    if data.startswith(PDF_MAGIC):
        return load_pdf(data, STDIN_SOURCE)
    if data.startswith(_ZIP_MAGIC) and is_docx(data):
        return load_docx(data, STDIN_SOURCE)
    return load_text(data, STDIN_SOURCE, "text")


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


# --- helpers ------------------------------------------------------------------------------------


def _too_large(size: int, limit: int) -> str:
    return f"file too large: {size:,} bytes ({_mib(size)}); the limit is {limit:,} bytes ({_mib(limit)})"


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()
