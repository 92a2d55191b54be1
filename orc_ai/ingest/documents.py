"""Walk a folder, read every file, normalise, hash, dedupe; bad input becomes quarantine rows."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from orc_ai.errors import IngestError
from orc_ai.hashing import stable_hash
from orc_ai.ingest.models import Document, ParsedDoc, QuarantineRecord
from orc_ai.ingest.readers import READERS, RecordError

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
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def _printable_share(text: str) -> float:
    if not text:
        return 1.0
    printable = sum(1 for ch in text if ch.isprintable() or ch in "\n\t")
    return printable / len(text)


def ingest_folder(root: Path, max_file_bytes: int = 5_000_000, min_chars: int = 1) -> IngestResult:
    """Read every file under ``root`` (sorted, hidden files skipped) into documents and quarantine rows."""
    root = Path(root)
    if not root.is_dir():
        raise IngestError("missing_folder", f"documents folder {root} does not exist or is not a folder")
    result = IngestResult()
    parsed: list[tuple[ParsedDoc, str, str]] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = path.relative_to(root).as_posix()
        if any(part.startswith(".") for part in Path(rel).parts):
            continue
        result.files_seen += 1
        fmt = path.suffix.lower().lstrip(".")
        size = path.stat().st_size

        def quarantine(reason: str, detail: str, name: str = rel, rel: str = rel, fmt: str = fmt, size: int = size):
            record = QuarantineRecord(
                name=name, source_path=rel, format=fmt, reason=reason, detail=detail, size_bytes=size
            )
            result.quarantined.append(record)

        if fmt not in READERS:
            quarantine("unsupported_format", f"no reader for '.{fmt}'; supported: {sorted(READERS)}")
            continue
        if size == 0:
            quarantine("empty", "file has 0 bytes")
            continue
        if size > max_file_bytes:
            quarantine("too_large", f"{size} bytes exceeds the limit of {max_file_bytes}")
            continue
        try:
            items = READERS[fmt](rel, path.read_bytes())
        except IngestError as err:
            quarantine(err.reason, err.detail)
            continue
        for item in items:
            if isinstance(item, RecordError):
                quarantine(item.reason, item.detail, name=item.name)
            else:
                parsed.append((item, rel, fmt))

    by_hash: dict[str, Document] = {}
    for doc, rel, fmt in parsed:
        text = normalise_text(doc.text)
        if len(text) < min_chars:
            result.quarantined.append(
                QuarantineRecord(
                    name=doc.name,
                    source_path=rel,
                    format=fmt,
                    reason="empty",
                    detail="no text after normalisation",
                    size_bytes=len(doc.text),
                )
            )
            continue
        if _printable_share(text) < _MIN_PRINTABLE_SHARE:
            result.quarantined.append(
                QuarantineRecord(
                    name=doc.name,
                    source_path=rel,
                    format=fmt,
                    reason="binary",
                    detail="mostly non-printable characters",
                    size_bytes=len(doc.text),
                )
            )
            continue
        content_hash = stable_hash(text, length=32)
        if content_hash in by_hash:
            by_hash[content_hash].duplicate_names.append(doc.name)
            continue
        by_hash[content_hash] = Document(
            doc_id=stable_hash("doc", doc.name),
            name=doc.name,
            source_path=rel,
            format=fmt,
            title=normalise_text(doc.title)[:200] or doc.name,
            text=text,
            n_chars=len(text),
            content_hash=content_hash,
        )
    result.documents = sorted(by_hash.values(), key=lambda d: d.name)
    return result
