"""Fixtures for the report tests: the local Slack endpoint."""

from __future__ import annotations

import pytest

from orc_ai_tests.reports.slack_server import SlackEndpoint


@pytest.fixture
def slack_endpoint() -> SlackEndpoint:
    with SlackEndpoint() as endpoint:
        yield endpoint
