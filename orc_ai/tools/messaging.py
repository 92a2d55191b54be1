"""The ``notify`` tool: a Slack message, with the chunks it rests on."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from orc_ai import defaults
from orc_ai.errors import ToolError, ToolUnavailableError
from orc_ai.tools.context import ToolContext
from orc_ai.tools.ids import ChunkId, SlackChannel


class NotifyArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: SlackChannel | None = Field(
        default=None, description="Slack channel id or #name; omit for the configured operations channel."
    )
    text: str = Field(min_length=1, max_length=defaults.NOTIFY_MAX_CHARS, description="The message, in plain words.")
    citations: list[ChunkId] = Field(
        default_factory=list, max_length=20, description="Chunk ids from the context that the message rests on."
    )


def message_text(text: str, citations: list[str]) -> str:
    """The posted text: the message, then a line naming the cited chunks."""
    if not citations:
        return text
    return f"{text}\n\nSources: " + ", ".join(f"`{c}`" for c in dict.fromkeys(citations))


def notify(args: NotifyArgs, ctx: ToolContext) -> dict[str, Any]:
    """Post the message with ``chat.postMessage``; the answer names the channel and the message's ``ts``."""
    from slack_sdk.errors import SlackApiError, SlackClientError

    client = ctx.need("slack", "Slack")
    channel = args.channel or ctx.slack_channel
    if channel is None:
        raise ToolUnavailableError("no Slack channel given and none configured for this run")
    try:
        response = client.chat_postMessage(channel=channel, text=message_text(args.text, args.citations))
    except SlackApiError as exc:
        reason = exc.response.get("error", "unknown error")
        raise ToolError(f"Slack refused the message to {channel}: {reason}") from None
    except (SlackClientError, OSError) as exc:
        raise ToolError(f"Slack could not be reached to post to {channel}: {type(exc).__name__}: {exc}") from None
    return {
        "posted": True,
        "channel": response.get("channel", channel),
        "ts": response.get("ts"),
        "citations": list(dict.fromkeys(args.citations)),
    }
