"""Fixtures for the tool tests."""

from __future__ import annotations

import pytest

from orc_ai.tools.builtin import default_registry
from orc_ai.tools.registry import ToolRegistry
from orc_ai_tests.tools.recording_http import RecordingServer


@pytest.fixture
def http_server() -> RecordingServer:
    server = RecordingServer().start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def registry() -> ToolRegistry:
    return default_registry()


@pytest.fixture
def call(registry: ToolRegistry):
    """Run a tool as the runner does: by name, arguments validated, result checked."""
    return registry.call
