"""The authenticated, retrying HTTP session under :class:`~airflow_bridge.client.AirflowClient`.

Login is ``POST /auth/token`` (a JWT, sent as a bearer token); a token Airflow refuses (401 when expired, 403
"Invalid JWT token" when signed with another secret) is replaced once by a fresh login. Connection errors and
timeouts, and 5xx answers to requests that are safe to repeat, are retried with exponential backoff. Every
failure raises a subclass of :class:`~airflow_bridge.errors.AirflowError`; nothing is returned as a status.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from typing import Any
from urllib.parse import quote

import httpx

from airflow_bridge.errors import (
    AirflowAuthError,
    AirflowConflictError,
    AirflowError,
    AirflowNotFoundError,
    AirflowPermissionError,
    AirflowRequestError,
    AirflowUnavailableError,
)
from orc_ai import defaults

log = logging.getLogger(__name__)

_INVALID_TOKEN_DETAIL = "Invalid JWT token"  # Airflow's 403 for a token it cannot verify


def api_path(*segments: str) -> str:
    """``/api/v2/a/b`` with every segment percent-encoded (run ids hold ``:`` and ``+``)."""
    return "/api/v2/" + "/".join(quote(str(s), safe="~") for s in segments)


def query_params(**values: Any) -> dict[str, Any]:
    """Query parameters without the unset ones; datetimes as ISO 8601."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        out[key] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _detail(response: httpx.Response) -> object:
    try:
        body = response.json()
    except ValueError:
        return response.text[:500]
    return body.get("detail", body) if isinstance(body, dict) else body


class ApiSession:
    """HTTP to Airflow at ``base_url`` (``http://host:port``, no ``/api/v2``) as ``username``.

    ``token`` reuses a JWT obtained earlier (it is replaced when refused); ``transport`` is for tests.
    Use as a context manager or call :meth:`close`.
    """

    def __init__(
        self,
        base_url: str,
        username: str,
        password: str,
        *,
        token: str | None = None,
        timeout_s: float = defaults.AIRFLOW_TIMEOUT_S,
        max_retries: int = defaults.AIRFLOW_MAX_RETRIES,
        backoff_s: float = defaults.AIRFLOW_BACKOFF_S,
        max_backoff_s: float = defaults.AIRFLOW_MAX_BACKOFF_S,
        transport: httpx.BaseTransport | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.username = username
        self._password = password
        self._token = token
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_backoff_s = max_backoff_s
        self._http = httpx.Client(
            base_url=self.base_url, timeout=timeout_s, transport=transport, headers={"Accept": "application/json"}
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r}, user={self.username!r})"

    def __enter__(self) -> ApiSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    @property
    def token(self) -> str | None:
        """The JWT in use (None before the first request); a caller may keep it for the next client."""
        return self._token

    def login(self) -> str:
        """Get a fresh JWT from ``POST /auth/token``."""
        body = {"username": self.username, "password": self._password}
        response = self._send("POST", "/auth/token", json=body, headers={}, idempotent=True)
        if response.status_code in (400, 401, 403, 422):
            # a validation error's detail echoes the request body, password included: keep only a plain message
            detail = _detail(response)
            detail = detail if isinstance(detail, str) else "request rejected"
            raise AirflowAuthError(
                f"Airflow at {self.base_url} refused the login of user {self.username!r}: {detail}",
                status_code=response.status_code,
                detail=detail,
            )
        token = self._check("POST", "/auth/token", response).get("access_token")
        if not token:
            raise AirflowAuthError(f"Airflow at {self.base_url} answered the login without an access_token")
        self._token = token
        return token

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        headers: dict[str, str],
        idempotent: bool,
    ) -> httpx.Response:
        """One request, retried on connection errors, timeouts and (when idempotent) 5xx; the last answer."""
        for attempt in range(self.max_retries + 1):
            try:
                response = self._http.request(method, path, params=params, json=json, headers=headers)
            except httpx.TransportError as exc:
                # a refused connection never reached Airflow, so even a non-idempotent request may go again
                retryable = idempotent or isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                if not retryable or attempt == self.max_retries:
                    raise AirflowUnavailableError(
                        f"{method} {path}: Airflow at {self.base_url} did not answer after {attempt + 1} "
                        f"attempt(s): {type(exc).__name__}: {exc}"
                    ) from exc
                reason = type(exc).__name__
            else:
                if response.status_code < 500 or not idempotent or attempt == self.max_retries:
                    return response
                reason = f"HTTP {response.status_code}"
            delay = min(self.backoff_s * 2**attempt, self.max_backoff_s)
            log.warning("%s %s: %s, retry %d/%d in %.1fs", method, path, reason, attempt + 1, self.max_retries, delay)
            time.sleep(delay)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _token_refused(self, response: httpx.Response) -> bool:
        return response.status_code == 401 or (
            response.status_code == 403 and _detail(response) == _INVALID_TOKEN_DETAIL
        )

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: dict[str, Any] | None = None,
        idempotent: bool = True,
    ) -> Any:
        """An authenticated request; the decoded JSON answer, or a typed error."""
        if self._token is None:
            self.login()
        response = self._send(method, path, params=params, json=json, headers=self._auth(), idempotent=idempotent)
        if self._token_refused(response):
            log.info("%s %s: token refused (HTTP %d), logging in again", method, path, response.status_code)
            self.login()
            response = self._send(method, path, params=params, json=json, headers=self._auth(), idempotent=idempotent)
            if self._token_refused(response):
                raise AirflowAuthError(
                    f"{method} {path}: Airflow refused a fresh token of user {self.username!r}: {_detail(response)}",
                    status_code=response.status_code,
                    detail=_detail(response),
                )
        return self._check(method, path, response)

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token}"}

    def _check(self, method: str, path: str, response: httpx.Response) -> Any:
        status = response.status_code
        if status < 300:
            try:
                return response.json() if response.content else None
            except ValueError:
                raise AirflowError(
                    f"{method} {path}: HTTP {status} but not JSON: {response.text[:200]!r}", status_code=status
                ) from None
        detail = _detail(response)
        message = f"{method} {path}: HTTP {status}: {detail}"
        error: type[AirflowError]
        if status == 401:
            error = AirflowAuthError
        elif status == 403:
            error = AirflowPermissionError
        elif status == 404:
            error = AirflowNotFoundError
        elif status == 409:
            error = AirflowConflictError
        elif status >= 500:
            error = AirflowUnavailableError
        else:
            error = AirflowRequestError
        raise error(message, status_code=status, detail=detail)
