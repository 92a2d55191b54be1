"""A run killed while a call is in flight resumes from its checkpoint and never repeats an act or notify call."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from orc_ai.agent.runner import INTERRUPTED
from orc_ai_tests.agent.agent_parts import Endpoint, runner
from orc_ai_tests.agent.resume_child import CONTEXT, EVENT

REPO = Path(__file__).resolve().parents[2]


def kill_while_in(tmp_path: Path, fragment: str) -> Endpoint:
    """Start the child, wait until its request to ``fragment`` hangs, SIGKILL it; returns what it sent."""
    hanging = Endpoint(hang=(fragment,))
    child = subprocess.Popen([sys.executable, "-m", "orc_ai_tests.agent.resume_child", str(tmp_path), hanging.url],
                             cwd=REPO, env=os.environ | {"PYTHONPATH": str(REPO)})
    try:
        assert hanging.arrived.wait(120), "the child never reached the hanging call"
        child.send_signal(signal.SIGKILL)
        child.wait(30)
    finally:
        child.kill()
        hanging.stop()
    return hanging


@pytest.mark.slow
def test_killed_during_the_act_call_it_is_not_repeated(tmp_path: Path) -> None:
    before = kill_while_in(tmp_path, "/clearTaskInstances")
    assert before.calls_to("/clearTaskInstances") == 1
    after = Endpoint()
    try:
        decision = runner(tmp_path, CONTEXT, after).decide(EVENT)
    finally:
        after.stop()
    calls = {c.tool: c for c in decision.tool_calls}
    assert after.calls_to("/clearTaskInstances") == 0  # never sent again
    assert not calls["clear_task"].executed and calls["clear_task"].error == INTERRUPTED
    assert calls["notify"].executed and calls["create_ticket"].executed  # the rest of the plan went on
    assert [c.tool for c in decision.tool_calls].count("clear_task") == 1


@pytest.mark.slow
def test_killed_after_the_act_call_the_finished_call_is_kept(tmp_path: Path) -> None:
    before = kill_while_in(tmp_path, "chat.postMessage")
    assert before.calls_to("/clearTaskInstances") == 1 and before.calls_to("chat.postMessage") == 1
    after = Endpoint()
    try:
        decision = runner(tmp_path, CONTEXT, after).decide(EVENT)
    finally:
        after.stop()
    calls = {c.tool: c for c in decision.tool_calls}
    assert after.calls_to("/clearTaskInstances") == 0 and after.calls_to("chat.postMessage") == 0
    assert calls["clear_task"].executed and calls["clear_task"].result is not None
    assert not calls["notify"].executed and calls["notify"].error == INTERRUPTED
    assert calls["create_ticket"].executed and calls["get_task_history"].executed
