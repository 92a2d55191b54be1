"""One reader per file format: bytes in, ``ParsedDoc`` list out, ``IngestError`` with a reason code on failure.

A reader may still raise anything else on input nobody foresaw; ``ingest_folder`` quarantines that file too.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence

from orc_ai.errors import IngestError
from orc_ai.ingest.encoding import decode_text, replace_surrogates
from orc_ai.ingest.models import ParsedDoc

TEXT_FIELDS = ("text", "content", "body")
TITLE_FIELDS = ("title", "name")
ID_FIELDS = ("id", "_id", "doc_id")


class RecordError(IngestError):
    """One record of a multi-record file is bad; the rest of the file is kept."""

    def __init__(self, name: str, reason: str, detail: str):
        super().__init__(reason, detail)
        self.name = name


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

    try:
        reader = PdfReader(io.BytesIO(data))
        text = "\n\n".join(page.extract_text() or "" for page in reader.pages)
        title = (reader.metadata.title if reader.metadata else None) or first_line_title(text, name)
    except MemoryError:
        raise
    except Exception as exc:  # pypdf raises far more than its own errors on broken files (RecursionError, ...)
        raise IngestError("unparseable_pdf", f"{type(exc).__name__}: {exc}"[:200]) from exc
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


def claim_name(name: str, used: set[str], hint: str) -> str:
    """``name`` if no earlier item took it, else ``name@hint`` (then ``~2``, ``~3``, ...); marks it as taken."""
    candidate, n = name, 1
    while candidate in used:
        n += 1
        candidate = f"{name}@{hint}" if n == 2 else f"{name}@{hint}~{n - 1}"
    used.add(candidate)
    return candidate


def records_to_docs(name: str, records: Sequence[tuple[int, object]]) -> list[ParsedDoc | RecordError]:
    """JSON list items / JSONL lines (position, value) to documents named ``<file>#<id or position>``.

    Names are unique within the file: records with their own id claim ``#<id>`` first, in file order, then
    the others ``#<position>``; a clash gets ``@<position>`` appended. The same file always gives the same names.
    """
    ids = [_record_id(value) for _, value in records]
    names: dict[int, str] = {}
    used: set[str] = set()
    for k in sorted(range(len(records)), key=lambda k: (ids[k] is None, k)):
        position = str(records[k][0])
        names[k] = claim_name(f"{name}#{ids[k] or position}", used, position)
    return [_record_to_doc(names[k], value) for k, (_, value) in enumerate(records)]


def _record_id(value: object) -> str | None:
    record_id = _pick(value, ID_FIELDS) if isinstance(value, dict) else None
    return replace_surrogates(record_id) if record_id else None


def _record_to_doc(name: str, obj: object) -> ParsedDoc | RecordError:
    """One JSON list item / JSONL line to a document, or the reason it is not one."""
    if not isinstance(obj, dict):
        return RecordError(name, "json_record_not_object", f"item is {type(obj).__name__}")
    text = _pick(obj, TEXT_FIELDS)
    if text is None:
        return RecordError(name, "json_record_without_text", f"no field of {TEXT_FIELDS}")
    title = _pick(obj, TITLE_FIELDS) or first_line_title(text, name)
    return ParsedDoc(name=name, title=title, text=text)


def _json_error(exc: ValueError | RecursionError) -> str:
    if isinstance(exc, json.JSONDecodeError):
        return f"line {exc.lineno} column {exc.colno}: {exc.msg}"
    return f"{type(exc).__name__}: {exc}"[:200]  # nesting deeper than the recursion limit, a 5,000-digit number


def read_json(name: str, data: bytes) -> list[ParsedDoc | RecordError]:
    text = decode_text(data)
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise IngestError("unparseable_json", _json_error(exc)) from exc
    if isinstance(payload, list):
        return records_to_docs(name, list(enumerate(payload)))
    if isinstance(payload, dict):
        text = _pick(payload, TEXT_FIELDS) or render_mapping(payload)
        title = _pick(payload, TITLE_FIELDS) or name
        return [ParsedDoc(name=name, title=title, text=text)]
    raise IngestError("unparseable_json", f"top-level {type(payload).__name__} is neither list nor object")


def read_jsonl(name: str, data: bytes) -> list[ParsedDoc | RecordError]:
    records: list[tuple[int, object]] = []
    errors: list[RecordError] = []
    for lineno, line in enumerate(decode_text(data).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append((lineno, json.loads(line)))
        except (ValueError, RecursionError) as exc:
            errors.append(RecordError(f"{name}:{lineno}", "unparseable_json", _json_error(exc)))
    return [*records_to_docs(name, records), *errors]


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
