"""Typed errors of the Airflow REST client; each message names the request and Airflow's own detail."""

from __future__ import annotations

from orc_ai.errors import OrcAIError


class AirflowError(OrcAIError):
    """Root of the errors the Airflow client raises. ``status_code`` is None when no answer came back."""

    def __init__(self, message: str, *, status_code: int | None = None, detail: object = None):
        super().__init__(message)
        self.status_code = status_code
        self.detail = detail


class AirflowUnavailableError(AirflowError):
    """Airflow did not answer (connection refused, timeout) or kept answering 5xx after every retry."""


class AirflowAuthError(AirflowError):
    """Login failed (bad user or password), or a fresh token was still refused."""


class AirflowPermissionError(AirflowError):
    """The user is authenticated but not allowed to do this (403)."""


class AirflowNotFoundError(AirflowError):
    """The DAG, run, task or try does not exist (404)."""


class AirflowConflictError(AirflowError):
    """The request conflicts with the current state, e.g. a DAG run id that already exists (409)."""


class AirflowRequestError(AirflowError):
    """Airflow refused the request as malformed (400, 422, other 4xx); ``detail`` says which field."""


class AirflowTimeoutError(AirflowError):
    """A wait (for a DAG run to finish) ran past its deadline; Airflow itself answered."""
