"""Airflow: its REST API v2 through airflow_bridge's client; off when no URL is set."""

import dagster as dg
from pydantic import Field, PrivateAttr

from airflow_bridge import AirflowClient
from orc_ai import defaults
from orc_ai.errors import ConfigError


class AirflowResource(dg.ConfigurableResource):
    """An Airflow 3 api-server (ORC_AI_AIRFLOW_URL, _USER, _PASSWORD); ``enabled`` is False without a URL."""

    base_url: str | None = Field(default=None, description="Airflow api-server URL, e.g. http://127.0.0.1:8080.")
    username: str = Field(default=defaults.AIRFLOW_USER, description="User the API token is issued to.")
    password: str | None = Field(default=None, description="That user's password; pass dg.EnvVar, never a literal.")
    timeout_s: float = Field(default=defaults.AIRFLOW_TIMEOUT_S, description="Seconds one request may take.")
    max_retries: int = Field(
        default=defaults.AIRFLOW_MAX_RETRIES,
        description="Retries (exponential backoff) of connection errors, timeouts and 5xx per request.",
    )

    _client: AirflowClient | None = PrivateAttr(default=None)

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        # builds the HTTP client only; the first request logs in
        if self.enabled:
            self._client = AirflowClient(
                self.base_url,
                self.username,
                self.password or "",
                timeout_s=self.timeout_s,
                max_retries=self.max_retries,
            )

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def client(self) -> AirflowClient:
        """The client for this run; ConfigError when Airflow is not configured."""
        if not self.enabled:
            raise ConfigError("the airflow resource is off: set ORC_AI_AIRFLOW_URL (and _USER, _PASSWORD)")
        if self._client is None:
            raise ConfigError("the airflow resource was not set up: use it inside a run or dg.build_resources")
        return self._client
