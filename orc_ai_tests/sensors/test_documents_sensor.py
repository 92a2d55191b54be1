from pathlib import Path

import dagster as dg
import pytest

from orc_ai.sensors.documents import docs_folder_sensor


def test_sensor_requests_a_run_only_when_the_folder_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORC_AI_DOCS_DIR", str(tmp_path))
    (tmp_path / "a.md").write_text("The Kafka runbook.")
    first = docs_folder_sensor(dg.build_sensor_context())
    assert len(first.run_requests) == 1 and first.cursor
    unchanged = docs_folder_sensor(dg.build_sensor_context(cursor=first.cursor))
    assert isinstance(unchanged, dg.SkipReason)
    (tmp_path / "b.md").write_text("A new incident note.")
    changed = docs_folder_sensor(dg.build_sensor_context(cursor=first.cursor))
    assert len(changed.run_requests) == 1 and changed.cursor != first.cursor


def test_sensor_skips_when_the_folder_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORC_AI_DOCS_DIR", str(tmp_path / "missing"))
    assert isinstance(docs_folder_sensor(dg.build_sensor_context()), dg.SkipReason)
