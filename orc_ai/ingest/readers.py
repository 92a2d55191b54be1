"""One reader per file format: bytes in, ``ParsedDoc`` list out, ``IngestError`` with a reason code on failure."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence

from orc_ai.errors import IngestError
from orc_ai.ingest.models import ParsedDoc

TEXT_FIELDS = ("text", "content", "body")
TITLE_FIELDS = ("title", "name")
ID_FIELDS = ("id", "_id", "doc_id")


class RecordError(IngestError):
    """One record of a multi-record file is bad; the rest of the file is kept."""

    def __init__(self, name: str, reason: str, detail: str):
        super().__init__(reason, detail)
        self.name = name


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or BOM-marked UTF-16; anything else is quarantined."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError("undecodable", f"invalid UTF-16: {exc}") from exc
    sample = data[:8192]
    if b"\x00" in sample:
        raise IngestError("binary", "NUL bytes in the first 8 KiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise IngestError("undecodable", f"invalid UTF-8 at byte {exc.start}") from exc


def first_line_title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line[:120]
    return fallback


def read_plain(name: str, data: bytes) -> list[ParsedDoc]:
    text = decode_text(data)
    return [ParsedDoc(name=name, title=first_line_title(text, name), text=text)]


def read_html(name: str, data: bytes) -> list[ParsedDoc]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode_text(data), "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    heading = soup.title or soup.find("h1")
    text = soup.get_text("\n")
    title = heading.get_text(" ", strip=True) if heading else first_line_title(text, name)
    return [ParsedDoc(name=name, title=title or name, text=text)]


def read_pdf(name: str, data: bytes) -> list[ParsedDoc]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
        title = (reader.metadata.title if reader.metadata else None) or first_line_title(text, name)
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise IngestError("unparseable_pdf", str(exc)[:200]) from exc
    return [ParsedDoc(name=name, title=str(title), text=text)]


def _pick(obj: dict, fields: Sequence[str]) -> str | None:
    for field in fields:
        value = obj.get(field)
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value)
    return None


def render_mapping(obj: dict) -> str:
    """A JSON object without a text field becomes 'key: value' lines."""
    lines = []
    for key, value in obj.items():
        rendered = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        lines.append(f"{key}: {rendered}")
    return "\n".join(lines)


def record_to_doc(name: str, index: int, obj: object) -> ParsedDoc:
    """One JSON list item / JSONL line to a document; the title/id fields name it."""
    if not isinstance(obj, dict):
        raise RecordError(f"{name}#{index}", "json_record_not_object", f"item is {type(obj).__name__}")
    text = _pick(obj, TEXT_FIELDS)
    record_id = _pick(obj, ID_FIELDS) or str(index)
    if text is None:
        raise RecordError(f"{name}#{record_id}", "json_record_without_text", f"no field of {TEXT_FIELDS}")
    title = _pick(obj, TITLE_FIELDS) or first_line_title(text, f"{name}#{record_id}")
    return ParsedDoc(name=f"{name}#{record_id}", title=title, text=text)


def read_json(name: str, data: bytes) -> list[ParsedDoc | RecordError]:
    try:
        payload = json.loads(decode_text(data))
    except json.JSONDecodeError as exc:
        raise IngestError("unparseable_json", f"line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if isinstance(payload, list):
        return [_safe_record(name, i, item) for i, item in enumerate(payload)]
    if isinstance(payload, dict):
        text = _pick(payload, TEXT_FIELDS) or render_mapping(payload)
        title = _pick(payload, TITLE_FIELDS) or name
        return [ParsedDoc(name=name, title=title, text=text)]
    raise IngestError("unparseable_json", f"top-level {type(payload).__name__} is neither list nor object")


def read_jsonl(name: str, data: bytes) -> list[ParsedDoc | RecordError]:
    out: list[ParsedDoc | RecordError] = []
    for lineno, line in enumerate(decode_text(data).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            out.append(RecordError(f"{name}:{lineno}", "unparseable_json", exc.msg))
            continue
        out.append(_safe_record(name, lineno, item))
    return out


def _safe_record(name: str, index: int, item: object) -> ParsedDoc | RecordError:
    try:
        return record_to_doc(name, index, item)
    except RecordError as err:
        return err


def read_csv(name: str, data: bytes) -> list[ParsedDoc]:
    """A table becomes one document: a header line, then 'column: value' per row."""
    text = decode_text(data)
    try:
        rows = list(csv.reader(io.StringIO(text), strict=True))
    except csv.Error as exc:
        raise IngestError("unparseable_csv", str(exc)) from exc
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise IngestError("empty", "no rows")
    header = [h.strip() for h in rows[0]]
    bad = [i + 2 for i, row in enumerate(rows[1:]) if len(row) != len(header)]
    if bad:
        raise IngestError("unparseable_csv", f"rows {bad[:5]} do not have the header's {len(header)} columns")
    title = name.rsplit("/", 1)[-1]
    lines = [f"Table {title} with columns: {', '.join(header)}."]
    for row in rows[1:]:
        lines.append("; ".join(f"{h}: {v.strip()}" for h, v in zip(header, row, strict=True) if v.strip()) + ".")
    return [ParsedDoc(name=name, title=title, text="\n".join(lines))]


READERS: dict[str, Callable[[str, bytes], list]] = {
    "md": read_plain,
    "markdown": read_plain,
    "txt": read_plain,
    "rst": read_plain,
    "log": read_plain,
    "html": read_html,
    "htm": read_html,
    "json": read_json,
    "jsonl": read_jsonl,
    "ndjson": read_jsonl,
    "csv": read_csv,
    "pdf": read_pdf,
}
