from __future__ import annotations

from pathlib import Path

import pytest

from orc_ai.errors import IngestError
from orc_ai.ingest.documents import ingest_folder, normalise_text
from orc_ai_tests.ingest.pdfs import minimal_pdf


def test_hostile_folder_quarantines_with_reasons_and_keeps_every_good_doc(hostile_dir: Path) -> None:
    result = ingest_folder(hostile_dir, max_file_bytes=2000)

    names = {d.name for d in result.documents}
    assert names == {
        "copy_of_good.txt",
        "sub/kafka.html",
        "records.json#r1",
        "faq.jsonl#1",
        "owners.csv",
        "latin1.txt",
    }
    reasons = {q.name: q.reason for q in result.quarantined}
    assert reasons == {
        "binary.txt": "binary",
        "empty.md": "empty",
        "blank.txt": "empty",
        "huge.txt": "too_large",
        "bad.json": "unparseable_json",
        "ragged.csv": "unparseable_csv",
        "image.png": "unsupported_format",
        "records.json#r2": "json_record_without_text",
        "records.json#2": "json_record_not_object",
        "faq.jsonl:2": "unparseable_json",
    }
    assert all(q.detail for q in result.quarantined)
    assert result.files_seen == 14  # the hidden file is not read


def test_duplicate_content_is_kept_once_with_the_other_name_recorded(hostile_dir: Path) -> None:
    result = ingest_folder(hostile_dir, max_file_bytes=2000)
    (doc,) = [d for d in result.documents if d.name == "copy_of_good.txt"]
    assert doc.duplicate_names == ["good.md"]


def test_html_drops_scripts_and_styles_and_keeps_the_title(hostile_dir: Path) -> None:
    (doc,) = [d for d in ingest_folder(hostile_dir, max_file_bytes=2000).documents if d.format == "html"]
    assert doc.title == "Kafka service"
    assert "shipment.events.v2" in doc.text
    assert "var x" not in doc.text and "color:red" not in doc.text


def test_json_list_records_become_documents_named_by_id_and_title(hostile_dir: Path) -> None:
    (doc,) = [d for d in ingest_folder(hostile_dir, max_file_bytes=2000).documents if d.name == "records.json#r1"]
    assert doc.title == "Stripe 429"
    assert doc.text.startswith("Stripe returns 429")


def test_csv_rows_are_rendered_as_column_value_text(hostile_dir: Path) -> None:
    (doc,) = [d for d in ingest_folder(hostile_dir, max_file_bytes=2000).documents if d.format == "csv"]
    assert "service: kafka; owner: SRE team." in doc.text


def test_ids_are_stable_across_runs_and_content_changes_change_only_the_hash(hostile_dir: Path) -> None:
    first = {d.name: d for d in ingest_folder(hostile_dir, max_file_bytes=2000).documents}
    (hostile_dir / "owners.csv").write_text("service,owner\nredis,SRE team\n")
    second = {d.name: d for d in ingest_folder(hostile_dir, max_file_bytes=2000).documents}
    assert first["owners.csv"].doc_id == second["owners.csv"].doc_id
    assert first["owners.csv"].content_hash != second["owners.csv"].content_hash
    assert first["sub/kafka.html"] == second["sub/kafka.html"]


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="does not exist"):
        ingest_folder(tmp_path / "nope")


def test_normalise_text_unifies_whitespace_line_ends_and_unicode() -> None:
    assert normalise_text("ﬁle\r\nA  \t b\u00a0c\n\n\n\nend\x07") == "file\nA b c\n\nend"


def test_utf16_with_bom_is_read(tmp_path: Path) -> None:
    (tmp_path / "note.txt").write_bytes("Kafka lag on shipment.events.v2".encode("utf-16"))
    (doc,) = ingest_folder(tmp_path).documents
    assert doc.text == "Kafka lag on shipment.events.v2"


def test_pdf_text_is_extracted_and_a_corrupt_pdf_is_quarantined(tmp_path: Path) -> None:
    (tmp_path / "runbook.pdf").write_bytes(minimal_pdf("Restart the Kafka consumer group"))
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n" + b"garbage" * 20)
    result = ingest_folder(tmp_path)
    (doc,) = result.documents
    assert doc.format == "pdf" and "Restart the Kafka consumer group" in doc.text
    assert [(q.name, q.reason) for q in result.quarantined] == [("broken.pdf", "unparseable_pdf")]
