"""Loading documents: real files built at run time (fpdf2 PDFs, python-docx files, raw bytes)."""

from __future__ import annotations

import io
import os
import pickle
import re
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from fpdf import FPDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfWriter

from cementwatch.read.documents import (
    MAX_BYTES,
    MAX_PDF_PAGES,
    PAGE_SEPARATOR,
    Document,
    DocumentError,
    iter_paths,
    load_document,
    load_stdin,
)

# --- builders -----------------------------------------------------------------------------------


def make_pdf(pages: list[str | None]) -> bytes:
    """A real PDF: one page per entry, with that text, or (None) only an image and no text."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text is None:
            pdf.image(Image.new("RGB", (16, 16), "gray"), x=20, y=20, w=60)
        else:
            pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Kyphoplasty at T7.")
    document.add_paragraph("")
    fill(
        document.add_table(rows=3, cols=3),
        [("Level", "Leak", "Volume"), ("T7", "canal", "4 mL"), ("", "", "")],
    )
    document.add_paragraph("Paraplegia on day 2.")
    document.save(str(path))
    return path


def fill(table: Any, rows: list[tuple[str, ...]]) -> None:
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- DocumentError ------------------------------------------------------------------------------


def test_document_error_names_source_and_reason() -> None:
    error = DocumentError("a/b.txt", "empty document")
    assert (error.source, error.reason) == ("a/b.txt", "empty document")
    assert str(error) == "a/b.txt: empty document"
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.source, copy.reason, str(copy)) == (error.source, error.reason, str(error))


def test_document_is_frozen(tmp_path: Path) -> None:
    document = load_document(write(tmp_path / "a.txt", b"text"))
    with pytest.raises(AttributeError):
        document.text = "changed"  # type: ignore[misc]


# --- text and markdown --------------------------------------------------------------------------


def test_utf8_text_is_read_exactly(tmp_path: Path) -> None:
    text = "Vertebroplasty L1 — PMMA 4 mL, leak ≥ grade 2.\nPatient: Müller\n"
    path = write(tmp_path / "note.txt", text.encode())
    assert load_document(path) == Document(source=str(path), text=text, kind="text", warnings=())
    assert load_document(str(path)).source == str(path)  # the path as given


def test_markdown_kind_and_case_insensitive_extension(tmp_path: Path) -> None:
    assert load_document(write(tmp_path / "n.md", b"# Findings\n")).kind == "markdown"
    assert load_document(write(tmp_path / "N.TXT", b"upper")).kind == "text"


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    document = load_document(write(tmp_path / "bom.txt", b"\xef\xbb\xbfL2 leak"))
    assert (document.text, document.warnings) == ("L2 leak", ())


def test_line_endings_are_normalised(tmp_path: Path) -> None:
    document = load_document(write(tmp_path / "crlf.txt", b"one\r\ntwo\rthree\n\r\nfour"))
    assert document.text == "one\ntwo\nthree\n\nfour"


def test_invalid_utf8_is_replaced_and_counted(tmp_path: Path) -> None:
    data = "Cément ".encode() + b"\xff\xfe" + b" leak " + b"\xc3" + b" at L1"
    document = load_document(write(tmp_path / "bad.txt", data))
    assert document.text == "Cément \ufffd\ufffd leak \ufffd at L1"
    assert document.warnings == ("invalid UTF-8: 3 bytes replaced with U+FFFD",)


def test_one_invalid_byte_is_singular(tmp_path: Path) -> None:
    document = load_document(write(tmp_path / "bad.txt", "é ok ".encode() + b"\x80"))
    assert document.warnings == ("invalid UTF-8: 1 byte replaced with U+FFFD",)


def test_cp1252_file_is_decoded_as_cp1252(tmp_path: Path) -> None:
    text = "Patient: Jérôme Müller – “paravertebral” leak, 3 €\r\n"
    document = load_document(write(tmp_path / "latin.txt", text.encode("cp1252")))
    assert document.text == text.replace("\r\n", "\n")
    assert document.warnings == ("not valid UTF-8: decoded as Windows-1252 (cp1252)",)


def test_bytes_undefined_in_cp1252_stay_utf8_with_replacement(tmp_path: Path) -> None:
    document = load_document(write(tmp_path / "x.txt", b"J\xe9r\xf4me \x81"))
    assert document.text == "J\ufffdr\ufffdme \ufffd"
    assert document.warnings == ("invalid UTF-8: 3 bytes replaced with U+FFFD",)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded(tmp_path: Path, codec: str) -> None:
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    document = load_document(write(tmp_path / "u16.txt", bom + "Müller\r\nT12".encode(codec)))
    assert (document.text, document.warnings) == ("Müller\nT12", ())


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", b"\xff\xfe \x00"])
def test_empty_or_whitespace_is_an_error(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "empty.txt", data)
    with pytest.raises(DocumentError) as caught:
        load_document(path)
    assert str(caught.value) == f"{path}: empty document"


@pytest.mark.parametrize(
    "data",
    [
        b"report\x00with a NUL",
        bytes(range(256)) * 4,
        b"text" + b"\x01\x02\x03\x04\x05\x06\x07\x08" * 3,
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    ],
)
def test_binary_content_is_refused(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(DocumentError, match=r": binary file, not text$"):
        load_document(write(tmp_path / "bin.txt", data))


def test_a_few_control_bytes_are_text(tmp_path: Path) -> None:
    text = "\x1b[1mBold\x1b[0m findings\x0cnext page " + "x" * 100 + "\x01"
    assert load_document(write(tmp_path / "ctl.txt", text.encode())).text == text


# --- size limit ---------------------------------------------------------------------------------


def test_too_large_is_refused_from_the_size_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(25 * 1024 * 1024)  # sparse: no 25 MB written or read
    tracemalloc.start()
    try:
        with pytest.raises(DocumentError) as caught:
            load_document(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1024 * 1024
    assert caught.value.reason == (
        "file too large: 26,214,400 bytes (25.0 MiB); the limit is 20,971,520 bytes (20.0 MiB)"
    )
    assert MAX_BYTES == 20 * 1024 * 1024


def test_max_bytes_is_inclusive(tmp_path: Path) -> None:
    path = write(tmp_path / "ten.txt", b"0123456789")
    assert load_document(path, max_bytes=10).text == "0123456789"
    with pytest.raises(DocumentError, match="file too large: 10 bytes"):
        load_document(path, max_bytes=9)


# --- paths that cannot be loaded ----------------------------------------------------------------


def test_unknown_extension(tmp_path: Path) -> None:
    path = write(tmp_path / "scan.xyz", b"text")
    with pytest.raises(DocumentError) as caught:
        load_document(path)
    assert caught.value.reason == "unsupported file type '.xyz' (supported: .txt .md .pdf .docx)"
    with pytest.raises(DocumentError, match=r"unsupported file without an extension \(supported"):
        load_document(write(tmp_path / "README", b"text"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        load_document(tmp_path / "nope.txt")
    assert caught.value.reason == "no such file"


def test_folder_is_not_a_file(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").mkdir()
    with pytest.raises(DocumentError, match=r"is a folder, not a file$"):
        load_document(tmp_path / "notes.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO")
def test_fifo_is_not_a_regular_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    with pytest.raises(DocumentError, match=r"not a regular file$"):
        load_document(tmp_path / "pipe.txt")


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc")
def test_file_that_fails_while_reading(tmp_path: Path) -> None:
    # /proc/self/mem is a regular file that fails to read at offset 0 (even for root).
    link = tmp_path / "mem.txt"
    link.symlink_to("/proc/self/mem")
    with pytest.raises(DocumentError, match=r"cannot read: input/output error$"):
        load_document(link)


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_pages_are_joined_with_the_separator(tmp_path: Path) -> None:
    path = write(tmp_path / "report.pdf", make_pdf(["Vertebroplasty at L1.", "Cement leak: canal."]))
    document = load_document(path)
    assert PAGE_SEPARATOR == "\n\f\n"
    assert document == Document(
        source=str(path), text="Vertebroplasty at L1.\n\f\nCement leak: canal.", kind="pdf", warnings=()
    )
    assert document.text.split(PAGE_SEPARATOR) == ["Vertebroplasty at L1.", "Cement leak: canal."]


def test_pdf_page_without_text_gets_a_warning(tmp_path: Path) -> None:
    document = load_document(write(tmp_path / "mixed.PDF", make_pdf(["One", None, "Three", None])))
    assert document.text.split(PAGE_SEPARATOR) == ["One", "", "Three", ""]
    assert document.warnings == ("page 2 has no text layer", "page 4 has no text layer")


def test_pdf_without_any_text_layer(tmp_path: Path) -> None:
    with pytest.raises(DocumentError) as caught:
        load_document(write(tmp_path / "scan.pdf", make_pdf([None, None])))
    assert caught.value.reason == "PDF has no text layer (scanned?): OCR is not supported"


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_pdf_is_corrupt_and_quiet(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], keep: float
) -> None:
    data = make_pdf(["Some text", "More text"])
    with pytest.raises(DocumentError, match=r": corrupt or unreadable PDF \(.+\)$"):
        load_document(write(tmp_path / "cut.pdf", data[: int(len(data) * keep)]))
    assert capfd.readouterr() == ("", "")


def test_repaired_pdf_loads_with_one_warning_and_nothing_on_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    data = re.sub(rb"startxref\n\d+", b"startxref\n999", make_pdf(["L4 leak"]))
    document = load_document(write(tmp_path / "bad-xref.pdf", data))
    assert document.text == "L4 leak"
    assert len(document.warnings) == 1
    assert document.warnings[0].startswith("the PDF reader reported ")
    assert "(text may be incomplete); first: " in document.warnings[0]
    assert capfd.readouterr() == ("", "")


def test_not_a_pdf_at_all(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match=r"not a PDF file \(no %PDF header\)$"):
        load_document(write(tmp_path / "fake.pdf", b"just some text"))
    with pytest.raises(DocumentError, match=r"empty document$"):
        load_document(write(tmp_path / "empty.pdf", b""))


def test_pdf_with_a_password_is_refused(tmp_path: Path) -> None:
    data = encrypt_pdf(make_pdf(["Confidential"]), user_password="secret")
    with pytest.raises(DocumentError, match=r"PDF is encrypted with a password; it cannot be read$"):
        load_document(write(tmp_path / "locked.pdf", data))


def test_pdf_encrypted_with_an_empty_password_is_read(tmp_path: Path) -> None:
    data = encrypt_pdf(make_pdf(["Readable"]), user_password="")
    assert load_document(write(tmp_path / "owner-only.pdf", data)).text == "Readable"


def test_pdf_page_limit(tmp_path: Path) -> None:
    pdf = FPDF()
    for _ in range(MAX_PDF_PAGES + 1):
        pdf.add_page()
    limit = MAX_PDF_PAGES
    with pytest.raises(DocumentError, match=rf": PDF has {limit + 1} pages \(limit {limit}\)$"):
        load_document(write(tmp_path / "long.pdf", bytes(pdf.output())))


# --- DOCX ---------------------------------------------------------------------------------------


def test_docx_paragraphs_and_table_rows_in_order(tmp_path: Path) -> None:
    path = make_docx(tmp_path / "letter.docx")
    document = load_document(path)
    assert document == Document(
        source=str(path),
        text="Kyphoplasty at T7.\n\nLevel | Leak | Volume\nT7 | canal | 4 mL\nParaplegia on day 2.",
        kind="docx",
        warnings=(),
    )


def test_docx_merged_and_nested_cells(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Findings"
    table.cell(0, 2).text = "CT"
    table.cell(1, 0).text = "L1"
    table.cell(1, 1).add_paragraph("second\tline")
    fill(table.cell(1, 2).add_table(rows=2, cols=2), [("a", "b"), ("c", "d")])
    document.save(str(tmp_path / "merged.docx"))
    text = load_document(tmp_path / "merged.docx").text
    assert text == "Findings | CT\nL1 | second line | a | b; c | d"


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_content_controls_tracked_changes_and_hyperlinks(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Before.")
    body = document.element.body
    body.insert(  # a block content control, as letters made from templates have (before w:sectPr)
        len(body) - 1,
        parse_xml(
            f'<w:sdt {W_NS}><w:sdtPr><w:alias w:val="Findings"/></w:sdtPr><w:sdtContent>'
            "<w:p><w:r><w:t>Leak into the canal at T7.</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        ),
    )
    body.insert(
        len(body) - 1,
        parse_xml(
            f'<w:p {W_NS}><w:r><w:t xml:space="preserve">Volume </w:t></w:r>'
            '<w:del w:id="1" w:author="A"><w:r><w:delText>6</w:delText></w:r></w:del>'
            '<w:ins w:id="2" w:author="A"><w:r><w:t>4</w:t></w:r></w:ins>'
            '<w:r><w:t xml:space="preserve"> mL</w:t><w:tab/><w:t>of</w:t><w:br/><w:t>cement: </w:t></w:r>'
            "<w:sdt><w:sdtContent><w:r><w:t>PMMA</w:t></w:r></w:sdtContent></w:sdt>"
            '<w:hyperlink w:anchor="x"><w:r><w:t>, see CT</w:t></w:r></w:hyperlink></w:p>'
        ),
    )
    path = tmp_path / "template.docx"
    document.save(str(path))
    text = load_document(path).text
    assert text == "Before.\nLeak into the canal at T7.\nVolume 4 mL\tof\ncement: PMMA, see CT"
    # python-docx's own paragraph list misses the content control and the tracked insertion:
    assert [p.text for p in docx.Document(str(path)).paragraphs] == [
        "Before.",
        "Volume  mL\tof\ncement: , see CT",
    ]


def test_docx_vertically_merged_cell_appears_once(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "L1"
    for row, value in zip(table.rows, ["leak", "canal", "none"], strict=True):
        row.cells[1].text = value
    table.cell(2, 0).text = "L2"
    document.save(str(tmp_path / "vmerge.docx"))
    assert load_document(tmp_path / "vmerge.docx").text == "L1 | leak\n | canal\nL2 | none"


def test_empty_docx(tmp_path: Path) -> None:
    docx.Document().save(str(tmp_path / "empty.docx"))
    with pytest.raises(DocumentError, match=r"empty document$"):
        load_document(tmp_path / "empty.docx")


def test_corrupt_docx(tmp_path: Path) -> None:
    data = make_docx(tmp_path / "good.docx").read_bytes()
    with pytest.raises(DocumentError, match=r": corrupt or unreadable \.docx \(not a zip archive\)$"):
        load_document(write(tmp_path / "cut.docx", data[: len(data) // 2]))
    with pytest.raises(DocumentError, match=r": corrupt or unreadable \.docx \(.+\)$"):
        load_document(write(tmp_path / "other.docx", _zip({"hello.txt": "not word"})))
    broken = _zip(
        {name: zipfile.ZipFile(io.BytesIO(data)).read(name) for name in _names(data)}
        | {"word/document.xml": "<w:document"}
    )
    with pytest.raises(DocumentError, match=r": corrupt or unreadable \.docx \(.+\)$"):
        load_document(write(tmp_path / "badxml.docx", broken))


def test_old_word_doc_renamed_to_docx(tmp_path: Path) -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64
    with pytest.raises(DocumentError, match=r"Word 97-2003 \(\.doc\).*save it as \.docx$"):
        load_document(write(tmp_path / "old.docx", data))


def _zip(files: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def _names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


# --- standard input -----------------------------------------------------------------------------


def test_stdin_text() -> None:
    document = load_stdin("L3 leak é\r\n".encode() + b"\xff")
    assert document == Document(
        source="<stdin>",
        text="L3 leak é\n\ufffd",
        kind="text",
        warnings=("invalid UTF-8: 1 byte replaced with U+FFFD",),
    )


def test_stdin_recognises_pdf_and_docx(tmp_path: Path) -> None:
    assert load_stdin(make_pdf(["From a pipe"])).kind == "pdf"
    document = load_stdin(make_docx(tmp_path / "x.docx").read_bytes())
    assert (document.source, document.kind) == ("<stdin>", "docx")


def test_stdin_errors() -> None:
    with pytest.raises(DocumentError) as caught:
        load_stdin(b" \n")
    assert str(caught.value) == "<stdin>: empty document"
    with pytest.raises(DocumentError, match=r"^<stdin>: file too large: 11 bytes"):
        load_stdin(b"eleven byte", max_bytes=10)
    with pytest.raises(DocumentError, match=r"^<stdin>: binary file, not text$"):
        load_stdin(b"PK\x03\x04\x00\x00 not a docx")


# --- iter_paths ---------------------------------------------------------------------------------


def test_iter_paths_expands_folders_and_reports_missing(tmp_path: Path) -> None:
    folder = tmp_path / "cases"
    for name in ["b.txt", "a.PDF", "sub/c.md", "sub/deeper/d.docx", "skip.json", ".hidden.txt", ".git/e.txt"]:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"x")
    single = write(tmp_path / "single.xyz", b"x")
    out = list(iter_paths([folder, tmp_path / "missing.txt", str(single)]))
    assert out[:4] == [folder / "a.PDF", folder / "b.txt", folder / "sub/c.md", folder / "sub/deeper/d.docx"]
    assert isinstance(out[4], DocumentError)
    assert str(out[4]) == f"{tmp_path / 'missing.txt'}: no such file or folder"
    assert out[5] == single  # a file named explicitly is passed on; loading it reports its type
    assert len(out) == 6


def test_iter_paths_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "only.json").write_text("{}")
    [error] = list(iter_paths([tmp_path]))
    assert isinstance(error, DocumentError)
    assert error.reason == "folder has no .txt .md .pdf .docx files"


def test_iter_paths_then_load_everything(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", b"L1")
    write(tmp_path / "b.txt", b"")
    write(tmp_path / "c.pdf", make_pdf(["L2"]))
    results: list[str] = []
    for item in iter_paths([tmp_path, tmp_path / "gone.md"]):
        try:
            if isinstance(item, DocumentError):
                raise item
            results.append(load_document(item).text)
        except DocumentError as error:
            results.append(f"error: {error.reason}")
    assert results == ["L1", "error: empty document", "L2", "error: no such file or folder"]


# --- properties ---------------------------------------------------------------------------------

PREFIXES = st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"%PDF-1.4\n", b"PK\x03\x04"])


def _check(document: Document) -> None:
    assert "\x00" not in document.text
    assert "\r" not in document.text
    assert document.text.strip()
    document.text.encode("utf-8")  # no lone surrogates


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=300))
def test_any_bytes_in_a_txt_load_or_raise_document_error(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path / "fuzz.txt", data)
    try:
        document = load_document(path)
    except DocumentError:
        return
    _check(document)


@settings(max_examples=150, deadline=None)
@given(prefix=PREFIXES, data=st.binary(max_size=300))
def test_any_bytes_on_stdin_load_or_raise_document_error(prefix: bytes, data: bytes) -> None:
    try:
        document = load_stdin(prefix + data)
    except DocumentError:
        return
    _check(document)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(suffix=st.sampled_from([".pdf", ".docx"]), cut=st.integers(0, 10**6), flip=st.integers(0, 10**6))
def test_damaged_pdf_and_docx_load_or_raise_document_error(
    tmp_path: Path, suffix: str, cut: int, flip: int
) -> None:
    good = GOOD[suffix]
    damaged = bytearray(good[: cut % (len(good) + 1)])
    if damaged:
        damaged[flip % len(damaged)] ^= 0xFF
    try:
        document = load_document(write(tmp_path / f"fuzz{suffix}", bytes(damaged)))
    except DocumentError:
        return
    _check(document)


def _good_docx() -> bytes:
    out = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Leak at L1")
    document.save(out)
    return out.getvalue()


GOOD = {".pdf": make_pdf(["Leak at L1", "Second page"]), ".docx": _good_docx()}
