from pathlib import Path

import dagster as dg

from orc_ai.resources.documents_folder import DocumentsFolderResource
from orc_ai.sensors.documents import docs_folder_sensor


def _tick(folder: Path, cursor: str | None = None) -> dg.SensorResult | dg.SkipReason:
    context = dg.build_sensor_context(cursor=cursor, resources={"docs": DocumentsFolderResource(path=str(folder))})
    return docs_folder_sensor(context)


def test_sensor_requests_a_run_only_when_the_folder_changes(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("The Kafka runbook.")
    first = _tick(tmp_path)
    assert len(first.run_requests) == 1 and first.cursor
    assert isinstance(_tick(tmp_path, first.cursor), dg.SkipReason)
    (tmp_path / "b.md").write_text("A new incident note.")
    changed = _tick(tmp_path, first.cursor)
    assert len(changed.run_requests) == 1 and changed.cursor != first.cursor


def test_add_delete_restore_makes_three_runs_with_distinct_keys(tmp_path: Path) -> None:
    """Dagster launches at most one run per run key: a folder back in an earlier state still needs a new key."""
    (tmp_path / "a.md").write_text("The Kafka runbook.")
    ticks, cursor = [], None
    for change in (None, lambda: (tmp_path / "b.md").write_text("New note."), lambda: (tmp_path / "b.md").unlink()):
        if change:
            change()
        result = _tick(tmp_path, cursor)
        assert isinstance(result, dg.SensorResult), result
        ticks.append(result.run_requests[0].run_key)
        cursor = result.cursor
    assert len(set(ticks)) == 3


def test_sensor_watches_the_folder_raw_docs_reads(tmp_path: Path) -> None:
    """One source for the folder: the docs resource both the sensor and raw_docs use."""
    from orc_ai.definitions import defs

    assert "docs" in defs.resolve_sensor_def("docs_folder_sensor").required_resource_keys
    assert "docs" in defs.resolve_assets_def("raw_docs").required_resource_keys


def test_sensor_skips_when_the_folder_is_missing(tmp_path: Path) -> None:
    assert isinstance(_tick(tmp_path / "missing"), dg.SkipReason)


def test_sensor_reads_a_cursor_of_the_earlier_format(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("The Kafka runbook.")
    fingerprint = __import__("json").loads(_tick(tmp_path).cursor)["fingerprint"]
    assert isinstance(_tick(tmp_path, fingerprint), dg.SkipReason)
