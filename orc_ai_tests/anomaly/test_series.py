"""Reading timestamp,value CSVs: clear errors naming the file and row; the daily period from the timestamps."""

from __future__ import annotations

from pathlib import Path

import pytest

from orc_ai.anomaly.series import SeriesError, daily_period, read_series
from orc_ai_tests.anomaly.series_data import timestamps


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SeriesError, match="no such file"):
        read_series(tmp_path / "absent.csv")


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("time,value\n2024-01-01,1\n")
    with pytest.raises(SeriesError, match=r"missing column\(s\) \['timestamp'\]"):
        read_series(path)


def test_a_non_numeric_value_names_its_row(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("timestamp,value\n2024-01-01 00:00,1.5\n2024-01-01 00:05,2\n2024-01-01 00:10,n/a\n")
    with pytest.raises(SeriesError, match=r"row 3: value 'n/a' is not a finite number"):
        read_series(path)


def test_timestamps_are_kept_exactly_as_written(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("value,timestamp\n1,2024-01-01T00:00:00Z\n 2 ,2024-01-01T00:05:00Z\n")
    series = read_series(path)
    assert series.timestamps == ["2024-01-01T00:00:00Z", "2024-01-01T00:05:00Z"]
    assert series.values.tolist() == [1.0, 2.0]


def test_daily_period_from_regular_timestamps() -> None:
    assert daily_period(timestamps(50)) == 288
    assert daily_period(["2024-01-01 00:00", "2024-01-01 00:07", "2024-01-01 00:14"]) is None  # 7 min: no whole day
    assert daily_period(["a", "b", "c"]) is None
