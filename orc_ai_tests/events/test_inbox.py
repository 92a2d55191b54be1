"""The inbox: one event per file with a stable id; bad files become quarantine rows; the CLI writes what it reads."""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from orc_ai.errors import IngestError
from orc_ai.events.inbox import add_question, read_inbox
from orc_ai.events.table import events_from_frame, events_to_frame


def _write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return folder


GOOD = {
    "why.txt": "Why did the nightly load fail?\n",
    "notes/ask.md": "# Who owns beta?",
    "q.json": json.dumps({"question": "Is kafka healthy?", "team": "platform", "tenant": "acme"}),
    "full.json": json.dumps(
        {
            "type": "airflow_task_failure",
            "subject": {"dag_id": "etl", "task_id": "load", "run_id": "r1", "try_number": 2},
            "payload": {"error": "Timeout"},
            "team": "data",
            "occurred_at": "2026-11-30T10:00:00+01:00",
        }
    ),
}


def test_each_kind_of_file_becomes_one_event(tmp_path: Path) -> None:
    result = read_inbox(_write(tmp_path, GOOD))
    assert result.files_seen == 4 and not result.quarantined
    by_source = {e.source: e for e in result.events}
    assert by_source["inbox:why.txt"].payload == {"question": "Why did the nightly load fail?"}
    assert by_source["inbox:notes/ask.md"].query == "# Who owns beta?"
    asked = by_source["inbox:q.json"]
    assert (asked.type, asked.team, asked.tenant, asked.query) == ("question", "platform", "acme", "Is kafka healthy?")
    failure = by_source["inbox:full.json"]
    assert failure.type == "airflow_task_failure" and failure.subject.try_number == 2 and failure.team == "data"
    assert failure.occurred_at == datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    assert all(e.occurred_at.tzinfo is not None for e in result.events)


BAD = {
    "broken.json": ('{"question": "unterminated', "invalid_json"),
    "list.json": ('["a", "b"]', "invalid_event"),
    "typo.json": ('{"question": "x", "tem": "data"}', "invalid_event"),
    "kind.json": ('{"type": "rumour", "payload": {}}', "invalid_event"),
    "noquestion.json": ('{"type": "question", "payload": {"question": "  "}}', "invalid_event"),
    "subject.json": ('{"type": "data_quality", "subject": {"table": "x"}}', "invalid_event"),
    "try.json": ('{"type": "airflow_task_failure", "subject": {"try_number": "second"}}', "invalid_event"),
    "blank.txt": ("  \n\n ", "empty"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    "sheet.csv": ("a,b\n1,2\n", "unsupported_format"),
}


def test_bad_files_are_quarantined_with_the_reason_and_good_ones_still_read(tmp_path: Path) -> None:
    files = {**GOOD, **{name: content for name, (content, _) in BAD.items()}, "huge.txt": "why " * 400}
    result = read_inbox(_write(tmp_path, files), max_file_bytes=1000)
    reasons = {q.name: q.reason for q in result.quarantined}
    assert reasons == {name: reason for name, (_, reason) in BAD.items()} | {"huge.txt": "too_large"}
    assert all(q.detail for q in result.quarantined)
    assert "tem" in next(q.detail for q in result.quarantined if q.name == "typo.json")
    assert len(result.events) == len(GOOD) and result.files_seen == len(files)
    assert result.quarantine_frame().height == len(reasons)


def test_ids_are_stable_per_file_and_content(tmp_path: Path) -> None:
    inbox = _write(tmp_path / "inbox", GOOD | {"again.txt": GOOD["why.txt"]})
    first = {e.source: e.id for e in read_inbox(inbox).events}
    assert first == {e.source: e.id for e in read_inbox(inbox).events}
    assert first["inbox:why.txt"] != first["inbox:again.txt"]  # the same question in two files: two events
    (inbox / "why.txt").write_text("Why did the nightly load fail again?")
    changed = {e.source: e.id for e in read_inbox(inbox).events}
    assert changed["inbox:why.txt"] != first["inbox:why.txt"]
    assert {k: v for k, v in changed.items() if k != "inbox:why.txt"} == {
        k: v for k, v in first.items() if k != "inbox:why.txt"
    }


def test_a_reread_after_a_removal_or_an_edit_equals_a_fresh_read(tmp_path: Path) -> None:
    inbox = _write(tmp_path / "inbox", GOOD)
    read_inbox(inbox)
    (inbox / "q.json").unlink()
    (inbox / "why.txt").write_text("Another question")
    (inbox / "bad.json").write_text("{")
    fresh = tmp_path / "fresh"
    shutil.copytree(inbox, fresh, copy_function=shutil.copy2)  # same names, contents and times
    again, new = read_inbox(inbox), read_inbox(fresh)
    assert again.events_frame().equals(new.events_frame())
    assert again.quarantine_frame().drop("source_path").equals(new.quarantine_frame().drop("source_path"))


def test_hidden_files_and_files_being_written_are_skipped(tmp_path: Path) -> None:
    inbox = _write(tmp_path, {".draft.json.tmp": "{", ".hidden/q.txt": "secret?", "ok.txt": "fine?"})
    result = read_inbox(inbox)
    assert [e.source for e in result.events] == ["inbox:ok.txt"] and not result.quarantined


def test_a_missing_inbox_is_empty(tmp_path: Path) -> None:
    result = read_inbox(tmp_path / "nowhere")
    assert result.files_seen == 0 and result.events_frame().height == 0 and result.quarantine_frame().height == 0


def test_add_question_writes_the_file_the_reader_turns_into_the_same_event(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    event = add_question(inbox, "  Why is beta slow?  ", team="platform", now=now)
    (read,) = read_inbox(inbox).events
    assert read == event
    assert (event.query, event.team, event.tenant, event.source, event.occurred_at) == (
        "Why is beta slow?",
        "platform",
        None,
        "cli",
        now,
    )
    assert sorted(os.listdir(inbox)) == [f for f in os.listdir(inbox) if f.endswith(".json")]  # no temporary left
    second = add_question(inbox, "Why is beta slow?", now=now)
    assert second.id != event.id and len(read_inbox(inbox).events) == 2
    with pytest.raises(IngestError, match="empty"):
        add_question(inbox, " \n")


def test_the_table_reads_back_into_the_same_events(tmp_path: Path) -> None:
    events = read_inbox(_write(tmp_path, GOOD)).events
    frame = events_to_frame(events)
    assert frame["id"].to_list() == sorted(e.id for e in events)
    assert events_from_frame(frame) == sorted(events, key=lambda e: e.id)
    assert events_to_frame([*events, *events]).equals(frame)  # one row per id
