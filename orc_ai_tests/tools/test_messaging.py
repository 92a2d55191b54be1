"""notify: the real slack_sdk WebClient posts to a loopback endpoint; refusals and missing Slack are errors."""

from __future__ import annotations

import json

import pytest
from slack_sdk import WebClient

from orc_ai.errors import ToolError, ToolUnavailableError
from orc_ai.tools.context import ToolContext
from orc_ai_tests.tools.recording_http import RecordingServer


def slack(server: RecordingServer) -> WebClient:
    return WebClient(token="xoxb-test-token", base_url=server.url + "/")


def test_notify_posts_channel_and_text_with_citations(call, http_server: RecordingServer) -> None:
    http_server.answer = (200, {"ok": True, "channel": "C0OPS", "ts": "1767225600.000100"})
    result = call(
        "notify",
        {"channel": "#ops-alerts", "text": "load_orders failed twice", "citations": ["c1", "c2", "c1"]},
        ToolContext(slack=slack(http_server)),
    )
    (request,) = http_server.requests
    assert (request.method, request.path) == ("POST", "/chat.postMessage")
    assert request.headers["authorization"] == "Bearer xoxb-test-token"
    sent = request.json()
    assert sent["channel"] == "#ops-alerts"
    assert sent["text"] == "load_orders failed twice\n\nSources: `c1`, `c2`"
    assert result == {"posted": True, "channel": "C0OPS", "ts": "1767225600.000100", "citations": ["c1", "c2"]}
    json.dumps(result)


def test_notify_defaults_to_the_configured_channel(call, http_server: RecordingServer) -> None:
    http_server.answer = (200, {"ok": True, "channel": "C0DEF", "ts": "1.2"})
    call("notify", {"text": "hello"}, ToolContext(slack=slack(http_server), slack_channel="C0DEF"))
    assert http_server.requests[0].json() == {"channel": "C0DEF", "text": "hello"}


def test_a_slack_refusal_is_a_tool_error_with_slack_s_reason(call, http_server: RecordingServer) -> None:
    http_server.answer = (200, {"ok": False, "error": "channel_not_found"})
    with pytest.raises(ToolError, match="refused the message to #nowhere: channel_not_found"):
        call("notify", {"channel": "#nowhere", "text": "hi"}, ToolContext(slack=slack(http_server)))


def test_unreachable_slack_is_a_tool_error(call, http_server: RecordingServer) -> None:
    client = slack(http_server)
    http_server.stop()  # nothing listens on the port any more
    with pytest.raises(ToolError, match="could not be reached to post to C1") as caught:
        call("notify", {"channel": "C1", "text": "hi"}, ToolContext(slack=client))
    assert "xoxb-test-token" not in str(caught.value)


def test_without_slack_or_a_channel_nothing_is_sent(call, http_server: RecordingServer) -> None:
    with pytest.raises(ToolUnavailableError, match="Slack not configured"):
        call("notify", {"channel": "C1", "text": "hi"}, ToolContext(slack_channel="C1"))
    with pytest.raises(ToolUnavailableError, match="no Slack channel"):
        call("notify", {"text": "hi"}, ToolContext(slack=slack(http_server)))
    assert http_server.requests == []
