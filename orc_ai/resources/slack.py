"""Slack: dagster-slack's SlackResource with a configurable API base URL and the channel reports go to."""

from dagster_slack import SlackResource as DagsterSlackResource
from pydantic import Field
from slack_sdk import WebClient

from orc_ai.errors import ConfigError

SLACK_API = "https://slack.com/api/"


class SlackResource(DagsterSlackResource):
    """Off unless a token is set (``ORC_AI_SLACK_TOKEN``), so the default pipeline needs no Slack."""

    token: str = Field(default="", description="Bot token; pass dg.EnvVar, never a literal.")
    base_url: str = Field(default=SLACK_API, description="Slack Web API base URL (a local endpoint in tests).")
    channel: str = Field(default="", description="Channel name or id reports and notifications go to.")

    @property
    def enabled(self) -> bool:
        return bool(self.token)

    def web_client(self) -> WebClient:
        """A real ``slack_sdk.WebClient`` for this token and base URL."""
        if not self.enabled:
            raise ConfigError("the slack resource is off: set ORC_AI_SLACK_TOKEN")
        return WebClient(token=self.token, base_url=self.base_url)

    def report_target(self) -> tuple[WebClient, str] | None:
        """``(client, channel)`` for reports, or None when Slack is off; a token without a channel is an error."""
        if not self.enabled:
            return None
        if not self.channel:
            raise ConfigError("ORC_AI_SLACK_TOKEN is set but no channel: set ORC_AI_SLACK_CHANNEL")
        return self.web_client(), self.channel

    def get_client(self) -> WebClient:
        return self.web_client()
