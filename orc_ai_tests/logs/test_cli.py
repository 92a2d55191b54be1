"""``orc-ai cluster-logs <file> --json``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from orc_ai.cli import main

LINES = [
    "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
    "Invalid user test9 from 52.80.34.196",
    "",
    "2026-12-01 10:00:00,001 INFO [main] org.example.Conn: Connection closed by 5.188.10.180 [preauth]",
    "Connection closed by 173.234.31.186 [preauth]",
    "Invalid user admin from 5.188.10.180",
]


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "app.log"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_json_has_an_id_per_line_in_order_and_a_template_per_id(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["cluster-logs", str(_write(tmp_path, LINES)), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    clusters, templates = out["clusters"], out["templates"]
    assert len(clusters) == len(LINES)
    assert clusters[2] is None  # a blank line belongs to no cluster
    assert clusters[0] == clusters[1] == clusters[5] != clusters[3]
    assert clusters[3] == clusters[4]
    assert templates == {clusters[0]: "Invalid user <*> from <*>", clusters[3]: "Connection closed by <*> [preauth]"}


def test_the_same_file_gives_the_same_ids(tmp_path: Path) -> None:
    path = str(_write(tmp_path, LINES))
    runs = [CliRunner().invoke(main, ["cluster-logs", path, "--json"]).output for _ in range(2)]
    assert runs[0] == runs[1]


def test_text_output_lists_templates_by_count(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["cluster-logs", str(_write(tmp_path, LINES))])
    assert result.exit_code == 0
    first, second = result.output.splitlines()
    assert first.split(maxsplit=2)[1:] == ["3", "Invalid user <*> from <*>"]
    assert second.split(maxsplit=2)[1:] == ["2", "Connection closed by <*> [preauth]"]


def test_a_missing_file_or_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    missing = CliRunner().invoke(main, ["cluster-logs", str(tmp_path / "nope.log"), "--json"])
    assert missing.exit_code != 0 and "nope.log" in missing.output and "No such file" in missing.output
    folder = CliRunner().invoke(main, ["cluster-logs", str(tmp_path), "--json"])
    assert folder.exit_code != 0 and "is a directory" in folder.output


def test_bytes_that_are_not_utf8_do_not_stop_it(tmp_path: Path) -> None:
    path = tmp_path / "bin.log"
    path.write_bytes(b"disk \xff\xfe full on /dev/sda1\ndisk \xff full on /dev/sdb2\n")
    out = json.loads(CliRunner().invoke(main, ["cluster-logs", str(path), "--json"]).output)
    assert len(out["clusters"]) == 2 and out["clusters"][0] == out["clusters"][1]


def test_the_installed_command_reads_stdin() -> None:
    proc = subprocess.run([sys.executable, "-m", "orc_ai.cli", "cluster-logs", "-", "--json"],
                          input="\n".join(LINES), capture_output=True, text=True, check=True)
    assert len(json.loads(proc.stdout)["clusters"]) == len(LINES)
