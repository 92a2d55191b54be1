"""Walk a folder, read every file, normalise, hash, dedupe; bad input becomes quarantine rows."""

from __future__ import annotations

import re
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from orc_ai.errors import IngestError
from orc_ai.hashing import stable_hash
from orc_ai.ingest.encoding import replace_surrogates
from orc_ai.ingest.models import Document, ParsedDoc, QuarantineRecord
from orc_ai.ingest.readers import READERS, RecordError, claim_name

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_MIN_PRINTABLE_SHARE = 0.85


@dataclass
class IngestResult:
    """Documents kept and files (or records) quarantined, plus how many files were seen."""

    documents: list[Document] = field(default_factory=list)
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    files_seen: int = 0

    def documents_frame(self) -> pl.DataFrame:
        return pl.DataFrame([d.model_dump() for d in self.documents], schema=DOCUMENT_SCHEMA)

    def quarantine_frame(self) -> pl.DataFrame:
        return pl.DataFrame([q.model_dump() for q in self.quarantined], schema=QUARANTINE_SCHEMA)


DOCUMENT_SCHEMA = {
    "doc_id": pl.String,
    "name": pl.String,
    "source_path": pl.String,
    "format": pl.String,
    "title": pl.String,
    "text": pl.String,
    "n_chars": pl.Int64,
    "content_hash": pl.String,
    "duplicate_names": pl.List(pl.String),
}
QUARANTINE_SCHEMA = {
    "name": pl.String,
    "source_path": pl.String,
    "format": pl.String,
    "reason": pl.String,
    "detail": pl.String,
    "size_bytes": pl.Int64,
}


def normalise_text(text: str) -> str:
    """NFKC, LF line ends, no control characters, single spaces, at most one blank line in a row."""
    text = unicodedata.normalize("NFKC", replace_surrogates(text)).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _printable_share(text: str) -> float:
    if not text:
        return 1.0
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\t")
    return printable / len(text)


def ingest_folder(root: Path, max_file_bytes: int = 5_000_000, min_chars: int = 1) -> IngestResult:
    """Read every file under ``root`` (sorted, hidden files skipped) into documents and quarantine rows.

    Never raises because of one file: whatever goes wrong reading it becomes a quarantine row.
    """
    root = Path(root)
    if not root.is_dir():
        raise IngestError("missing_folder", f"documents folder {root} does not exist or is not a folder")
    result = IngestResult()
    parsed: list[tuple[ParsedDoc, str, str]] = []
    for path in sorted(root.rglob("*")):
        rel = replace_surrogates(path.relative_to(root).as_posix())  # an undecodable file name still hashes
        if any(part.startswith(".") for part in Path(rel).parts) or path.is_dir():
            continue
        result.files_seen += 1
        fmt = path.suffix.lower().lstrip(".")
        try:
            items = _read_file(path, rel, fmt, max_file_bytes, min_chars)
        except MemoryError:
            # files are capped at max_file_bytes, so running out of memory is the machine's state, not this
            # file's fault: quarantining it would hide that and go on with a process that may fail anywhere
            raise
        except Exception as exc:  # KeyboardInterrupt and SystemExit are not Exceptions: they still stop the run
            items = [_quarantine_file(path, rel, fmt, exc)]
        for item in items:
            if isinstance(item, QuarantineRecord):
                result.quarantined.append(item)
            else:
                parsed.append((item, rel, fmt))

    by_hash: dict[str, Document] = {}
    names: set[str] = set()
    for doc, rel, fmt in parsed:
        name = claim_name(doc.name, names, rel)  # '#' in file names could clash with a record's name
        content_hash = stable_hash(doc.text, length=32)
        if content_hash in by_hash:
            by_hash[content_hash].duplicate_names.append(name)
            continue
        by_hash[content_hash] = Document(
            doc_id=stable_hash("doc", name),
            name=name,
            source_path=rel,
            format=fmt,
            title=doc.title,
            text=doc.text,
            n_chars=len(doc.text),
            content_hash=content_hash,
        )
    result.documents = sorted(by_hash.values(), key=lambda d: d.name)
    return result


def _read_file(
    path: Path, rel: str, fmt: str, max_file_bytes: int, min_chars: int
) -> list[ParsedDoc | QuarantineRecord]:
    """One file's normalised documents and quarantine rows; raises on a problem with the whole file."""
    if not path.is_file():
        raise IngestError("not_a_file", _special_file_kind(path))
    if fmt not in READERS:
        raise IngestError("unsupported_format", f"no reader for '.{fmt}'; supported: {sorted(READERS)}")
    size = path.stat().st_size
    if size == 0:
        raise IngestError("empty", "file has 0 bytes")
    if size > max_file_bytes:
        raise IngestError("too_large", f"{size} bytes exceeds the limit of {max_file_bytes}")
    items = READERS[fmt](rel, path.read_bytes())
    if not items:  # '[]', or a .jsonl of blank lines: the file must still leave a row
        raise IngestError("empty", "no records in the file")
    out: list[ParsedDoc | QuarantineRecord] = []
    for item in items:
        if isinstance(item, RecordError):
            out.append(_quarantine_row(item.name, rel, fmt, item.reason, item.detail, size))
            continue
        text = normalise_text(item.text)
        if len(text) < min_chars:
            out.append(_quarantine_row(item.name, rel, fmt, "empty", "no text after normalisation", len(item.text)))
        elif _printable_share(text) < _MIN_PRINTABLE_SHARE:
            out.append(_quarantine_row(item.name, rel, fmt, "binary", "mostly non-printable characters", len(text)))
        else:
            title = normalise_text(item.title)[:200] or item.name
            out.append(ParsedDoc(name=item.name, title=title, text=text))
    return out


def _quarantine_file(path: Path, rel: str, fmt: str, exc: Exception) -> QuarantineRecord:
    """The row for a file that could not be read: its reason code, or ``read_error`` with the exception."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if isinstance(exc, IngestError):
        return _quarantine_row(rel, rel, fmt, exc.reason, exc.detail, size)
    return _quarantine_row(rel, rel, fmt, "read_error", f"{type(exc).__name__}: {exc}"[:300], size)


def _quarantine_row(name: str, rel: str, fmt: str, reason: str, detail: str, size: int) -> QuarantineRecord:
    return QuarantineRecord(name=name, source_path=rel, format=fmt, reason=reason, detail=detail, size_bytes=size)


def _special_file_kind(path: Path) -> str:
    """Why a listed path is not a regular file; it is never opened (reading a FIFO would block the run)."""
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        return f"broken symbolic link or vanished file ({type(exc).__name__})"
    for test, kind in ((stat.S_ISFIFO, "named pipe"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "device")):
        if test(mode):
            return f"{kind}, not a regular file; not read"
    return "not a regular file; not read"
