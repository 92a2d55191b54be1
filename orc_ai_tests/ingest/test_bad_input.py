"""Bad input never crashes ingest, and nothing good is lost: unique names, any read failure quarantined,
legacy encodings read, special files never opened."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

import charset_normalizer
import pytest

from orc_ai.ingest import readers
from orc_ai.ingest.documents import ingest_folder
from orc_ai_tests.ingest.pdfs import minimal_pdf

GOOD = "Kafka lag on shipment.events.v2 paged the SRE team."


def _reasons(result) -> dict[str, str]:
    return {q.name: q.reason for q in result.quarantined}


def _details(result) -> dict[str, str]:
    return {q.name: q.detail for q in result.quarantined}


# --- names -------------------------------------------------------------------------------------------------


def test_json_records_sharing_an_id_or_an_index_get_distinct_names_and_doc_ids(tmp_path: Path) -> None:
    records = [
        {"id": "a", "text": "First record called a."},
        {"id": "a", "text": "Second record also called a."},
        {"text": "Third record, named by its index 2."},
        {"id": "2", "text": "Fourth record whose id is 2."},
    ]
    (tmp_path / "r.json").write_text(json.dumps(records))
    result = ingest_folder(tmp_path)
    by_text = {d.text: d.name for d in result.documents}
    assert by_text == {
        "First record called a.": "r.json#a",
        "Second record also called a.": "r.json#a@1",
        "Third record, named by its index 2.": "r.json#2@2",  # an explicit id outranks a position
        "Fourth record whose id is 2.": "r.json#2",
    }
    frame = result.documents_frame()
    assert frame["doc_id"].n_unique() == frame.height == 4


def test_jsonl_records_sharing_an_id_get_distinct_names_and_the_same_ones_on_every_run(tmp_path: Path) -> None:
    lines = [{"id": 7, "text": f"Line {i} of the dump."} for i in range(3)] + [{"text": "Unnamed, line 4."}]
    lines.append({"_id": "4", "text": "Named 4, line 5."})
    (tmp_path / "dump.jsonl").write_text("\n".join(json.dumps(line) for line in lines))
    first = ingest_folder(tmp_path).documents_frame()
    second = ingest_folder(tmp_path).documents_frame()
    assert first.equals(second)
    assert sorted(first["name"]) == sorted(
        ["dump.jsonl#7", "dump.jsonl#7@2", "dump.jsonl#7@3", "dump.jsonl#4", "dump.jsonl#4@4"]
    )
    assert first["doc_id"].n_unique() == 5


def test_a_file_name_with_a_hash_cannot_clash_with_a_record_name(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps([{"id": "b.txt", "text": "The record."}]))
    (tmp_path / "a.json#b.txt").write_text("The file.")
    docs = {d.text: d.name for d in ingest_folder(tmp_path).documents}
    assert docs == {"The record.": "a.json#b.txt", "The file.": "a.json#b.txt@a.json#b.txt"}


# --- any failure reading one file is a quarantine row --------------------------------------------------------


def test_json_nested_deeper_than_the_recursion_limit_is_quarantined_and_the_rest_kept(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    deep_line = json.dumps({"text": "x"})[:-1] + ', "deep": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (tmp_path / "mixed.jsonl").write_text(json.dumps({"text": GOOD}) + "\n" + deep_line + "\n")
    (tmp_path / "big_number.json").write_text('{"id": ' + "1" * 5000 + ', "text": "x"}')
    result = ingest_folder(tmp_path)
    assert [d.name for d in result.documents] == ["mixed.jsonl#1"]
    assert _reasons(result) == {
        "deep.json": "unparseable_json",
        "mixed.jsonl:2": "unparseable_json",
        "big_number.json": "unparseable_json",
    }
    assert _details(result)["deep.json"].startswith("RecursionError")
    assert _details(result)["mixed.jsonl:2"].startswith("RecursionError")
    assert _details(result)["big_number.json"].startswith("ValueError")


def test_a_pdf_error_of_a_type_pypdf_does_not_declare_is_quarantined(tmp_path: Path) -> None:
    nested = b"BT /F1 12 Tf 72 720 Td " + b"[" * 20_000 + b"]" * 20_000 + b" Tj ET"  # real pypdf RecursionError
    (tmp_path / "nested.pdf").write_bytes(minimal_pdf("", content=nested))
    (tmp_path / "fine.pdf").write_bytes(minimal_pdf("Restart the Kafka consumer group"))
    result = ingest_folder(tmp_path)
    assert [d.name for d in result.documents] == ["fine.pdf"]
    assert _reasons(result) == {"nested.pdf": "unparseable_pdf"}
    assert _details(result)["nested.pdf"].startswith("RecursionError")


def test_an_unreadable_file_is_quarantined_with_the_exception_type(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "locked.md").write_text("# Locked runbook")
    (tmp_path / "open.md").write_text(GOOD)
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.md":  # tests run as root, where chmod 000 does not stop a read
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = ingest_folder(tmp_path)
    assert [d.name for d in result.documents] == ["open.md"]
    (row,) = result.quarantined
    assert (row.name, row.reason, row.size_bytes) == ("locked.md", "read_error", len("# Locked runbook"))
    assert row.detail.startswith("PermissionError: [Errno 13] Permission denied")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file")
def test_a_file_without_read_permission_is_quarantined(tmp_path: Path) -> None:
    locked = tmp_path / "locked.md"
    locked.write_text("# Locked runbook")
    locked.chmod(0)
    try:
        assert _reasons(ingest_folder(tmp_path)) == {"locked.md": "read_error"}
    finally:
        locked.chmod(0o644)


def test_any_exception_in_a_reader_is_a_quarantine_row_and_other_files_are_kept(tmp_path: Path, monkeypatch) -> None:
    def broken_reader(name: str, data: bytes) -> list:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(readers.READERS, "log", broken_reader)
    (tmp_path / "app.log").write_text("ERROR something")
    (tmp_path / "note.txt").write_text(GOOD)
    result = ingest_folder(tmp_path)
    assert [d.name for d in result.documents] == ["note.txt"]
    assert [(q.name, q.reason, q.detail) for q in result.quarantined] == [
        ("app.log", "read_error", "ZeroDivisionError: division by zero")
    ]


def test_out_of_memory_is_not_swallowed(tmp_path: Path, monkeypatch) -> None:
    def exhausted(name: str, data: bytes) -> list:
        raise MemoryError

    monkeypatch.setitem(readers.READERS, "txt", exhausted)
    (tmp_path / "note.txt").write_text(GOOD)
    with pytest.raises(MemoryError):
        ingest_folder(tmp_path)


def test_broken_links_and_named_pipes_are_quarantined_without_being_opened(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "dangling.md").symlink_to(tmp_path / "gone.md")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "good.md").write_text(GOOD)
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        assert self.name == "good.md", f"{self.name} must not be opened (a FIFO blocks the run)"
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = ingest_folder(tmp_path)
    assert [d.name for d in result.documents] == ["good.md"]
    assert _reasons(result) == {"dangling.md": "not_a_file", "pipe.txt": "not_a_file"}
    assert "named pipe" in _details(result)["pipe.txt"]
    assert result.files_seen == 3


def test_lone_surrogates_from_json_escapes_do_not_break_hashing_or_tables(tmp_path: Path) -> None:
    (tmp_path / "s.json").write_text('[{"id": "x\\ud800", "text": "bad \\udc00 escape", "title": "\\ud800"}]')
    result = ingest_folder(tmp_path)
    (doc,) = result.documents
    assert (doc.name, doc.text) == ("s.json#x\ufffd", "bad \ufffd escape")
    result.documents_frame().write_parquet(tmp_path / "docs.parquet")


def test_a_record_file_without_records_is_a_quarantine_row(tmp_path: Path) -> None:
    (tmp_path / "none.json").write_text("[]")
    (tmp_path / "blank.jsonl").write_text("\n  \n")
    result = ingest_folder(tmp_path)
    assert result.documents == []
    assert _reasons(result) == {"none.json": "empty", "blank.jsonl": "empty"}


# --- encodings ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("café – naïve “quotes”", "cp1252"),
        ("caf\xe9 cr\xe8me", "latin-1"),
        ("Le café – naïve “quotes”, déjà vu. L'été à Noël, où ça? Très bien.", "cp1252"),
        ("Müller hat größere Äpfel für Öl. Grüße aus Köln, Straße 5.", "latin-1"),
        ("El niño comió más piñas el año pasado. ¿Dónde está el señor?", "latin-1"),
        ("Сервер упал ночью. Пожалуйста, проверьте логи.", "cp1251"),
    ],
)
def test_legacy_encoded_text_is_a_good_document(tmp_path: Path, text: str, encoding: str) -> None:
    (tmp_path / "note.txt").write_bytes(text.encode(encoding))
    result = ingest_folder(tmp_path)
    assert result.quarantined == []
    (doc,) = result.documents
    assert doc.text == text


def test_legacy_encoded_json_csv_and_html_are_read(tmp_path: Path) -> None:
    records = json.dumps([{"text": "Réunion à 9h – café"}], ensure_ascii=False)
    (tmp_path / "r.json").write_bytes(records.encode("cp1252"))
    (tmp_path / "t.csv").write_bytes("équipe,propriétaire\nSRE,Zoë\n".encode("latin-1"))
    (tmp_path / "p.html").write_bytes("<title>Tâche échouée</title><p>Relancer la tâche “orders”</p>".encode("cp1252"))
    docs = {d.name: d for d in ingest_folder(tmp_path).documents}
    assert docs["r.json#0"].text == "Réunion à 9h – café"
    assert "équipe: SRE; propriétaire: Zoë." in docs["t.csv"].text
    assert docs["p.html"].title == "Tâche échouée" and "Relancer la tâche “orders”" in docs["p.html"].text


def test_real_binary_content_is_still_quarantined_as_binary(tmp_path: Path) -> None:
    rng = random.Random(8)
    (tmp_path / "nuls.txt").write_bytes(bytes(rng.randrange(256) for _ in range(4000)) + b"\x00" * 8)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(500))
    (tmp_path / "image.md").write_bytes(png)
    (tmp_path / "noise.txt").write_bytes(bytes(rng.randrange(1, 256) for _ in range(4000)))
    (tmp_path / "noise.json").write_bytes(bytes(rng.randrange(1, 256) for _ in range(300)))
    result = ingest_folder(tmp_path)
    assert result.documents == []
    assert _reasons(result) == {
        "nuls.txt": "binary",
        "image.md": "binary",
        "noise.txt": "binary",
        "noise.json": "binary",
    }


def test_valid_utf8_is_decoded_without_charset_detection(monkeypatch, tmp_path: Path) -> None:
    def no_detection(data: bytes):
        raise AssertionError("charset detection must not run on valid UTF-8")

    monkeypatch.setattr(charset_normalizer, "from_bytes", no_detection)
    (tmp_path / "note.txt").write_text("Grüße – “UTF-8” stays UTF-8.", encoding="utf-8")
    (doc,) = ingest_folder(tmp_path).documents
    assert doc.text == "Grüße – “UTF-8” stays UTF-8."
