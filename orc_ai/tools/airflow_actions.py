"""The ``act`` tools: Airflow REST API v2 calls through the run's Airflow client; not executed without one."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from orc_ai.errors import ToolError
from orc_ai.tools.context import AirflowActions, ToolContext
from orc_ai.tools.ids import AirflowKey, AirflowRunId

MAX_CONF_BYTES = 10_000
_AIRFLOW = "Airflow"


def _airflow(ctx: ToolContext) -> AirflowActions:
    return ctx.need("airflow", _AIRFLOW)


def _ask(what: str, request: Callable[..., dict], *args: Any, **kwargs: Any) -> dict:
    """The client's answer; whatever it raises (HTTP status, connection) as a ``ToolError`` saying ``what`` failed,
    so one refused call is recorded as failed and the run goes on."""
    try:
        return request(*args, **kwargs)
    except ToolError:
        raise
    except Exception as exc:  # any client's errors (httpx, its own): one failed call must not end the run
        raise ToolError(f"Airflow did not {what}: {type(exc).__name__}: {exc}") from exc


class ClearTaskArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dag_id: AirflowKey = Field(description="The DAG's id (one concrete id, no wildcards).")
    dag_run_id: AirflowRunId = Field(description="The DAG run whose task instance is cleared, e.g. 'manual__...'.")
    task_id: AirflowKey = Field(description="The task to clear, so the scheduler runs it again.")
    only_failed: bool = Field(default=True, description="Clear only if the task instance failed.")
    dry_run: bool = Field(default=False, description="Ask Airflow what would be cleared, and clear nothing.")


def clear_task(args: ClearTaskArgs, ctx: ToolContext) -> dict[str, Any]:
    """Clear one task instance of one DAG run (``POST /api/v2/dags/{dag_id}/clearTaskInstances``)."""
    answer = _ask(
        f"clear task {args.task_id!r} of run {args.dag_run_id!r} of dag {args.dag_id!r}",
        _airflow(ctx).clear_task_instances,
        args.dag_id,
        args.dag_run_id,
        [args.task_id],
        only_failed=args.only_failed,
        dry_run=args.dry_run,
    )
    return {"dag_id": args.dag_id, "dag_run_id": args.dag_run_id, "task_id": args.task_id, "airflow": answer}


class PauseDagArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dag_id: AirflowKey = Field(description="The DAG to pause (one concrete id, no wildcards).")


def pause_dag(args: PauseDagArgs, ctx: ToolContext) -> dict[str, Any]:
    """Pause one DAG so the scheduler starts no new runs (``PATCH /api/v2/dags/{dag_id}``)."""
    answer = _ask(f"pause dag {args.dag_id!r}", _airflow(ctx).set_dag_paused, args.dag_id, True)
    return {"dag_id": args.dag_id, "paused": True, "airflow": answer}


class TriggerDagRunArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dag_id: AirflowKey = Field(description="The DAG to run (one concrete id, no wildcards).")
    conf: dict[str, Any] | None = Field(default=None, description="The run's conf, a JSON object; omit for none.")
    logical_date: AwareDatetime | None = Field(
        default=None, description="ISO 8601 with a time zone; omit to let Airflow choose."
    )

    @field_validator("conf")
    @classmethod
    def _small_json(cls, conf: dict[str, Any] | None) -> dict[str, Any] | None:
        if conf is not None:
            try:
                size = len(json.dumps(conf))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"must be a JSON object: {exc}") from None
            if size > MAX_CONF_BYTES:
                raise ValueError(f"must be at most {MAX_CONF_BYTES} bytes as JSON, is {size}")
        return conf


def trigger_dag_run(args: TriggerDagRunArgs, ctx: ToolContext) -> dict[str, Any]:
    """Start a new run of one DAG (``POST /api/v2/dags/{dag_id}/dagRuns``)."""
    logical_date = args.logical_date.isoformat() if args.logical_date else None
    answer = _ask(
        f"trigger a run of dag {args.dag_id!r}",
        _airflow(ctx).trigger_dag_run,
        args.dag_id,
        conf=args.conf,
        logical_date=logical_date,
    )
    return {"dag_id": args.dag_id, "logical_date": logical_date, "airflow": answer}
