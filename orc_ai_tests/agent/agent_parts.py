"""Real parts for runner tests: the in-process policy over a copy of the data file, the built-in tools, a
decision store and a tool context whose Airflow and Slack go to loopback endpoints."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import polars as pl
from slack_sdk import WebClient

from airflow_bridge import AirflowClient
from orc_ai.agent.offline_planner import OfflinePlanner
from orc_ai.agent.planning import Planner
from orc_ai.agent.runner import AgentRunner
from orc_ai.agent.store import DecisionStore
from orc_ai.events.models import AgentEvent
from orc_ai.policy.data import DATA_PATH
from orc_ai.policy.inprocess import InProcessEvaluator
from orc_ai.retrieve.models import RetrievalResult
from orc_ai.tools.builtin import default_registry
from orc_ai.tools.context import ToolContext


class Endpoint:
    """Loopback HTTP answering JSON for Airflow (/auth/token, /api/v2/...) and Slack (chat.postMessage); a path
    in ``hang`` blocks until ``release`` (a run killed there never gets its answer)."""

    def __init__(self, hang: tuple[str, ...] = ()):
        self.requests: list[tuple[str, str, dict]] = []
        self.hang = hang
        self.arrived = threading.Event()
        self.release = threading.Event()
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    parsed = json.loads(body) if body and body.lstrip()[:1] in (b"{", b"[") else {}
                except ValueError:
                    parsed = {}
                endpoint.requests.append((self.command, self.path, parsed))
                if any(h in self.path for h in endpoint.hang):
                    endpoint.arrived.set()
                    endpoint.release.wait(120)
                answer = {"access_token": "test-token", "ok": True, "channel": "C1", "ts": "1.0",
                          "task_instances": [], "total_entries": 0, "dag_id": "d", "is_paused": True}
                payload = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_PATCH = _handle

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def calls_to(self, fragment: str) -> int:
        return sum(fragment in path for _, path, _ in self.requests)

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def policy_data(tmp: Path, **dags: dict) -> Path:
    """A copy of the project's data file with extra DAGs (e.g. a retry-safe test DAG)."""
    data = json.loads(DATA_PATH.read_text())
    data["orc_ai_policy"]["dags"].update(dags)
    path = tmp / "policy-data.json"
    path.write_text(json.dumps(data))
    return path


def runner(
    home: Path, context: RetrievalResult, endpoint: Endpoint | str | None = None, policy: Path = DATA_PATH,
    airflow_url: str | None = None, password: str = "x", planner: Planner | None = None, max_steps: int = 6,
    task_runs: pl.DataFrame | None = None,
) -> AgentRunner:
    """The offline planner's runner; Slack and (unless ``airflow_url``) Airflow at ``endpoint`` when given."""
    url = endpoint.url if isinstance(endpoint, Endpoint) else endpoint
    airflow_url = airflow_url or url
    tools = ToolContext(
        slack=WebClient(token="xoxb-test", base_url=f"{url}/") if url else None,
        slack_channel="#data-ops",
        airflow=AirflowClient(airflow_url, "orc_ai", password, max_retries=0) if airflow_url else None,
        tickets_path=home / "tickets.parquet",
        task_runs=task_runs,
    )

    def retrieve(event: AgentEvent) -> RetrievalResult:
        return context

    return AgentRunner(planner=planner or OfflinePlanner(), tools=default_registry(),
                       pdp=InProcessEvaluator(policy), tool_context=tools, store=DecisionStore(home / "agent.sqlite"),
                       retrieve=retrieve, max_steps=max_steps)
