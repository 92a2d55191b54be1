"""Stopping a server the tests started in its own session (process group)."""

from __future__ import annotations

import os
import signal
import subprocess


def stop_group(proc: subprocess.Popen | None, grace_s: float) -> None:
    """SIGTERM to ``proc``'s process group, SIGKILL after ``grace_s``; then SIGKILL to whatever of the group
    outlived its parent (task or run processes)."""
    if proc is None:
        return
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
