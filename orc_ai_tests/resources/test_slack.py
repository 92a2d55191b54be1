"""The slack resource: off without a token, token from the environment, a real client at the configured URL."""

from __future__ import annotations

import dagster as dg
import pytest
from slack_sdk import WebClient

from orc_ai.errors import ConfigError
from orc_ai.resources.slack import SLACK_API, SlackResource
from orc_ai_tests.reports.slack_server import SlackEndpoint


def _open(monkeypatch: pytest.MonkeyPatch, **env: str):
    for name in ("ORC_AI_SLACK_TOKEN", "ORC_AI_SLACK_BASE_URL", "ORC_AI_SLACK_CHANNEL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    from orc_ai.definitions import build_resources

    return dg.build_resources({"slack": build_resources()["slack"]})


def test_off_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    with _open(monkeypatch) as resources:
        slack = resources.slack
        assert not slack.enabled and slack.base_url == SLACK_API and slack.report_target() is None
        with pytest.raises(ConfigError, match="ORC_AI_SLACK_TOKEN"):
            slack.web_client()


def test_token_is_read_from_the_environment_at_run_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORC_AI_SLACK_TOKEN", "xoxb-secret")
    from orc_ai.definitions import build_resources

    configured = build_resources()["slack"]
    assert "xoxb-secret" not in repr(configured)  # an EnvVar, not the value, sits in the definitions
    with _open(monkeypatch, ORC_AI_SLACK_TOKEN="xoxb-secret") as resources:
        assert resources.slack.enabled
        with pytest.raises(ConfigError, match="ORC_AI_SLACK_CHANNEL"):
            resources.slack.report_target()


def test_web_client_talks_to_the_configured_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    with SlackEndpoint() as endpoint:
        env = {"ORC_AI_SLACK_TOKEN": "xoxb-t", "ORC_AI_SLACK_BASE_URL": endpoint.base_url}
        with _open(monkeypatch, **env, ORC_AI_SLACK_CHANNEL="#ops") as resources:
            client, channel = resources.slack.report_target()
            assert isinstance(client, WebClient) and channel == "#ops"
            assert isinstance(resources.slack, SlackResource)
            assert resources.slack.get_client().base_url == endpoint.base_url
            client.chat_postMessage(channel=channel, text="hello")
        (post,) = endpoint.calls("chat.postMessage")
        assert post["body"] == {"channel": "#ops", "text": "hello"} and post["auth"] == "Bearer xoxb-t"
