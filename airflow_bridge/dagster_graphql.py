"""A small client of the Dagster webserver's GraphQL API: launch a run of an asset selection and wait for it.

It is what the Airflow-side bridge DAGs call, so it imports neither Dagster nor Airflow (only httpx, which the
Airflow venv has). Every query is a named document of :mod:`airflow_bridge.dagster_queries` with its values as
GraphQL variables. A run is launched in the code location's implicit asset job (``__ASSET_JOB``), as the UI's
"Materialize" does; its asset checks run with it. Failures raise :mod:`airflow_bridge.dagster_errors`.

With Dagster's default (queued) run coordinator a launched run waits ``QUEUED`` until ``dagster-daemon``
dequeues it; the wait covers that time too.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import httpx

from airflow_bridge import dagster_queries as q
from airflow_bridge.dagster_errors import (
    DagsterAssetNotFoundError,
    DagsterLaunchError,
    DagsterPythonError,
    DagsterQueryError,
    DagsterRunFailedError,
    DagsterRunTimeoutError,
    DagsterUnavailableError,
)
from orc_ai import defaults

log = logging.getLogger(__name__)

LAUNCH_TAG = "orc_ai/launch_id"  # a unique id per launch call: an answer lost in transit is found by it
ASSET_JOB = "__ASSET_JOB"  # the implicit job every Dagster code location has over all its assets
SUCCESS = "SUCCESS"
FAILED_STATUSES = frozenset({"FAILURE", "CANCELED"})
MAX_FAILURES_IN_MESSAGE = 3

AssetKeyLike = str | Sequence[str]


def asset_path(key: AssetKeyLike) -> list[str]:
    """``"raw_docs"`` or ``"a/b"`` or ``["a", "b"]`` as an asset key path."""
    return key.split("/") if isinstance(key, str) else list(key)


@dataclass(frozen=True)
class DagsterRun:
    """A run as the webserver reports it; ``failures`` are the first step/run failure messages, when it failed."""

    run_id: str
    status: str
    job_name: str = ""
    asset_keys: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    start_time: float | None = None
    end_time: float | None = None
    failures: list[str] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.status == SUCCESS or self.status in FAILED_STATUSES


def _node_key(node: Mapping) -> str:
    return "/".join(node["assetKey"]["path"])


def _python_error(what: str, body: Mapping) -> DagsterPythonError:
    cls = f"{body['className']}: " if body.get("className") else ""
    return DagsterPythonError(f"{what}: Dagster raised {cls}{body.get('message', '').strip()}")


class DagsterGraphQLClient:
    """The GraphQL endpoint of the dagster-webserver at ``base_url`` (``http://host:port``, no ``/graphql``).

    Reads are retried with exponential backoff on connection errors, timeouts and 5xx; a launch is retried
    only when the request never reached the server (so one call cannot start two runs). ``transport`` is for
    tests. Use as a context manager or call :meth:`close`.
    """

    def __init__(
        self,
        base_url: str = defaults.DAGSTER_URL,
        *,
        timeout_s: float = defaults.DAGSTER_REQUEST_TIMEOUT_S,
        launch_timeout_s: float = defaults.DAGSTER_LAUNCH_TIMEOUT_S,
        max_retries: int = defaults.DAGSTER_MAX_RETRIES,
        backoff_s: float = defaults.DAGSTER_BACKOFF_S,
        headers: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        self.base_url = base_url.rstrip("/")
        self.max_retries, self.backoff_s = max_retries, backoff_s
        self.launch_timeout_s = launch_timeout_s
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout_s,
            transport=transport,
            headers={"Accept": "application/json", **(headers or {})},
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_url!r})"

    def __enter__(self) -> DagsterGraphQLClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # --- transport -------------------------------------------------------------------------------------------

    def execute(
        self, query: str, variables: Mapping | None = None, *, mutation: bool = False, timeout_s: float | None = None
    ) -> dict:
        """POST one GraphQL document with its variables; returns ``data``. GraphQL ``errors`` raise."""
        payload = {"query": query, "variables": dict(variables or {})}
        timeout = httpx.USE_CLIENT_DEFAULT if timeout_s is None else timeout_s
        attempt = 0
        while True:
            try:
                response = self._http.post("/graphql", json=payload, timeout=timeout)
            except httpx.TransportError as exc:
                # a launch whose request may have reached the server is not repeated: it could start a second run
                unsent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                if attempt < self.max_retries and (unsent or not mutation):
                    attempt = self._backoff(attempt, f"{type(exc).__name__}: {exc}")
                    continue
                raise DagsterUnavailableError(f"Dagster at {self.base_url} did not answer: {exc!r}") from exc
            if response.status_code >= 500 and attempt < self.max_retries and not mutation:
                attempt = self._backoff(attempt, f"HTTP {response.status_code}")
                continue
            return self._check(response)

    def _backoff(self, attempt: int, reason: str) -> int:
        delay = self.backoff_s * 2**attempt
        log.warning("Dagster %s: %s; retry %d in %.1fs", self.base_url, reason, attempt + 1, delay)
        time.sleep(delay)
        return attempt + 1

    def _check(self, response: httpx.Response) -> dict:
        if response.status_code >= 500:
            raise DagsterUnavailableError(f"Dagster at {self.base_url} answered HTTP {response.status_code}")
        try:
            body = response.json()
        except ValueError:
            body = None
        errors = (body or {}).get("errors") if isinstance(body, dict) else None
        if errors:
            text = "; ".join(str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in errors)
            raise DagsterQueryError(f"Dagster GraphQL errors: {text}", errors=errors)
        if response.status_code >= 400 or not isinstance(body, dict) or body.get("data") is None:
            raise DagsterQueryError(f"Dagster answered HTTP {response.status_code}: {response.text[:500]}")
        return body["data"]

    # --- assets and runs -------------------------------------------------------------------------------------

    def asset_repositories(self, asset_keys: Sequence[AssetKeyLike]) -> dict[str, tuple[str, str]]:
        """``{"a/b": (location name, repository name)}`` for each key; every key the code locations do not
        define, or cannot materialise (source assets), is named in one DagsterAssetNotFoundError."""
        paths = [asset_path(k) for k in asset_keys]
        nodes = self.execute(q.ASSET_NODES, {"assetKeys": [{"path": p} for p in paths]})["assetNodes"]
        found = {
            _node_key(n): (n["repository"]["location"]["name"], n["repository"]["name"])
            for n in nodes
            if n["isMaterializable"]
        }
        wanted = ["/".join(p) for p in paths]
        missing = [k for k in wanted if k not in found]
        if missing:
            present = {_node_key(n) for n in nodes}
            undefined = [k for k in missing if k not in present]
            source = [k for k in missing if k in present]
            parts = [f"{', '.join(undefined)} not defined"] if undefined else []
            parts += [f"{', '.join(source)} not materialisable (source assets)"] if source else []
            raise DagsterAssetNotFoundError(
                f"asset(s) {'; '.join(parts)} in any code location of Dagster at {self.base_url}", missing=missing
            )
        return {k: found[k] for k in wanted}

    def launch_assets(
        self,
        asset_keys: Sequence[AssetKeyLike],
        *,
        tags: Mapping[str, str] | None = None,
        run_config: Mapping | None = None,
    ) -> str:
        """Launch one run materialising ``asset_keys`` (with their checks); returns its run id.

        The run is tagged with a fresh launch id; when the answer is lost (a timeout while Dagster starts the
        run), the run carrying that id is looked up instead of launching a second one."""
        if not asset_keys:
            raise DagsterAssetNotFoundError("no asset keys to materialise", missing=[])
        repositories = set(self.asset_repositories(asset_keys).values())
        if len(repositories) > 1:
            raise DagsterLaunchError(
                f"assets {list(asset_keys)} span code locations {sorted(repositories)}: one run holds one location",
                typename="MultipleRepositories",
            )
        ((location, repository),) = repositories
        launch_id = uuid.uuid4().hex
        all_tags = {**(tags or {}), LAUNCH_TAG: launch_id}
        params = {
            "selector": {
                "repositoryLocationName": location,
                "repositoryName": repository,
                "pipelineName": ASSET_JOB,
                "assetSelection": [{"path": asset_path(k)} for k in asset_keys],
            },
            "runConfigData": dict(run_config or {}),
            "executionMetadata": {"tags": [{"key": k, "value": str(v)} for k, v in all_tags.items()]},
        }
        try:
            result = self.execute(
                q.LAUNCH_RUN, {"executionParams": params}, mutation=True, timeout_s=self.launch_timeout_s
            )["launchRun"]
        except DagsterUnavailableError:
            run_id = self._run_with_tag(LAUNCH_TAG, launch_id)
            if run_id is None:
                raise
            log.warning("Dagster launch answer lost; run %s carries launch id %s", run_id, launch_id)
            return run_id
        typename = result["__typename"]
        if typename == "LaunchRunSuccess":
            return result["run"]["runId"]
        what = f"launch of {', '.join('/'.join(asset_path(k)) for k in asset_keys)}"
        if typename == "PythonError":
            raise _python_error(what, result)
        detail = result.get("message") or "; ".join(e["message"] for e in result.get("errors") or []) or result
        raise DagsterLaunchError(f"{what} refused: {typename}: {detail}", typename=typename)

    def _run_with_tag(self, key: str, value: str) -> str | None:
        """The id of the run tagged ``key=value`` (None when there is none)."""
        variables = {"filter": {"tags": [{"key": key, "value": value}]}, "limit": 2}
        result = self.execute(q.RUNS_BY_TAG, variables)["runsOrError"]
        if result["__typename"] != "Runs":
            raise _python_error(f"runs tagged {key}={value}", result)
        runs = result["results"]
        return runs[0]["runId"] if runs else None

    def get_run(self, run_id: str) -> DagsterRun:
        """The run's status, job, asset selection and tags."""
        result = self.execute(q.RUN_STATUS, {"runId": run_id})["runOrError"]
        if result["__typename"] == "PythonError":
            raise _python_error(f"status of run {run_id}", result)
        if result["__typename"] != "Run":
            raise DagsterQueryError(f"run {run_id}: {result['__typename']}: {result.get('message', '')}")
        return DagsterRun(
            run_id=result["runId"],
            status=result["status"],
            job_name=result["jobName"],
            asset_keys=["/".join(k["path"]) for k in result.get("assetSelection") or []],
            tags={t["key"]: t["value"] for t in result["tags"]},
            start_time=result.get("startTime"),
            end_time=result.get("endTime"),
        )

    def run_failures(self, run_id: str, *, limit: int = MAX_FAILURES_IN_MESSAGE) -> list[str]:
        """The first ``limit`` failure messages of a run (step failures first, as they happened)."""
        failures: list[str] = []
        cursor = None
        while len(failures) < limit:
            variables = {"runId": run_id, "afterCursor": cursor, "limit": 1000}
            result = self.execute(q.RUN_FAILURES, variables)["runOrError"]
            if result["__typename"] != "Run":
                break
            page = result["eventConnection"]
            for event in page["events"]:
                if event.get("message") is None:
                    continue
                error = (event.get("error") or {}).get("message", "").strip()
                step = f"{event['stepKey']}: " if event.get("stepKey") else ""
                failures.append(f"{step}{error or event['message']}")
            if not page["hasMore"] or page["cursor"] == cursor:
                break
            cursor = page["cursor"]
        return failures[:limit]

    def wait_for_run(
        self,
        run_id: str,
        *,
        timeout_s: float = defaults.DAGSTER_RUN_TIMEOUT_S,
        poll_s: float = defaults.DAGSTER_POLL_S,
    ) -> DagsterRun:
        """Poll until the run is SUCCESS (returned), FAILURE or CANCELED (DagsterRunFailedError with the run
        id, status and first failures); DagsterRunTimeoutError past ``timeout_s``."""
        deadline = time.monotonic() + timeout_s
        while True:
            run = self.get_run(run_id)
            if run.status == SUCCESS:
                return run
            if run.status in FAILED_STATUSES:
                failures = self.run_failures(run_id)
                detail = "; ".join(failures) if failures else "no failure event recorded"
                raise DagsterRunFailedError(
                    f"Dagster run {run_id} ended {run.status}: {detail}", run_id=run_id, status=run.status
                )
            if time.monotonic() > deadline:
                raise DagsterRunTimeoutError(
                    f"Dagster run {run_id} still {run.status} after {timeout_s:.0f}s (it keeps running in Dagster)",
                    run_id=run_id,
                    status=run.status,
                )
            time.sleep(poll_s)

    def materialize(
        self,
        asset_keys: Sequence[AssetKeyLike],
        *,
        tags: Mapping[str, str] | None = None,
        run_config: Mapping | None = None,
        timeout_s: float = defaults.DAGSTER_RUN_TIMEOUT_S,
        poll_s: float = defaults.DAGSTER_POLL_S,
    ) -> DagsterRun:
        """Launch a run of ``asset_keys`` and wait for it to succeed (see :meth:`wait_for_run`)."""
        run_id = self.launch_assets(asset_keys, tags=tags, run_config=run_config)
        log.info("Dagster run %s launched for %s", run_id, list(asset_keys))
        return self.wait_for_run(run_id, timeout_s=timeout_s, poll_s=poll_s)
