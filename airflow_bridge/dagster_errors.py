"""Typed errors of the Dagster GraphQL client; each message names the run id, asset keys or Dagster's own text."""

from __future__ import annotations

from orc_ai.errors import OrcAIError


class DagsterError(OrcAIError):
    """Root of the errors :class:`~airflow_bridge.dagster_graphql.DagsterGraphQLClient` raises."""


class DagsterUnavailableError(DagsterError):
    """The webserver did not answer (connection refused, timeout) or kept answering 5xx after every retry."""


class DagsterQueryError(DagsterError):
    """The webserver refused the request (4xx) or answered with GraphQL ``errors`` (a query the schema rejects)."""

    def __init__(self, message: str, *, errors: list | None = None):
        super().__init__(message)
        self.errors = errors or []


class DagsterPythonError(DagsterError):
    """Dagster answered with a ``PythonError``: an exception inside the webserver or the code location."""


class DagsterAssetNotFoundError(DagsterError):
    """Asset keys the code location does not define (or cannot materialise); ``missing`` lists them."""

    def __init__(self, message: str, *, missing: list[str]):
        super().__init__(message)
        self.missing = missing


class DagsterLaunchError(DagsterError):
    """``launchRun`` answered something other than ``LaunchRunSuccess``; ``typename`` says what."""

    def __init__(self, message: str, *, typename: str):
        super().__init__(message)
        self.typename = typename


class DagsterRunFailedError(DagsterError):
    """The run ended ``FAILURE`` or ``CANCELED``; the message carries the run id, status and first failures."""

    def __init__(self, message: str, *, run_id: str, status: str):
        super().__init__(message)
        self.run_id = run_id
        self.status = status


class DagsterRunTimeoutError(DagsterError):
    """The run had not finished by the deadline (it keeps running in Dagster)."""

    def __init__(self, message: str, *, run_id: str, status: str):
        super().__init__(message)
        self.run_id = run_id
        self.status = status
