"""``orc-ai detect-anomalies``: the flagged points as JSON with timestamps exactly as in the input."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from orc_ai.cli import main
from orc_ai_tests.anomaly.series_data import PERIOD, daily_sine, timestamps, write_csv


def test_json_lists_the_spike_with_its_timestamp_as_written(tmp_path: Path) -> None:
    n = PERIOD * 8
    values = daily_sine(n, seed=2)
    values[1900] += 20
    stamps = [t.replace(" ", "T") + "+00:00" for t in timestamps(n)]
    write_csv(tmp_path / "s.csv", stamps, values)
    result = CliRunner().invoke(main, ["detect-anomalies", str(tmp_path / "s.csv"), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert list(out) == ["anomalies"]
    assert stamps[1900] in [a["timestamp"] for a in out["anomalies"]]
    assert all(set(a) == {"timestamp", "score"} and 0.5 <= a["score"] <= 1 for a in out["anomalies"])
    assert all(a["timestamp"] in stamps[1900:1940] for a in out["anomalies"])


def test_a_quiet_series_prints_no_anomalies(tmp_path: Path) -> None:
    write_csv(tmp_path / "s.csv", timestamps(PERIOD * 4), daily_sine(PERIOD * 4, seed=6))
    result = CliRunner().invoke(main, ["detect-anomalies", str(tmp_path / "s.csv"), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"anomalies": []}


def test_bad_input_exits_with_the_reason(tmp_path: Path) -> None:
    missing = CliRunner().invoke(main, ["detect-anomalies", str(tmp_path / "none.csv"), "--json"])
    assert missing.exit_code == 1 and "no such file" in missing.output
    (tmp_path / "bad.csv").write_text("timestamp,value\n2024-01-01 00:00,1\n2024-01-01 00:05,oops\n")
    bad = CliRunner().invoke(main, ["detect-anomalies", str(tmp_path / "bad.csv"), "--json"])
    assert bad.exit_code == 1 and "row 2" in bad.output and "oops" in bad.output
