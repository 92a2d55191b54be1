"""agent_events and quarantined_events: questions from the inbox, failed asset checks of this platform, failed
Airflow tasks and at-risk forecasts."""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import polars as pl
from pydantic import Field

from orc_ai import defaults, settings
from orc_ai.assets import AGENT
from orc_ai.events.checks import CheckFailure
from orc_ai.events.collect import collect_events
from orc_ai.events.inbox import read_inbox
from orc_ai.forecast.schema import FAILURE_FORECAST_TABLE
from orc_ai.resources.io_manager import OPTIONAL_INPUT
from orc_ai.resources.local_state import LocalStateResource


class AgentEventsConfig(dg.Config):
    max_file_bytes: int = Field(
        default=defaults.INBOX_MAX_FILE_BYTES, description="Larger inbox files are quarantined."
    )
    include_check_failures: bool = Field(default=True, description="Add an event per currently failing asset check.")
    failure_lookback_hours: float = Field(
        default=defaults.AGENT_FAILURE_LOOKBACK_HOURS,
        description="Failed Airflow tasks that ended this long before the history's newest try become events.",
    )
    min_forecast_risk: float = Field(
        default=defaults.AGENT_FORECAST_MIN_RISK,
        description="A failure forecast becomes an event when it is at risk with at least this risk (0..1).",
    )


def platform_check_keys() -> list[dg.AssetCheckKey]:
    """Every asset check of this code location (imported late: the definitions import this module). A run's own
    context does not say: ``repository_def`` is unset in-process and a job's graph holds only what it selected."""
    from orc_ai.definitions import defs

    return sorted(defs.resolve_asset_graph().asset_check_keys, key=lambda k: k.to_user_string())


def failed_checks(instance: dg.DagsterInstance, keys: Sequence[dg.AssetCheckKey]) -> list[CheckFailure]:
    """The checks whose latest execution failed, read with ``get_latest_asset_check_execution_by_key``."""
    latest = instance.event_log_storage.get_latest_asset_check_execution_by_key(list(keys))
    failures = []
    for key, record in sorted(latest.items(), key=lambda kv: kv[0].to_user_string()):
        if record.status.value != "FAILED" or record.event is None:
            continue
        evaluation = record.event.dagster_event.event_specific_data if record.event.dagster_event else None
        if evaluation is None:
            continue
        failures.append(
            CheckFailure(
                asset_key=key.asset_key.to_user_string(),
                check_name=key.name,
                run_id=record.run_id or f"runless-{record.id}",  # a reported evaluation has no run
                severity=evaluation.severity.value,
                occurred_at=datetime.fromtimestamp(record.event.timestamp, UTC),
                description=evaluation.description,
                metadata={k: v.value for k, v in (evaluation.metadata or {}).items()},
                blocking=bool(evaluation.blocking),
                partition=record.partition,
            )
        )
    return failures


_OPTIONAL = {
    name: dg.AssetIn(metadata={OPTIONAL_INPUT: True})
    for name in ("airflow_task_runs", FAILURE_FORECAST_TABLE)
}


@dg.multi_asset(
    outs={
        "agent_events": dg.AssetOut(
            description="Things the agent decides about (questions, failed checks, failed Airflow tasks, at-risk "
            "forecasts), one row per event id.",
            group_name=AGENT,
            is_required=False,
        ),
        "quarantined_events": dg.AssetOut(
            description="Inbox files and operations rows that are not an event, with the reason.", group_name=AGENT,
            is_required=False,
        ),
    },
    ins=_OPTIONAL,
    can_subset=True,
)
def agent_events(context: dg.AssetExecutionContext, config: AgentEventsConfig, state: LocalStateResource,
                 airflow_task_runs: pl.DataFrame | None, failure_forecast: pl.DataFrame | None):
    """Collect every source; bad inbox files and rows become quarantine rows, never a failed run."""
    inbox = read_inbox(settings.inbox_dir(Path(state.home)), max_file_bytes=config.max_file_bytes)
    failures = failed_checks(context.instance, platform_check_keys()) if config.include_check_failures else []
    found = collect_events(inbox, failures, airflow_task_runs, {FAILURE_FORECAST_TABLE: failure_forecast},
                           failure_lookback=timedelta(hours=config.failure_lookback_hours),
                           min_forecast_risk=config.min_forecast_risk)
    events, quarantined = found.events, found.quarantined
    if "agent_events" in context.selected_output_names:
        by_type = dict(events.group_by("type").len().sort("type").rows()) if events.height else {}
        yield dg.Output(events, output_name="agent_events", metadata={"events": events.height, **found.counts,
                                                                      "by_type": by_type})
    if "quarantined_events" in context.selected_output_names:
        reasons = dict(quarantined.group_by("reason").len().sort("reason").rows()) if quarantined.height else {}
        metadata = {"quarantined": quarantined.height, "by_reason": reasons}
        yield dg.Output(quarantined, output_name="quarantined_events", metadata=metadata)
