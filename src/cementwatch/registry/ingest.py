"""``ingest``: documents and case files → reader → triage → registry, one transaction per document.

- **Idempotent**: a document's identity is the sha256 of its bytes; one already stored is skipped
  without being read again, so running the same command twice stores nothing new.
- **Resumable**: each document is committed on its own, so after a crash or Ctrl-C the next run skips
  what was stored and goes on; an interrupted document is rolled back, never half stored.
- **Bad input loses nothing else**: a file that cannot be read is reported with its reason and
  skipped; the batch goes on. A document that yields no augmentation, leak or deficit is still stored
  (a registry of "no leak" reports is what quality teams count) with the reader's warnings.
- ``.json`` files are case files (``cementwatch.case/1``), validated and stored as they are.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from cementwatch import __version__
from cementwatch.case import Case, CaseError, parse_case
from cementwatch.read.documents import DocumentError, iter_paths, load_document
from cementwatch.registry.store import Registry

__all__ = ["IngestReport", "Item", "ingest", "plan"]

MAX_CASE_BYTES = 5_000_000
LOOKUP_BATCH = 256  # files hashed and looked up in the registry with one query
Result = Literal["stored", "already", "would-store", "failed"]


@dataclass(frozen=True)
class Item:
    """What happened to one file."""

    path: str
    result: Result
    case_id: int | None = None
    urgency: str | None = None
    reason: str | None = None


@dataclass
class IngestReport:
    stored: int = 0
    already: int = 0
    would_store: int = 0
    failed: list[Item] = field(default_factory=list)
    interrupted: bool = False

    def count(self, item: Item) -> None:
        if item.result == "stored":
            self.stored += 1
        elif item.result == "already":
            self.already += 1
        elif item.result == "would-store":
            self.would_store += 1
        else:
            self.failed.append(item)


def plan(paths: Iterable[str]) -> list[Path | DocumentError]:
    """The files an ingest of ``paths`` visits, in order (folders expanded; .json files kept)."""
    found: list[Path | DocumentError] = []
    for given in paths:
        path = Path(given)
        if path.suffix.lower() == ".json" and not path.is_dir():
            found.append(path)
        elif path.is_dir():
            cases = sorted(p for p in path.rglob("*.json") if not _hidden(p, path) and p.is_file())
            for entry in iter_paths([path]):
                empty = isinstance(entry, DocumentError) and entry.reason.startswith("folder has no")
                if not (empty and cases):
                    found.append(entry)
            found.extend(cases)
        else:
            found.extend(iter_paths([path]))
    return found


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def ingest(
    files: Iterable[Path | DocumentError],
    registry: Registry | None,
    *,
    dry_run: bool = False,
    keep_text: bool = True,
    on_item: Callable[[Item], None] | None = None,
) -> IngestReport:
    """Store each file of ``files`` (from :func:`plan`). ``registry`` may be None only for a dry run
    (then nothing is checked against a registry). Ctrl-C stops between documents: the report says
    ``interrupted`` and what was stored stays stored."""
    report = IngestReport()
    try:
        for item in _items(files, registry, dry_run=dry_run, keep_text=keep_text):
            report.count(item)
            if on_item is not None:
                on_item(item)
    except KeyboardInterrupt:
        report.interrupted = True
    return report


def _items(
    files: Iterable[Path | DocumentError], registry: Registry | None, *, dry_run: bool, keep_text: bool
) -> Iterator[Item]:
    entries = list(files)
    for start in range(0, len(entries), LOOKUP_BATCH):
        hashed = [_hashed(entry) for entry in entries[start : start + LOOKUP_BATCH]]
        stored = (
            registry.find_hashes([h.digest for h in hashed if h.digest is not None])
            if registry is not None
            else {}
        )
        for entry in hashed:
            yield _item(entry, stored, registry, dry_run=dry_run, keep_text=keep_text)


@dataclass(frozen=True)
class _Hashed:
    """A planned file with its content hash, or the reason it could not be hashed."""

    path: Path | None
    source: str
    digest: str | None = None
    raw: bytes | None = None  # the bytes of a .json case file (read once, to hash and to parse)
    failed: str | None = None


def _hashed(entry: Path | DocumentError) -> _Hashed:
    if isinstance(entry, DocumentError):
        return _Hashed(None, entry.source, failed=entry.reason)
    path = str(entry)
    try:
        if entry.suffix.lower() == ".json":
            size = entry.stat().st_size
            if size > MAX_CASE_BYTES:
                return _Hashed(entry, path, failed=f"{size / 1e6:.0f} MB is too large for a case")
            raw = entry.read_bytes()
            return _Hashed(entry, path, hashlib.sha256(raw).hexdigest(), raw)
        return _Hashed(entry, path, _digest(entry))
    except OSError as error:
        return _Hashed(entry, path, failed=f"cannot read: {error.strerror or error}")


def _item(
    entry: _Hashed, stored: dict[str, int], registry: Registry | None, *, dry_run: bool, keep_text: bool
) -> Item:
    from cementwatch.assess import assess

    if entry.path is None or entry.digest is None:
        return Item(entry.source, "failed", reason=entry.failed)
    if (found := stored.get(entry.digest)) is not None:
        return Item(entry.source, "already", case_id=found)
    try:
        case, text = _case_of(entry.path, entry.raw)
    except (DocumentError, CaseError) as error:
        return Item(entry.source, "failed", reason=_reason(error, entry.source))
    except Exception as error:  # a reader defect must not stop the batch
        return Item(entry.source, "failed", reason=f"the reader failed ({type(error).__name__}: {error})")
    urgency = assess(case, with_case=False).urgency.value
    if dry_run or registry is None:
        return Item(entry.source, "would-store", urgency=urgency)
    is_case = entry.raw is not None
    added = registry.add(
        case,
        kind="case" if is_case else "document",
        source=entry.source,
        text=text if keep_text else None,
        content_hash=entry.digest,
        reader_version=None if is_case else __version__,
        urgency=urgency,
        known_new=True,  # looked up just now; a duplicate within the batch is caught by the unique hash
    )
    return Item(entry.source, "stored" if added.new else "already", case_id=added.id, urgency=urgency)


def _digest(path: Path) -> str:
    with path.open("rb") as handle:  # in chunks: a huge file costs no memory before it is refused
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _case_of(path: Path, raw: bytes | None) -> tuple[Case, str | None]:
    if raw is not None:
        try:
            return parse_case(raw.decode("utf-8-sig")), None
        except UnicodeDecodeError:
            raise CaseError(["not UTF-8 text"]) from None
    from cementwatch.read import read_case

    document = load_document(path)
    case = read_case(document.text, source=document.source)
    case.warnings[:0] = list(document.warnings)
    return case, document.text


def _reason(error: DocumentError | CaseError, path: str) -> str:
    if isinstance(error, DocumentError):
        return error.reason
    return "; ".join(error.problems)
