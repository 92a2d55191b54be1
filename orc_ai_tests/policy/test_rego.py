"""The Rego policy's own checks: strict compile, `opa test` unit tests, canonical formatting."""

from __future__ import annotations

import re
import subprocess

from orc_ai.policy.data import REGO_DIR
from orc_ai_tests.conftest import require_opa


def run_opa(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(require_opa()), *args], capture_output=True, text=True, timeout=120)


def test_policy_compiles_strictly() -> None:
    result = run_opa("check", "--strict", str(REGO_DIR))
    assert result.returncode == 0, result.stdout + result.stderr


def test_opa_unit_tests_pass() -> None:
    result = run_opa("test", str(REGO_DIR))
    assert result.returncode == 0, result.stdout + result.stderr
    passed = re.search(r"PASS: (\d+)/(\d+)", result.stdout)
    assert passed and passed.group(1) == passed.group(2) and int(passed.group(1)) >= 25, result.stdout


def test_policy_is_opa_formatted() -> None:
    result = run_opa("fmt", "--list", str(REGO_DIR))
    assert result.returncode == 0 and result.stdout.strip() == "", f"run `opa fmt -w` on: {result.stdout}"
