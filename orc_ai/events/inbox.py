"""User questions from the inbox folder (``ORC_AI_HOME/inbox``): one event per file, bad files quarantined.

A ``.txt`` or ``.md`` file's text is the question. A ``.json`` file holds one object: ``{"question": ...}``
(optionally ``team``, ``tenant``, ``occurred_at``, ``source``) or a whole event (``type``, ``subject``,
``payload``, ``team``, ``tenant``, ``occurred_at``, ``source``). An event's id is a hash of its type, the file's
name and its bytes: re-reading a file gives the same id, an edited file is a new event (the old one is gone), and
the same question in two files is two events (two people asked; each gets its own decision).
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl
from pydantic import ValidationError

from orc_ai import defaults
from orc_ai.errors import IngestError
from orc_ai.events.models import EVENT_TYPES, AgentEvent, EventSubject, event_id
from orc_ai.events.table import as_utc, events_to_frame
from orc_ai.hashing import stable_hash
from orc_ai.ingest.documents import QUARANTINE_SCHEMA
from orc_ai.ingest.encoding import decode_text
from orc_ai.ingest.models import QuarantineRecord

TEXT_SUFFIXES = (".txt", ".md")
JSON_SUFFIX = ".json"
_QUESTION_KEYS = {"question", "team", "tenant", "occurred_at", "source"}
_EVENT_KEYS = {"type", "subject", "payload", "team", "tenant", "occurred_at", "source"}


@dataclass
class InboxResult:
    """Events read and files quarantined, plus how many files were seen."""

    events: list[AgentEvent] = field(default_factory=list)
    quarantined: list[QuarantineRecord] = field(default_factory=list)
    files_seen: int = 0

    def events_frame(self) -> pl.DataFrame:
        return events_to_frame(self.events)

    def quarantine_frame(self) -> pl.DataFrame:
        rows = [q.model_dump() for q in sorted(self.quarantined, key=lambda q: q.name)]
        return pl.DataFrame(rows, schema=QUARANTINE_SCHEMA)


def inbox_files(root: Path) -> list[tuple[str, Path]]:
    """(relative name, path) of every non-hidden file under ``root``, sorted; none when it is missing."""
    root = Path(root)
    if not root.is_dir():
        return []
    files = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        name = path.relative_to(root).as_posix()
        if not any(part.startswith(".") for part in Path(name).parts):  # hidden: e.g. a write in progress
            files.append((name, path))
    return files


def read_inbox(root: Path, max_file_bytes: int = defaults.INBOX_MAX_FILE_BYTES) -> InboxResult:
    """Every inbox file as an event; a file that is not one becomes a quarantine row with the reason."""
    result = InboxResult()
    for name, path in inbox_files(root):
        result.files_seen += 1
        size = path.stat().st_size
        try:
            if size > max_file_bytes:
                raise IngestError("too_large", f"{size} bytes, more than {max_file_bytes}")
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise IngestError("unreadable", str(exc)) from exc
            modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            result.events.append(parse_inbox_file(name, data, modified))
        except IngestError as exc:
            fmt = path.suffix.lower().lstrip(".")
            result.quarantined.append(
                QuarantineRecord(
                    name=name, source_path=str(path), format=fmt, reason=exc.reason, detail=exc.detail, size_bytes=size
                )
            )
    return result


def parse_inbox_file(name: str, data: bytes, modified_at: datetime) -> AgentEvent:
    """The event one inbox file holds; ``IngestError`` (reason, detail) when it holds none."""
    suffix = Path(name).suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, JSON_SUFFIX):
        raise IngestError("unsupported_format", f"{suffix or 'no suffix'}: inbox files are .txt, .md or .json")
    text = decode_text(data).strip()
    if not text:
        raise IngestError("empty", "no text")
    content = stable_hash(text)
    if suffix in TEXT_SUFFIXES:
        return _event({"type": "question", "payload": {"question": text}}, name, content, modified_at)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError("invalid_json", str(exc)) from exc
    if not isinstance(obj, dict):
        raise IngestError("invalid_event", f"a JSON {type(obj).__name__}, not an object")
    if "type" not in obj:
        _check_keys(obj, _QUESTION_KEYS)
        fields = {k: v for k, v in obj.items() if k != "question"}
        obj = {**fields, "type": "question", "payload": {"question": obj.get("question")}}
    else:
        _check_keys(obj, _EVENT_KEYS)
    return _event(obj, name, content, modified_at)


def _check_keys(obj: dict[str, Any], allowed: set[str]) -> None:
    if unknown := sorted(set(obj) - allowed):
        raise IngestError("invalid_event", f"unknown fields {unknown}; allowed: {sorted(allowed)}")


def _event(obj: dict[str, Any], name: str, content: str, modified_at: datetime) -> AgentEvent:
    type_ = obj.get("type")
    if type_ not in EVENT_TYPES:
        raise IngestError("invalid_event", f"type {type_!r} is not one of {list(EVENT_TYPES)}")
    payload = obj.get("payload") or {}
    if type_ == "question":
        question = payload.get("question") if isinstance(payload, dict) else None
        if not isinstance(question, str) or not question.strip():
            raise IngestError("invalid_event", "a question event needs a non-empty 'question' text")
        payload = {**payload, "question": question.strip()}
    try:
        event = AgentEvent(
            id=event_id(type_, "inbox", name, content),
            type=type_,
            source=str(obj.get("source") or f"inbox:{name}"),
            occurred_at=obj.get("occurred_at") or modified_at,
            subject=EventSubject.model_validate(obj.get("subject") or {}),
            payload=payload,
            team=obj.get("team"),
            tenant=obj.get("tenant"),
        )
    except ValidationError as exc:
        errors = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'event'}: {e['msg']}" for e in exc.errors())
        raise IngestError("invalid_event", errors) from exc
    return event.model_copy(update={"occurred_at": as_utc(event.occurred_at)})


def add_question(
    inbox: Path, question: str, team: str | None = None, tenant: str | None = None, now: datetime | None = None
) -> AgentEvent:
    """Write ``question`` as a new inbox file, atomically (a hidden temporary file, then a rename), and return the
    event the ``agent_events`` asset will read from it."""
    if not question.strip():
        raise IngestError("empty", "the question is empty")
    now = as_utc(now or datetime.now(UTC))
    body: dict[str, Any] = {"question": question.strip(), "occurred_at": now.isoformat(), "source": "cli"}
    body |= {k: v for k, v in (("team", team), ("tenant", tenant)) if v}
    data = (json.dumps(body, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    name = f"{now:%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:8]}{JSON_SUFFIX}"
    event = parse_inbox_file(name, data, now)  # the same parser the asset runs: the same id
    inbox = Path(inbox)
    inbox.mkdir(parents=True, exist_ok=True)
    tmp = inbox / f".{name}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, inbox / name)
    return event
